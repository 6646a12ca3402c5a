"""`neurotransfer.plotting`: clear errors for figures that would mislead."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from neurotransfer import plotting  # noqa: E402


def test_show_images_grid_and_errors():
    fig = plotting.show_images(np.zeros((12, 8, 8)), ncols=5)
    assert len(fig.axes) == 12
    plt.close(fig)
    with pytest.raises(ValueError, match="images must have 3 dimension"):
        plotting.show_images(np.zeros((8, 8)))
    with pytest.raises(ValueError, match="one title per image"):
        plotting.show_images(np.zeros((2, 8, 8)), titles=["a"])


def test_axes_must_be_labelled():
    fig, ax = plt.subplots()
    with pytest.raises(ValueError, match="ylabel must be a non-empty string"):
        plotting.label(ax, "time (ms)", " ")
    plt.close(fig)
