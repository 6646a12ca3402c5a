"""Offline datasets: real handwritten digits, real clothing images, small generated problems.

Everything here comes from what scikit-learn ships, from Debian's ``dataset-fashion-mnist``
package (or the same files in Keras' cache), or from a seeded random generator, so no
notebook ever downloads data.
"""

import functools
from typing import NamedTuple

import numpy as np
from sklearn import datasets
from sklearn.model_selection import train_test_split

from neurotransfer import _validate

__all__ = [
    "SPLITS", "Digits", "load_digits", "digits_split", "select_classes", "per_class",
    "regression_with_outliers", "two_blobs", "xor",
    "FASHION_CLASSES", "Fashion", "FashionMNISTError", "fashion_mnist", "fashion_mnist_folder",
]

SPLITS = ("train", "val", "test")


class Digits(NamedTuple):
    """Handwritten digits: ``images`` (n, 8, 8), ``x`` (n, 64) in [0, 1], ``y`` (n,) in 0..9."""

    images: np.ndarray
    x: np.ndarray
    y: np.ndarray


def _examples(x, y):
    """``x`` (finite, one row per example, dtype kept) and ``y`` (labels), equally long."""
    x = _validate.finite_array("x", x, dtype=None, min_size=0)
    if x.ndim == 0:
        raise ValueError("x must hold one row per example, got a single number")
    y = _validate.labels("y", y, min_size=0)
    _validate.same_length(("x", "y"), x, y)
    return x, y


def load_digits():
    """Load the 1,797 8×8 handwritten digits that scikit-learn ships (UCI optical digits).

    Pixel values (0–16 ink levels) are scaled to [0, 1] as ``float32``.

    Examples
    --------
    >>> d = load_digits()
    >>> d.x.shape, d.y.shape, float(d.x.max())
    ((1797, 64), (1797,), 1.0)
    """
    raw = datasets.load_digits()
    images = (raw.images / 16.0).astype(np.float32)
    return Digits(images=images, x=images.reshape(len(images), -1), y=raw.target.astype(np.int64))


def digits_split(split="train", val_fraction=0.2, test_fraction=0.2, seed=0):
    """One part of a stratified, seeded train/validation/test split of the digits.

    The three parts never overlap and together hold every image; with the same
    fractions and seed the split is always the same.

    Parameters
    ----------
    split : {"train", "val", "test"}
    val_fraction, test_fraction : float
        Fractions of all images for validation and test (together below 1).
    seed : int

    Returns
    -------
    Digits

    Examples
    --------
    >>> [len(digits_split(s).y) for s in SPLITS]
    [1077, 360, 360]
    """
    _validate.choice("split", split, SPLITS)
    val_fraction = _validate.fraction("val_fraction", val_fraction)
    test_fraction = _validate.fraction("test_fraction", test_fraction)
    if val_fraction + test_fraction >= 1:
        raise ValueError(
            "val_fraction + test_fraction must be below 1 to leave training data, "
            f"got {val_fraction} + {test_fraction}"
        )
    seed = _validate.seed("seed", seed)
    d = load_digits()
    index = np.arange(len(d.y))
    rest, test = train_test_split(
        index, test_size=test_fraction, stratify=d.y, random_state=seed
    )
    train, val = train_test_split(
        rest, test_size=val_fraction / (1 - test_fraction), stratify=d.y[rest], random_state=seed
    )
    chosen = {"train": train, "val": val, "test": test}[split]
    return Digits(d.images[chosen], d.x[chosen], d.y[chosen])


def select_classes(x, y, classes):
    """Keep the examples of ``classes`` and relabel them 0, 1, … in the order given.

    Used to build transfer tasks such as digits 0–4 (source) and 5–9 (target).

    Examples
    --------
    >>> x, y = np.zeros((4, 2)), np.array([5, 7, 9, 7])
    >>> select_classes(x, y, [7, 9])[1]
    array([0, 1, 0])
    """
    x, y = _examples(x, y)
    classes = _validate.integers("classes", classes, minimum=0)
    if len(set(classes)) != len(classes):
        raise ValueError(f"classes must be a list without repeats, got {classes!r}")
    present = set(y.tolist())
    missing = [c for c in classes if c not in present]
    if missing:
        raise ValueError(f"classes {missing} do not occur in y (labels present: {sorted(present)})")
    keep = np.isin(y, classes)
    relabel = {c: i for i, c in enumerate(classes)}
    return x[keep], np.array([relabel[c] for c in y[keep]], dtype=np.int64)


def per_class(x, y, n, seed=0):
    """Draw ``n`` examples of every class, without replacement (few-label learning).

    Raises ``ValueError`` if some class has fewer than ``n`` examples (or ``y`` is empty).

    Examples
    --------
    >>> d = digits_split("train")
    >>> x, y = per_class(d.x, d.y, 3, seed=0)
    >>> x.shape, np.bincount(y).tolist()
    ((30, 64), [3, 3, 3, 3, 3, 3, 3, 3, 3, 3])
    """
    n = _validate.integer("n", n, minimum=1)
    x, y = _examples(x, y)
    rng = np.random.default_rng(_validate.seed("seed", seed))
    if len(y) == 0:
        raise ValueError("y must hold at least one labelled example, got none")
    chosen = []
    for c in np.unique(y):
        members = np.flatnonzero(y == c)
        if len(members) < n:
            raise ValueError(
                f"asked for n={n} examples per class, but class {c} has only {len(members)}"
            )
        chosen.append(rng.choice(members, size=n, replace=False))
    chosen = np.sort(np.concatenate(chosen))
    return x[chosen], y[chosen]


def regression_with_outliers(n=100, slope=2.0, intercept=1.0, noise=0.5,
                             outlier_fraction=0.1, outlier_shift=15.0, seed=0):
    """Points on ``y = slope·x + intercept`` with Gaussian noise and some gross outliers.

    Returns ``x``, ``y`` (each shape ``(n,)``) and a boolean mask of the outliers.
    Outliers are shifted upward by ``outlier_shift`` so that they pull a fit one way.

    Examples
    --------
    >>> x, y, out = regression_with_outliers(n=50, outlier_fraction=0.1)
    >>> x.shape, int(out.sum())
    ((50,), 5)
    """
    n = _validate.integer("n", n, minimum=2)
    slope = _validate.number("slope", slope)
    intercept = _validate.number("intercept", intercept)
    noise = _validate.number("noise", noise, minimum=0)
    outlier_fraction = _validate.fraction("outlier_fraction", outlier_fraction, open_low=False)
    outlier_shift = _validate.number("outlier_shift", outlier_shift)
    rng = np.random.default_rng(_validate.seed("seed", seed))
    x = np.sort(rng.uniform(-3, 3, size=n))
    y = slope * x + intercept + noise * rng.standard_normal(n)
    outliers = np.zeros(n, dtype=bool)
    outliers[rng.choice(n, size=int(round(outlier_fraction * n)), replace=False)] = True
    y[outliers] += outlier_shift
    return x, y, outliers


def two_blobs(n=100, distance=3.0, seed=0):
    """Two linearly separable Gaussian clouds in 2-D; labels 0 and 1, ``n`` points each.

    Examples
    --------
    >>> x, y = two_blobs(n=10)
    >>> x.shape, np.bincount(y).tolist()
    ((20, 2), [10, 10])
    """
    n = _validate.integer("n", n, minimum=1)
    distance = _validate.positive("distance", distance)
    rng = np.random.default_rng(_validate.seed("seed", seed))
    centre = np.array([distance / 2, distance / 2])
    x = np.vstack([rng.normal(-centre, 0.5, (n, 2)), rng.normal(centre, 0.5, (n, 2))])
    return x, np.repeat([0, 1], n)


def xor(n=100, noise=0.1, seed=0):
    """The XOR problem: ``n`` noisy copies of each corner of the unit square.

    Label 1 for the corners (0, 1) and (1, 0), where exactly one coordinate is 1;
    no straight line separates the classes.

    Examples
    --------
    >>> x, y = xor(n=1, noise=0.0)
    >>> x.tolist(), y.tolist()
    ([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]], [0, 1, 1, 0])
    """
    n = _validate.integer("n", n, minimum=1)
    noise = _validate.number("noise", noise, minimum=0)
    rng = np.random.default_rng(_validate.seed("seed", seed))
    corners = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
    x = np.tile(corners, (n, 1)) + noise * rng.standard_normal((4 * n, 2))
    return x, np.tile([0, 1, 1, 0], n).astype(np.int64)


# --- Fashion-MNIST: 70,000 real 28×28 grey images of clothing, from a system package ---------

#: The ten Fashion-MNIST classes, in label order (Xiao, Rasul & Vollgraf 2017).
FASHION_CLASSES = (
    "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
    "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
)

#: Environment variable naming a folder that holds the four Fashion-MNIST IDX files.
FASHION_MNIST_VARIABLE = "NT_FASHION_MNIST_DIR"

#: Folders searched after the environment variable's: Debian's package, then Keras' cache.
FASHION_MNIST_FOLDERS = (
    "/usr/share/datasets/fashion-mnist",
    "~/.keras/datasets/fashion-mnist",
)

#: SHA-256 of the *decompressed* IDX files (the same bytes whatever the compression).
FASHION_MNIST_SHA256 = {
    "train-images-idx3-ubyte": "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
    "train-labels-idx1-ubyte": "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
    "t10k-images-idx3-ubyte": "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
    "t10k-labels-idx1-ubyte": "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34",
}

#: Images of the 60,000 training images held out, stratified, as the validation part.
FASHION_VAL_SIZE = 10_000


class FashionMNISTError(ValueError):
    """Fashion-MNIST files that are missing, truncated or not the published ones."""


class Fashion(NamedTuple):
    """Fashion-MNIST images ``(n, 28, 28)`` float32 in [0, 1], ``x`` flat ``(n, 784)``, ``y``."""

    images: np.ndarray
    x: np.ndarray
    y: np.ndarray


def _fashion_folders():
    import os
    from pathlib import Path

    folders = [os.environ[FASHION_MNIST_VARIABLE]] if os.environ.get(FASHION_MNIST_VARIABLE) \
        else []
    return [Path(folder).expanduser() for folder in [*folders, *FASHION_MNIST_FOLDERS]]


def _fashion_file(folder, name):
    for candidate in (folder / f"{name}.gz", folder / name):
        if candidate.is_file():
            return candidate
    return None


def fashion_mnist_folder():
    """The first folder that holds all four Fashion-MNIST IDX files (``.gz`` or not).

    Searched in order: ``$NT_FASHION_MNIST_DIR``, Debian's ``/usr/share/datasets/
    fashion-mnist`` and Keras' cache ``~/.keras/datasets/fashion-mnist``. Raises
    :class:`FashionMNISTError` naming both ways to get the files when none has them.
    """
    searched = _fashion_folders()
    for folder in searched:
        if all(_fashion_file(folder, name) for name in FASHION_MNIST_SHA256):
            return folder
    raise FashionMNISTError(
        "Fashion-MNIST not found: no folder holds all four files "
        f"{sorted(FASHION_MNIST_SHA256)} (.gz or uncompressed); searched "
        f"{[str(f) for f in searched]}. Get them with `apt-get install dataset-fashion-mnist` "
        "(Debian/Ubuntu), or, with internet access, run "
        "`keras.datasets.fashion_mnist.load_data()` once; or set "
        f"{FASHION_MNIST_VARIABLE} to a folder that holds them."
    )


def _read_idx(path, name, dimensions):
    """The array in one IDX file, after checking its SHA-256 and its header."""
    import gzip
    import hashlib

    try:
        raw = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
    except (OSError, EOFError, gzip.BadGzipFile) as error:
        raise FashionMNISTError(f"cannot read {path}: {error} (the file is damaged; "
                                "reinstall it)") from error
    actual = hashlib.sha256(raw).hexdigest()
    if actual != FASHION_MNIST_SHA256[name]:
        raise FashionMNISTError(
            f"refusing {path}: the SHA-256 of its contents is {actual}, expected "
            f"{FASHION_MNIST_SHA256[name]} ({len(raw)} bytes; the file is truncated or altered: "
            "reinstall it)"
        )
    header = 4 + 4 * dimensions
    magic, *shape = np.frombuffer(raw[:header], dtype=">u4").tolist()
    if magic != 0x0800 + dimensions or len(raw) != header + int(np.prod(shape)):
        raise FashionMNISTError(f"{path} is not an IDX file of {dimensions} dimension(s) "
                                f"of unsigned bytes")
    return np.frombuffer(raw, dtype=np.uint8, offset=header).reshape(shape)


@functools.lru_cache(maxsize=2)
def _fashion_arrays(folder):
    """Images and labels of the standard 60,000 training and 10,000 test images."""
    from pathlib import Path

    folder = Path(folder)
    arrays = {}
    for part, prefix in (("train", "train"), ("test", "t10k")):
        images = _read_idx(_fashion_file(folder, f"{prefix}-images-idx3-ubyte"),
                           f"{prefix}-images-idx3-ubyte", 3)
        labels = _read_idx(_fashion_file(folder, f"{prefix}-labels-idx1-ubyte"),
                           f"{prefix}-labels-idx1-ubyte", 1)
        if len(images) != len(labels):
            raise FashionMNISTError(f"{folder}: {len(images)} {part} images but "
                                    f"{len(labels)} labels")
        arrays[part] = (images, labels.astype(np.int64))
    return arrays


@functools.lru_cache(maxsize=6)
def _fashion_split(folder, split):
    arrays = _fashion_arrays(folder)
    if split == "test":
        raw, y = arrays["test"]
    else:
        raw, y = arrays["train"]
        val_size = min(FASHION_VAL_SIZE, len(y) // 6)
        train, val = train_test_split(np.arange(len(y)), test_size=val_size, stratify=y,
                                      random_state=0)
        chosen = np.sort(val if split == "val" else train)
        raw, y = raw[chosen], y[chosen]
    images = raw.astype(np.float32) / 255.0
    images.flags.writeable = False
    y = y.copy()
    y.flags.writeable = False
    return Fashion(images, images.reshape(len(images), -1), y)


def fashion_mnist(split="train"):
    """One part of Fashion-MNIST: real 28×28 grey images of clothing in ten classes.

    The 60,000 standard training images are split once, stratified and with a fixed seed,
    into ``"train"`` (50,000) and ``"val"`` (10,000); ``"test"`` is the standard 10,000
    test images. Class names are in :data:`FASHION_CLASSES`. The files come from a system
    package (see :func:`fashion_mnist_folder`); their decompressed contents are checked
    against :data:`FASHION_MNIST_SHA256` once per process, and the parsed parts are kept
    in memory, so later calls are cheap. The arrays are read-only: copy before changing.

    Parameters
    ----------
    split : {"train", "val", "test"}

    Returns
    -------
    Fashion
        ``images`` (n, 28, 28) float32 in [0, 1], ``x`` (n, 784), ``y`` (n,) int64 in 0..9.

    Examples
    --------
    >>> part = fashion_mnist("val")
    >>> part.images.shape, np.bincount(part.y).tolist()
    ((10000, 28, 28), [1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000])
    """
    _validate.choice("split", split, SPLITS)
    return _fashion_split(str(fashion_mnist_folder()), split)
