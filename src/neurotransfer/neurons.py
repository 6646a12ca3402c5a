"""Neurons, biological and artificial: a leaky integrate-and-fire cell and activation functions.

Units throughout: millivolts (mV), milliseconds (ms), nanoamperes (nA) and megaohms (MΩ), so that
``R·I`` is in mV. The default parameters are those of the exercises of Gerstner et al.,
*Neuronal Dynamics* (2014): rest −70 mV, reset −65 mV, threshold −50 mV, R = 10 MΩ, τ = 8 ms,
refractory period 2 ms. Reset differs from rest on purpose: it shows which closed form is right.
"""

from collections import namedtuple

import numpy as np

from neurotransfer import _validate

#: Default LIF parameters (mV, ms, MΩ): the keyword defaults of :func:`simulate_lif` and
#: :func:`lif_rate` (and of :func:`rheobase`), written out once more here for notebooks to show.
LIF_DEFAULTS = dict(tau=8.0, resistance=10.0, v_rest=-70.0, v_reset=-65.0, v_threshold=-50.0,
                    t_ref=2.0)

LIFTrace = namedtuple("LIFTrace", "time voltage spike_times")
LIFTrace.__doc__ = """Result of :func:`simulate_lif`: ``time`` (ms, shape ``(n_steps,)``),
``voltage`` (mV, shape ``current.shape + (n_steps,)``, or None when not recorded) and
``spike_times`` (ms: one array for a scalar current, else a list of arrays, one per current)."""


def _check_params(tau, resistance, v_rest, v_reset, v_threshold, t_ref):
    """The LIF parameters as floats, each finite; raises naming the first one that is not."""
    tau = _validate.positive("tau", tau)
    resistance = _validate.positive("resistance", resistance)
    v_rest = _validate.number("v_rest", v_rest)
    v_reset = _validate.number("v_reset", v_reset)
    v_threshold = _validate.number("v_threshold", v_threshold)
    t_ref = _validate.number("t_ref", t_ref, minimum=0)
    for other, value in (("v_reset", v_reset), ("v_rest", v_rest)):
        if not v_threshold > value:
            raise ValueError(f"v_threshold must be above {other}, got v_threshold={v_threshold!r} "
                             f"and {other}={value!r}")
    return tau, resistance, v_rest, v_reset, v_threshold, t_ref


def simulate_lif(current, duration, dt, *, tau=8.0, resistance=10.0, v_rest=-70.0,
                 v_reset=-65.0, v_threshold=-50.0, t_ref=2.0, record_voltage=True):
    """Simulate leaky integrate-and-fire neurons driven by constant currents (forward Euler).

    Each neuron obeys ``tau dV/dt = -(V - v_rest) + resistance * I``, starting at ``v_rest``.
    When ``V >= v_threshold`` a spike is recorded, ``V`` is set to ``v_reset`` and held there
    for ``t_ref``. All currents are simulated together, one NumPy step for all of them.

    Parameters
    ----------
    current : float or 1-D array_like
        Constant input current(s) in nA.
    duration, dt : float
        Simulated time and time step in ms (``0 < dt <= duration``). A positive ``t_ref``
        must last at least half a step: the refractory period is rounded to whole steps, and
        one that rounds to 0 steps would let the neuron fire too fast, so it raises
        ``ValueError`` (choose a smaller ``dt``).
    tau, resistance, v_rest, v_reset, v_threshold, t_ref : float
        Membrane time constant (ms), resistance (MΩ), resting, reset and threshold potentials
        (mV) and refractory period (ms); defaults in :data:`LIF_DEFAULTS`.
    record_voltage : bool
        Keep the whole voltage trace (set False for long runs of many currents).

    Returns
    -------
    LIFTrace

    Examples
    --------
    >>> trace = simulate_lif([1.0, 3.0], duration=100.0, dt=0.1)
    >>> trace.voltage.shape, [len(s) for s in trace.spike_times]
    ((2, 1000), [0, 10])
    """
    tau, resistance, v_rest, v_reset, v_threshold, t_ref = _check_params(
        tau, resistance, v_rest, v_reset, v_threshold, t_ref)
    duration = _validate.positive("duration", duration)
    dt = _validate.positive("dt", dt)
    if not dt <= duration:
        raise ValueError(f"dt must not exceed duration, got dt={dt!r} and duration={duration!r}")
    current = _validate.finite_array("current", current, ndim=(0, 1))
    record_voltage = _validate.flag("record_voltage", record_voltage)
    n_steps = int(round(duration / dt))
    ref_steps = int(round(t_ref / dt))
    if t_ref > 0 and ref_steps == 0:
        raise ValueError(f"dt must be at most twice t_ref so that the refractory period lasts at "
                         f"least one step, got dt={dt!r} and t_ref={t_ref!r} (0 steps)")
    time = dt * np.arange(1, n_steps + 1)
    drive = v_rest + resistance * current           # the voltage each neuron relaxes towards
    v = np.full(current.shape, float(v_rest))
    refractory = np.zeros(current.shape, dtype=int)  # steps left to hold at v_reset
    voltage = np.empty(current.shape + (n_steps,)) if record_voltage else None
    spikes = []
    for k in range(n_steps):
        free = refractory == 0
        v = np.where(free, v + dt / tau * (drive - v), v)
        refractory = np.where(free, 0, refractory - 1)
        fired = v >= v_threshold
        if fired.any():
            spikes.append((k, fired.copy()))
            v = np.where(fired, v_reset, v)
            refractory = np.where(fired, ref_steps, refractory)
        if record_voltage:
            voltage[..., k] = v
    steps = np.array([k for k, _ in spikes], dtype=int)
    masks = np.array([m for _, m in spikes], dtype=bool).reshape(len(spikes), *current.shape)
    if current.ndim == 0:
        spike_times = time[steps[masks]]
    else:
        spike_times = [time[steps[masks[:, i]]] for i in range(current.size)]
    return LIFTrace(time, voltage, spike_times)


def rate_from_spikes(spike_times):
    """Firing rate in Hz from one neuron's spike times (ms): one over the mean interspike interval.

    Returns 0 with fewer than two spikes. Measuring between spikes (not counting spikes in a
    window) avoids the error of a partial interval at either end. The times must be finite
    and strictly increasing (``ValueError`` otherwise).

    Examples
    --------
    >>> rate_from_spikes([10.0, 20.0, 30.0])
    100.0
    """
    spike_times = _validate.finite_array("spike_times", spike_times, ndim=1, min_size=0)
    if np.any(np.diff(spike_times) <= 0):
        raise ValueError("spike_times must be strictly increasing, got a step of "
                         f"{float(np.diff(spike_times).min())!r} ms")
    if spike_times.size < 2:
        return 0.0
    return float(1000.0 * (spike_times.size - 1) / (spike_times[-1] - spike_times[0]))


def rheobase(*, resistance=10.0, v_rest=-70.0, v_threshold=-50.0):
    """Smallest constant current (nA) that makes a LIF neuron fire: ``(v_threshold - v_rest) / R``.

    Examples
    --------
    >>> rheobase()
    2.0
    """
    resistance = _validate.positive("resistance", resistance)
    v_rest = _validate.number("v_rest", v_rest)
    v_threshold = _validate.number("v_threshold", v_threshold)
    if not v_threshold > v_rest:
        raise ValueError(f"v_threshold must be above v_rest, got v_threshold={v_threshold!r} "
                         f"and v_rest={v_rest!r}")
    return (v_threshold - v_rest) / resistance


def lif_rate(current, *, tau=8.0, resistance=10.0, v_rest=-70.0, v_reset=-65.0,
             v_threshold=-50.0, t_ref=2.0):
    """Closed-form firing rate (Hz) of a LIF neuron under constant current (nA); 0 below rheobase.

    Above rheobase the interspike interval is
    ``t_ref + tau * ln((v_rest + R I - v_reset) / (v_rest + R I - v_threshold))``.

    Examples
    --------
    >>> lif_rate([1.0, 3.0]).round(1)
    array([  0. , 107.2])
    """
    tau, resistance, v_rest, v_reset, v_threshold, t_ref = _check_params(
        tau, resistance, v_rest, v_reset, v_threshold, t_ref)
    current = _validate.finite_array("current", current)
    drive = v_rest + resistance * current
    above = drive > v_threshold
    safe = np.where(above, drive, v_threshold + 1.0)   # avoid log of non-positive numbers
    interval = t_ref + tau * np.log((safe - v_reset) / (safe - v_threshold))
    return np.where(above, 1000.0 / interval, 0.0)


# ---- activation functions and their derivatives (element-wise, NumPy in, NumPy out) ----
# Each takes a finite number or array (NaN and infinity raise ValueError) and returns floats.

def _z(z):
    return _validate.finite_array("z", z)


def step(z):
    """Heaviside step: 1 where ``z > 0``, else 0. Its derivative is 0 wherever it exists."""
    return (_z(z) > 0).astype(float)


def step_derivative(z):
    """0 everywhere (the step's derivative, taking 0 at the jump, as autodiff does)."""
    return np.zeros_like(_z(z))


def sigmoid(z):
    """Logistic function ``1 / (1 + exp(-z))``, accurate to a few ulps for every finite ``z``.

    Written with ``e = exp(-|z|)`` (never overflows): ``1 / (1 + e)`` for ``z >= 0`` and
    ``e / (1 + e)`` for ``z < 0``, so tiny values keep their relative precision.

    Examples
    --------
    >>> float(sigmoid(-40.0))
    4.248354255291589e-18
    """
    z = _z(z)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0, e) / (1.0 + e)


def sigmoid_derivative(z):
    """``sigmoid(z) * (1 - sigmoid(z))``, computed as ``e / (1 + e)**2`` with ``e = exp(-|z|)``.

    The same value without the cancellation in ``1 - sigmoid(z)`` for large ``z``.

    Examples
    --------
    >>> float(sigmoid_derivative(0.0)), float(sigmoid_derivative(40.0))
    (0.25, 4.248354255291589e-18)
    """
    e = np.exp(-np.abs(_z(z)))
    return e / (1.0 + e) ** 2


def tanh(z):
    """Hyperbolic tangent."""
    return np.tanh(_z(z))


def tanh_derivative(z):
    """``1 - tanh(z)**2``, computed as ``4e / (1 + e)**2`` with ``e = exp(-2|z|)``.

    The same value without the cancellation in ``1 - tanh(z)**2`` for large ``|z|``.

    Examples
    --------
    >>> float(tanh_derivative(0.0)), float(tanh_derivative(20.0))
    (1.0, 1.6993417021166355e-17)
    """
    e = np.exp(-2.0 * np.abs(_z(z)))
    return 4.0 * e / (1.0 + e) ** 2


def relu(z):
    """Rectified linear unit ``max(0, z)``."""
    return np.maximum(0.0, _z(z))


def relu_derivative(z):
    """1 where ``z > 0``, else 0 (0 at the kink, as TensorFlow takes it)."""
    return (_z(z) > 0).astype(float)


def softplus(z):
    """``log(1 + exp(z))``, a smooth ReLU, computed without overflow."""
    return np.logaddexp(0.0, _z(z))


def softplus_derivative(z):
    """The derivative of softplus is the sigmoid."""
    return sigmoid(z)


def softmax(z, axis=-1):
    """``exp(z) / sum(exp(z))`` along ``axis``; shifting by the maximum avoids overflow.

    ``z`` must be finite (an infinite logit has no softmax that sums to 1 in floating point).

    Examples
    --------
    >>> softmax([0.0, 0.0]).tolist()
    [0.5, 0.5]
    """
    z = _z(z)
    if z.ndim == 0:
        raise ValueError("z must have at least 1 dimension for softmax, got a single number")
    axis = _validate.integer("axis", axis, minimum=-z.ndim, maximum=z.ndim - 1)
    e = np.exp(z - z.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def softmax_jacobian(z):
    """Jacobian ``diag(p) - p pᵀ`` of softmax over the last axis; shape ``z.shape + (k,)``.

    Examples
    --------
    >>> softmax_jacobian([0.0, 0.0]).tolist()
    [[0.25, -0.25], [-0.25, 0.25]]
    """
    p = softmax(z)
    return p[..., :, None] * (np.eye(p.shape[-1]) - p[..., None, :])


#: The element-wise activations by name, each with its derivative.
ACTIVATIONS = {
    "step": (step, step_derivative),
    "sigmoid": (sigmoid, sigmoid_derivative),
    "tanh": (tanh, tanh_derivative),
    "relu": (relu, relu_derivative),
    "softplus": (softplus, softplus_derivative),
}


# ---- noise, synaptic input and rate-curve fits: from a spiking cell to a rate model ----

RateFit = namedtuple("RateFit", "slope threshold width rms")
RateFit.__doc__ = """Result of :func:`fit_relu` and :func:`fit_softplus`: ``slope`` (Hz/nA),
``threshold`` (nA), ``width`` (nA; 0 for a ReLU) and the ``rms`` error of the fit (Hz)."""


def _lif_settings(dt, tau, resistance, v_rest, v_reset, v_threshold, t_ref):
    from neurotransfer import _validate

    dt = _validate.positive("dt", dt)
    tau = _validate.positive("tau", tau)
    resistance = _validate.positive("resistance", resistance)
    v_rest = _validate.number("v_rest", v_rest)
    v_reset = _validate.number("v_reset", v_reset)
    v_threshold = _validate.number("v_threshold", v_threshold)
    if not v_threshold > v_reset:
        raise ValueError(f"v_threshold must be above v_reset, got v_threshold={v_threshold!r} "
                         f"and v_reset={v_reset!r}")
    t_ref = _validate.number("t_ref", t_ref, minimum=0.0)
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
    and refractory period of :func:`simulate_lif`. Without a threshold the potential would
    fluctuate around ``v_rest + resistance * I`` with standard deviation ``resistance * noise``.
    All currents and trials are simulated together, one NumPy step for all of them.

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
        As in :func:`simulate_lif`.

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
    from neurotransfer import _validate

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
    from neurotransfer import _validate

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
        As in :func:`simulate_lif`.

    Returns
    -------
    numpy.ndarray
        Spike count divided by the duration, in Hz, shape ``current.shape[:-1]``.

    Examples
    --------
    >>> lif_rate_of_current(np.full((2, 10000), 3.0), dt=0.1).tolist()
    [107.0, 107.0]
    """
    from neurotransfer import _validate

    current = _validate.finite_array("current", current, ndim=(1, 2, 3))
    settings = _lif_settings(dt, tau, resistance, v_rest, v_reset, v_threshold, t_ref)
    n_steps = current.shape[-1]
    counts = _count_spikes(lambda k: current[..., k], current.shape[:-1], n_steps, 0.0, None,
                           settings)
    return 1000.0 * counts / (n_steps * settings["dt"])


def _fit_checked(current, rate):
    from neurotransfer import _validate

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
        from neurotransfer import _validate

        thresholds = np.array([_validate.number("threshold", threshold)])
    slope, rms = _best_slope(relu(current[None, :] - thresholds[:, None]), rate)
    j = int(np.argmin(rms))
    return RateFit(float(slope[j]), float(thresholds[j]), 0.0, float(rms[j]))


def fit_softplus(current, rate):
    """Least-squares fit of ``slope * width * softplus((current - threshold) / width)``.

    The scaled softplus tends to ``slope * max(0, current - threshold)`` as ``width`` shrinks,
    so it can only fit better than :func:`fit_relu`. Threshold and width are searched on a grid
    (401 thresholds as in :func:`fit_relu`, 121 widths from 0.001 to 1 times the range of the
    currents), then refined by Nelder–Mead; the slope is a least squares for each.

    Examples
    --------
    >>> i = np.linspace(-3.0, 3.0, 61)
    >>> fit = fit_softplus(i, 20.0 * 0.5 * softplus((i - 0.4) / 0.5))
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
        _, rms = _best_slope(width * softplus((current[None, :] - thresholds[:, None]) / width),
                             rate)
        j = int(np.argmin(rms))
        if rms[j] < best[0]:
            best = (rms[j], thresholds[j], width)

    def error(params):
        threshold, log_width = params
        width = np.exp(log_width)
        return _best_slope(width * softplus((current[None, :] - threshold) / width), rate)[1][0]

    result = minimize(error, [best[1], np.log(best[2])], method="Nelder-Mead",
                      options=dict(xatol=1e-6, fatol=1e-9))
    threshold, width = (result.x[0], np.exp(result.x[1])) if result.fun < best[0] else best[1:]
    slope, rms = _best_slope(width * softplus((current[None, :] - threshold) / width), rate)
    return RateFit(float(slope[0]), float(threshold), float(width), float(rms[0]))
