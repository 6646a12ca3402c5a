"""Properties of the neuron models and activation functions, for generated inputs."""

import numpy as np
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from property_support import (
    NON_FINITE,
    NOT_INTEGERS,
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

from neurotransfer import neurons, rate_models

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


# ---- from a spiking cell to a rate model ----

@covers(rate_models.noisy_lif_rates)
@settings(max_examples=4, deadline=None)
@given(st.lists(st.one_of(st.floats(0.0, 1.5), st.floats(2.6, 8.0)), min_size=1, max_size=3),
       st.floats(0.0, 0.01), st.integers(1, 3), st.integers(0, 2**16))
def test_noisy_rates_are_non_negative_and_tend_to_the_noise_free_cell(currents, noise, trials,
                                                                      seed):
    # away from the rheobase (2 nA), where a vanishing noise cannot change the rate much
    rates = rate_models.noisy_lif_rates(currents, noise, duration=300.0, dt=0.05,
                                        n_trials=trials, seed=seed)
    assert rates.shape == (len(currents), trials) and np.all(rates >= 0)
    expected = neurons.lif_rate(currents)[:, None]
    # Euler's error (a few per cent) plus one spike more or less in 300 ms
    assert np.all(np.abs(rates - expected) <= 0.04 * expected + 1000.0 / 300.0 + 1e-9)


@covers(rate_models.lif_rate_of_current, rate_models.noisy_lif_rates)
@settings(max_examples=6, deadline=None)
@given(st.lists(floats(-2.0, 10.0), min_size=1, max_size=3), st.integers(10, 1500),
       st.sampled_from([0.05, 0.1, 0.25]))
def test_a_constant_current_gives_the_rate_of_the_noise_free_cell(currents, n_steps, dt):
    current = np.repeat(np.array(currents)[:, None], n_steps, axis=1)
    rates = rate_models.lif_rate_of_current(current, dt)
    assert rates.shape == (len(currents),) and np.all(rates >= 0)
    assert np.all(rates <= 1000.0 / dt)  # at most one spike per step
    same = rate_models.noisy_lif_rates(currents, 0.0, duration=n_steps * dt, dt=dt, n_trials=1)
    np.testing.assert_array_equal(rates, same[:, 0])   # one integration scheme for both


@covers(rate_models.noisy_lif_rates, rate_models.lif_rate_of_current)
@given(st.sampled_from(sorted(BAD_PARAMETERS)).flatmap(
    lambda name: st.tuples(st.just(name), st.one_of(BAD_PARAMETERS[name], NOT_NUMBERS))))
def test_rate_model_cells_refuse_bad_parameters(bad):
    name, value = bad
    named = "v_threshold" if name in ("v_rest", "v_reset") and np.isfinite(
        value if isinstance(value, float) else np.nan) else name
    refused(rate_models.noisy_lif_rates, named, 3.0, 0.1, duration=1.0, **{name: value})
    refused(rate_models.lif_rate_of_current, named, np.full((2, 5), 3.0), 0.1, **{name: value})


@covers(rate_models.noisy_lif_rates, rate_models.lif_rate_of_current)
@given(finite_arrays(st.integers(1, 4), 0, 10).flatmap(spoiled),
       st.sampled_from(["noise", "duration", "dt", "n_trials", "seed"]), st.data())
def test_rate_model_cells_refuse_bad_currents_and_settings(current, name, data):
    refused(rate_models.noisy_lif_rates, "current", current, 0.1)
    refused(rate_models.lif_rate_of_current, "current", current, 0.1)
    bad = {"noise": st.one_of(st.floats(max_value=-1e-9, allow_infinity=False), NON_FINITE),
           "duration": NOT_POSITIVE, "dt": NOT_POSITIVE,
           "n_trials": st.one_of(st.integers(max_value=0), NOT_INTEGERS),
           "seed": st.one_of(st.integers(max_value=-1), NOT_INTEGERS)}[name]
    value = data.draw(bad)
    settings_ = {"noise": 0.1, "duration": 1.0, name: value}
    refused(rate_models.noisy_lif_rates, name, 3.0, **settings_)
    if name == "dt":
        refused(rate_models.lif_rate_of_current, "dt", np.ones((1, 3)), value)


@covers(rate_models.poisson_input_current)
@settings(max_examples=10, deadline=None)
@given(finite_arrays(st.tuples(st.integers(1, 3), st.integers(1, 4)), 0, 200),
       st.data(), st.floats(10.0, 500.0), st.sampled_from([0.1, 0.5, 1.0]),
       st.integers(0, 2**16))
def test_poisson_current_carries_the_charge_of_the_spikes(rates, data, duration, dt, seed):
    weights = data.draw(finite_arrays((rates.shape[1],), -1, 1))
    current = rate_models.poisson_input_current(rates, weights, duration=duration, dt=dt,
                                                seed=seed)
    n_steps = int(round(duration / dt))
    assert current.shape == (len(rates), n_steps) and np.all(np.isfinite(current))
    again = rate_models.poisson_input_current(rates, weights, duration=duration, dt=dt,
                                              seed=seed)
    np.testing.assert_array_equal(current, again)
    # total charge: a sum of Poisson spike counts times the weights, within six of its SDs
    charge = current.sum(axis=1) * dt
    expected_counts = rates * n_steps * dt / 1000.0
    mean, sd = expected_counts @ weights, np.sqrt(expected_counts @ weights**2)
    assert np.all(np.abs(charge - mean) <= 6 * sd + 1e-9 * (1 + np.abs(weights).sum()))
    if np.all(weights >= 0):
        assert np.all(current >= 0)
    zero = rate_models.poisson_input_current(np.zeros_like(rates), weights, duration=duration,
                                             dt=dt)
    assert np.all(zero == 0)


@covers(rate_models.poisson_input_current)
@given(st.sampled_from(["rates", "weights", "duration", "dt", "seed"]), st.data())
def test_poisson_current_refuses_bad_input(name, data):
    bad = {"rates": st.one_of(finite_arrays((2,), 0, 10).flatmap(spoiled),
                              finite_arrays((2,), -10, -1e-6), finite_arrays((3,), 0, 10)),
           "weights": finite_arrays((2,), -1, 1).flatmap(spoiled),
           "duration": NOT_POSITIVE, "dt": NOT_POSITIVE,
           "seed": st.one_of(st.integers(max_value=-1), NOT_INTEGERS)}[name]
    args = {"rates": np.array([5.0, 10.0]), "weights": np.array([0.5, -0.5]),
            "duration": 10.0, "dt": 0.1, "seed": 0, name: data.draw(bad)}
    refused(rate_models.poisson_input_current, name, **args)


@st.composite
def grids(draw, n_min=5, n_max=60):
    """Increasing currents (nA) and a threshold with at least three currents above it."""
    low = draw(st.floats(-5.0, 5.0))
    span = draw(st.floats(0.5, 20.0))
    n = draw(st.integers(n_min, n_max))
    current = np.linspace(low, low + span, n)
    threshold = draw(st.floats(low - span / 2, float(current[-4])))
    return current, threshold


@covers(rate_models.fit_relu, rate_models.RateFit)
@given(grids(), st.floats(0.5, 200.0))
def test_fit_relu_recovers_an_exact_relu(grid, slope):
    current, threshold = grid
    rate = slope * np.maximum(0.0, current - threshold)
    fixed = rate_models.fit_relu(current, rate, threshold=threshold)
    assert isinstance(fixed, rate_models.RateFit) and fixed.width == 0
    assert np.isclose(fixed.slope, slope, rtol=1e-9) and fixed.rms <= 1e-9 * slope * np.ptp(current)
    free = rate_models.fit_relu(current, rate)
    step = 2 * np.ptp(current) / 2000   # spacing of the threshold grid
    assert abs(free.threshold - threshold) <= step + 1e-9
    assert abs(free.slope - slope) <= 0.05 * slope and free.rms <= slope * step
    scaled = rate_models.fit_relu(current, 3.0 * rate)
    assert np.isclose(scaled.slope, 3.0 * free.slope) and scaled.threshold == free.threshold


@covers(rate_models.fit_softplus, rate_models.RateFit)
@settings(max_examples=4, deadline=None)
@given(grids(n_min=15, n_max=40), st.floats(1.0, 100.0), st.floats(0.05, 0.5))
def test_fit_softplus_recovers_an_exact_softplus(grid, slope, relative_width):
    current, threshold = grid
    width = relative_width * np.ptp(current) / 5
    rate = slope * width * neurons.softplus((current - threshold) / width)
    fit = rate_models.fit_softplus(current, rate)
    assert isinstance(fit, rate_models.RateFit) and fit.width > 0
    assert fit.rms <= 1e-4 * rate.max()
    np.testing.assert_allclose([fit.slope, fit.width], [slope, width], rtol=1e-3)
    assert abs(fit.threshold - threshold) <= 1e-3 * np.ptp(current)
    assert fit.rms <= rate_models.fit_relu(current, rate).rms


@covers(rate_models.fit_relu, rate_models.fit_softplus)
@given(st.sampled_from([rate_models.fit_relu, rate_models.fit_softplus]),
       st.integers(3, 8).flatmap(lambda n: st.tuples(finite_arrays((n,), -10, 10),
                                                     finite_arrays((n,), 0, 100))),
       st.sampled_from(["current", "rate", "length", "constant"]), st.data())
def test_rate_fits_refuse_bad_curves(fit, curve, what, data):
    current, rate = curve
    current = np.linspace(-1.0, 1.0, len(current))
    if what == "current":
        refused(fit, "current", data.draw(spoiled(current)), rate)
    elif what == "rate":
        refused(fit, "rate", current, data.draw(spoiled(rate)))
    elif what == "length":
        refused(fit, "current and rate", current, np.append(rate, 0.0))
    else:
        refused(fit, "current", np.full_like(current, data.draw(floats())), rate)
    if fit is rate_models.fit_relu:
        refused(fit, "threshold", current, rate, threshold=data.draw(   # None: a free fit
            st.one_of(NON_FINITE, NOT_NUMBERS.filter(lambda v: v is not None))))
