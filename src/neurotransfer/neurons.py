"""Neurons, biological and artificial: a leaky integrate-and-fire cell and activation functions.

Units throughout: millivolts (mV), milliseconds (ms), nanoamperes (nA) and megaohms (MΩ), so that
``R·I`` is in mV. The default parameters are those of the exercises of Gerstner et al.,
*Neuronal Dynamics* (2014): rest −70 mV, reset −65 mV, threshold −50 mV, R = 10 MΩ, τ = 8 ms,
refractory period 2 ms. Reset differs from rest on purpose: it shows which closed form is right.
"""

from collections import namedtuple

import numpy as np

#: Default LIF parameters (mV, ms, MΩ): the keyword defaults of :func:`simulate_lif` and
#: :func:`lif_rate` (and of :func:`rheobase`), written out once more here for notebooks to show.
LIF_DEFAULTS = dict(tau=8.0, resistance=10.0, v_rest=-70.0, v_reset=-65.0, v_threshold=-50.0,
                    t_ref=2.0)

LIFTrace = namedtuple("LIFTrace", "time voltage spike_times")
LIFTrace.__doc__ = """Result of :func:`simulate_lif`: ``time`` (ms, shape ``(n_steps,)``),
``voltage`` (mV, shape ``current.shape + (n_steps,)``, or None when not recorded) and
``spike_times`` (ms: one array for a scalar current, else a list of arrays, one per current)."""


def _check_params(tau, resistance, v_reset, v_threshold, t_ref):
    if not tau > 0:
        raise ValueError(f"tau must be a positive time constant in ms, got {tau!r}")
    if not resistance > 0:
        raise ValueError(f"resistance must be positive (MΩ), got {resistance!r}")
    if not v_threshold > v_reset:
        raise ValueError(f"v_threshold must be above v_reset, got v_threshold={v_threshold!r} "
                         f"and v_reset={v_reset!r}")
    if not t_ref >= 0:
        raise ValueError(f"t_ref must be a non-negative refractory period in ms, got {t_ref!r}")


def _check_current(current):
    current = np.asarray(current, dtype=float)
    if not np.all(np.isfinite(current)):
        raise ValueError(f"current must be finite numbers (nA), got NaN or inf in {current!r}")
    return current


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
        Simulated time and time step in ms (``0 < dt <= duration``).
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
    _check_params(tau, resistance, v_reset, v_threshold, t_ref)
    if not dt > 0:
        raise ValueError(f"dt must be a positive time step in ms, got {dt!r}")
    if not dt <= duration:
        raise ValueError(f"dt must not exceed duration, got dt={dt!r} and duration={duration!r}")
    current = _check_current(current)
    if current.ndim > 1:
        raise ValueError(f"current must be a number or a 1-D array, got shape {current.shape}")
    n_steps = int(round(duration / dt))
    ref_steps = int(round(t_ref / dt))
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
    window) avoids the error of a partial interval at either end.

    Examples
    --------
    >>> rate_from_spikes([10.0, 20.0, 30.0])
    100.0
    """
    spike_times = np.asarray(spike_times, dtype=float)
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
    if not resistance > 0:
        raise ValueError(f"resistance must be positive (MΩ), got {resistance!r}")
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
    _check_params(tau, resistance, v_reset, v_threshold, t_ref)
    current = _check_current(current)
    drive = v_rest + resistance * current
    above = drive > v_threshold
    safe = np.where(above, drive, v_threshold + 1.0)   # avoid log of non-positive numbers
    interval = t_ref + tau * np.log((safe - v_reset) / (safe - v_threshold))
    return np.where(above, 1000.0 / interval, 0.0)


# ---- activation functions and their derivatives (element-wise, NumPy in, NumPy out) ----

def step(z):
    """Heaviside step: 1 where ``z > 0``, else 0. Its derivative is 0 wherever it exists."""
    return (np.asarray(z) > 0).astype(float)


def step_derivative(z):
    """0 everywhere (the step's derivative, taking 0 at the jump, as autodiff does)."""
    return np.zeros_like(np.asarray(z, dtype=float))


def sigmoid(z):
    """Logistic function ``1 / (1 + exp(-z))``, computed without overflow."""
    return 0.5 * (1.0 + np.tanh(0.5 * np.asarray(z, dtype=float)))


def sigmoid_derivative(z):
    """``sigmoid(z) * (1 - sigmoid(z))``."""
    s = sigmoid(z)
    return s * (1.0 - s)


def tanh(z):
    """Hyperbolic tangent."""
    return np.tanh(np.asarray(z, dtype=float))


def tanh_derivative(z):
    """``1 - tanh(z)**2``."""
    return 1.0 - np.tanh(np.asarray(z, dtype=float)) ** 2


def relu(z):
    """Rectified linear unit ``max(0, z)``."""
    return np.maximum(0.0, np.asarray(z, dtype=float))


def relu_derivative(z):
    """1 where ``z > 0``, else 0 (0 at the kink, as TensorFlow takes it)."""
    return (np.asarray(z) > 0).astype(float)


def softplus(z):
    """``log(1 + exp(z))``, a smooth ReLU, computed without overflow."""
    return np.logaddexp(0.0, np.asarray(z, dtype=float))


def softplus_derivative(z):
    """The derivative of softplus is the sigmoid."""
    return sigmoid(z)


def softmax(z, axis=-1):
    """``exp(z) / sum(exp(z))`` along ``axis``; shifting by the maximum avoids overflow.

    Examples
    --------
    >>> softmax([0.0, 0.0]).tolist()
    [0.5, 0.5]
    """
    z = np.asarray(z, dtype=float)
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
