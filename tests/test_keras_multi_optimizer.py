"""The Keras 3.15.1 ``MultiOptimizer`` behaviours that discriminative learning rates rely on.

``keras.optimizers.MultiOptimizer`` with an ``OptimizerMap`` hands each trainable variable to
the optimizer whose key matches the variable's path (a regular expression, matched in full;
unmatched variables go to the default optimizer). Notebook 5 of the transfer chapter trains
the new head and the pretrained base of one model at two rates this way, and resets both
optimizers between runs with :func:`neurotransfer.training.reset_optimizer`. An upgrade that
changes any of this fails here.
"""

import numpy as np
import pytest

import neurotransfer as nt
from neurotransfer import models, training, transfer


def _data():
    rng = np.random.default_rng(0)
    return rng.random((20, 64)).astype("float32"), np.arange(20) % 3


def _model(keras, head_optimizer, base_optimizer):
    nt.setup(seed=0)
    model = transfer.build_transfer_model(models.small_mlp(), num_classes=3)
    rates_by_part = keras.optimizers.OptimizerMap(base_optimizer,
                                                  {"new_head/.*": head_optimizer})
    model.compile(optimizer=keras.optimizers.MultiOptimizer(rates_by_part),
                  loss="sparse_categorical_crossentropy")
    return model


def test_the_pinned_version(keras):
    assert keras.__version__ == "3.15.1"


def test_each_part_moves_by_its_own_rate_times_its_gradient(keras):
    """Against a reference: the gradients from ``tf.GradientTape`` times each part's rate."""
    import tensorflow as tf

    model = _model(keras, keras.optimizers.SGD(0.1), keras.optimizers.SGD(0.01))
    x, y = _data()
    before = [np.asarray(v).copy() for v in model.trainable_variables]
    with tf.GradientTape() as tape:
        loss = keras.losses.sparse_categorical_crossentropy(y, model(x, training=True))
        loss = tf.reduce_mean(loss)
    gradients = tape.gradient(loss, model.trainable_variables)
    model.train_on_batch(x, y)
    paths = [v.path for v in model.trainable_variables]
    assert paths[-2:] == ["new_head/kernel", "new_head/bias"]
    for path, b, g, v in zip(paths, before, gradients, model.trainable_variables, strict=True):
        rate = 0.1 if path.startswith("new_head/") else 0.01
        np.testing.assert_allclose(np.asarray(v), b - rate * np.asarray(g), atol=1e-6)


def test_two_adams_at_one_rate_train_as_one_adam_does(keras):
    x, y = _data()
    two = _model(keras, keras.optimizers.Adam(1e-2), keras.optimizers.Adam(1e-2))
    nt.setup(seed=0)
    one = transfer.build_transfer_model(models.small_mlp(), num_classes=3)
    one.compile(optimizer=keras.optimizers.Adam(1e-2), loss="sparse_categorical_crossentropy")
    for a, b in zip(two.get_weights(), one.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)
    for _ in range(5):
        two.train_on_batch(x, y)
        one.train_on_batch(x, y)
    for a, b in zip(two.get_weights(), one.get_weights(), strict=True):
        np.testing.assert_allclose(a, b, atol=1e-6)


def test_reset_optimizer_reaches_both_inner_optimizers_and_keeps_their_rates(keras):
    head, base = keras.optimizers.Adam(1e-2), keras.optimizers.Adam(1e-3)
    model = _model(keras, head, base)
    x, y = _data()
    model.train_on_batch(x, y)
    assert int(head.iterations) == int(base.iterations) == 1
    assert len(head.variables) == 2 + 2 * 2      # step, rate, two moments per head variable
    assert len(base.variables) == 2 + 2 * 4      # the MLP base: two kernels, two biases
    training.reset_optimizer(model)
    for optimizer, rate in ((head, 1e-2), (base, 1e-3)):
        assert float(optimizer.learning_rate) == pytest.approx(rate)
        for v in optimizer.variables:
            if not v.path.endswith("learning_rate"):
                assert not np.any(np.asarray(v)), v.path
    head.learning_rate = 5e-2  # the setter assigns the optimizer's rate variable
    assert float(head.learning_rate) == pytest.approx(5e-2)
