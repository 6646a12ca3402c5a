"""AdaGrad, RMSProp, AdamW and Nesterov momentum against Keras 3.15.1, step for step.

Each optimiser is fed the same gradients as a Keras optimiser updating a float64 variable.
Keras keeps the learning rate in a float32 variable, so the tests use learning rates that
float32 holds exactly (powers of two); other hyperparameters are Python floats and reach the
float64 update unrounded. Small gradients make the place of ε and the starting value of the
accumulators visible: a variant with either one changed must *not* match.
"""

import numpy as np
import pytest
from test_descent import keras_path

from neurotransfer import descent

A = np.diag([1.0, 4.0, 10.0])
W0 = np.array([1.0, -2.0, 0.5])


def quad_grad(w):
    return A @ w


def tiny_grad(w):
    return 1e-4 * (A @ w)


def close(ours, reference):
    np.testing.assert_allclose(ours, reference, rtol=1e-12, atol=1e-15)


def defaults(function):
    import inspect

    return {name: p.default for name, p in inspect.signature(function).parameters.items()
            if p.default is not inspect.Parameter.empty}


@pytest.mark.parametrize("grad", [quad_grad, tiny_grad])
def test_adagrad_matches_keras_with_its_accumulator_start_and_epsilon(keras, grad):
    reference = keras_path(keras.optimizers.Adagrad(learning_rate=2**-4), grad, W0, 30)
    # Keras fills the accumulator with its default 0.1 rounded to float32
    start = float(np.float32(0.1))
    close(descent.adagrad(grad, W0, lr=2**-4, steps=30, initial_accumulator=start).w, reference)
    zero_start = descent.adagrad(grad, W0, lr=2**-4, steps=30, initial_accumulator=0.0).w
    assert np.abs(zero_start - reference).max() > 1e-3


def test_defaults_are_keras_defaults(keras):
    pairs = [(descent.adagrad, keras.optimizers.Adagrad(),
              {"initial_accumulator": "initial_accumulator_value", "epsilon": "epsilon"}),
             (descent.rmsprop, keras.optimizers.RMSprop(),
              {"rho": "rho", "momentum": "momentum", "epsilon": "epsilon"}),
             (descent.adamw, keras.optimizers.AdamW(),
              {"weight_decay": "weight_decay", "beta1": "beta_1", "beta2": "beta_2",
               "epsilon": "epsilon"})]
    for function, optimizer, names in pairs:
        ours, theirs = defaults(function), optimizer.get_config()
        assert {k: ours[k] for k in names} == {k: theirs[v] for k, v in names.items()}


def test_adagrad_epsilon_sits_inside_the_root(keras):
    optimizer = keras.optimizers.Adagrad(learning_rate=2**-4, initial_accumulator_value=0.0,
                                         epsilon=1e-7)
    reference = keras_path(optimizer, tiny_grad, W0, 30)
    ours = descent.adagrad(tiny_grad, W0, lr=2**-4, steps=30, initial_accumulator=0.0)
    close(ours.w, reference)
    # ε outside the root, as Duchi et al. write it, gives a different path at these gradients
    a, w, outside = 0.0, W0.copy(), [W0.copy()]
    for _ in range(30):
        g = tiny_grad(w)
        a = a + g**2
        w = w - 2**-4 * g / (np.sqrt(a) + 1e-7)
        outside.append(w.copy())
    assert np.abs(np.array(outside) - reference).max() > 1e-3


@pytest.mark.parametrize("momentum", [0.0, 0.75])
@pytest.mark.parametrize("grad", [quad_grad, tiny_grad])
def test_rmsprop_matches_keras_step_for_step(keras, grad, momentum):
    optimizer = keras.optimizers.RMSprop(learning_rate=2**-6, rho=0.875, momentum=momentum)
    reference = keras_path(optimizer, grad, W0, 30)
    close(descent.rmsprop(grad, W0, lr=2**-6, steps=30, rho=0.875, momentum=momentum).w,
          reference)


def test_rmsprop_default_rho_and_epsilon_are_keras(keras):
    reference = keras_path(keras.optimizers.RMSprop(learning_rate=2**-6), tiny_grad, W0, 20)
    close(descent.rmsprop(tiny_grad, W0, lr=2**-6, steps=20).w, reference)
    eps_outside_scale = descent.rmsprop(tiny_grad, W0, lr=2**-6, steps=20, epsilon=1e-14).w
    assert np.abs(eps_outside_scale - reference).max() > 1e-4


@pytest.mark.parametrize("grad", [quad_grad, tiny_grad])
def test_adamw_matches_keras_step_for_step(keras, grad):
    optimizer = keras.optimizers.AdamW(learning_rate=2**-5, weight_decay=0.25, beta_1=0.875,
                                       beta_2=1 - 2**-10)
    reference = keras_path(optimizer, grad, W0, 40)
    ours = descent.adamw(grad, W0, lr=2**-5, steps=40, weight_decay=0.25, beta1=0.875,
                         beta2=1 - 2**-10)
    close(ours.w, reference)


def test_adamw_decay_is_not_l2():
    # the same decay as an L2 term in the gradient goes through 1/sqrt(v): another path
    l2 = descent.adam(lambda w: quad_grad(w) + 0.25 * w, W0, lr=2**-5, steps=40, epsilon=1e-7,
                      epsilon_hat=True).w
    decoupled = descent.adamw(quad_grad, W0, lr=2**-5, steps=40, weight_decay=0.25).w
    assert np.abs(l2 - decoupled).max() > 1e-2


def test_adamw_without_decay_is_keras_adam(keras):
    optimizer = keras.optimizers.Adam(learning_rate=2**-5, beta_1=0.875, beta_2=1 - 2**-10)
    reference = keras_path(optimizer, tiny_grad, W0, 25)
    ours = descent.adamw(tiny_grad, W0, lr=2**-5, steps=25, weight_decay=0.0, beta1=0.875,
                         beta2=1 - 2**-10)
    close(ours.w, reference)


def test_nesterov_matches_keras_sgd_at_keras_default_style_settings(keras):
    optimizer = keras.optimizers.SGD(learning_rate=2**-5, momentum=0.875, nesterov=True)
    reference = keras_path(optimizer, quad_grad, W0, 50)
    close(descent.momentum(quad_grad, W0, lr=2**-5, steps=50, beta=0.875, nesterov=True).w,
          reference)
    heavy = descent.momentum(quad_grad, W0, lr=2**-5, steps=50, beta=0.875).w
    assert np.abs(heavy - reference).max() > 1e-2


def test_adaptive_methods_converge_on_a_quadratic():
    for method in (descent.adagrad, descent.rmsprop, descent.adamw):
        extra = {"weight_decay": 0.0} if method is descent.adamw else {}
        run = method(quad_grad, W0, lr=0.05, steps=3000, **extra)
        assert not run.diverged and np.abs(run.w[-1]).max() < 0.03


@pytest.mark.parametrize("method, kwargs, error, word", [
    (descent.adagrad, {"lr": 0.0}, ValueError, "lr"),
    (descent.adagrad, {"initial_accumulator": -0.1}, ValueError, "initial_accumulator"),
    (descent.adagrad, {"epsilon": 0.0}, ValueError, "epsilon"),
    (descent.rmsprop, {"rho": 1.0}, ValueError, "rho"),
    (descent.rmsprop, {"momentum": -0.5}, ValueError, "momentum"),
    (descent.rmsprop, {"lr": "fast"}, TypeError, "lr"),
    (descent.adamw, {"weight_decay": -1.0}, ValueError, "weight_decay"),
    (descent.adamw, {"beta2": 1.5}, ValueError, "beta2"),
    (descent.adamw, {"steps": -1}, ValueError, "steps"),
    (descent.adamw, {"weight_decay": True}, TypeError, "weight_decay"),
])
def test_bad_settings_name_the_argument(method, kwargs, error, word):
    settings = {"lr": 0.1, "steps": 3, **kwargs}
    with pytest.raises(error, match=word):
        method(quad_grad, W0, **settings)
