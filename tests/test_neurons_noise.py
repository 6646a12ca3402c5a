"""Unit tests of the noisy and synaptically driven LIF neuron and of the rate-curve fits in
neurotransfer.rate_models: noise-free limits against the closed form, the smoothing that noise
brings, the mean of a Poisson-driven current, exact recovery of known curves, clear errors."""

import numpy as np
import pytest

from neurotransfer import neurons, rate_models


def test_noise_free_limit_matches_the_closed_form():
    currents = np.array([1.0, 2.5, 3.0, 6.0])
    rates = rate_models.noisy_lif_rates(currents, 0.0, duration=2000.0, dt=0.02, n_trials=2)
    assert rates.shape == (4, 2) and np.all(rates[:, 0] == rates[:, 1])  # no noise, no spread
    # counting spikes in a window loses at most one interval (1000 / 2000 ms = 0.5 Hz)
    assert np.allclose(rates[:, 0], neurons.lif_rate(currents), atol=1.0)


def test_noise_makes_the_cell_fire_below_rheobase_and_is_reproducible():
    below = neurons.rheobase() * 0.75
    quiet = rate_models.noisy_lif_rates(below, 0.0, duration=500.0, n_trials=5)
    noisy = rate_models.noisy_lif_rates(below, 0.5, duration=500.0, n_trials=20, seed=3)
    assert np.all(quiet == 0) and noisy.mean() > 5.0
    again = rate_models.noisy_lif_rates(below, 0.5, duration=500.0, n_trials=20, seed=3)
    assert np.array_equal(noisy, again)
    assert not np.array_equal(noisy, rate_models.noisy_lif_rates(below, 0.5, duration=500.0,
                                                             n_trials=20, seed=4))


def test_free_membrane_fluctuates_with_the_stated_standard_deviation():
    # With the threshold out of reach the potential is an Ornstein–Uhlenbeck process whose
    # standard deviation is resistance * noise; no spike means the rate is exactly zero.
    rates = rate_models.noisy_lif_rates([0.0], 0.2, duration=200.0, n_trials=50, v_threshold=0.0)
    assert np.all(rates == 0)


def test_poisson_current_has_the_weighted_sum_as_its_mean():
    rates = np.array([[20.0, 40.0, 10.0], [0.0, 0.0, 0.0]])
    weights = np.array([0.5, 0.25, -1.0])
    current = rate_models.poisson_input_current(rates, weights, duration=50000.0, dt=0.1, seed=1)
    assert current.shape == (2, 500000)
    expected = rates @ weights / 1000.0          # 0.01 nA and 0 nA
    assert abs(current[0].mean() - expected[0]) < 0.002 and np.all(current[1] == 0)
    one = rate_models.poisson_input_current(rates[0], weights, duration=10.0, dt=0.1)
    assert one.shape == (100,)


def test_rate_of_a_constant_current_matches_the_closed_form():
    current = np.full((3, 20000), 3.0)
    current[1] = 1.0
    current[2] = 6.0
    rates = rate_models.lif_rate_of_current(current, dt=0.05)
    assert np.allclose(rates, neurons.lif_rate([3.0, 1.0, 6.0]), atol=1.5)
    assert rates[1] == 0


def test_fits_recover_known_curves():
    current = np.linspace(0.0, 5.0, 51)
    relu_curve = 40.0 * np.maximum(0.0, current - 1.5)
    fit = rate_models.fit_relu(current, relu_curve)
    assert fit.slope == pytest.approx(40.0) and fit.threshold == pytest.approx(1.5)
    assert fit.rms < 1e-9 and fit.width == 0.0
    fixed = rate_models.fit_relu(current, relu_curve, threshold=2.0)
    assert fixed.threshold == 2.0 and fixed.rms > 1.0
    soft = 30.0 * 0.4 * neurons.softplus((current - 2.0) / 0.4)
    fit = rate_models.fit_softplus(current, soft)
    assert fit.slope == pytest.approx(30.0, rel=1e-4)
    assert fit.threshold == pytest.approx(2.0, abs=1e-4)
    assert fit.width == pytest.approx(0.4, rel=1e-3) and fit.rms < 1e-4
    assert rate_models.fit_relu(current, soft).rms > 100 * fit.rms


def test_softplus_is_never_worse_than_relu():
    current = np.linspace(0.0, 10.0, 101)
    rates = neurons.lif_rate(current)
    relu_fit = rate_models.fit_relu(current, rates)
    soft_fit = rate_models.fit_softplus(current, rates)
    assert soft_fit.rms <= relu_fit.rms + 1e-9


@pytest.mark.parametrize(
    "call, name",
    [
        (lambda: rate_models.noisy_lif_rates(3.0, -0.1), "noise"),
        (lambda: rate_models.noisy_lif_rates([[3.0]], 0.1), "current"),
        (lambda: rate_models.noisy_lif_rates([np.nan], 0.1), "current"),
        (lambda: rate_models.noisy_lif_rates(3.0, 0.1, n_trials=0), "n_trials"),
        (lambda: rate_models.noisy_lif_rates(3.0, 0.1, dt=0.0), "dt"),
        (lambda: rate_models.noisy_lif_rates(3.0, 0.1, duration=1.0, dt=2.0), "dt"),
        (lambda: rate_models.noisy_lif_rates(3.0, 0.1, tau=-1.0), "tau"),
        (lambda: rate_models.noisy_lif_rates(3.0, 0.1, v_threshold=-70.0), "v_threshold"),
        (lambda: rate_models.noisy_lif_rates(3.0, 0.1, t_ref=-1.0), "t_ref"),
        (lambda: rate_models.poisson_input_current([10.0], [1.0, 2.0], duration=10.0, dt=0.1),
         "rates"),
        (lambda: rate_models.poisson_input_current([-1.0], [1.0], duration=10.0, dt=0.1), "rates"),
        (lambda: rate_models.poisson_input_current([1.0], [np.inf], duration=10.0, dt=0.1),
         "weights"),
        (lambda: rate_models.poisson_input_current([1.0], [1.0], duration=0.0, dt=0.1), "duration"),
        (lambda: rate_models.poisson_input_current([1.0], [1.0], duration=0.01, dt=0.1), "dt"),
        (lambda: rate_models.lif_rate_of_current([1.0, np.nan], dt=0.1), "current"),
        (lambda: rate_models.lif_rate_of_current([1.0, 2.0], dt=-0.1), "dt"),
        (lambda: rate_models.fit_relu([0.0, 1.0, 2.0, 3.0], [0.0, 1.0, 2.0]), "current and rate"),
        (lambda: rate_models.fit_relu([1.0, 1.0, 1.0], [0.0, 1.0, 2.0]), "current"),
        (lambda: rate_models.fit_relu([0.0, 1.0, 2.0], [0.0, 1.0, 2.0], threshold="a"),
         "threshold"),
        (lambda: rate_models.fit_softplus([0.0, 1.0, 2.0], [0.0, np.nan, 2.0]), "rate"),
    ],
)
def test_bad_input_gets_a_clear_error(call, name):
    with pytest.raises((ValueError, TypeError), match=name):
        call()
