import numpy as np
import pytest

from neurotransfer import initialization as ini


def test_variances_match_the_schemes():
    (w, _), = ini.initial_weights([400, 200], "glorot", seed=1)
    assert w.var() == pytest.approx(2 / 600, rel=0.02)
    (w, _), = ini.initial_weights([400, 200], "he", seed=1)
    assert w.var() == pytest.approx(2 / 400, rel=0.02)


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu", "linear"])
def test_gradients_match_gradient_tape(activation):
    import tensorflow as tf

    rng = np.random.default_rng(0)
    x = rng.normal(size=(7, 5))
    layers = ini.initial_weights([5, 4, 3, 2], "he", seed=2)
    for _w, b in layers:
        b += rng.normal(size=b.shape) * 0.1
    stats = ini.layer_statistics(x, layers, activation)
    f = {"sigmoid": tf.sigmoid, "tanh": tf.tanh, "relu": tf.nn.relu,
         "linear": tf.identity}[activation]
    ws = [tf.Variable(w) for w, _ in layers]
    with tf.GradientTape() as tape:
        h = tf.constant(x)
        for w, (_, b) in zip(ws, layers, strict=True):
            h = f(h @ w + b)
        loss = tf.reduce_mean(tf.reduce_sum(h ** 2, axis=1)) / 2
    for mine, theirs in zip(stats["gradients"], tape.gradient(loss, ws), strict=True):
        np.testing.assert_allclose(mine, theirs.numpy(), rtol=1e-10, atol=1e-12)
    assert stats["activation_variance"].shape == (3,)


def test_he_keeps_relu_variance_and_glorot_shrinks_it():
    x = np.random.default_rng(0).normal(size=(500, 256))
    he = ini.layer_statistics(x, ini.initial_weights([256] * 11, "he"), "relu")
    glorot = ini.layer_statistics(x, ini.initial_weights([256] * 11, "glorot"), "relu")
    assert 0.3 < he["activation_variance"][-1] / he["activation_variance"][0] < 3
    assert glorot["activation_variance"][-1] / glorot["activation_variance"][0] < 0.01


def test_dead_units():
    h = np.maximum(np.random.default_rng(0).normal(size=(10, 4)), 0)
    h[:, 2] = 0
    assert ini.dead_units(h).tolist() == [2]


def test_bad_input_is_refused():
    with pytest.raises(ValueError, match="scheme"):
        ini.initial_weights([3, 3], scheme="lecun")
    with pytest.raises(ValueError, match="sizes"):
        ini.initial_weights([3])
    with pytest.raises(ValueError, match="activation"):
        ini.layer_statistics(np.ones((2, 3)), ini.initial_weights([3, 2]), "swish")
    with pytest.raises(ValueError, match=r"layers\[0\] W must have shape \(4, any\)"):
        ini.layer_statistics(np.ones((2, 4)), ini.initial_weights([3, 2]), "relu")
    with pytest.raises(ValueError, match="finite"):
        ini.layer_statistics(np.full((2, 3), np.nan), ini.initial_weights([3, 2]), "relu")
    with pytest.raises(ValueError, match="2 dimension"):
        ini.dead_units(np.ones(3))
