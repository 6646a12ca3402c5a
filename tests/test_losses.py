"""The NumPy losses against keras.losses and tf.GradientTape, and every bad-input case."""

import numpy as np
import pytest

import neurotransfer as nt
from neurotransfer import losses

nt.setup(seed=0)
import keras  # noqa: E402  (after setup, which quiets TensorFlow)
import tensorflow as tf  # noqa: E402

RNG = np.random.default_rng(0)
SCALES = [1.0, 10.0, 1000.0]  # ordinary, large and extreme logits


def _keras(loss, y_true, y_pred):
    return float(loss(np.asarray(y_true, np.float32), np.asarray(y_pred, np.float32)))


def _logits(n=16, classes=5, scale=1.0):
    return (scale * RNG.standard_normal((n, classes))).astype(np.float32)


@pytest.mark.parametrize("shape", [(20,), (20, 1), (12, 4)])
def test_regression_losses_match_keras(shape):
    y, p = RNG.standard_normal(shape) * 3, RNG.standard_normal(shape) * 3
    assert losses.mse(y, p) == pytest.approx(_keras(keras.losses.MeanSquaredError(), y, p), 1e-5)
    assert losses.mae(y, p) == pytest.approx(_keras(keras.losses.MeanAbsoluteError(), y, p), 1e-5)
    for delta in (0.5, 1.0, 3.0):
        expected = _keras(keras.losses.Huber(delta=delta), y, p)
        assert losses.huber(y, p, delta=delta) == pytest.approx(expected, 1e-5)


def test_huber_is_half_mse_for_small_errors_and_linear_for_large():
    assert losses.huber([0.0], [0.1]) == pytest.approx(0.5 * losses.mse([0.0], [0.1]))
    assert losses.huber([0.0], [10.0], delta=2.0) == pytest.approx(2.0 * (10.0 - 1.0))


@pytest.mark.parametrize("shape", [(30,), (30, 1)])
def test_binary_cross_entropy_matches_keras(shape):
    y = RNG.integers(0, 2, shape).astype(float)
    p = RNG.uniform(0.01, 0.99, shape)
    expected = _keras(keras.losses.BinaryCrossentropy(), y, p)
    assert losses.binary_cross_entropy(y, p) == pytest.approx(expected, 1e-5)
    soft = RNG.uniform(0, 1, shape)  # soft targets are allowed, as in Keras
    expected = _keras(keras.losses.BinaryCrossentropy(), soft, p)
    assert losses.binary_cross_entropy(soft, p) == pytest.approx(expected, 1e-5)


def test_binary_cross_entropy_clips_like_keras_and_raw_formula_is_infinite():
    y, p = [1.0, 0.0], [0.0, 0.0]
    expected = _keras(keras.losses.BinaryCrossentropy(), y, p)
    assert losses.binary_cross_entropy(y, p) == pytest.approx(expected, 1e-3)
    assert losses.binary_cross_entropy(y, p, eps=0) == np.inf
    assert losses.binary_cross_entropy([1.0, 0.0], [1.0, 0.0], eps=0) == 0.0


@pytest.mark.parametrize("scale", SCALES)
def test_cross_entropy_from_logits_matches_keras(scale):
    logits = _logits(scale=scale)
    labels = RNG.integers(0, 5, len(logits))
    onehot = np.eye(5)[labels]
    sparse = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    dense = keras.losses.CategoricalCrossentropy(from_logits=True)
    ours = losses.cross_entropy_from_logits(labels, logits)
    assert np.isfinite(ours)
    assert ours == pytest.approx(_keras(sparse, labels, logits), rel=1e-5, abs=1e-5)
    assert ours == pytest.approx(_keras(dense, onehot, logits), rel=1e-5, abs=1e-5)
    assert losses.cross_entropy_from_logits(onehot, logits) == pytest.approx(ours)


@pytest.mark.parametrize("scale", [0.5, 3.0])
def test_cross_entropy_from_probabilities_matches_keras(scale):
    probs = losses.softmax(_logits(scale=scale))
    labels = RNG.integers(0, 5, len(probs))
    sparse = _keras(keras.losses.SparseCategoricalCrossentropy(), labels, probs)
    dense = _keras(keras.losses.CategoricalCrossentropy(), np.eye(5)[labels], probs)
    assert losses.cross_entropy(labels, probs) == pytest.approx(sparse, 1e-5)
    assert losses.cross_entropy(np.eye(5)[labels], probs) == pytest.approx(dense, 1e-5)
    assert losses.cross_entropy(labels, probs) == pytest.approx(
        losses.cross_entropy_from_logits(labels, np.log(probs)), 1e-6)


def test_naive_cross_entropy_overflows_where_log_sum_exp_does_not():
    logits = np.array([[800.0, 0.0, -800.0]])
    assert losses.cross_entropy([2], losses.softmax(logits), eps=0) == np.inf
    assert losses.cross_entropy_from_logits([2], logits) == pytest.approx(1600.0)
    assert np.all(np.isfinite(losses.log_softmax(logits)))


@pytest.mark.parametrize("scale", SCALES)
def test_softmax_matches_keras(scale):
    logits = _logits(scale=scale)
    expected = keras.activations.softmax(tf.constant(logits)).numpy()
    np.testing.assert_allclose(losses.softmax(logits), expected, atol=1e-6)
    np.testing.assert_allclose(losses.softmax(logits).sum(axis=-1), 1.0, atol=1e-12)


@pytest.mark.parametrize("scale", SCALES)
def test_cross_entropy_gradient_matches_gradient_tape(scale):
    logits = _logits(n=8, classes=4, scale=scale).astype(np.float64)
    labels = RNG.integers(0, 4, len(logits))
    z = tf.Variable(logits)
    with tf.GradientTape() as tape:
        loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True)(labels, z)
    expected = tape.gradient(loss, z).numpy()
    np.testing.assert_allclose(losses.cross_entropy_gradient(labels, logits), expected,
                               atol=1e-7)
    one = losses.cross_entropy_gradient(labels[:1], logits[:1])
    np.testing.assert_allclose(one, losses.softmax(logits[:1]) - np.eye(4)[labels[:1]])


BAD_INPUTS = [
    (losses.mse, ([1.0, 2.0], [1.0, 2.0, 3.0]), "same shape"),
    (losses.mse, ([], []), "must hold at least 1 value"),
    (losses.mse, ([1.0, np.nan], [1.0, 2.0]), "finite"),
    (losses.mae, ([1.0, 2.0], [np.inf, 2.0]), "finite"),
    (losses.mae, ([[1.0]], [1.0]), "same shape"),
    (losses.huber, ([1.0], [1.0, 2.0]), "same shape"),
    (losses.binary_cross_entropy, ([1.0, 0.0], [1.2, 0.5]), r"\[0, 1\]"),
    (losses.binary_cross_entropy, ([2.0, 0.0], [0.2, 0.5]), r"y_true must hold probabilities"),
    (losses.binary_cross_entropy, ([1.0], [0.2, 0.5]), "same shape"),
    (losses.binary_cross_entropy, ([1.0], [np.nan]), "finite"),
    (losses.cross_entropy, ([0, 3], [[0.5, 0.5, 0.0], [0.2, 0.3, 0.5]]), r"0\.\.2"),
    (losses.cross_entropy, ([0, -1], [[0.5, 0.5], [0.2, 0.8]]), r"0\.\.1"),
    (losses.cross_entropy, ([0, 1.5], [[0.5, 0.5], [0.2, 0.8]]), "whole-number"),
    (losses.cross_entropy, ([0, 1], [[0.5, 0.6], [0.2, 0.8]]), "sum to 1"),
    (losses.cross_entropy, ([0, 1], [[1.5, -0.5], [0.2, 0.8]]), r"\[0, 1\]"),
    (losses.cross_entropy, ([0, 1, 1], [[0.5, 0.5], [0.2, 0.8]]), "labels must have shape"),
    (losses.cross_entropy, ([[1, 1], [0, 1]], [[0.5, 0.5], [0.2, 0.8]]), "sum to 1"),
    (losses.cross_entropy, ([0], [0.5, 0.5]), r"shape \(n, classes\)"),
    (losses.cross_entropy, ([], np.zeros((0, 3))), "must hold at least 1 value"),
    (losses.cross_entropy, ([np.nan], [[0.5, 0.5]]), "finite"),
    (losses.cross_entropy_from_logits, ([0, 2], [[1.0, 2.0], [3.0, 4.0]]), r"0\.\.1"),
    (losses.cross_entropy_from_logits, ([0], [[1.0, np.inf]]), "finite"),
    (losses.cross_entropy_from_logits, ([0], [1.0, 2.0]), r"shape \(n, classes\)"),
    (losses.cross_entropy_gradient, ([0, 1], [[1.0, 2.0]]), "labels must have shape"),
    (losses.softmax, ([[np.nan, 1.0]],), "finite"),
    (losses.softmax, ([],), "must hold at least 1 value"),
    (losses.log_softmax, ([[np.inf, 1.0]],), "finite"),
]


@pytest.mark.parametrize(("function", "args", "message"), BAD_INPUTS)
def test_bad_input_raises_value_error_saying_what_was_expected(function, args, message):
    with pytest.raises(ValueError, match=message):
        function(*args)


@pytest.mark.parametrize("delta", [0, -1.0, np.nan])
def test_huber_rejects_a_non_positive_delta(delta):
    with pytest.raises(ValueError, match="delta must be a positive number"):
        losses.huber([0.0], [1.0], delta=delta)
