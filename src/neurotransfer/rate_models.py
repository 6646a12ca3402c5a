"""From a spiking cell to a rate model: noise, spiking input, and ReLU/softplus fits of f–I curves.

A leaky integrate-and-fire cell (:mod:`neurotransfer.neurons`) has a sharp corner in its
firing-rate curve at the rheobase. With a noisy input current the corner is rounded
(:func:`noisy_lif_rates`), which a scaled softplus fits better than a ReLU (:func:`fit_relu`,
:func:`fit_softplus`). Driven by hundreds of Poisson inputs (:func:`poisson_input_current`,
:func:`lif_rate_of_current`), the cell's output rate is a function of the weighted sum of the
input rates: the rate model behind an artificial neuron. Units as in :mod:`neurotransfer.neurons`
(mV, ms, nA, MΩ; rates in Hz).

Examples
--------
>>> import numpy as np
>>> from neurotransfer import neurons
>>> i = np.linspace(0.0, 6.0, 61)
>>> fit = fit_relu(i, neurons.lif_rate(i))
>>> round(fit.slope, 1), round(fit.threshold, 2)   # the ReLU starts below the rheobase, 2 nA
(50.8, 1.21)
"""

from collections import namedtuple

import numpy as np

from neurotransfer import _validate, neurons

RateFit = namedtuple("RateFit", "slope threshold width rms")
RateFit.__doc__ = """Result of :func:`fit_relu` and :func:`fit_softplus`: ``slope`` (Hz/nA),
``threshold`` (nA), ``width`` (nA; 0 for a ReLU) and the ``rms`` error of the fit (Hz)."""


def _lif_settings(dt, tau, resistance, v_rest, v_reset, v_threshold, t_ref):
    """The checked LIF parameters (the same rules as the cell of :mod:`neurotransfer.neurons`)."""
    dt = _validate.positive("dt", dt)
    tau, resistance, v_rest, v_reset, v_threshold, t_ref = neurons._check_params(
        tau, resistance, v_rest, v_reset, v_threshold, t_ref)
    return dict(dt=dt, tau=tau, resistance=resistance, v_rest=v_rest, v_reset=v_reset,
                v_threshold=v_threshold, ref_steps=int(round(t_ref / dt)))


def _count_spikes(current_at, shape, n_steps, kick, rng, settings):
    """Forward Euler (Euler–Maruyama when ``kick > 0``) for LIF neurons; spike counts."""
    s = settings
    rate = s["dt"] / s["tau"]
    v = np.full(shape, s["v_rest"])
    hold = np.zeros(shape, dtype=int)
    counts = np.zeros(shape, dtype=int)
    for k in range(n_steps):
        free = hold == 0
        step_v = rate * (s["v_rest"] + s["resistance"] * current_at(k) - v)
        if kick > 0:
            step_v = step_v + kick * rng.standard_normal(shape)
        v = np.where(free, v + step_v, v)
        hold = np.where(free, 0, hold - 1)
        fired = v >= s["v_threshold"]
        counts += fired
        v = np.where(fired, s["v_reset"], v)
        hold = np.where(fired, s["ref_steps"], hold)
    return counts


def noisy_lif_rates(current, noise, *, duration=1000.0, dt=0.1, n_trials=50, seed=0, tau=8.0,
                    resistance=10.0, v_rest=-70.0, v_reset=-65.0, v_threshold=-50.0, t_ref=2.0):
    """Firing rates (Hz) of LIF neurons driven by a constant current plus Gaussian white noise.

    Each neuron obeys ``tau dV = (-(V - v_rest) + resistance * I) dt + resistance * noise *
    sqrt(2 tau) dW``, integrated by Euler–Maruyama from ``v_rest``, with the threshold, reset
    and refractory period of :func:`neurotransfer.neurons.simulate_lif`. Without a threshold the
    potential would fluctuate around ``v_rest + resistance * I`` with standard deviation
    ``resistance * noise``. All currents and trials are simulated together, one NumPy step for
    all of them.

    Parameters
    ----------
    current : float or 1-D array_like
        Mean input current(s) in nA.
    noise : float
        Standard deviation of the current noise in nA (``>= 0``; 0 gives the noise-free cell).
    duration, dt : float
        Simulated time and time step in ms.
    n_trials : int
        Independent runs per current.
    seed : int
        Seed of the noise.
    tau, resistance, v_rest, v_reset, v_threshold, t_ref : float
        As in :func:`neurotransfer.neurons.simulate_lif`.

    Returns
    -------
    numpy.ndarray
        Spike count divided by ``duration``, in Hz, shape ``current.shape + (n_trials,)``.

    Examples
    --------
    >>> rates = noisy_lif_rates([1.5, 3.0], noise=0.5, duration=200.0, n_trials=20)
    >>> rates.shape, bool(rates[0].mean() > 0), bool(rates[1].mean() > rates[0].mean())
    ((2, 20), True, True)
    """
    current = _validate.finite_array("current", current, ndim=(0, 1))
    noise = _validate.number("noise", noise, minimum=0.0)
    duration = _validate.positive("duration", duration)
    n_trials = _validate.integer("n_trials", n_trials, minimum=1)
    seed = _validate.integer("seed", seed, minimum=0)
    settings = _lif_settings(dt, tau, resistance, v_rest, v_reset, v_threshold, t_ref)
    if not settings["dt"] <= duration:
        raise ValueError(f"dt must not exceed duration, got dt={dt!r} and duration={duration!r}")
    shape = current.shape + (n_trials,)
    mean = np.broadcast_to(current[..., None], shape)
    kick = settings["resistance"] * noise * np.sqrt(2.0 * settings["dt"] / settings["tau"])
    n_steps = int(round(duration / settings["dt"]))
    counts = _count_spikes(lambda k: mean, shape, n_steps, kick, np.random.default_rng(seed),
                           settings)
    return 1000.0 * counts / (n_steps * settings["dt"])


def poisson_input_current(rates, weights, *, duration, dt, seed=0):
    """Input current (nA) made by presynaptic neurons that fire Poisson spike trains.

    Presynaptic neuron ``i`` fires at ``rates[..., i]`` Hz; each of its spikes delivers the
    charge ``weights[i]`` (pC = nA·ms; negative for an inhibitory synapse) within one time step.
    Averaged over time the current is ``rates @ weights / 1000`` nA: a weighted sum of rates.

    Parameters
    ----------
    rates : array_like, shape (n_inputs,) or (n_patterns, n_inputs)
        Presynaptic firing rates in Hz (``>= 0``), one row per input pattern.
    weights : array_like, shape (n_inputs,)
        Charge per spike of each synapse, in pC.
    duration, dt : float
        Length of the current and its time step, in ms.
    seed : int
        Seed of the spike trains.

    Returns
    -------
    numpy.ndarray
        Current in nA, shape ``rates.shape[:-1] + (n_steps,)``.

    Examples
    --------
    >>> i = poisson_input_current([[50.0, 50.0]], [0.4, -0.2], duration=20000.0, dt=0.1)
    >>> i.shape, round(float(i.mean()), 2)
    ((1, 200000), 0.01)
    """
    rates = _validate.finite_array("rates", rates, ndim=(1, 2))
    weights = _validate.finite_array("weights", weights, ndim=1)
    if rates.shape[-1] != weights.size:
        raise ValueError(f"rates must have one column per weight ({weights.size}), got shape "
                         f"{rates.shape}")
    if rates.min() < 0:
        raise ValueError(f"rates must be non-negative firing rates in Hz, got {rates.min()!r}")
    duration = _validate.positive("duration", duration)
    dt = _validate.positive("dt", dt)
    seed = _validate.integer("seed", seed, minimum=0)
    n_steps = int(round(duration / dt))
    if n_steps < 1:
        raise ValueError(f"dt must not exceed duration, got dt={dt!r} and duration={duration!r}")
    rng = np.random.default_rng(seed)
    patterns = rates.reshape(-1, weights.size)
    out = np.empty((len(patterns), n_steps))
    for row, pattern in zip(out, patterns, strict=True):
        counts = rng.poisson(pattern * n_steps * dt / 1000.0)
        source = np.repeat(np.arange(weights.size), counts)
        when = rng.integers(0, n_steps, size=source.size)
        row[:] = np.bincount(when, weights=weights[source], minlength=n_steps) / dt
    return out.reshape(rates.shape[:-1] + (n_steps,))


def lif_rate_of_current(current, dt, *, tau=8.0, resistance=10.0, v_rest=-70.0, v_reset=-65.0,
                        v_threshold=-50.0, t_ref=2.0):
    """Firing rates (Hz) of LIF neurons, each driven by its own time-varying current.

    Parameters
    ----------
    current : array_like, shape (..., n_steps)
        Input current in nA, one value per time step along the last axis.
    dt : float
        Time step in ms.
    tau, resistance, v_rest, v_reset, v_threshold, t_ref : float
        As in :func:`neurotransfer.neurons.simulate_lif`.

    Returns
    -------
    numpy.ndarray
        Spike count divided by the duration, in Hz, shape ``current.shape[:-1]``.

    Examples
    --------
    >>> lif_rate_of_current(np.full((2, 10000), 3.0), dt=0.1).tolist()
    [107.0, 107.0]
    """
    current = _validate.finite_array("current", current, ndim=(1, 2, 3))
    settings = _lif_settings(dt, tau, resistance, v_rest, v_reset, v_threshold, t_ref)
    n_steps = current.shape[-1]
    counts = _count_spikes(lambda k: current[..., k], current.shape[:-1], n_steps, 0.0, None,
                           settings)
    return 1000.0 * counts / (n_steps * settings["dt"])


def _fit_checked(current, rate):
    current = _validate.finite_array("current", current, ndim=1, min_size=3)
    rate = _validate.finite_array("rate", rate, ndim=1, min_size=3)
    _validate.same_length(("current", "rate"), current, rate)
    if np.ptp(current) == 0:
        raise ValueError("current must hold at least two different values")
    return current, rate


def _best_slope(basis, rate):
    """For each row of ``basis``, the least-squares slope and the RMS error of ``slope * row``."""
    norms = np.einsum("ij,ij->i", basis, basis)
    slope = np.where(norms > 0, basis @ rate / np.where(norms > 0, norms, 1.0), 0.0)
    rms = np.sqrt(np.mean((slope[:, None] * basis - rate) ** 2, axis=1))
    return slope, rms


def fit_relu(current, rate, *, threshold=None):
    """Least-squares fit of ``slope * max(0, current - threshold)`` to a rate curve.

    With ``threshold`` given only the slope is fitted; otherwise the threshold is searched on a
    grid of 2,001 values from ``min(current) - span`` to ``max(current)`` (``span`` being the
    range of the currents), the slope being a one-line least squares for each.

    Examples
    --------
    >>> i = np.linspace(0.0, 4.0, 41)
    >>> fit = fit_relu(i, 50.0 * np.maximum(0.0, i - 1.0))
    >>> round(fit.slope, 6), round(fit.threshold, 6), round(fit.rms, 6)
    (50.0, 1.0, 0.0)
    """
    current, rate = _fit_checked(current, rate)
    if threshold is None:
        span = np.ptp(current)
        thresholds = np.linspace(current.min() - span, current.max(), 2001)
    else:
        thresholds = np.array([_validate.number("threshold", threshold)])
    slope, rms = _best_slope(neurons.relu(current[None, :] - thresholds[:, None]), rate)
    j = int(np.argmin(rms))
    return RateFit(float(slope[j]), float(thresholds[j]), 0.0, float(rms[j]))


def _scaled_softplus(current, threshold, width):
    """``width * softplus((current - threshold) / width)`` as rows of a 2-D basis."""
    return width * neurons.softplus((current[None, :] - threshold) / width)


def fit_softplus(current, rate):
    """Least-squares fit of ``slope * width * softplus((current - threshold) / width)``.

    The scaled softplus tends to ``slope * max(0, current - threshold)`` as ``width`` shrinks,
    so it can only fit better than :func:`fit_relu`. Threshold and width are searched on a grid
    (401 thresholds as in :func:`fit_relu`, 121 widths from 0.001 to 1 times the range of the
    currents), then refined by Nelder–Mead; the slope is a least squares for each.

    Examples
    --------
    >>> i = np.linspace(-3.0, 3.0, 61)
    >>> fit = fit_softplus(i, 20.0 * 0.5 * neurons.softplus((i - 0.4) / 0.5))
    >>> round(fit.slope, 3), round(fit.threshold, 3), round(fit.width, 3), fit.rms < 1e-6
    (20.0, 0.4, 0.5, True)
    """
    from scipy.optimize import minimize

    current, rate = _fit_checked(current, rate)
    span = np.ptp(current)
    thresholds = np.linspace(current.min() - span, current.max(), 401)
    widths = span * np.geomspace(1e-3, 1.0, 121)
    best = (np.inf, 0.0, 0.0)
    for width in widths:
        _, rms = _best_slope(_scaled_softplus(current, thresholds[:, None], width), rate)
        j = int(np.argmin(rms))
        if rms[j] < best[0]:
            best = (rms[j], thresholds[j], width)

    def error(params):
        threshold, log_width = params
        width = np.exp(log_width)
        return _best_slope(_scaled_softplus(current, threshold, width), rate)[1][0]

    result = minimize(error, [best[1], np.log(best[2])], method="Nelder-Mead",
                      options=dict(xatol=1e-6, fatol=1e-9))
    threshold, width = (result.x[0], np.exp(result.x[1])) if result.fun < best[0] else best[1:]
    slope, rms = _best_slope(_scaled_softplus(current, threshold, width), rate)
    return RateFit(float(slope[0]), float(threshold), float(width), float(rms[0]))
