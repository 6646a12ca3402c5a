"""Overfitting and its remedies: shifted copies of images and a training run with curves.

:func:`augment_with_shifts` enlarges a training set with images moved by one
pixel (the label does not change when a digit moves). :func:`record_training`
trains a compiled Keras classifier step by step and records training and
validation loss along the way, keeping the weights with the lowest validation
loss: early stopping comes for free from the same run.
"""

import numpy as np

from neurotransfer.training import batch_order

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
    images = np.asarray(images)
    if images.ndim != 3:
        raise ValueError(f"images must have shape (n, height, width), got {images.shape}")
    height, width = images.shape[1:]
    for name, value, size in (("rows", rows, height), ("cols", cols, width)):
        if isinstance(value, bool) or int(value) != value or abs(value) >= size:
            raise ValueError(f"{name} must be an integer with |{name}| < {size}, got {value!r}")
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
    images, labels = np.asarray(images), np.asarray(labels)
    if len(images) != len(labels):
        raise ValueError(
            f"images and labels must have the same length, got {len(images)} and {len(labels)}"
        )
    copies = [images] + [shift_images(images, r, c) for r, c in shifts]
    return np.concatenate(copies), np.tile(labels, len(copies))


def data_loss_and_accuracy(model, x, y):
    """Cross-entropy of the data alone (no weight penalty) and accuracy of a logits model.

    Dropout is off (``training=False``). Returns ``(loss, accuracy)`` as floats.

    Examples
    --------
    >>> class Fixed:  # any callable returning logits works
    ...     def __call__(self, x, training=False):
    ...         return np.log(np.array([[0.5, 0.5], [0.9, 0.1]]))
    >>> loss, acc = data_loss_and_accuracy(Fixed(), None, np.array([0, 0]))
    >>> round(loss, 4), acc
    (0.3993, 1.0)
    """
    logits = np.asarray(model(x, training=False), dtype=np.float64)
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
    x, y, x_val, y_val = (np.asarray(a) for a in (x, y, x_val, y_val))
    if len(x) != len(y) or len(x_val) != len(y_val):
        raise ValueError(
            f"inputs and labels must pair up, got {len(x)}/{len(y)} training and "
            f"{len(x_val)}/{len(y_val)} validation examples"
        )
    for name, value in (("steps", steps), ("batch_size", batch_size), ("eval_every", eval_every)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
            raise ValueError(f"{name} must be a positive integer, got {value!r}")
    order = batch_order(len(x), steps, batch_size, seed)
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
