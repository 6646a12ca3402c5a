"""Training in steps: mini-batch order, stepwise ``fit``, fresh weights, optimizer resets.

The utilities that both :mod:`neurotransfer.pretrained` (building source models) and
:mod:`neurotransfer.transfer` (reusing them) need. On a tiny data set a fixed number of
mini-batch updates is a fairer and much faster budget than epochs: Keras pays a fixed cost
per epoch.

Examples
--------
>>> order = batch_order(10, steps=4, batch_size=5, seed=0)
>>> order.shape
(20,)
"""

import numpy as np

from neurotransfer import _validate


def _keras():
    import keras

    return keras


def batch_order(n, steps, batch_size, seed=0):
    """Indices of ``steps`` mini-batches of ``batch_size`` drawn from ``n`` examples, in order.

    The examples are shuffled anew on every pass through the data (one permutation per
    pass, from ``seed``); batch ``k`` is ``order[k * batch_size:(k + 1) * batch_size]``.

    Examples
    --------
    >>> order = batch_order(4, steps=3, batch_size=2, seed=0)
    >>> len(order), sorted(order[:4].tolist())
    (6, [0, 1, 2, 3])
    """
    n = _validate.integer("n", n, minimum=1)
    steps = _validate.integer("steps", steps, minimum=1)
    batch_size = _validate.integer("batch_size", batch_size, minimum=1)
    rng = np.random.default_rng(seed)
    passes = -(-steps * batch_size // n)
    return np.concatenate([rng.permutation(n) for _ in range(passes)])[: steps * batch_size]


def check_inputs(model, x, name="x"):
    """Raise ``ValueError`` unless ``x`` has the per-example shape ``model`` expects."""
    x = np.asarray(x)
    expected = tuple(model.input_shape[1:])
    if x.ndim != len(expected) + 1 or tuple(x.shape[1:]) != expected:
        raise ValueError(
            f"{name} must have shape (n, {', '.join(map(str, expected))}) for model "
            f"{model.name!r}, got {x.shape}"
        )
    return x


def compile_for_steps(model, learning_rate=1e-3, steps_per_execution=50):
    """Compile with Adam and sparse cross-entropy (softmax outputs, integer labels)."""
    keras = _keras()
    model.compile(optimizer=keras.optimizers.Adam(learning_rate),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"],
                  steps_per_execution=steps_per_execution)
    return model


def reset_optimizer(model, learning_rate=None):
    """Zero the optimizer's step counter and moment estimates (and set a new learning rate)."""
    for v in model.optimizer.variables:
        if v.path.endswith("learning_rate"):
            if learning_rate is not None:
                v.assign(learning_rate)
        else:
            v.assign(np.zeros(v.shape, dtype=v.dtype))


def fit_steps(model, x, y, steps, batch_size=32, learning_rate=1e-3, seed=0, compile=True):
    """Train for exactly ``steps`` mini-batch updates in a single Keras epoch.

    The data are repeated (a new shuffle each pass, from ``seed``) rather than run as many
    short epochs: Keras pays a fixed cost per epoch. With ``compile=False`` the model's
    current compilation and optimizer state are kept (see :func:`reset_optimizer`).
    Returns the Keras ``History``.
    """
    x = check_inputs(model, x)
    y = np.asarray(y)
    if len(x) != len(y) or len(x) == 0:
        raise ValueError(f"x and y must be non-empty and equally long, got {len(x)}, {len(y)}")
    if isinstance(steps, bool) or not isinstance(steps, (int, np.integer)) or steps < 1:
        raise ValueError(f"steps must be a positive integer, got {steps!r}")
    if compile:
        compile_for_steps(model, learning_rate)
    batch = min(batch_size, len(x))
    order = batch_order(len(x), steps, batch, seed)
    return model.fit(x[order], y[order], batch_size=batch, epochs=1, shuffle=False, verbose=0)


def reinitialise(model, seed=0):
    """Draw fresh starting weights from ``seed`` (Glorot-uniform kernels, zero biases).

    Cheaper than building a new model, and independent of Keras' global random state.
    BatchNormalization layers go back to scale 1, shift 0, mean 0, variance 1.
    """
    rng = np.random.default_rng(seed)
    for layer in model.layers:
        if hasattr(layer, "layers"):  # a nested model such as the base
            reinitialise(layer, seed=int(rng.integers(2**31)))
            continue
        new = []
        for w in layer.weights:
            shape, path = tuple(w.shape), w.path
            if path.endswith("kernel"):
                receptive = int(np.prod(shape[:-2])) if len(shape) > 2 else 1
                limit = np.sqrt(6.0 / (receptive * (shape[-2] + shape[-1])))
                new.append(rng.uniform(-limit, limit, shape))
            elif path.endswith(("gamma", "moving_variance")):
                new.append(np.ones(shape))
            else:
                new.append(np.zeros(shape))
        if new:
            layer.set_weights([v.astype(np.float32) for v in new])
    return model
