"""Loss functions written out in NumPy, each matching its ``keras.losses`` counterpart.

Every loss returns one number: the mean over the batch, which is Keras' default
reduction (``"sum_over_batch_size"``). Inputs are checked strictly: a wrong
shape, an empty array, NaN or infinity, a label out of range or probabilities
that are not probabilities raise :class:`ValueError`, and complex or non-numeric
arrays :class:`TypeError`, saying what was expected.
"""

import numpy as np

from neurotransfer import _validate, neurons

#: Keras clips probabilities to ``[EPSILON, 1 - EPSILON]`` before taking logarithms.
EPSILON = 1e-7
#: How far a row of probabilities may sum away from 1 (float32 softmax rounds).
SUM_TOLERANCE = 1e-4


def _eps(eps):
    eps = _validate.number("eps", eps, minimum=0)
    if not eps < 0.5:
        raise ValueError(f"eps must be a clipping margin in [0, 0.5), got {eps!r}")
    return eps


def _pair(y_true, y_pred):
    y_true = _validate.finite_array("y_true", y_true)
    y_pred = _validate.finite_array("y_pred", y_pred)
    _same_shape("y_true", y_true, "y_pred", y_pred)
    return y_true, y_pred


def _same_shape(a_name, a, b_name, b):
    if a.shape != b.shape:
        raise ValueError(f"{a_name} and {b_name} must have the same shape, "
                         f"got {a.shape} and {b.shape}")


def _probabilities(name, p, rows=False):
    _validate.probabilities(name, p)
    if rows:
        if p.ndim < 2:
            raise ValueError(f"{name} must have shape (n, classes), got shape {p.shape}")
        worst = float(np.max(np.abs(p.sum(axis=-1) - 1)))
        if worst > SUM_TOLERANCE:
            raise ValueError(f"each row of {name} must sum to 1 (within {SUM_TOLERANCE}), "
                             f"but one is off by {worst:.3g}")
    return p


def _targets(labels, scores, scores_name):
    """One-hot targets from integer labels (shape ``(n,)``) or from one-hot rows."""
    labels = _validate.finite_array("labels", labels)
    if scores.ndim < 2:
        raise ValueError(f"{scores_name} must have shape (n, classes), got shape {scores.shape}")
    classes = scores.shape[-1]
    if labels.shape == scores.shape[:-1]:  # integer class labels
        flat = _validate.labels("labels", labels.ravel(), classes)
        return np.eye(classes)[flat.reshape(labels.shape)]
    if labels.shape == scores.shape:  # one-hot (or any distribution over the classes)
        return _probabilities("labels", labels, rows=True)
    raise ValueError(f"labels must have shape {scores.shape[:-1]} (integer labels) or "
                     f"{scores.shape} (one-hot), got {labels.shape}")


def mse(y_true, y_pred):
    """Mean squared error, like ``keras.losses.MeanSquaredError()``.

    Examples
    --------
    >>> mse([1.0, 2.0], [1.0, 4.0])
    2.0
    """
    y_true, y_pred = _pair(y_true, y_pred)
    return float(np.mean((y_pred - y_true) ** 2))


def mae(y_true, y_pred):
    """Mean absolute error, like ``keras.losses.MeanAbsoluteError()``.

    Examples
    --------
    >>> mae([1.0, 2.0], [1.0, 4.0])
    1.0
    """
    y_true, y_pred = _pair(y_true, y_pred)
    return float(np.mean(np.abs(y_pred - y_true)))


def huber(y_true, y_pred, delta=1.0):
    """Huber loss: squared for errors up to ``delta``, linear beyond, like ``keras.losses.Huber``.

    Per element, with error ``e``: ``e**2 / 2`` if ``|e| <= delta``, else
    ``delta * (|e| - delta / 2)``.

    Examples
    --------
    >>> huber([0.0, 0.0], [0.5, 3.0])   # (0.125 + 2.5) / 2
    1.3125
    """
    delta = _validate.positive("delta", delta)
    y_true, y_pred = _pair(y_true, y_pred)
    error = np.abs(y_pred - y_true)
    per_element = np.where(error <= delta, 0.5 * error**2, delta * (error - 0.5 * delta))
    return float(np.mean(per_element))


def binary_cross_entropy(y_true, p, eps=EPSILON):
    """Binary cross-entropy from probabilities, like ``keras.losses.BinaryCrossentropy()``.

    ``p`` is clipped to ``[eps, 1 - eps]`` as Keras does (``0 <= eps < 0.5``); ``eps=0``
    gives the raw formula, which is infinite when a probability of 0 is given to what
    happened.

    Examples
    --------
    >>> round(binary_cross_entropy([1, 0], [0.9, 0.2]), 4)   # -(log 0.9 + log 0.8) / 2
    0.1643
    """
    eps = _eps(eps)
    y_true, p = _validate.finite_array("y_true", y_true), _validate.finite_array("p", p)
    _same_shape("y_true", y_true, "p", p)
    _probabilities("y_true", y_true)
    p = np.clip(_probabilities("p", p), eps, 1 - eps)
    with np.errstate(divide="ignore", invalid="ignore"):
        loss = -(y_true * np.log(p) + (1 - y_true) * np.log(1 - p))
    return float(np.mean(np.nan_to_num(loss, nan=0.0, posinf=np.inf)))


def cross_entropy(labels, probs, eps=EPSILON):
    """Categorical cross-entropy from probabilities: ``mean(-log probs[label])``.

    ``labels`` are integers of shape ``(n,)`` (like ``SparseCategoricalCrossentropy``)
    or one-hot rows of shape ``(n, classes)`` (like ``CategoricalCrossentropy``).
    ``probs`` is clipped to ``[eps, 1 - eps]`` as Keras does (``0 <= eps < 0.5``); ``eps=0``
    disables it.

    Examples
    --------
    >>> probs = [[0.7, 0.2, 0.1], [0.1, 0.1, 0.8]]
    >>> round(cross_entropy([0, 2], probs), 4)   # -(log 0.7 + log 0.8) / 2
    0.2899
    >>> cross_entropy([[1, 0, 0], [0, 0, 1]], probs) == cross_entropy([0, 2], probs)
    True
    """
    eps = _eps(eps)
    probs = _probabilities("probs", _validate.finite_array("probs", probs), rows=True)
    targets = _targets(labels, probs, "probs")
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(targets > 0, targets * np.log(np.clip(probs, eps, 1 - eps)), 0.0)
    return float(np.mean(-terms.sum(axis=-1)))


def softmax(logits):
    """Softmax over the last axis, computed stably by subtracting each row's maximum.

    Examples
    --------
    >>> softmax([[0.0, 0.0], [1000.0, 0.0]]).round(3).tolist()
    [[0.5, 0.5], [1.0, 0.0]]
    """
    # checked here, computed in one place
    return neurons.softmax(_validate.finite_array("logits", logits))


def log_softmax(logits):
    """``log(softmax(logits))`` via log-sum-exp: finite even for extreme logits.

    Examples
    --------
    >>> log_softmax([[1000.0, 0.0]]).tolist()
    [[0.0, -1000.0]]
    """
    logits = _validate.finite_array("logits", logits)
    top = logits.max(axis=-1, keepdims=True)
    return logits - top - np.log(np.exp(logits - top).sum(axis=-1, keepdims=True))


def cross_entropy_from_logits(labels, logits):
    """Cross-entropy of ``softmax(logits)``, computed with log-sum-exp.

    Matches ``keras.losses.CategoricalCrossentropy(from_logits=True)`` (one-hot
    labels) and ``SparseCategoricalCrossentropy(from_logits=True)`` (integer labels).

    Examples
    --------
    >>> cross_entropy_from_logits([1], [[1000.0, 0.0]])   # the naive route gives inf
    1000.0
    """
    logits = _validate.finite_array("logits", logits)
    targets = _targets(labels, logits, "logits")
    return float(np.mean(-(targets * log_softmax(logits)).sum(axis=-1)))


def cross_entropy_gradient(labels, logits):
    """Gradient of :func:`cross_entropy_from_logits` with respect to the logits.

    For one example it is ``softmax(logits) - y``; the batch mean divides it by ``n``.

    Examples
    --------
    >>> cross_entropy_gradient([0], [[0.0, 0.0]]).tolist()
    [[-0.5, 0.5]]
    """
    logits = _validate.finite_array("logits", logits)
    targets = _targets(labels, logits, "logits")
    return (softmax(logits) - targets) / (logits.size // logits.shape[-1])
