"""Unit tests of neurotransfer.neurons: LIF simulation against its closed form, activations
and their hand derivatives against TensorFlow, and clear errors on bad input."""

import numpy as np
import pytest

import neurotransfer as nt
from neurotransfer import neurons

CURRENTS = np.linspace(2.1, 10.0, 9)  # all above the default rheobase of 2 nA


def simulated_rates(currents, dt, duration=400.0, **params):
    trace = neurons.simulate_lif(currents, duration, dt, record_voltage=False, **params)
    return np.array([neurons.rate_from_spikes(s) for s in trace.spike_times])


@pytest.mark.parametrize("params", [{}, dict(v_reset=-70.0, tau=10.0, t_ref=0.0)])
def test_simulated_rate_approaches_closed_form_as_dt_shrinks(params):
    exact = neurons.lif_rate(CURRENTS, **params)
    errors = [np.max(np.abs(simulated_rates(CURRENTS, dt, **params) - exact) / exact)
              for dt in (0.1, 0.01)]
    assert errors[1] < errors[0] / 4  # first order: ten times smaller step, ~ten times smaller
    assert errors[1] < 0.005


def test_closed_form_value_and_the_reset_pitfall():
    # V_reset = -65 mV differs from V_rest = -70 mV; the shortcut with (V_th - V_reset) is wrong.
    assert neurons.lif_rate(3.0) == pytest.approx(107.18, abs=0.01)
    shortcut = 1000.0 / (2.0 + 8.0 * np.log(30.0 / (30.0 - 15.0)))
    assert abs(shortcut - neurons.lif_rate(3.0)) > 20


def test_rate_is_zero_below_rheobase_and_increases_above():
    currents = np.linspace(0.0, 20.0, 201)
    rates = neurons.lif_rate(currents)
    below = currents <= neurons.rheobase()
    assert np.all(rates[below] == 0) and np.all(rates[~below] > 0)
    assert np.all(np.diff(rates[~below]) > 0)
    assert rates.max() < 1000.0 / 2.0  # capped by the refractory period
    assert np.all(simulated_rates(np.array([0.0, 1.0, 1.99]), 0.1) == 0)


def test_simulation_shapes_and_scalar_input():
    trace = neurons.simulate_lif(3.0, duration=50.0, dt=0.5)
    assert trace.time.shape == (100,) and trace.voltage.shape == (100,)
    assert isinstance(trace.spike_times, np.ndarray) and trace.voltage.max() < -50.0
    assert neurons.simulate_lif([3.0], 50.0, 0.5, record_voltage=False).voltage is None


@pytest.mark.parametrize(
    "call, name",
    [
        (lambda: neurons.simulate_lif(3.0, 100.0, 0.0), "dt"),
        (lambda: neurons.simulate_lif(3.0, 100.0, -0.1), "dt"),
        (lambda: neurons.simulate_lif(3.0, 1.0, 2.0), "dt"),
        (lambda: neurons.simulate_lif(3.0, 100.0, 0.1, tau=0.0), "tau"),
        (lambda: neurons.lif_rate(3.0, tau=-1.0), "tau"),
        (lambda: neurons.simulate_lif(3.0, 100.0, 0.1, v_threshold=-65.0), "v_threshold"),
        (lambda: neurons.lif_rate(3.0, v_threshold=-70.0), "v_threshold"),
        (lambda: neurons.simulate_lif(3.0, 100.0, 0.1, t_ref=-1.0), "t_ref"),
        (lambda: neurons.simulate_lif([3.0, np.nan], 100.0, 0.1), "current"),
        (lambda: neurons.lif_rate(np.nan), "current"),
        (lambda: neurons.simulate_lif(3.0, 100.0, 0.1, resistance=0.0), "resistance"),
        (lambda: neurons.rheobase(resistance=0.0), "resistance"),
        (lambda: neurons.rheobase(resistance=-10.0), "resistance"),
    ],
)
def test_bad_input_names_the_parameter(call, name):
    with pytest.raises(ValueError, match=name):
        call()


def test_hand_derivatives_match_gradient_tape():
    nt.setup(seed=0)
    import tensorflow as tf

    z = np.linspace(-6.0, 6.0, 121) + 0.013  # avoid the kinks at exactly 0
    references = {
        "step": lambda t: tf.where(t > 0, 1.0, 0.0),
        "sigmoid": tf.sigmoid, "tanh": tf.tanh, "relu": tf.nn.relu, "softplus": tf.nn.softplus,
    }
    for name, (function, derivative) in neurons.ACTIVATIONS.items():
        t = tf.constant(z, dtype=tf.float64)
        with tf.GradientTape() as tape:
            tape.watch(t)
            y = references[name](t)
        grad = tape.gradient(y, t)
        grad = np.zeros_like(z) if grad is None else grad.numpy()
        np.testing.assert_allclose(function(z), y.numpy(), atol=1e-12, err_msg=name)
        np.testing.assert_allclose(derivative(z), grad, atol=1e-12, err_msg=name)


def test_softmax_and_its_jacobian_match_tensorflow():
    nt.setup(seed=0)
    import tensorflow as tf

    z = np.random.default_rng(0).normal(size=(3, 4)) * 3
    t = tf.constant(z)
    with tf.GradientTape() as tape:
        tape.watch(t)
        p = tf.nn.softmax(t)
    jacobian = tape.batch_jacobian(p, t).numpy()
    np.testing.assert_allclose(neurons.softmax(z), p.numpy(), atol=1e-12)
    np.testing.assert_allclose(neurons.softmax_jacobian(z), jacobian, atol=1e-12)
    assert np.allclose(neurons.softmax(np.array([1000.0, 0.0])), [1.0, 0.0])  # no overflow


def test_lif_defaults_match_the_keyword_defaults():
    import inspect

    for function in (neurons.simulate_lif, neurons.lif_rate, neurons.rheobase):
        parameters = inspect.signature(function).parameters
        for name, value in neurons.LIF_DEFAULTS.items():
            if name in parameters:
                assert parameters[name].default == value, (function.__name__, name)
