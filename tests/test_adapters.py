import numpy as np
import pytest

import neurotransfer as nt

nt.setup(seed=0)
import keras  # noqa: E402
import tensorflow as tf  # noqa: E402

from neurotransfer.adapters import Adapter, count_params, plot_tradeoff  # noqa: E402


def test_adapter_starts_as_identity_and_matches_the_formula():
    adapter = Adapter(3)
    x = np.random.default_rng(0).normal(size=(5, 8)).astype("float32")
    assert np.array_equal(np.asarray(adapter(x)), x)
    rng = np.random.default_rng(1)
    adapter.up.assign(rng.normal(size=(3, 8)).astype("float32"))
    adapter.bias.assign(rng.normal(size=3).astype("float32"))
    hidden = np.maximum(x @ adapter.down.numpy() + adapter.bias.numpy(), 0)
    expected = x + hidden @ adapter.up.numpy()
    np.testing.assert_allclose(np.asarray(adapter(x)), expected, rtol=1e-5, atol=1e-5)


def test_adapter_parameter_count_and_gradients_reach_it():
    adapter = Adapter(4)
    x = tf.ones((2, 64))
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(adapter(x) ** 2)
    grads = tape.gradient(loss, adapter.trainable_weights)
    assert adapter.count_params() == 2 * 64 * 4 + 4
    # with up = 0, only up receives a gradient at the start
    assert [float(tf.reduce_max(tf.abs(g))) > 0 for g in grads] == [False, False, True]


def test_adapter_rejects_bad_bottleneck_and_round_trips_config():
    for bad in (0, -2, 2.5, True):
        with pytest.raises((ValueError, TypeError), match="bottleneck"):
            Adapter(bad)
    assert Adapter.from_config(Adapter(5).get_config()).bottleneck == 5


def test_count_params_follows_trainable_flags():
    inp = keras.Input((64,))
    hidden = keras.layers.Dense(32)
    head = keras.layers.Dense(10)
    model = keras.Model(inp, head(hidden(inp)))
    assert count_params(model) == {"trainable": 64 * 32 + 32 + 330, "frozen": 0}
    hidden.trainable = False
    assert count_params(model) == {"trainable": 330, "frozen": 64 * 32 + 32}
    assert count_params(model)["trainable"] == model.count_params() - 64 * 32 - 32
    with pytest.raises(TypeError, match="Keras model or layer"):
        count_params([1, 2])


def test_plot_tradeoff_checks_shapes():
    import matplotlib.pyplot as plt

    ax = plot_tradeoff(["a", "b"], [10, 100], [[0.5, 0.6], [0.7, 0.8]])
    assert ax.get_xscale() == "log" and ax.get_xlabel()
    with pytest.raises(ValueError, match="one row"):
        plot_tradeoff(["a"], [10, 100], [[0.5, 0.6]])
    plt.close("all")
