"""Choosing a learning rate: the range test (Smith 2017) and learning-rate schedules.

The range test trains a model for a few hundred steps while the learning rate
grows exponentially, and records the loss at every step. The loss first barely
moves (rate too small), then falls (useful rates), then turns ragged and blows
up (rate too large). This module smooths that curve, reads a range off it, and
provides the schedules (step, cosine, warm-up) the course compares.
"""

import numpy as np

from neurotransfer import _validate


def _steps(step, whole):
    """Schedule positions: finite and >= 0 (and whole numbers when ``whole``)."""
    step = _validate.finite_array("step", step)
    if step.size and step.min() < 0:
        raise ValueError(f"step must be >= 0, got {float(step.min())!r}")
    if whole and not np.all(step == np.round(step)):
        raise ValueError(f"step must hold whole numbers, got e.g. "
                         f"{float(step[step != np.round(step)][0])!r}")
    return step


def exponential_rates(lr_min, lr_max, steps):
    """``steps`` learning rates growing by the same factor each step from ``lr_min`` to ``lr_max``.

    Examples
    --------
    >>> exponential_rates(1e-3, 1e1, 5)
    array([1.e-03, 1.e-02, 1.e-01, 1.e+00, 1.e+01])
    """
    lr_min = _validate.positive("lr_min", lr_min)
    lr_max = _validate.positive("lr_max", lr_max)
    steps = _validate.integer("steps", steps, minimum=2)
    if lr_max <= lr_min:
        raise ValueError(f"lr_max must exceed lr_min, got lr_min={lr_min}, lr_max={lr_max}")
    return np.geomspace(lr_min, lr_max, steps)


def smooth(values, beta=0.9):
    """Exponential moving average with bias correction (the first values are not pulled to 0).

    Examples
    --------
    >>> smooth([4.0, 4.0, 4.0], beta=0.9)
    array([4., 4., 4.])
    """
    values = _validate.finite_array("values", values, ndim=1)
    beta = _validate.fraction("beta", beta, open_low=False)
    out, average = np.empty_like(values), 0.0
    for i, v in enumerate(values):
        average = beta * average + (1 - beta) * v
        out[i] = average / (1 - beta ** (i + 1))
    return out


def suggest_range(rates, losses, beta=0.9, start_fraction=0.1):
    """Read a range of useful learning rates off a range test.

    The smoothed loss ``s`` starts at ``s[0]`` and reaches its minimum ``s_min``
    at some rate. The range starts where the loss has made ``start_fraction`` of
    its total fall (the loss *starts* falling) and ends at the minimum (the loss
    *stops* falling; beyond it, it turns ragged and diverges). The rates must be
    finite and positive; the losses may turn NaN or infinite once the run
    diverges, and the steps from the first such loss on are ignored.

    Parameters
    ----------
    rates, losses : 1-D arrays of the same length
        Learning rate used at each step and the loss of that step's batch.
    beta : float
        Smoothing, see :func:`smooth`.
    start_fraction : float in (0, 1)

    Returns
    -------
    (low, high) : tuple of float

    Examples
    --------
    >>> rates = exponential_rates(1e-4, 1e2, 61)
    >>> losses = 2 / (1 + rates) + np.where(rates > 3, (rates - 3) ** 2, 0)
    >>> low, high = suggest_range(rates, losses, beta=0.0)
    >>> round(float(low), 3), round(float(high), 2)
    (0.1, 3.16)
    """
    rates = _validate.finite_array("rates", rates, ndim=1, min_size=3)
    if rates.min() <= 0:
        raise ValueError(f"rates must be positive learning rates, got {float(rates.min())!r}")
    try:
        losses = np.asarray(losses, dtype=float)
    except (TypeError, ValueError) as error:
        raise TypeError(f"losses must be an array of real numbers, got "
                        f"{_validate.shown(losses)}") from error
    if losses.shape != rates.shape:
        raise ValueError(f"rates and losses must have the same shape, got {rates.shape} and "
                         f"{losses.shape}")
    beta = _validate.fraction("beta", beta, open_low=False)
    start_fraction = _validate.fraction("start_fraction", start_fraction)
    finite = np.isfinite(losses)
    n = len(losses) if finite.all() else int(np.argmin(finite))
    if n < 3:
        raise ValueError(f"the loss must be finite for at least 3 steps, got {n}")
    s = smooth(losses[:n], beta)
    best = int(np.argmin(s))
    fallen = s[: best + 1] <= s[0] - start_fraction * (s[0] - s[best])
    return float(rates[int(np.argmax(fallen))]), float(rates[best])


def step_decay(step, lr, every, factor=0.1):
    """Constant rate, multiplied by ``factor`` after every ``every`` steps.

    ``step`` holds whole numbers >= 0, ``lr`` > 0 and ``0 < factor <= 1``, so every rate is
    positive (until it underflows) and never above ``lr``.

    Examples
    --------
    >>> step_decay(np.array([0, 99, 100, 250]), lr=0.5, every=100)
    array([0.5  , 0.5  , 0.05 , 0.005])
    """
    step = _steps(step, whole=True)
    lr = _validate.positive("lr", lr)
    every = _validate.integer("every", every, minimum=1)
    factor = _validate.fraction("factor", factor, open_high=False)
    return lr * factor ** (step // every)


def cosine_decay(step, lr, total, warmup=0):
    """Linear warm-up from 0 to ``lr`` over ``warmup`` steps, then half a cosine down to 0.

    Loshchilov & Hutter (2017) decay along a cosine; Goyal et al. (2017) warm up
    linearly. With ``warmup=0`` this is the plain cosine schedule. ``step`` must be finite
    and >= 0; steps beyond ``total`` get 0. Every rate lies in ``[0, lr]``.

    Examples
    --------
    >>> cosine_decay(np.array([0, 50, 100]), lr=1.0, total=100)
    array([1. , 0.5, 0. ])
    >>> cosine_decay(np.array([0, 5, 10]), lr=1.0, total=110, warmup=10)
    array([0. , 0.5, 1. ])
    """
    step = _steps(step, whole=False)
    lr = _validate.positive("lr", lr)
    total = _validate.integer("total", total, minimum=1)
    warmup = _validate.integer("warmup", warmup, minimum=0)
    if warmup >= total:
        raise ValueError(f"warmup must be shorter than total, got warmup={warmup}, total={total}")
    step = np.minimum(step, total)
    ramp = lr * step / max(warmup, 1)
    progress = (step - warmup) / (total - warmup)
    decay = lr * 0.5 * (1 + np.cos(np.pi * progress))
    return np.where(step < warmup, ramp, decay)
