"""Properties of gradient descent, learning-rate schedules, initialisation and double descent."""

import math

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from property_support import (
    NON_FINITE,
    NOT_INTEGERS,
    NOT_POSITIVE,
    covers,
    finite_arrays,
    refused,
    shapes,
    spoiled,
)

from neurotransfer import descent, double_descent, initialization, lr_range

OPTIMISERS = [descent.gradient_descent, descent.momentum, descent.adam]


def bowl(w):
    return 2 * w


@covers(*OPTIMISERS, descent.DescentPath)
@given(st.sampled_from(OPTIMISERS), finite_arrays(shapes(1, 1, 4), -10, 10), st.floats(0.01, 0.4),
       st.integers(0, 20))
def test_optimisers_return_the_whole_path_and_go_downhill_on_a_bowl(method, w0, lr, steps):
    run = method(bowl, w0, lr=lr, steps=steps, loss=lambda w: float(w @ w))
    assert isinstance(run, descent.DescentPath) and not run.diverged
    assert run.w.shape == (steps + 1, *w0.shape) and np.array_equal(run.w[0], w0)
    assert len(run.loss) == steps + 1 and np.all(np.isfinite(run.loss))
    if method is descent.gradient_descent:  # lr·2 < 1: every step shrinks every weight
        assert np.all(np.diff(run.loss) <= 1e-12 * run.loss[:-1] + 1e-300)


@covers(*OPTIMISERS)
@given(st.sampled_from(OPTIMISERS), st.sampled_from(["lr", "steps", "limit", "w0", "grad"]),
       st.data())
def test_optimisers_refuse_bad_settings(method, name, data):
    refuse_a_bad_setting(method, name, data)


def refuse_a_bad_setting(method, name, data):
    bad = {"lr": NOT_POSITIVE, "limit": NOT_POSITIVE,
           "steps": st.one_of(NOT_INTEGERS, st.integers(max_value=-1)),
           "w0": finite_arrays((3,)).flatmap(spoiled),
           "grad": st.sampled_from([None, 3.0, "grad"])}[name]
    settings = {"grad": bowl, "w0": np.ones(3), "lr": 0.1, "steps": 2,
                name: data.draw(bad)}
    refused(method, name, **settings)


@covers(descent.momentum, descent.adam)
@given(st.sampled_from([("momentum", "beta"), ("adam", "beta1"), ("adam", "beta2")]),
       st.one_of(NON_FINITE, st.floats(1.0, 10.0), st.floats(max_value=-1e-12)))
def test_momentum_terms_must_be_fractions(which, value):
    method, name = getattr(descent, which[0]), which[1]
    refused(method, name, bowl, np.ones(2), lr=0.1, steps=1, **{name: value})


@covers(descent.numerical_gradient)
@given(finite_arrays(shapes(1, 2, 3), -3, 3))
def test_numerical_gradient_matches_the_analytic_one(w):
    g = descent.numerical_gradient(lambda v: float(np.sum(v**3)), w, eps=1e-5)
    np.testing.assert_allclose(g, 3 * w**2, atol=1e-6)


@covers(descent.numerical_gradient)
@given(finite_arrays((3,)).flatmap(spoiled))
def test_numerical_gradient_refuses_non_finite_points_and_values(w):
    refused(descent.numerical_gradient, "w", lambda v: float(v.sum()), w)
    refused(descent.numerical_gradient, "f", lambda v: float("nan"), np.ones(2))


@covers(descent.quadratic_rates, descent.QuadraticRates)
@given(finite_arrays(st.integers(1, 6), 0, 100), st.floats(1e-4, 1.0))
def test_quadratic_rates_predict_the_measured_contraction(eigenvalues, lr):
    rates = descent.quadratic_rates(eigenvalues, lr)
    assert isinstance(rates, descent.QuadraticRates)
    assert rates.rate == max(rates.factors) and rates.converges == (rates.rate < 1)
    run = descent.gradient_descent(lambda w: eigenvalues * w, np.ones_like(eigenvalues), lr, 5)
    if not run.diverged:  # the largest factor bounds the shrinking of the largest error
        worst = np.max(np.abs(run.w[-1]))
        assert worst <= rates.rate**5 * (1 + 1e-9) + 1e-300


@covers(descent.quadratic_rates)
@given(st.one_of(finite_arrays((3,)).flatmap(spoiled), st.just(np.zeros(0)),
                 finite_arrays((3,), -10, -0.1)))
def test_quadratic_rates_refuse_bad_eigenvalues(eigenvalues):
    refused(descent.quadratic_rates, "eigenvalues", eigenvalues, lr=0.1)


@covers(descent.contraction_rate)
@given(st.floats(0.05, 0.99), st.integers(2, 30), st.data())
def test_contraction_rate_recovers_a_geometric_rate(rate, n, data):
    last = data.draw(st.integers(1, n - 1))
    assert math.isclose(descent.contraction_rate(rate ** np.arange(n), last), rate, rel_tol=1e-9)
    refused(descent.contraction_rate, "last", rate ** np.arange(n), n)
    refused(descent.contraction_rate, "errors", [np.nan] * n, last)


# ---- learning-rate schedules and the range test ----

@covers(lr_range.step_decay, lr_range.cosine_decay)
@given(st.lists(st.integers(0, 10**6), min_size=1, max_size=20), st.floats(1e-6, 10),
       st.integers(1, 1000), st.floats(1e-3, 1.0), st.integers(0, 999))
def test_schedules_stay_between_zero_and_the_base_rate(steps, lr, every, factor, warmup):
    step = np.array(steps)
    decayed = lr_range.step_decay(step, lr, every, factor)
    assert np.all(decayed >= 0) and np.all(decayed <= lr)
    assert np.all(decayed[step < every] == lr)
    assert np.all(np.diff(decayed[np.argsort(step)]) <= 0)  # never rises
    cosine = lr_range.cosine_decay(step, lr, total=1000, warmup=warmup)
    assert np.all(cosine >= 0) and np.all(cosine <= lr * (1 + 1e-12))
    assert np.all(cosine[(step > warmup) & (step < 1000)] > 0)  # positive until the end


@covers(lr_range.step_decay, lr_range.cosine_decay)
@given(st.sampled_from(["step", "lr", "factor", "every", "total"]), st.data())
def test_schedules_refuse_bad_settings(name, data):
    bad = {"step": st.one_of(st.integers(max_value=-1), NON_FINITE.map(lambda v: [0, v])),
           "lr": NOT_POSITIVE,
           "factor": st.one_of(NON_FINITE, st.floats(max_value=0.0), st.floats(1.0001, 1e3)),
           "every": st.one_of(NOT_INTEGERS, st.integers(max_value=0)),
           "total": st.one_of(NOT_INTEGERS, st.integers(max_value=0))}[name]
    value = data.draw(bad)
    if name in ("step", "lr", "factor", "every"):
        settings = {"step": [0, 5], "lr": 0.5, "every": 2, "factor": 0.5, name: value}
        refused(lr_range.step_decay, name, **settings)
    if name in ("step", "lr", "total"):
        settings = {"step": [0, 5], "lr": 0.5, "total": 10, name: value}
        refused(lr_range.cosine_decay, name, **settings)


@covers(lr_range.exponential_rates)
@given(st.floats(1e-6, 1.0), st.floats(1.01, 1e4), st.integers(2, 200))
def test_exponential_rates_grow_by_one_factor_from_low_to_high(low, ratio, steps):
    rates = lr_range.exponential_rates(low, low * ratio, steps)
    assert len(rates) == steps and math.isclose(rates[0], low) and math.isclose(
        rates[-1], low * ratio)
    np.testing.assert_allclose(rates[1:] / rates[:-1], ratio ** (1 / (steps - 1)), rtol=1e-9)
    refused(lr_range.exponential_rates, "lr_max", low * ratio, low, steps)
    refused(lr_range.exponential_rates, "steps", low, low * ratio, 1)


@covers(lr_range.smooth)
@given(finite_arrays(st.integers(1, 50), -100, 100), st.floats(0, 0.99))
def test_smooth_stays_within_the_range_of_the_values(values, beta):
    out = lr_range.smooth(values, beta)
    assert out.shape == values.shape
    assert np.all(out >= values.min() - 1e-9) and np.all(out <= values.max() + 1e-9)
    np.testing.assert_allclose(lr_range.smooth(np.full(7, 3.0), beta), 3.0)
    refused(lr_range.smooth, "values", np.append(values, np.nan), beta)
    refused(lr_range.smooth, "beta", values, 1.0)


@covers(lr_range.suggest_range)
@given(st.integers(5, 80), st.floats(0.0, 0.9), st.floats(0.05, 0.95), st.integers(0, 4))
def test_suggest_range_lies_within_the_finite_part_of_the_test(n, beta, start, tail):
    tail = min(tail, n - 3)  # at least three finite losses
    rates = lr_range.exponential_rates(1e-4, 10.0, n)
    losses = 2 / (1 + rates) + np.where(rates > 1, (rates - 1) ** 2, 0)
    losses[n - tail:] = np.nan
    low, high = lr_range.suggest_range(rates, losses, beta=beta, start_fraction=start)
    assert rates[0] <= low <= high <= rates[max(n - tail - 1, 0)]
    refused(lr_range.suggest_range, "rates", np.where(rates > 1, np.nan, rates), losses)
    refused(lr_range.suggest_range, "start_fraction", rates, losses, start_fraction=1.0)


# ---- initialisation ----

@covers(initialization.initial_weights, initialization.layer_statistics)
@given(st.lists(st.integers(1, 40), min_size=2, max_size=4), st.sampled_from(["glorot", "he"]),
       st.sampled_from(sorted(initialization.ACTIVATIONS)), st.integers(0, 2**32 - 1))
def test_a_dense_stack_has_one_finite_statistic_per_layer(sizes, scheme, activation, seed):
    layers = initialization.initial_weights(sizes, scheme, seed)
    assert [w.shape for w, _ in layers] == list(zip(sizes[:-1], sizes[1:], strict=True))
    x = np.random.default_rng(seed).normal(size=(16, sizes[0]))
    stats = initialization.layer_statistics(x, layers, activation)
    for key in ("activation_variance", "gradient_norm", "active_fraction"):
        assert stats[key].shape == (len(sizes) - 1,) and np.all(np.isfinite(stats[key]))
    assert np.all((stats["active_fraction"] >= 0) & (stats["active_fraction"] <= 1))


@covers(initialization.initial_weights)
@given(st.one_of(st.lists(st.floats(1, 100), min_size=2, max_size=3),
                 st.lists(st.integers(max_value=0), min_size=2, max_size=3),
                 st.lists(st.integers(1, 5), max_size=1)))
def test_initial_weights_refuses_bad_sizes(sizes):
    refused(initialization.initial_weights, "sizes", sizes)


@covers(initialization.layer_statistics)
@given(finite_arrays((4, 3)).flatmap(spoiled))
def test_layer_statistics_refuses_non_finite_or_mismatched_input(x):
    layers = initialization.initial_weights([3, 2])
    refused(initialization.layer_statistics, "x", x, layers)
    refused(initialization.layer_statistics, "layers[0]", np.ones((4, 5)), layers)
    refused(initialization.layer_statistics, "activation", np.ones((4, 3)), layers, "gelu")


@covers(initialization.dead_units)
@given(finite_arrays(shapes(2, 2, 6), -1, 1))
def test_dead_units_are_exactly_the_silent_columns(h):
    dead = initialization.dead_units(h)
    assert set(dead.tolist()) == {j for j in range(h.shape[1]) if np.all(h[:, j] <= 0)}
    refused(initialization.dead_units, "h", h.ravel())


# ---- double descent ----

@covers(double_descent.random_relu_features, double_descent.min_norm_least_squares)
@given(st.integers(1, 8), st.integers(1, 5), st.integers(1, 20), st.integers(0, 100))
def test_random_features_are_non_negative_and_the_fit_is_least_squares(n, d, p, seed):
    x = np.random.default_rng(seed).normal(size=(n, d))
    features = double_descent.random_relu_features(x, p, seed)
    assert features.shape == (n, p) and np.all(features >= 0)
    targets = np.random.default_rng(seed + 1).normal(size=(n, 2))
    w = double_descent.min_norm_least_squares(features, targets)
    assert w.shape == (p, 2)
    scale = (1 + np.abs(features).max()) ** 2 * (1 + np.abs(targets).max())
    # least squares: the gradient of the squared error vanishes at w
    np.testing.assert_allclose(features.T @ (features @ w - targets), 0, atol=1e-8 * scale)
    refused(double_descent.random_relu_features, "p", x, 0)
    x[0, 0] = np.nan
    refused(double_descent.random_relu_features, "x", x, p)


@covers(double_descent.min_norm_least_squares)
@given(finite_arrays((4, 3)).flatmap(spoiled))
def test_min_norm_least_squares_refuses_nan_before_lapack(features):
    refused(double_descent.min_norm_least_squares, "features", features, np.ones(4))
    refused(double_descent.min_norm_least_squares, "same length", np.ones((4, 3)), np.ones(5))


@covers(double_descent.error_by_width)
@given(st.lists(st.integers(1, 30), min_size=1, max_size=3), st.integers(0, 50))
def test_error_by_width_gives_one_finite_error_per_seed_and_width(widths, seed):
    rng = np.random.default_rng(seed)
    x, t = rng.normal(size=(12, 3)), rng.normal(size=(12, 1))
    out = double_descent.error_by_width(x[:8], t[:8], x[8:], t[8:], widths, seeds=[seed])
    for key in ("train_mse", "test_mse"):
        assert out[key].shape == (1, len(widths)) and np.all(out[key] >= 0)
    refused(double_descent.error_by_width, "widths", x[:8], t[:8], x[8:], t[8:], [1.5])
    refused(double_descent.error_by_width, "t_test", x[:8], t[:8], x[8:], t[8:] + np.nan,
            widths)


# ---- the adaptive methods Keras ships: AdaGrad, RMSProp, AdamW ----

ADAPTIVE = [descent.adagrad, descent.rmsprop, descent.adamw]


@covers(*ADAPTIVE)
@given(st.sampled_from(ADAPTIVE), finite_arrays(st.integers(1, 4), 1, 10), st.data(),
       st.floats(1e-4, 0.01), st.integers(1, 20))
def test_adaptive_methods_go_downhill_on_convex_quadratics_at_small_rates(method, size, data, lr,
                                                                          steps):
    # f(w) = ½ Σ λᵢ wᵢ². With |w0ᵢ| >= 1 and steps · lr · 3.2 < 1, no weight can cross zero
    # (each step moves a weight at most lr/√(1 − ρ) <= 3.2 lr for ρ <= 0.9, at most about lr
    # for AdaGrad and AdamW), so every weight shrinks towards zero and the loss never rises.
    w0 = size * data.draw(hnp.arrays(float, size.shape, elements=st.sampled_from([-1.0, 1.0])))
    curvature = data.draw(finite_arrays((w0.size,), 0.1, 10))
    settings_ = {"rho": data.draw(st.floats(0.0, 0.9))} if method is descent.rmsprop else {}
    run = method(lambda w: curvature * w, w0, lr=lr, steps=steps,
                 loss=lambda w: 0.5 * float(curvature @ w**2), **settings_)
    assert not run.diverged and run.w.shape == (steps + 1, w0.size)
    assert np.all(np.isfinite(run.w)) and np.all(np.isfinite(run.loss))
    assert np.all(np.diff(run.loss) <= 1e-12 * run.loss[:-1])
    assert np.all(np.sign(run.w) == np.sign(w0)) and np.all(np.abs(run.w[-1]) <= np.abs(w0))


#: For each hyperparameter of the adaptive methods, which methods take it and what is bad.
FRACTION_OR_BAD = st.one_of(NON_FINITE, st.floats(1.0, 10.0), st.floats(max_value=-1e-12))
ADAPTIVE_BAD = {
    "initial_accumulator": ([descent.adagrad],
                            st.one_of(NON_FINITE, st.floats(max_value=-1e-12))),
    "epsilon": (ADAPTIVE, NOT_POSITIVE),
    "rho": ([descent.rmsprop], FRACTION_OR_BAD),
    "momentum": ([descent.rmsprop], FRACTION_OR_BAD),
    "weight_decay": ([descent.adamw], st.one_of(NON_FINITE, st.floats(max_value=-1e-12))),
    "beta1": ([descent.adamw], FRACTION_OR_BAD),
    "beta2": ([descent.adamw], FRACTION_OR_BAD),
}


@covers(*ADAPTIVE)
@given(st.sampled_from(sorted(ADAPTIVE_BAD)), st.data())
def test_adaptive_methods_refuse_bad_hyperparameters(name, data):
    methods, bad = ADAPTIVE_BAD[name]
    method = data.draw(st.sampled_from(methods))
    refused(method, name, bowl, np.ones(2), lr=0.1, steps=1,
            **{name: data.draw(st.one_of(bad, st.sampled_from(["0.5", None])))})


@covers(*ADAPTIVE)
@given(st.sampled_from(ADAPTIVE), st.sampled_from(["lr", "steps", "limit", "w0", "grad"]),
       st.data())
def test_adaptive_methods_refuse_bad_settings(method, name, data):
    refuse_a_bad_setting(method, name, data)
