"""Offline datasets: real handwritten digits and small generated problems.

Everything here comes from what scikit-learn ships or from a seeded random
generator, so no notebook ever downloads data.
"""

from typing import NamedTuple

import numpy as np
from sklearn import datasets
from sklearn.model_selection import train_test_split

__all__ = [
    "SPLITS", "Digits", "load_digits", "digits_split", "select_classes", "per_class",
    "regression_with_outliers", "two_blobs", "xor",
]

SPLITS = ("train", "val", "test")


class Digits(NamedTuple):
    """Handwritten digits: ``images`` (n, 8, 8), ``x`` (n, 64) in [0, 1], ``y`` (n,) in 0..9."""

    images: np.ndarray
    x: np.ndarray
    y: np.ndarray


def _check_fraction(name, value):
    if not 0 < value < 1:
        raise ValueError(f"{name} must be a fraction strictly between 0 and 1, got {value!r}")


def _check_count(name, value, minimum=0):
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}")


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
    if split not in SPLITS:
        raise ValueError(f"split must be one of {SPLITS}, got {split!r}")
    _check_fraction("val_fraction", val_fraction)
    _check_fraction("test_fraction", test_fraction)
    if val_fraction + test_fraction >= 1:
        raise ValueError(
            "val_fraction + test_fraction must be below 1 to leave training data, "
            f"got {val_fraction} + {test_fraction}"
        )
    _check_count("seed", seed)
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
    x, y = np.asarray(x), np.asarray(y)
    if len(x) != len(y):
        raise ValueError(f"x and y must have the same length, got {len(x)} and {len(y)}")
    classes = list(classes)
    if not classes or len(set(classes)) != len(classes):
        raise ValueError(f"classes must be a non-empty list without repeats, got {classes!r}")
    missing = [c for c in classes if c not in set(y.tolist())]
    if missing:
        raise ValueError(f"classes {missing} do not occur in y (labels present: {sorted(set(y))})")
    keep = np.isin(y, classes)
    relabel = {c: i for i, c in enumerate(classes)}
    return x[keep], np.array([relabel[c] for c in y[keep]], dtype=np.int64)


def per_class(x, y, n, seed=0):
    """Draw ``n`` examples of every class, without replacement (few-label learning).

    Raises ``ValueError`` if some class has fewer than ``n`` examples.

    Examples
    --------
    >>> d = digits_split("train")
    >>> x, y = per_class(d.x, d.y, 3, seed=0)
    >>> x.shape, np.bincount(y).tolist()
    ((30, 64), [3, 3, 3, 3, 3, 3, 3, 3, 3, 3])
    """
    _check_count("n", n, minimum=1)
    x, y = np.asarray(x), np.asarray(y)
    if len(x) != len(y):
        raise ValueError(f"x and y must have the same length, got {len(x)} and {len(y)}")
    rng = np.random.default_rng(seed)
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
    _check_count("n", n, minimum=2)
    if not 0 <= outlier_fraction < 1:
        raise ValueError(f"outlier_fraction must be in [0, 1), got {outlier_fraction!r}")
    if noise < 0:
        raise ValueError(f"noise must be >= 0, got {noise!r}")
    rng = np.random.default_rng(seed)
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
    _check_count("n", n, minimum=1)
    if distance <= 0:
        raise ValueError(f"distance must be positive, got {distance!r}")
    rng = np.random.default_rng(seed)
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
    _check_count("n", n, minimum=1)
    if noise < 0:
        raise ValueError(f"noise must be >= 0, got {noise!r}")
    rng = np.random.default_rng(seed)
    corners = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
    x = np.tile(corners, (n, 1)) + noise * rng.standard_normal((4 * n, 2))
    return x, np.tile([0, 1, 1, 0], n).astype(np.int64)
