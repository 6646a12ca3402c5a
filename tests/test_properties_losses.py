"""Properties of the NumPy losses: non-negative, equal to ``keras.losses``, strict on input."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from property_support import NON_FINITE, covers, finite_arrays, floats, refused, shapes, spoiled

import neurotransfer as nt
from neurotransfer import losses

nt.setup(seed=0)
import keras  # noqa: E402  (after setup, which quiets TensorFlow)

F64 = "float64"


#: Fewer examples where every example calls into TensorFlow.
keras_calls = settings(max_examples=15)


def keras_value(loss, y_true, y_pred):
    """The Keras loss computed in float64, so that only real differences show."""
    return float(loss(np.asarray(y_true, np.float64), np.asarray(y_pred, np.float64)))


@st.composite
def regression_pairs(draw):
    shape = draw(shapes(1, 2))
    return draw(finite_arrays(shape, -100, 100)), draw(finite_arrays(shape, -100, 100))


@st.composite
def classification(draw, logits=False):
    n, k = draw(st.integers(1, 6)), draw(st.integers(2, 5))
    labels = draw(finite_arrays((n,), 0, k - 1).map(np.floor).map(lambda a: a.astype(int)))
    scores = draw(finite_arrays((n, k), -20, 20))
    if not logits:
        scores = np.exp(scores - scores.max(axis=1, keepdims=True))
        scores = scores / scores.sum(axis=1, keepdims=True)
    return labels, scores


@keras_calls
@covers(losses.mse, losses.mae, losses.huber)
@given(regression_pairs(), st.floats(0.1, 10))
def test_regression_losses_are_non_negative_and_equal_keras(pair, delta):
    y_true, y_pred = pair
    pairs = ((losses.mse(y_true, y_pred), keras.losses.MeanSquaredError(dtype=F64)),
             (losses.mae(y_true, y_pred), keras.losses.MeanAbsoluteError(dtype=F64)),
             (losses.huber(y_true, y_pred, delta), keras.losses.Huber(delta, dtype=F64)))
    for ours, theirs in pairs:
        assert ours >= 0
        assert ours == pytest.approx(keras_value(theirs, y_true, y_pred), rel=1e-4, abs=1e-4)


@keras_calls
@covers(losses.binary_cross_entropy)
@given(st.integers(1, 8).flatmap(lambda n: st.tuples(
    finite_arrays((n,), 0, 1).map(np.round), finite_arrays((n,), 0, 1))))
def test_binary_cross_entropy_is_non_negative_and_equals_keras(pair):
    y_true, p = pair
    ours = losses.binary_cross_entropy(y_true, p)
    theirs = keras_value(keras.losses.BinaryCrossentropy(dtype=F64), y_true, p)
    assert ours >= 0 and ours == pytest.approx(theirs, rel=1e-3, abs=1e-3)


@keras_calls
@covers(losses.cross_entropy, losses.cross_entropy_from_logits)
@given(classification(logits=True))
def test_cross_entropies_equal_keras_for_integer_and_one_hot_labels(data):
    labels, logits = data
    probs = losses.softmax(logits)
    one_hot = np.eye(logits.shape[1])[labels]
    sparse = keras.losses.SparseCategoricalCrossentropy(dtype=F64)
    sparse_logits = keras.losses.SparseCategoricalCrossentropy(from_logits=True, dtype=F64)
    dense_logits = keras.losses.CategoricalCrossentropy(from_logits=True, dtype=F64)
    ours_p, ours_z = losses.cross_entropy(labels, probs), losses.cross_entropy_from_logits(
        labels, logits)
    assert ours_p >= 0 and ours_z >= 0
    assert ours_p == pytest.approx(keras_value(sparse, labels, probs), rel=1e-3, abs=1e-4)
    assert ours_z == pytest.approx(keras_value(sparse_logits, labels, logits), rel=1e-4,
                                   abs=1e-4)
    assert losses.cross_entropy_from_logits(one_hot, logits) == pytest.approx(
        keras_value(dense_logits, one_hot, logits), rel=1e-4, abs=1e-4)
    assert losses.cross_entropy(one_hot, probs) == pytest.approx(ours_p)


@covers(losses.softmax, losses.log_softmax)
@given(finite_arrays(shapes(1, 3), -1e300, 1e300))
def test_softmax_and_log_softmax_are_finite_and_consistent(logits):
    p, log_p = losses.softmax(logits), losses.log_softmax(logits)
    assert np.all(np.isfinite(p)) and np.all(np.isfinite(log_p)) and np.all(log_p <= 0)
    np.testing.assert_allclose(p.sum(axis=-1), 1.0, rtol=1e-12)
    np.testing.assert_allclose(np.exp(log_p), p, rtol=1e-9, atol=1e-300)


@covers(losses.cross_entropy_gradient)
@given(classification(logits=True))
def test_cross_entropy_gradient_matches_finite_differences(data):
    labels, logits = data
    grad = losses.cross_entropy_gradient(labels, logits)
    numeric = nt.descent.numerical_gradient(
        lambda z: losses.cross_entropy_from_logits(labels, z), logits, eps=1e-5)
    np.testing.assert_allclose(grad, numeric, atol=1e-6)
    np.testing.assert_allclose(grad.sum(axis=1), 0.0, atol=1e-12)  # rows of p − y sum to 0


@covers(losses.mse, losses.mae, losses.huber, losses.binary_cross_entropy)
@given(st.sampled_from([losses.mse, losses.mae, losses.huber, losses.binary_cross_entropy]),
       finite_arrays(shapes(1, 2), 0, 1).flatmap(spoiled), st.booleans())
def test_elementwise_losses_refuse_nan_and_infinity(loss, spoilt, in_prediction):
    clean = np.full(spoilt.shape, 0.5)
    name = ("p" if loss is losses.binary_cross_entropy else "y_pred") if in_prediction \
        else "y_true"
    args = (clean, spoilt) if in_prediction else (spoilt, clean)
    refused(loss, name, *args)


@covers(losses.mse, losses.mae, losses.huber, losses.binary_cross_entropy)
@given(st.sampled_from([losses.mse, losses.mae, losses.huber, losses.binary_cross_entropy]),
       shapes(1, 2), shapes(1, 2))
def test_elementwise_losses_refuse_other_shapes_and_empty_or_complex_input(loss, a, b):
    if a != b:
        refused(loss, "same shape", np.full(a, 0.5), np.full(b, 0.5))
    refused(loss, "y_true", np.zeros(0), np.zeros(0))
    refused(loss, "y_true", np.full(a, 0.5 + 0.5j), np.full(a, 0.5))


@covers(losses.cross_entropy, losses.cross_entropy_from_logits, losses.cross_entropy_gradient)
@given(classification(), st.sampled_from(["too big", "negative", "fraction", "nan"]))
def test_cross_entropies_refuse_labels_outside_the_classes(data, how):
    labels, probs = data
    bad = labels.astype(float)
    bad[0] = {"too big": probs.shape[1], "negative": -1, "fraction": 0.5,
              "nan": np.nan}[how]
    refused(losses.cross_entropy, "labels", bad, probs)
    refused(losses.cross_entropy_from_logits, "labels", bad, np.log(probs + 1e-12))
    refused(losses.cross_entropy_gradient, "labels", bad, np.log(probs + 1e-12))


@covers(losses.binary_cross_entropy, losses.cross_entropy)
@given(st.one_of(NON_FINITE, st.floats(0.5, 1e6), st.floats(max_value=-1e-12),
                 st.sampled_from(["1e-7", None, 1j])))
def test_cross_entropies_refuse_a_bad_clipping_margin(eps):
    refused(losses.binary_cross_entropy, "eps", [1.0, 0.0], [0.9, 0.2], eps=eps)
    refused(losses.cross_entropy, "eps", [0], [[0.9, 0.1]], eps=eps)


@covers(losses.cross_entropy, losses.binary_cross_entropy)
@given(classification(), floats(1.001, 5))
def test_probability_losses_refuse_values_that_are_no_probabilities(data, factor):
    labels, probs = data
    refused(losses.cross_entropy, "probs", labels, probs * factor)
    refused(losses.binary_cross_entropy, "p", np.zeros(probs.size), probs.ravel() * -factor)


@covers(losses.huber)
@given(st.one_of(NON_FINITE, st.floats(max_value=0.0), st.sampled_from(["1", None])))
def test_huber_refuses_a_bad_delta(delta):
    refused(losses.huber, "delta", [0.0], [1.0], delta=delta)
