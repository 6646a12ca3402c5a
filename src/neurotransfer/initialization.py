"""Weight initialisation and what it does to a deep stack: per-layer statistics.

A plain multilayer perceptron in NumPy, with its backward pass written out, so
that one can watch how the variance of the activations and the size of the
gradients change from the first layer to the last for a given activation
function and initialisation scheme (Glorot & Bengio 2010; He et al. 2015).
"""

import numpy as np

from neurotransfer import _validate

#: Hidden-layer activations: name -> (function, derivative written in terms of the input z).
ACTIVATIONS = {
    "sigmoid": (lambda z: 1 / (1 + np.exp(-z)),
                lambda z: (1 / (1 + np.exp(-z))) * (1 - 1 / (1 + np.exp(-z)))),
    "tanh": (np.tanh, lambda z: 1 - np.tanh(z) ** 2),
    "relu": (lambda z: np.maximum(z, 0.0), lambda z: (z > 0).astype(z.dtype)),
    "linear": (lambda z: z, np.ones_like),
}
#: Initialisation schemes: name -> variance of the weights as a function of (fan_in, fan_out).
SCHEMES = {
    "glorot": lambda fan_in, fan_out: 2.0 / (fan_in + fan_out),
    "he": lambda fan_in, fan_out: 2.0 / fan_in,
}


def initial_weights(sizes, scheme="glorot", seed=0):
    """Draw the weights of a dense stack from a zero-mean normal with the scheme's variance.

    Glorot: Var = 2 / (fan_in + fan_out); He: Var = 2 / fan_in. Biases start at 0.

    Parameters
    ----------
    sizes : sequence of int
        Widths of the layers, input first, e.g. ``[64, 256, 256]`` for two layers.
    scheme : {"glorot", "he"}
    seed : int

    Returns
    -------
    list of (W, b)
        ``W`` has shape ``(sizes[i], sizes[i + 1])``.

    Examples
    --------
    >>> layers = initial_weights([1000, 1000], scheme="he", seed=0)
    >>> round(float(layers[0][0].var()), 4)   # 2 / 1000
    0.002
    """
    _validate.choice("scheme", scheme, sorted(SCHEMES))
    sizes = _validate.integers("sizes", sizes, minimum=1, min_size=2)
    rng = np.random.default_rng(_validate.seed("seed", seed))
    layers = []
    for fan_in, fan_out in zip(sizes[:-1], sizes[1:], strict=True):
        std = np.sqrt(SCHEMES[scheme](fan_in, fan_out))
        layers.append((rng.normal(0.0, std, (fan_in, fan_out)), np.zeros(fan_out)))
    return layers


def _check_layers(layers, width):
    """``layers`` as a list of finite ``(W, b)`` arrays whose shapes chain from ``width``."""
    if isinstance(layers, (str, bytes)) or not hasattr(layers, "__len__") or len(layers) == 0:
        raise ValueError(f"layers must be a non-empty list of (W, b) pairs, got "
                         f"{_validate.shown(layers)}")
    out = []
    for i, pair in enumerate(layers):
        if not (isinstance(pair, (tuple, list)) and len(pair) == 2):
            raise TypeError(f"layers[{i}] must be a pair (W, b), got {_validate.shown(pair)}")
        w = _validate.finite_array(f"layers[{i}] W", pair[0], shape=(width, None))
        b = _validate.finite_array(f"layers[{i}] b", pair[1], shape=(w.shape[1],))
        out.append((w, b))
        width = w.shape[1]
    return out


def layer_statistics(x, layers, activation="relu"):
    """Forward and backward pass through a dense stack; per-layer statistics.

    Every layer computes ``h = f(h_prev @ W + b)`` with the same activation ``f``.
    The loss is ``L = mean over examples of sum(h_last**2) / 2``, a neutral choice
    whose only role is to send a gradient back through the stack.

    Parameters
    ----------
    x : array of shape (n, d)
    layers : list of (W, b), as made by :func:`initial_weights`
    activation : {"sigmoid", "tanh", "relu", "linear"}

    Returns
    -------
    dict of arrays, one value per layer (first layer first)
        ``activation_variance`` (variance of ``h`` over examples and units),
        ``gradient_norm`` (Frobenius norm of ``dL/dW``), ``active_fraction``
        (fraction of units with positive pre-activation, averaged over examples),
        and ``gradients`` (the list of ``dL/dW`` themselves).

    Examples
    --------
    >>> x = np.random.default_rng(0).normal(size=(500, 100))
    >>> stats = layer_statistics(x, initial_weights([100] * 6, "he"), "relu")
    >>> stats["activation_variance"].shape
    (5,)
    """
    _validate.choice("activation", activation, sorted(ACTIVATIONS))
    x = _validate.finite_array("x", x, ndim=2)
    layers = _check_layers(layers, x.shape[1])
    f, df = ACTIVATIONS[activation]
    inputs, pre = [x], []
    for w, b in layers:
        pre.append(inputs[-1] @ w + b)
        inputs.append(f(pre[-1]))
    delta = inputs[-1] / len(x)  # dL/dh_last
    grads = []
    for i in reversed(range(len(layers))):
        delta = delta * df(pre[i])  # dL/dz_i
        grads.append(inputs[i].T @ delta)
        delta = delta @ layers[i][0].T  # dL/dh_{i-1}
    grads.reverse()
    return {
        "activation_variance": np.array([h.var() for h in inputs[1:]]),
        "gradient_norm": np.array([np.linalg.norm(g) for g in grads]),
        "active_fraction": np.array([(z > 0).mean() for z in pre]),
        "gradients": grads,
    }


def dead_units(h):
    """Indices of ReLU units that output zero for every example in ``h`` (examples, units).

    Such a unit passes no gradient to its incoming weights on these inputs, so
    gradient descent on them cannot revive it.

    Examples
    --------
    >>> dead_units(np.array([[0.0, 1.0, 0.0], [0.0, 2.0, 0.5]]))
    array([0])
    """
    h = _validate.finite_array("h", h, ndim=2)
    return np.flatnonzero(np.all(h <= 0, axis=0))
