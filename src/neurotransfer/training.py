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
    rng = np.random.default_rng(_validate.seed("seed", seed))
    passes = -(-steps * batch_size // n)
    return np.concatenate([rng.permutation(n) for _ in range(passes)])[: steps * batch_size]


def check_inputs(model, x, name="x"):
    """``x`` as an array, if it holds finite numbers with the per-example shape ``model`` expects.

    Raises ``ValueError`` for another shape, no examples, NaN or infinity, and ``TypeError``
    for non-numeric input or a ``model`` that is not a Keras model. The dtype is kept.
    """
    _validate.keras_model("model", model)
    x = _validate.finite_array(name, x, dtype=None)
    expected = tuple(model.input_shape[1:])
    if x.ndim != len(expected) + 1 or tuple(x.shape[1:]) != expected:
        raise ValueError(
            f"{name} must have shape (n, {', '.join(map(str, expected))}) for model "
            f"{model.name!r}, got {x.shape}"
        )
    return x


def compile_for_steps(model, learning_rate=1e-3, steps_per_execution=50):
    """Compile with Adam and sparse cross-entropy (softmax outputs, integer labels)."""
    _validate.keras_model("model", model)
    learning_rate = _validate.positive("learning_rate", learning_rate)
    steps_per_execution = _validate.integer("steps_per_execution", steps_per_execution, minimum=1)
    keras = _keras()
    model.compile(optimizer=keras.optimizers.Adam(learning_rate),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"],
                  steps_per_execution=steps_per_execution)
    return model


def reset_optimizer(model, learning_rate=None):
    """Zero the optimizer's step counter and moment estimates (and set a new learning rate).

    Raises ``ValueError`` for a model that has not been compiled (it has no optimizer).
    """
    _validate.keras_model("model", model)
    if getattr(model, "optimizer", None) is None:
        raise ValueError(f"model must be compiled (it has no optimizer yet), got {model.name!r}")
    if learning_rate is not None:
        learning_rate = _validate.positive("learning_rate", learning_rate)
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
    current compilation and optimizer state are kept (see :func:`reset_optimizer`) and
    ``learning_rate`` is not used. Returns the Keras ``History``.

    ``x`` must be finite with the model's input shape, ``y`` integer labels below the
    model's number of outputs, ``learning_rate`` a positive finite number: anything else
    raises ``ValueError`` (or ``TypeError``) before TensorFlow sees it.
    """
    x = check_inputs(model, x)
    y = _validate.labels("y", y, model.output_shape[-1])
    _validate.same_length(("x", "y"), x, y)
    steps = _validate.integer("steps", steps, minimum=1)
    batch_size = _validate.integer("batch_size", batch_size, minimum=1)
    learning_rate = _validate.positive("learning_rate", learning_rate)
    seed = _validate.seed("seed", seed)
    if _validate.flag("compile", compile):
        compile_for_steps(model, learning_rate)
    elif getattr(model, "optimizer", None) is None:
        raise ValueError(f"model must be compiled when compile=False, got {model.name!r} "
                         "uncompiled")
    batch = min(batch_size, len(x))
    order = batch_order(len(x), steps, batch, seed)
    return model.fit(x[order], y[order], batch_size=batch, epochs=1, shuffle=False, verbose=0)


def reinitialise(model, seed=0):
    """Draw fresh starting weights from ``seed``, as a newly built model would have them.

    Kernels are drawn Glorot-uniform and biases set to 0 (the Keras defaults of ``Dense`` and
    ``Conv2D``); BatchNormalization goes back to scale 1, shift 0, mean 0, variance 1. Any
    other weight is drawn by its layer's own initializer (the attribute
    ``<weight name>_initializer``, as :class:`neurotransfer.adapters.Adapter` has), seeded from
    ``seed``; a trainable weight without one raises ``ValueError`` rather than being zeroed.
    Nested models are reinitialised the same way. Cheaper than building a new model, and
    independent of Keras' global random state.
    """
    _validate.keras_model("model", model)
    _redraw(model, _validate.seed("seed", seed))
    return model


def _redraw(model, seed):
    """The work of :func:`reinitialise` on anything with ``layers`` (a nested model or wrapper)."""
    rng = np.random.default_rng(seed)
    for layer in model.layers:
        if hasattr(layer, "layers"):  # a nested model such as the base
            _redraw(layer, int(rng.integers(2**31)))
            continue
        new = []
        for w in layer.weights:
            shape, short = tuple(w.shape), w.path.rsplit("/", 1)[-1]
            if short == "kernel":
                receptive = int(np.prod(shape[:-2])) if len(shape) > 2 else 1
                limit = np.sqrt(6.0 / (receptive * (shape[-2] + shape[-1])))
                new.append(rng.uniform(-limit, limit, shape))
            elif short in ("gamma", "moving_variance"):
                new.append(np.ones(shape))
            elif short in ("bias", "beta", "moving_mean"):
                new.append(np.zeros(shape))
            elif getattr(layer, f"{short}_initializer", None) is not None:
                initializer = getattr(layer, f"{short}_initializer")
                config = {**initializer.get_config()}
                if "seed" in config:
                    config["seed"] = int(rng.integers(2**31))
                fresh = initializer.__class__.from_config(config)
                new.append(np.asarray(fresh(shape, dtype="float32")))
            elif w.trainable:
                raise ValueError(f"reinitialise cannot draw weight {w.path!r}: layer "
                                 f"{layer.name!r} has no {short}_initializer")
            else:
                new.append(np.asarray(w))
        if new:
            layer.set_weights([v.astype(np.float32) for v in new])
