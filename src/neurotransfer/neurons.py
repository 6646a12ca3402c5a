"""Neurons, biological and artificial: a leaky integrate-and-fire cell and activation functions.

Units throughout: millivolts (mV), milliseconds (ms), nanoamperes (nA) and megaohms (MΩ), so that
``R·I`` is in mV. The default parameters are those of the exercises of Gerstner et al.,
*Neuronal Dynamics* (2014): rest −70 mV, reset −65 mV, threshold −50 mV, R = 10 MΩ, τ = 8 ms,
refractory period 2 ms. Reset differs from rest on purpose: it shows which closed form is right.
The noisy cell, its rate-model limit and the ReLU/softplus fits of its f–I curve are in
:mod:`neurotransfer.rate_models`.
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
