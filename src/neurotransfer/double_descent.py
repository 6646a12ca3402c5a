"""Double descent with random ReLU features and minimum-norm least squares (Belkin et al. 2019).

A fixed random layer ``phi(x) = relu(x @ W)`` with ``p`` units turns each input
into ``p`` features; only the linear read-out on top is fitted, by least squares.
When ``p`` is below the number of training examples ``n`` the fit is the usual
least-squares solution; from ``p = n`` on the features can fit the training set
exactly and, among all exact fits, the one with the smallest norm is taken (the
pseudo-inverse). The test error peaks near ``p = n`` and falls again beyond it.
"""

import numpy as np

from neurotransfer import _validate


def random_relu_features(x, p, seed=0):
    """``relu(x @ W)`` with ``W`` of shape ``(d, p)`` drawn from N(0, 1/d), fixed by ``seed``.

    Examples
    --------
    >>> random_relu_features(np.ones((3, 4)), p=5).shape
    (3, 5)
    """
    x = _validate.finite_array("x", x, ndim=2)
    return np.maximum(x @ _random_layer(x.shape[1], p, seed), 0.0)


def _random_layer(d, p, seed):
    """The fixed random weights ``W`` (shape ``(d, p)``) behind :func:`random_relu_features`."""
    p = _validate.integer("p", p, minimum=1)
    return np.random.default_rng(_validate.seed("seed", seed)).normal(0.0, 1.0 / np.sqrt(d), (d, p))


def min_norm_least_squares(features, targets):
    """The read-out of smallest norm among those minimising the squared training error.

    Examples
    --------
    >>> f = np.array([[1.0, 1.0]])            # one example, two features
    >>> min_norm_least_squares(f, np.array([[2.0]])).ravel()
    array([1., 1.])
    """
    features = _validate.finite_array("features", features, ndim=2)
    targets = _validate.finite_array("targets", targets, ndim=(1, 2))
    _validate.same_length(("features", "targets"), features, targets)
    return np.linalg.lstsq(features, targets, rcond=None)[0]


def error_by_width(x_train, t_train, x_test, t_test, widths, seeds=(0,)):
    """Mean squared test error (summed over outputs, averaged over examples) per width.

    Parameters
    ----------
    x_train, x_test : arrays (examples, inputs)
    t_train, t_test : arrays (examples, outputs), e.g. one-hot labels
    widths : sequence of int
        Numbers of random features ``p`` to try.
    seeds : sequence of int
        Random layers to average over.

    Returns
    -------
    dict of arrays
        ``test_mse`` and ``train_mse`` with shape ``(len(seeds), len(widths))``.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> x, t = rng.normal(size=(20, 3)), rng.normal(size=(20, 1))
    >>> curve = error_by_width(x[:10], t[:10], x[10:], t[10:], widths=[5, 40])
    >>> bool(curve["train_mse"][0, 1] < 1e-20)    # 40 features fit 10 examples exactly
    True
    """
    widths = _validate.integers("widths", widths, minimum=1)
    seeds = [_validate.seed(f"seeds[{i}]", s) for i, s in enumerate(_validate.integers(
        "seeds", seeds))]
    out = {"test_mse": np.zeros((len(seeds), len(widths))),
           "train_mse": np.zeros((len(seeds), len(widths)))}
    x_train = _validate.finite_array("x_train", x_train, ndim=2)
    x_test = _validate.finite_array("x_test", x_test, ndim=2)
    if x_train.shape[1] != x_test.shape[1]:
        raise ValueError("x_train and x_test must have the same number of inputs, got "
                         f"shapes {x_train.shape} and {x_test.shape}")
    t_train = _validate.finite_array("t_train", t_train, ndim=2)
    t_test = _validate.finite_array("t_test", t_test, shape=(None, t_train.shape[1]))
    _validate.same_length(("x_train", "t_train"), x_train, t_train)
    _validate.same_length(("x_test", "t_test"), x_test, t_test)
    for i, seed in enumerate(seeds):
        for j, p in enumerate(widths):
            layer = _random_layer(x_train.shape[1], p, seed)  # drawn once, used for both sets
            f_train, f_test = np.maximum(x_train @ layer, 0.0), np.maximum(x_test @ layer, 0.0)
            w = min_norm_least_squares(f_train, t_train)
            out["train_mse"][i, j] = np.mean(np.sum((f_train @ w - t_train) ** 2, axis=1))
            out["test_mse"][i, j] = np.mean(np.sum((f_test @ w - t_test) ** 2, axis=1))
    return out
