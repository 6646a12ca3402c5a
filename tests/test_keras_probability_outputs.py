"""Keras 3.15.1 / TensorFlow 2.21: cross-entropy on probabilities, two routes.

With the TensorFlow backend, Keras' own ``softmax``/``sigmoid`` activations store their
input on the output tensor (``output._keras_logits``, set in
``keras/src/activations/activations.py`` and ``keras/src/backend/tensorflow/nn.py``), and the
cross-entropy losses (``from_logits=False``) compute from those logits. Probabilities made
anywhere else (NumPy, ``tf.nn.softmax``, a ``Lambda`` layer) carry no logits: the loss clips
them to ``[1e-7, 1 - 1e-7]`` and the gradient through the clipped values is zero. Chapter 2
(``01_measuring_error``) teaches both routes; these tests fail loudly if an upgrade changes
either.
"""

import numpy as np
import pytest

import neurotransfer as nt

nt.setup(seed=0)
import keras  # noqa: E402  (after setup, which quiets TensorFlow)
import tensorflow as tf  # noqa: E402

LOGITS = np.array([[1000.0, 0.0, -1000.0], [1000.0, 0.0, -1000.0]], dtype=np.float32)
CLASSES = np.array([0, 2])  # a confident right answer, a confident wrong one
CLIPPED = -np.log(1e-7) / 2  # the wrong example capped at -log(1e-7), halved by the batch mean


def test_versions_the_behaviour_was_measured_on():
    assert keras.__version__ == "3.15.1"
    assert tf.__version__.startswith("2.21")


def _softmax_model():
    """``Dense(3, activation="softmax")`` whose logits equal its inputs (identity kernel)."""
    inputs = keras.Input(shape=(3,))
    layer = keras.layers.Dense(3, activation="softmax", kernel_initializer="identity",
                               bias_initializer="zeros")
    return keras.Model(inputs, layer(inputs))


def test_dense_softmax_model_uses_the_logits():
    model = _softmax_model()
    x = tf.constant(LOGITS)
    with tf.GradientTape() as tape:
        probabilities = model(x)
        loss = keras.losses.SparseCategoricalCrossentropy()(CLASSES, probabilities)
    kernel_gradient, bias_gradient = tape.gradient(loss, model.trainable_variables)
    assert hasattr(probabilities, "_keras_logits")
    assert float(loss) == pytest.approx(1000.0)
    # d loss / d logits = (p - y) / 2 = (0.5, 0, -0.5) for the wrong example; times x = 1000
    assert np.allclose(bias_gradient.numpy(), [0.5, 0.0, -0.5])
    assert np.allclose(np.abs(kernel_gradient.numpy()).max(), 500.0)
    assert np.allclose(kernel_gradient.numpy()[[0, 0, 2, 2], [0, 2, 0, 2]],
                       [500.0, -500.0, -500.0, 500.0])


def test_compiled_model_evaluates_from_the_logits():
    model = _softmax_model()
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    assert model.evaluate(LOGITS, CLASSES, verbose=0) == pytest.approx(1000.0)


@pytest.mark.parametrize("activation", [
    keras.activations.softmax,
    keras.layers.Activation("softmax"),
    keras.layers.Softmax(),
])
def test_keras_softmax_routes_keep_the_logits(activation):
    z = tf.Variable(LOGITS)
    with tf.GradientTape() as tape:
        loss = keras.losses.SparseCategoricalCrossentropy()(CLASSES, activation(z))
    gradient = tape.gradient(loss, z).numpy()
    assert float(loss) == pytest.approx(1000.0)
    assert np.allclose(gradient, [[0.0, 0.0, 0.0], [0.5, 0.0, -0.5]])


@pytest.mark.parametrize("route", ["tf.nn.softmax", "Lambda layer"])
def test_probabilities_made_outside_keras_are_clipped_with_zero_gradient(route):
    z = tf.Variable(LOGITS)
    make = (tf.nn.softmax if route == "tf.nn.softmax"
            else keras.layers.Lambda(lambda v: tf.nn.softmax(v)))
    with tf.GradientTape() as tape:
        probabilities = make(z)
        loss = keras.losses.SparseCategoricalCrossentropy()(CLASSES, probabilities)
    assert not hasattr(probabilities, "_keras_logits")
    assert float(loss) == pytest.approx(CLIPPED, rel=1e-5)
    assert round(float(loss), 2) == 8.06
    assert np.all(tape.gradient(loss, z).numpy() == 0)


def test_numpy_probabilities_are_clipped():
    probabilities = nt.losses.softmax(LOGITS.astype(float))
    loss = float(keras.losses.SparseCategoricalCrossentropy()(CLASSES, probabilities))
    assert loss == pytest.approx(CLIPPED, rel=1e-5)


def test_sigmoid_routes_behave_the_same_way():
    z = tf.Variable([[1000.0], [-1000.0]])
    wrong = np.array([[0.0], [1.0]])  # both examples confidently wrong
    with tf.GradientTape(persistent=True) as tape:
        keras_route = keras.losses.BinaryCrossentropy()(wrong, keras.activations.sigmoid(z))
        outside = keras.losses.BinaryCrossentropy()(wrong, tf.nn.sigmoid(z))
    assert float(keras_route) == pytest.approx(1000.0)
    assert np.allclose(tape.gradient(keras_route, z).numpy().ravel(), [0.5, -0.5])
    assert float(outside) < 17.0
    assert np.all(tape.gradient(outside, z).numpy() == 0)
