"""Overfitting and its remedies: shifted copies of images and a training run with curves.

:func:`augment_with_shifts` enlarges a training set with images moved by one
pixel (the label does not change when a digit moves). :func:`record_training`
trains a compiled Keras classifier step by step and records training and
validation loss along the way, keeping the weights with the lowest validation
loss: early stopping comes for free from the same run.
"""

import numpy as np

from neurotransfer import _validate
from neurotransfer.training import batch_order, check_inputs

#: Up, down, left and right by one pixel, as (rows, columns).
ONE_PIXEL = ((-1, 0), (1, 0), (0, -1), (0, 1))


def shift_images(images, rows, cols):
    """Move every image by ``rows`` down and ``cols`` right, filling the freed border with 0.

    Examples
    --------
    >>> image = np.arange(9.0).reshape(1, 3, 3)
    >>> shift_images(image, 0, 1)[0]
    array([[0., 0., 1.],
           [0., 3., 4.],
           [0., 6., 7.]])
    """
    images = _validate.finite_array("images", images, ndim=3, dtype=None, min_size=0)
    height, width = images.shape[1:]
    rows = _validate.integer("rows", rows, minimum=-(height - 1), maximum=height - 1)
    cols = _validate.integer("cols", cols, minimum=-(width - 1), maximum=width - 1)
    out = np.zeros_like(images)
    src_r = slice(max(-rows, 0), height - max(rows, 0))
    dst_r = slice(max(rows, 0), height - max(-rows, 0))
    src_c = slice(max(-cols, 0), width - max(cols, 0))
    dst_c = slice(max(cols, 0), width - max(-cols, 0))
    out[:, dst_r, dst_c] = images[:, src_r, src_c]
    return out


def augment_with_shifts(images, labels, shifts=ONE_PIXEL):
    """The images followed by one shifted copy per entry of ``shifts``; labels repeated.

    Examples
    --------
    >>> x, y = augment_with_shifts(np.ones((2, 8, 8)), np.array([3, 5]))
    >>> x.shape, y.tolist()
    ((10, 8, 8), [3, 5, 3, 5, 3, 5, 3, 5, 3, 5])
    """
    images = _validate.finite_array("images", images, ndim=3, dtype=None, min_size=0)
    labels = _validate.labels("labels", labels, min_size=0)
    _validate.same_length(("images", "labels"), images, labels)
    if isinstance(shifts, (str, bytes)) or not hasattr(shifts, "__iter__"):
        raise TypeError(f"shifts must be a sequence of (rows, cols) pairs, got "
                        f"{_validate.shown(shifts)}")
    shifts = list(shifts)
    for i, pair in enumerate(shifts):
        if not (isinstance(pair, (tuple, list)) and len(pair) == 2):
            raise TypeError(f"shifts[{i}] must be a pair (rows, cols), got "
                            f"{_validate.shown(pair)}")
    copies = [images] + [shift_images(images, r, c) for r, c in shifts]
    return np.concatenate(copies), np.tile(labels, len(copies))


def data_loss_and_accuracy(model, x, y):
    """Cross-entropy of the data alone (no weight penalty) and accuracy of a logits model.

    Dropout is off (``training=False``). Returns ``(loss, accuracy)`` as floats. ``y`` must
    hold one integer label per example, each below the number of logits.

    Examples
    --------
    >>> class Fixed:  # any callable returning logits works
    ...     def __call__(self, x, training=False):
    ...         return np.log(np.array([[0.5, 0.5], [0.9, 0.1]]))
    >>> loss, acc = data_loss_and_accuracy(Fixed(), None, np.array([0, 0]))
    >>> round(loss, 4), acc
    (0.3993, 1.0)
    """
    _validate.function("model", model)
    logits = np.asarray(model(x, training=False), dtype=np.float64)
    if logits.ndim != 2:
        raise ValueError(f"model must return logits of shape (n, classes), got {logits.shape}")
    y = _validate.labels("y", y, logits.shape[1])
    _validate.same_length(("logits", "y"), logits, y)
    logits -= logits.max(axis=1, keepdims=True)
    log_p = logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))
    return float(-log_p[np.arange(len(y)), y].mean()), float((logits.argmax(1) == y).mean())


def record_training(model, x, y, x_val, y_val, steps, batch_size=32, eval_every=25, seed=0):
    """Train a compiled classifier for ``steps`` mini-batch steps, recording loss curves.

    The model must output logits (no softmax) for integer labels. The recorded
    losses are the cross-entropy of the data alone (any weight penalty left out),
    measured with dropout switched off, so that conditions compare fairly.

    Parameters
    ----------
    model : keras.Model, compiled
    x, y : training inputs and integer labels
    x_val, y_val : validation inputs and labels
    steps, batch_size, eval_every : int
    seed : int
        Order of the mini-batches (reshuffled every pass through the data).

    Returns
    -------
    dict
        ``step``, ``train_loss``, ``val_loss``, ``train_acc``, ``val_acc`` (arrays,
        one entry per evaluation, the first at step 0), ``best_step`` and
        ``best_weights`` (lowest validation loss: the early-stopped model).
    """
    _validate.keras_model("model", model)
    if getattr(model, "optimizer", None) is None:
        raise ValueError(f"model must be compiled before training, got {model.name!r} uncompiled")
    classes = model.output_shape[-1]
    x, x_val = check_inputs(model, x, "x"), check_inputs(model, x_val, "x_val")
    y, y_val = _validate.labels("y", y, classes), _validate.labels("y_val", y_val, classes)
    _validate.same_length(("x", "y"), x, y)
    _validate.same_length(("x_val", "y_val"), x_val, y_val)
    steps = _validate.integer("steps", steps, minimum=1)
    batch_size = _validate.integer("batch_size", batch_size, minimum=1)
    eval_every = _validate.integer("eval_every", eval_every, minimum=1)
    order = batch_order(len(x), steps, batch_size, _validate.seed("seed", seed))
    curves = {k: [] for k in ("step", "train_loss", "val_loss", "train_acc", "val_acc")}
    best = (np.inf, 0, model.get_weights())
    for step in range(steps + 1):
        if step % eval_every == 0 or step == steps:
            train_loss, train_acc = data_loss_and_accuracy(model, x, y)
            val_loss, val_acc = data_loss_and_accuracy(model, x_val, y_val)
            for key, value in zip(curves, (step, train_loss, val_loss, train_acc, val_acc),
                                  strict=True):
                curves[key].append(value)
            if val_loss < best[0]:
                best = (val_loss, step, model.get_weights())
        if step < steps:
            batch = order[step * batch_size:(step + 1) * batch_size]
            model.train_on_batch(x[batch], y[batch])
    result = {k: np.array(v) for k, v in curves.items()}
    result["best_step"], result["best_weights"] = best[1], best[2]
    return result
