"""Properties of the neuron models and activation functions, for generated inputs."""

import numpy as np
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from property_support import (
    NON_FINITE,
    NOT_NUMBERS,
    NOT_POSITIVE,
    covers,
    finite_arrays,
    floats,
    refused,
    shapes,
    spoiled,
)
from scipy import special

from neurotransfer import neurons

ELEMENTWISE = [neurons.step, neurons.step_derivative, neurons.sigmoid,
               neurons.sigmoid_derivative, neurons.tanh, neurons.tanh_derivative, neurons.relu,
               neurons.relu_derivative, neurons.softplus, neurons.softplus_derivative]
#: The float64 references each activation is compared with (written independently).
REFERENCE = {
    "step": lambda z: np.heaviside(z, 0.0),
    "step_derivative": np.zeros_like,
    "sigmoid": special.expit,
    "sigmoid_derivative": lambda z: special.expit(z) * special.expit(-z),
    "tanh": np.tanh,
    "tanh_derivative": lambda z: np.exp(2 * np.log(1 / np.cosh(np.clip(z, -700, 700)))),
    "relu": lambda z: np.where(z > 0, z, 0.0),
    "relu_derivative": lambda z: (z > 0) * 1.0,
    "softplus": lambda z: np.where(z > 30, z + np.log1p(np.exp(-np.abs(z))),
                                   np.log1p(np.exp(np.minimum(z, 30)))),
    "softplus_derivative": special.expit,
}


@covers(*ELEMENTWISE)
@given(st.sampled_from(ELEMENTWISE), finite_arrays(shapes(0, 2), -800, 800))
def test_activations_match_a_float64_reference(f, z):
    out = f(z)
    expected = REFERENCE[f.__name__](z)
    assert out.shape == np.shape(z) and np.all(np.isfinite(out))
    # relative error within a few ulps, or an absolute one far below any value that matters
    np.testing.assert_allclose(out, expected, rtol=1e-13, atol=1e-300)


@covers(*ELEMENTWISE)
@given(st.sampled_from(ELEMENTWISE), finite_arrays(shapes(1, 2)).flatmap(spoiled))
def test_activations_refuse_nan_and_infinity(f, z):
    refused(f, "z", z)


@covers(neurons.softmax)
@given(finite_arrays(shapes(1, 3), -1e300, 1e300), st.integers(-1, 0))
def test_softmax_is_finite_and_sums_to_one_for_any_finite_input(z, axis):
    p = neurons.softmax(z, axis=axis)
    assert p.shape == z.shape and np.all(np.isfinite(p)) and np.all(p >= 0)
    np.testing.assert_allclose(p.sum(axis=axis), 1.0, rtol=1e-12)


@covers(neurons.softmax, neurons.softmax_jacobian)
@given(finite_arrays(shapes(1, 2)).flatmap(spoiled))
def test_softmax_refuses_non_finite_logits(z):
    refused(neurons.softmax, "z", z)
    refused(neurons.softmax_jacobian, "z", z)


@covers(neurons.softmax)
@given(finite_arrays((3,)), st.sampled_from([1, -2, 1.0, "0"]))
def test_softmax_refuses_an_axis_it_does_not_have(z, axis):
    refused(neurons.softmax, "axis", z, axis=axis)


@covers(neurons.softmax_jacobian)
@given(finite_arrays(shapes(1, 2, 4), -30, 30))
def test_softmax_jacobian_matches_finite_differences(z):
    jac = neurons.softmax_jacobian(z)
    eps = 1e-6
    for k in range(z.shape[-1]):
        step = np.zeros(z.shape[-1])
        step[k] = eps
        numeric = (neurons.softmax(z + step) - neurons.softmax(z - step)) / (2 * eps)
        np.testing.assert_allclose(jac[..., :, k], numeric, atol=1e-7)


# ---- the leaky integrate-and-fire neuron ----

@covers(neurons.lif_rate, neurons.rheobase)
@given(finite_arrays(st.integers(2, 30), -5, 50))
def test_lif_rate_is_non_decreasing_and_zero_below_rheobase(current):
    current = np.sort(current)
    rate = neurons.lif_rate(current)
    assert np.all(np.isfinite(rate)) and np.all(rate >= 0)
    assert np.all(np.diff(rate) >= -1e-9 * rate[1:])  # up to rounding of the logarithm
    assert np.all(rate[current <= neurons.rheobase()] == 0)
    assert np.all(rate < 1000.0 / neurons.LIF_DEFAULTS["t_ref"])  # at most one spike per t_ref


#: For each LIF parameter, values that must be refused (not a number, not finite, or out
#: of range: a non-positive time constant or resistance, a threshold at or below reset/rest).
BAD_PARAMETERS = {
    "tau": NOT_POSITIVE, "resistance": NOT_POSITIVE,
    "t_ref": st.one_of(st.floats(max_value=-1e-9, allow_infinity=False), NON_FINITE),
    "v_rest": st.one_of(NON_FINITE, st.floats(-50.0, 100.0)),
    "v_reset": st.one_of(NON_FINITE, st.floats(-50.0, 100.0)),
    "v_threshold": st.one_of(NON_FINITE, st.floats(-1e3, -65.0)),
}


@covers(neurons.lif_rate, neurons.simulate_lif, neurons.rheobase)
@given(st.sampled_from(sorted(BAD_PARAMETERS)).flatmap(
    lambda name: st.tuples(st.just(name), st.one_of(BAD_PARAMETERS[name], NOT_NUMBERS))))
def test_lif_functions_refuse_bad_parameters(bad):
    name, value = bad
    named = "v_threshold" if name in ("v_rest", "v_reset") and np.isfinite(
        value if isinstance(value, float) else np.nan) else name
    refused(neurons.lif_rate, named, 3.0, **{name: value})
    refused(neurons.simulate_lif, named, 3.0, 10.0, 0.1, **{name: value})
    if name in ("resistance", "v_rest", "v_threshold") and not (
            name == "v_threshold" and isinstance(value, float) and -70 < value):
        refused(neurons.rheobase, named, **{name: value})


@covers(neurons.lif_rate, neurons.simulate_lif)
@given(finite_arrays(st.integers(1, 5), 0, 10).flatmap(spoiled))
def test_lif_functions_refuse_non_finite_currents(current):
    refused(neurons.lif_rate, "current", current)
    refused(neurons.simulate_lif, "current", current, 10.0, 0.1)


@covers(neurons.simulate_lif, neurons.rate_from_spikes, neurons.LIFTrace)
@settings(max_examples=4, deadline=None)
@given(st.lists(st.floats(2.5, 8.0), min_size=1, max_size=4))
def test_simulated_rate_approaches_the_closed_form(currents):
    trace = neurons.simulate_lif(currents, duration=200.0, dt=0.05, record_voltage=False)
    assert isinstance(trace, neurons.LIFTrace) and trace.voltage is None
    measured = np.array([neurons.rate_from_spikes(s) for s in trace.spike_times])
    expected = neurons.lif_rate(currents)
    assert np.all(np.abs(measured - expected) <= 0.03 * expected + 1.0)


@covers(neurons.simulate_lif)
@given(st.floats(0.01, 10.0), st.floats(0.0, 5.0))
def test_simulate_lif_refuses_a_step_that_skips_the_refractory_period(dt, t_ref):
    assume(dt <= 10.0)
    if t_ref > 0 and round(t_ref / dt) == 0:
        refused(neurons.simulate_lif, "dt", 3.0, 10.0, dt, t_ref=t_ref)
    else:
        trace = neurons.simulate_lif(3.0, 10.0, dt, t_ref=t_ref)
        assert trace.voltage.shape == trace.time.shape


@covers(neurons.simulate_lif)
@given(st.sampled_from(["duration", "dt"]), NOT_POSITIVE)
def test_simulate_lif_refuses_bad_times(name, value):
    times = {"duration": 10.0, "dt": 0.1, name: value}
    refused(neurons.simulate_lif, name, 3.0, **times)


@covers(neurons.rate_from_spikes)
@given(st.lists(floats(0, 1e4), min_size=2, max_size=20, unique=True))
def test_rate_from_spikes_is_positive_for_increasing_times_and_refuses_others(times):
    times = sorted(times)
    rate = neurons.rate_from_spikes(times)
    assert rate > 0 and np.isclose(rate, 1000 * (len(times) - 1) / (times[-1] - times[0]))
    refused(neurons.rate_from_spikes, "spike_times", times[::-1])
    refused(neurons.rate_from_spikes, "spike_times", times + [times[-1]])
    refused(neurons.rate_from_spikes, "spike_times", times + [np.nan])
