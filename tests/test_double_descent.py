import numpy as np
import pytest

from neurotransfer import double_descent as dd


def test_features_are_relu_of_a_fixed_random_layer():
    x = np.random.default_rng(1).normal(size=(6, 4))
    f1, f2 = dd.random_relu_features(x, 9, seed=3), dd.random_relu_features(x, 9, seed=3)
    np.testing.assert_array_equal(f1, f2)
    assert f1.min() == 0.0 and f1.shape == (6, 9)


def test_least_squares_matches_normal_equations_and_pseudo_inverse():
    rng = np.random.default_rng(0)
    f, t = rng.normal(size=(30, 5)), rng.normal(size=(30, 2))
    np.testing.assert_allclose(dd.min_norm_least_squares(f, t),
                               np.linalg.solve(f.T @ f, f.T @ t), atol=1e-10)
    f = rng.normal(size=(5, 30))  # more features than examples: min-norm exact fit
    w = dd.min_norm_least_squares(f, t[:5])
    np.testing.assert_allclose(f @ w, t[:5], atol=1e-10)
    np.testing.assert_allclose(w, np.linalg.pinv(f) @ t[:5], atol=1e-10)
    np.testing.assert_allclose(w, f.T @ np.linalg.solve(f @ f.T, t[:5]), atol=1e-8)


def test_curve_peaks_near_the_interpolation_threshold():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(140, 10))
    t = np.tanh(x @ rng.normal(size=(10, 1))) + 0.3 * rng.normal(size=(140, 1))
    widths = [5, 40, 40 * 4, 40 * 16]
    curve = dd.error_by_width(x[:40], t[:40], x[40:], t[40:], widths, seeds=[0, 1])
    test = np.median(curve["test_mse"], axis=0)
    assert test[1] > 3 * test[0] and test[1] > 3 * test[3]
    assert np.all(curve["train_mse"][:, 2:] < 1e-20)


def test_bad_input_is_refused():
    with pytest.raises(ValueError, match="p must be"):
        dd.random_relu_features(np.ones((2, 2)), 0)
    with pytest.raises(ValueError, match="2 dimension"):
        dd.random_relu_features(np.ones(3), 2)
    with pytest.raises(ValueError, match="same length"):
        dd.min_norm_least_squares(np.ones((3, 2)), np.ones((4, 1)))
    with pytest.raises(ValueError, match="widths must hold at least 1"):
        dd.error_by_width(np.ones((2, 2)), np.ones((2, 1)), np.ones((2, 2)), np.ones((2, 1)), [])
