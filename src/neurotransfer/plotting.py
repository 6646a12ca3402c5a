"""One figure style for the whole course, and the figures every chapter needs.

Teaching code stays in the notebooks; what lives here is bookkeeping: style,
grids of images, consistent labels.
"""

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np  # noqa: F401  (the examples use it)

from neurotransfer import _validate

#: The course's figure style: readable on a laptop and a phone, light and dark pages.
STYLE = {
    "figure.figsize": (6.4, 4.0),
    "figure.dpi": 100,
    "savefig.dpi": 150,
    "figure.facecolor": "white",
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlesize": 12,
    "axes.labelsize": 11,
    "legend.fontsize": 10,
    "legend.frameon": False,
    "lines.linewidth": 2.0,
    "image.cmap": "viridis",
}


def use_style():
    """Apply :data:`STYLE` to every figure made after this call.

    Examples
    --------
    >>> use_style()
    >>> import matplotlib as mpl
    >>> mpl.rcParams["axes.grid"]
    True
    """
    mpl.rcParams.update(STYLE)


def label(ax, xlabel, ylabel, title=None):
    """Label both axes (with units, e.g. ``"time (ms)"``) and optionally the title.

    Raises ``ValueError`` on an empty label: every axis in the course says what it shows
    (``TypeError`` for a label that is not a string).

    Examples
    --------
    >>> fig, ax = plt.subplots()
    >>> label(ax, "input current (nA)", "firing rate (Hz)") is ax
    True
    >>> plt.close(fig)
    """
    if not all(hasattr(ax, a) for a in ("set_xlabel", "set_ylabel", "set_title")):
        raise TypeError(f"ax must be a Matplotlib Axes, got {_validate.shown(ax)}")
    _validate.text("xlabel", xlabel)
    _validate.text("ylabel", ylabel)
    if title is not None:
        _validate.text("title", title, empty=True)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title)
    return ax


def show_images(images, titles=None, ncols=10, size=0.9, cmap="gray_r"):
    """Draw a grid of small grey-scale images (e.g. 8×8 digits), one per panel.

    Parameters
    ----------
    images : array of shape (n, height, width)
    titles : sequence of n strings or numbers, optional
    ncols : int
        Panels per row.
    size : float
        Width and height of one panel in inches.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> fig = show_images(np.zeros((3, 8, 8)), titles=[0, 1, 2])
    >>> len(fig.axes)
    3
    >>> plt.close(fig)
    """
    images = _validate.finite_array("images", images, ndim=3, dtype=None)
    if titles is not None:
        titles = list(titles)
        if len(titles) != len(images):
            raise ValueError(f"titles must hold one title per image: {len(images)} images, "
                             f"{len(titles)} titles")
    ncols = _validate.integer("ncols", ncols, minimum=1)
    size = _validate.positive("size", size)
    _validate.text("cmap", cmap)
    ncols = min(ncols, len(images))
    nrows = -(-len(images) // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(size * ncols, size * nrows + 0.2),
                             squeeze=False)
    for ax in axes.flat[len(images):]:
        fig.delaxes(ax)
    for i, (ax, image) in enumerate(zip(axes.flat, images, strict=False)):
        ax.imshow(image, cmap=cmap, vmin=0, vmax=max(1.0, float(images.max())))
        ax.set_xticks([])
        ax.set_yticks([])
        ax.grid(False)
        if titles is not None:
            ax.set_title(str(titles[i]), fontsize=10)
    fig.tight_layout()
    return fig
