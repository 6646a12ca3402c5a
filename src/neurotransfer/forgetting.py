"""Catastrophic forgetting: learn one task, then another, and measure what is lost.

A network trained on task A and then on task B alone drifts to whatever solves B,
and its accuracy on A can collapse. *Rehearsal* mixes a few stored examples of A
into B's training data, so that the gradient keeps a little of A in view.
The helpers here prepare the data and restart one compiled Keras model from the
same point for every condition and seed (compiling anew each time is slow).
"""

import numpy as np

from neurotransfer import _validate
from neurotransfer.data import per_class
from neurotransfer.training import reset_optimizer


def task_mask(y, classes):
    """Boolean mask of the examples whose label is in ``classes``.

    Labels are kept as they are (class-incremental learning: one output per digit).

    Examples
    --------
    >>> task_mask(np.array([0, 5, 3, 9]), [0, 3]).tolist()
    [True, False, True, False]
    """
    y = _validate.labels("y", y)
    classes = _validate.integers("classes", classes, minimum=0)
    missing = sorted(set(classes) - set(y.tolist()))
    if missing:
        present = sorted(set(y.tolist()))
        raise ValueError(f"classes {missing} do not occur in y (labels present: {present})")
    return np.isin(y, classes)


def with_rehearsal(x_new, y_new, x_old, y_old, n_per_class, seed=0):
    """The new task's examples plus ``n_per_class`` stored examples of each old class, shuffled.

    Parameters
    ----------
    x_new, y_new : array_like
        Training data of the new task.
    x_old, y_old : array_like
        Training data of the old task to draw the rehearsal examples from.
    n_per_class : int
        Old examples kept per old class; 0 means no rehearsal.
    seed : int
        Chooses the old examples and the shuffling.

    Returns
    -------
    x, y : numpy.ndarray

    Examples
    --------
    >>> x_new, y_new = np.ones((6, 2)), np.array([5, 6, 5, 6, 5, 6])
    >>> x_old, y_old = np.zeros((6, 2)), np.array([0, 1, 0, 1, 0, 1])
    >>> x, y = with_rehearsal(x_new, y_new, x_old, y_old, n_per_class=2)
    >>> x.shape, np.bincount(y).tolist()
    ((10, 2), [2, 2, 0, 0, 0, 3, 3])
    """
    n_per_class = _validate.integer("n_per_class", n_per_class, minimum=0)
    seed = _validate.seed("seed", seed)
    x_new = _validate.finite_array("x_new", x_new, dtype=None)
    y_new = _validate.labels("y_new", y_new)
    _validate.same_length(("x_new", "y_new"), x_new, y_new)
    if n_per_class == 0:
        x, y = x_new, y_new
    else:
        x_keep, y_keep = per_class(x_old, y_old, n_per_class, seed=seed)
        if x_keep.shape[1:] != x_new.shape[1:]:
            raise ValueError(f"x_old and x_new must hold examples of the same shape, got "
                             f"{x_keep.shape[1:]} and {x_new.shape[1:]}")
        x, y = np.concatenate([x_new, x_keep]), np.concatenate([y_new, y_keep])
    order = np.random.default_rng(seed).permutation(len(y))
    return x[order], y[order]


def restart(model, weights=None, seed=None):
    """Put a compiled Keras model back at a starting point, ready for a new run.

    Either loads ``weights`` (a list from ``model.get_weights()``) or draws fresh
    weights from each layer's own initialisers (kernels and biases) with ``seed``; only the
    model's own layers are redrawn, not the layers inside a nested model, and other weights
    (such as BatchNormalization statistics) are left as they are. In both cases the
    optimizer's state (step count, momenta) is set to zero, as after compiling,
    while its learning rate is kept, so one compiled model serves many runs.

    Examples
    --------
    >>> import keras
    >>> model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    >>> model.compile("adam", "mse")
    >>> restart(model, seed=1); a = model.get_weights()[0]
    >>> restart(model, seed=1); bool((model.get_weights()[0] == a).all())
    True
    """
    _validate.keras_model("model", model)
    if (weights is None) == (seed is None):
        raise ValueError("give exactly one of weights and seed, "
                         f"got weights={'set' if weights is not None else None}, seed={seed!r}")
    if weights is not None:
        if isinstance(weights, (str, bytes)) or not hasattr(weights, "__len__"):
            raise TypeError(f"weights must be a list of arrays, got {_validate.shown(weights)}")
        if len(weights) != len(model.weights):
            raise ValueError(f"weights must hold {len(model.weights)} arrays for this model, "
                             f"got {len(weights)}")
        for i, (w, v) in enumerate(zip(weights, model.weights, strict=True)):
            _validate.finite_array(f"weights[{i}]", w, shape=tuple(v.shape), min_size=0)
        model.set_weights(weights)
    else:
        seed = _validate.integer("seed", seed, minimum=0, maximum=2**21)
        for i, layer in enumerate(model.layers):
            for name in ("kernel", "bias"):
                variable = getattr(layer, name, None)
                initializer = getattr(layer, f"{name}_initializer", None)
                if variable is None or initializer is None:
                    continue
                config = initializer.get_config()
                if "seed" in config:
                    config["seed"] = int(seed) * 1000 + i
                fresh = initializer.__class__.from_config(config)
                variable.assign(fresh(variable.shape, dtype=variable.dtype))
    if getattr(model, "optimizer", None) is not None:
        reset_optimizer(model)  # zero step count and moments, keep the learning rate


def mean_and_range(values):
    """Mean, minimum and maximum of results over seeds, as plain floats.

    Examples
    --------
    >>> mean_and_range([0.5, 0.7, 0.6])
    (0.6, 0.5, 0.7)
    """
    values = _validate.finite_array("values", values)
    return round(float(values.mean()), 12), float(values.min()), float(values.max())


def plot_rehearsal(counts, old_accuracy, new_accuracy, ax=None):
    """Accuracy on the old and the new task against the rehearsal examples per class.

    ``old_accuracy`` and ``new_accuracy`` are arrays of shape (len(counts), seeds);
    lines show the mean, shaded bands the range over seeds.
    """
    import matplotlib.pyplot as plt

    from neurotransfer.plotting import label

    counts = _validate.integers("counts", counts, minimum=0)
    old_accuracy = _validate.probabilities("old_accuracy", old_accuracy, ndim=2)
    new_accuracy = _validate.probabilities("new_accuracy", new_accuracy, ndim=2)
    if old_accuracy.shape != new_accuracy.shape or old_accuracy.shape[0] != len(counts):
        raise ValueError("old_accuracy and new_accuracy must both have shape "
                         f"(len(counts), seeds), got {old_accuracy.shape} and "
                         f"{new_accuracy.shape} for {len(counts)} counts")
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 3.6))
    curves = ((old_accuracy, "old task (digits 0–4)"), (new_accuracy, "new task (digits 5–9)"))
    for acc, name in curves:
        line, = ax.plot(counts, acc.mean(axis=1), marker="o", label=name)
        ax.fill_between(counts, acc.min(axis=1), acc.max(axis=1), alpha=0.2, color=line.get_color())
    ax.set_ylim(-0.02, 1.02)
    ax.set_xticks(list(counts))
    ax.legend(loc="lower right")
    label(ax, "stored old examples per class (rehearsal)", "test accuracy (fraction)",
          "After training on the new task")
    return ax
