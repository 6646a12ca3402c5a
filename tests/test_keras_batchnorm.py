"""The Keras 3.15.1 BatchNormalization behaviours that the transfer chapter relies on.

A BatchNormalization layer uses (and updates) batch statistics only when it is called with
``training=True`` *and* its ``trainable`` is true; ``fit`` passes ``training=True`` to every
layer of a functional model, overriding a ``training=False`` written when the model was built
(keras-team/keras issue #20285). An upgrade that changes any of this fails here.
"""

import numpy as np

import neurotransfer as nt


def _data():
    rng = np.random.default_rng(0)
    x = rng.normal(5, 2, (40, 3)).astype("float32")
    return x, (x[:, 0] > 5).astype("int64")


def _source_and_transfer(keras, **call_kwargs):
    inputs = keras.Input(shape=(3,))
    normalised = keras.layers.BatchNormalization(name="bn")(inputs)
    source = keras.Model(inputs, keras.layers.Dense(2, activation="softmax")(normalised))
    trunk = keras.Model(source.inputs, source.get_layer("bn").output, name="base")
    new_inputs = keras.Input(shape=(3,))
    features = trunk(new_inputs, **call_kwargs)
    model = keras.Model(new_inputs, keras.layers.Dense(2, activation="softmax")(features))
    return source, model


def _moving_mean(source):
    return np.asarray(source.get_layer("bn").moving_mean)


def test_the_pinned_version(keras):
    assert keras.__version__ == "3.15.1"


def test_a_non_trainable_layer_runs_in_inference_mode_even_when_training(keras):
    x, _ = _data()
    bn = keras.layers.BatchNormalization()
    bn(x, training=True)
    moved = np.asarray(bn.moving_mean).copy()
    assert np.all(moved > 0)
    bn.trainable = False
    output = np.asarray(bn(x, training=True))
    np.testing.assert_array_equal(np.asarray(bn.moving_mean), moved)
    np.testing.assert_allclose(output, np.asarray(bn(x, training=False)), rtol=1e-6)


def test_fit_overrides_training_false_written_at_build_time(keras):
    source, model = _source_and_transfer(keras, training=False)
    x, y = _data()
    nt.training.fit_steps(model, x, y, 5, batch_size=20, learning_rate=1e-4)
    assert np.all(_moving_mean(source) > 0)


def test_freezing_the_bn_layers_after_unfreezing_keeps_the_statistics(keras):
    source, model = _source_and_transfer(keras, training=False)
    x, y = _data()
    model.get_layer("base").trainable = True
    source.get_layer("bn").trainable = False  # the Keras guide's way
    nt.training.fit_steps(model, x, y, 5, batch_size=20, learning_rate=1e-4)
    assert np.all(_moving_mean(source) == 0)
    model.get_layer("base").trainable = True  # already true: the layer stays frozen
    assert not source.get_layer("bn").trainable
    model.get_layer("base").trainable = False  # a freeze-unfreeze cycle makes it trainable
    model.get_layer("base").trainable = True
    assert source.get_layer("bn").trainable
    nt.training.fit_steps(model, x, y, 5, batch_size=20, learning_rate=1e-4)
    assert np.all(_moving_mean(source) > 0)


def test_build_transfer_model_keeps_the_statistics_of_an_unfrozen_base(keras):
    source, _ = _source_and_transfer(keras)
    model = nt.transfer.build_transfer_model(source, 2)
    model.get_layer("base").trainable = True
    x, y = _data()
    nt.training.fit_steps(model, x, y, 5, batch_size=20, learning_rate=1e-4)
    assert np.all(_moving_mean(source) == 0)
    assert len(model.trainable_weights) > 2  # the base's scale and shift do train


def test_the_pretrained_cnn_with_batch_normalization(keras, tmp_path):
    model = nt.pretrained.load_pretrained("digits_cnn_bn", folder=tmp_path)
    names = [layer.name for layer in model.layers]
    assert "bn_1" in names and "bn_2" in names
    x, y = nt.pretrained.source_data("digits_cnn_bn", "test")
    assert nt.pretrained.accuracy(model, x, y) > 0.9
