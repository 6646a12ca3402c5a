"""Gradient descent, momentum and Adam against closed forms, finite differences and Keras."""

import numpy as np
import pytest

import neurotransfer as nt
from neurotransfer import descent

RNG = np.random.default_rng(0)
A = np.diag([1.0, 4.0, 10.0])
W0 = np.array([1.0, -2.0, 0.5])


def quad_grad(w):
    return A @ w


def quad_loss(w):
    return 0.5 * w @ A @ w


def test_gradient_descent_matches_the_closed_form_on_a_quadratic():
    run = descent.gradient_descent(quad_grad, W0, lr=0.15, steps=30, loss=quad_loss)
    expected = np.stack([np.linalg.matrix_power(np.eye(3) - 0.15 * A, k) @ W0 for k in range(31)])
    np.testing.assert_allclose(run.w, expected, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(run.loss, [quad_loss(w) for w in expected], rtol=1e-12)
    assert not run.diverged and run.w.shape == (31, 3)


def test_zero_steps_returns_the_start_and_matrix_weights_keep_their_shape():
    run = descent.gradient_descent(lambda w: w, np.ones((2, 3)), lr=0.1, steps=0)
    assert run.w.shape == (1, 2, 3) and run.loss is None and not run.diverged


def test_divergence_stops_with_a_flag_and_no_nans():
    run = descent.gradient_descent(quad_grad, W0, lr=0.21, steps=10_000, loss=quad_loss)
    assert run.diverged and len(run.w) < 10_001
    assert np.all(np.isfinite(run.w)) and np.all(np.isfinite(run.loss))
    assert np.abs(run.w).max() <= 1e12 and len(run.loss) == len(run.w)


def test_a_nan_gradient_stops_the_run():
    calls = iter([np.array([1.0]), np.array([np.nan])])
    run = descent.gradient_descent(lambda w: next(calls), [0.0], lr=0.1, steps=5)
    assert run.diverged and run.w.ravel().tolist() == [0.0, -0.1]


@pytest.mark.parametrize("kwargs, word", [
    ({"lr": 0.0}, "lr"), ({"lr": -1.0}, "lr"), ({"lr": np.nan}, "lr"),
    ({"steps": -1}, "steps"), ({"steps": 2.5}, "steps"),
])
def test_bad_settings_raise(kwargs, word):
    settings = {"lr": 0.1, "steps": 3, **kwargs}
    for method in (descent.gradient_descent, descent.momentum, descent.adam):
        with pytest.raises((ValueError, TypeError), match=word):
            method(quad_grad, W0, **settings)


def test_mismatched_shapes_and_bad_hyperparameters_raise():
    with pytest.raises(ValueError, match="shape"):
        descent.gradient_descent(lambda w: np.ones(2), W0, lr=0.1, steps=1)
    with pytest.raises(ValueError, match="w0"):
        descent.gradient_descent(quad_grad, [np.inf, 0, 0], lr=0.1, steps=1)
    with pytest.raises(ValueError, match="beta"):
        descent.momentum(quad_grad, W0, lr=0.1, steps=1, beta=1.0)
    with pytest.raises(ValueError, match="beta2"):
        descent.adam(quad_grad, W0, lr=0.1, steps=1, beta2=-0.1)
    with pytest.raises(ValueError, match="eigenvalues"):
        descent.quadratic_rates([1.0, -1.0], lr=0.1)
    with pytest.raises(ValueError, match="last"):
        descent.contraction_rate([1.0, 0.5], last=2)


def test_numerical_gradient_matches_the_analytic_gradient_of_least_squares():
    x, y, w = RNG.normal(size=(20, 4)), RNG.normal(size=20), RNG.normal(size=4)

    def loss(v):
        return np.mean((x @ v - y) ** 2) / 2

    analytic = x.T @ (x @ w - y) / len(y)
    np.testing.assert_allclose(descent.numerical_gradient(loss, w), analytic, rtol=1e-7, atol=1e-9)


def test_least_squares_gradient_matches_gradient_tape():
    nt.setup(seed=0)
    import tensorflow as tf

    x, y, w = RNG.normal(size=(20, 4)), RNG.normal(size=20), RNG.normal(size=4)
    tw = tf.Variable(w)
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean((tf.linalg.matvec(tf.constant(x), tw) - y) ** 2) / 2
    np.testing.assert_allclose(tape.gradient(loss, tw).numpy(), x.T @ (x @ w - y) / 20, rtol=1e-12)


def test_quadratic_rates_closed_forms():
    mu, big = 1.0, 100.0
    lam = np.linspace(mu, big, 7)
    assert descent.quadratic_rates(lam, 1 / big).rate == pytest.approx(1 - mu / big)
    assert descent.quadratic_rates(lam, 2 / (big + mu)).rate == pytest.approx(99 / 101)
    assert descent.quadratic_rates(lam, 0.999 * 2 / big).converges
    assert not descent.quadratic_rates(lam, 1.001 * 2 / big).converges
    assert not descent.quadratic_rates([0.0, 1.0], 0.5).converges


def test_measured_rate_matches_theory_at_the_optimal_step():
    lam = np.linspace(1.0, 100.0, 20)
    lr = 2 / 101
    run = descent.gradient_descent(lambda w: lam * w, np.ones(20), lr=lr, steps=600)
    measured = descent.contraction_rate(np.linalg.norm(run.w, axis=1), last=100)
    assert measured == pytest.approx(99 / 101, abs=1e-6)


def keras_path(optimizer, grad, w0, steps):
    """Apply a Keras optimizer to one float64 variable, feeding it our gradients.

    Keras keeps some hyperparameters in float32, so the tests use values that float32 holds
    exactly (powers of two and their sums); then both sides compute in float64.
    """
    import keras

    var = keras.Variable(np.array(w0, dtype=np.float64), dtype="float64")
    path = [var.numpy().copy()]
    for _ in range(steps):
        optimizer.apply_gradients([(keras.ops.convert_to_tensor(grad(var.numpy())), var)])
        path.append(var.numpy().copy())
    return np.array(path)


@pytest.mark.parametrize("nesterov", [False, True])
def test_momentum_matches_keras_sgd_step_for_step(nesterov):
    nt.setup(seed=0)
    import keras

    ours = descent.momentum(quad_grad, W0, lr=0.0625, steps=25, beta=0.75, nesterov=nesterov).w
    sgd = keras.optimizers.SGD(learning_rate=0.0625, momentum=0.75, nesterov=nesterov)
    np.testing.assert_allclose(ours, keras_path(sgd, quad_grad, W0, 25), rtol=1e-12, atol=1e-14)


def test_adam_matches_keras_step_for_step_only_with_keras_epsilon_placement():
    nt.setup(seed=0)
    import keras

    def tiny_grad(w):  # small gradients make the place of epsilon visible
        return 1e-6 * (A @ w)

    betas = {"beta1": 0.875, "beta2": 1 - 2**-10}
    keras_adam = keras.optimizers.Adam(learning_rate=2**-7, beta_1=0.875, beta_2=1 - 2**-10)
    reference = keras_path(keras_adam, tiny_grad, W0, 40)
    ours = descent.adam(tiny_grad, W0, lr=2**-7, steps=40, epsilon=1e-7, epsilon_hat=True,
                        **betas).w
    np.testing.assert_allclose(ours, reference, rtol=1e-12, atol=1e-14)
    paper_form = descent.adam(tiny_grad, W0, lr=2**-7, steps=40, epsilon=1e-7, **betas).w
    assert np.abs(paper_form - reference).max() > 1e-4


def test_adam_first_step_has_size_lr_for_every_weight():
    run = descent.adam(quad_grad, W0, lr=0.01, steps=1)
    np.testing.assert_allclose(np.abs(run.w[1] - W0), 0.01, rtol=1e-5)


def test_heavy_ball_is_faster_than_gradient_descent_at_the_optimal_settings():
    lam = np.linspace(1.0, 100.0, 20)
    sq = np.sqrt(lam[[0, -1]])
    lr, beta = 4 / sq.sum() ** 2, ((sq[1] - sq[0]) / sq.sum()) ** 2
    hb = descent.momentum(lambda w: lam * w, np.ones(20), lr=lr, steps=300, beta=beta)
    measured = descent.contraction_rate(np.linalg.norm(hb.w, axis=1), last=50)
    assert 9 / 11 <= measured <= 9 / 11 * 1.01
