"""Calls that once slipped through, crashed deep inside NumPy or TensorFlow, or gave a wrong
value, each pinned: every one now gets a clear error naming the argument, or the right value."""

import random
import warnings

import numpy as np
import pytest
from property_support import refused
from scipy import special

import neurotransfer as nt
from neurotransfer import (
    data,
    descent,
    domain_shift,
    double_descent,
    initialization,
    losses,
    lr_range,
    models,
    neurons,
    plotting,
    pretrained,
    regularization,
    sweeps,
    training,
    transfer,
)

nt.setup(seed=0)
import keras  # noqa: E402

IMAGES = np.zeros((2, 8, 8))
CASES = [
    # pools whose labels are not 0..k-1 are fine; an empty list of sizes is refused
    (lambda: sweeps.run_sweep({"a": lambda *a: np.zeros(1)}, (np.zeros((2, 1)), [5, 6]),
                              (np.zeros((1, 1)), [5]), [], [0]), "labels_per_class"),
    (lambda: losses.binary_cross_entropy([1.0], [0.9], eps=np.nan), "eps"),
    (lambda: losses.binary_cross_entropy([1.0], [0.9], eps=0.6), "eps"),
    (lambda: losses.mse(np.array([1 + 1j]), np.array([1.0])), "y_true"),
    (lambda: neurons.lif_rate(3.0, v_rest=np.nan), "v_rest"),
    (lambda: neurons.simulate_lif(3.0, 2000.0, 5.0), "dt"),
    (lambda: neurons.simulate_lif(3.0, np.inf, 0.1), "duration"),
    (lambda: neurons.rate_from_spikes([30.0, 10.0, 20.0]), "spike_times"),
    (lambda: neurons.rate_from_spikes([10.0, 10.0]), "spike_times"),
    (lambda: neurons.softmax([np.inf, 0.0]), "z"),
    (lambda: data.two_blobs(distance=np.nan), "distance"),
    (lambda: data.xor(noise=np.nan), "noise"),
    (lambda: data.regression_with_outliers(slope=np.nan), "slope"),
    (lambda: initialization.initial_weights([64.0, 10.0]), "sizes"),
    (lambda: regularization.shift_images(IMAGES, 1.0, 0), "rows"),
    (lambda: nt.setup(seed=2**40), "seed"),
    (lambda: lr_range.step_decay(-1, lr=0.5, every=100), "step"),
    (lambda: lr_range.step_decay(5, lr=0.5, every=2, factor=-1), "factor"),
    (lambda: lr_range.smooth([1.0, np.nan]), "values"),
    (lambda: lr_range.suggest_range([np.nan, 1.0, 2.0], [1.0, 1.0, 1.0]), "rates"),
    (lambda: lr_range.cosine_decay(np.nan, lr=1.0, total=10), "step"),
    (lambda: models.as_images(np.zeros((0, 64))), "x"),
    (lambda: models.as_images(np.zeros((3, 2, 32))), "x"),
    (lambda: double_descent.min_norm_least_squares(np.full((2, 2), np.nan), np.ones(2)),
     "features"),
    (lambda: domain_shift.blur(IMAGES, np.inf), "sigma"),
    (lambda: plotting.show_images(IMAGES, ncols=1.5), "ncols"),
    (lambda: descent.numerical_gradient(lambda w: float(w.sum()), [np.nan]), "w"),
    (lambda: double_descent.random_relu_features(np.full((2, 2), np.nan), 3), "x"),
]


@pytest.mark.parametrize("call, name", CASES)
def test_bad_input_is_refused_with_the_argument_named(call, name):
    refused(call, name)


def test_fit_steps_refuses_rates_nan_inputs_and_labels_tensorflow_would_mangle():
    model = models.small_mlp(hidden=(4,), num_classes=3)
    x, y = np.zeros((20, 64), np.float32), np.arange(20) % 3
    for lr in (-0.05, 0.0, np.nan):
        refused(training.fit_steps, "learning_rate", model, x, y, 5, learning_rate=lr)
    bad_x = x.copy()
    bad_x[3, 5] = np.nan
    refused(training.fit_steps, "x", model, bad_x, y, 5)
    for label in (7, 0.5):
        refused(training.fit_steps, "y", model, x, np.where(y == 1, label, y), 5)


def test_reset_optimizer_and_record_training_name_the_problem():
    model = models.small_mlp(hidden=(4,), num_classes=3)
    refused(training.reset_optimizer, "model", model)
    model.compile("adam", "sparse_categorical_crossentropy")
    x, y = np.zeros((4, 64)), np.array([0, 1, 2, 0])
    refused(regularization.record_training, "y_val", model, x, y, x, np.array([0, 1, 2, 9]),
            steps=1)


def test_sigmoid_keeps_its_relative_precision_far_out():
    z = np.array([-700.0, -40.0, -30.0, -20.0, 0.0, 20.0, 40.0])
    np.testing.assert_allclose(neurons.sigmoid(z), special.expit(z), rtol=1e-14)
    assert neurons.sigmoid(-40.0) == pytest.approx(4.248354255291589e-18, rel=1e-14)
    np.testing.assert_allclose(neurons.sigmoid_derivative([-40.0, 40.0]),
                               special.expit(40.0) * special.expit(-40.0), rtol=1e-14)
    assert neurons.sigmoid_derivative(40.0) > 0


def test_cross_entropy_eps_is_a_margin_below_one_half():
    assert losses.binary_cross_entropy([1.0], [0.9], eps=0.0) == pytest.approx(-np.log(0.9))
    assert losses.binary_cross_entropy([1.0], [0.9], eps=0.4) == pytest.approx(-np.log(0.6))


def test_reinitialised_adapter_can_learn():
    from neurotransfer.adapters import Adapter

    inputs = keras.Input((16,))
    outputs = keras.layers.Dense(2, activation="softmax")(Adapter(4)(inputs))
    model = keras.Model(inputs, outputs)
    training.reinitialise(model, seed=3)
    adapter = model.layers[1]
    assert np.abs(np.asarray(adapter.down)).max() > 0 and np.all(np.asarray(adapter.up) == 0)
    x, y = np.random.default_rng(0).uniform(size=(64, 16)).astype("float32"), np.arange(64) % 2
    model.layers[2].trainable = False
    training.fit_steps(model, x, y, steps=20, learning_rate=1e-2)
    assert np.abs(np.asarray(adapter.up)).max() > 0      # up has moved away from zero


def test_reinitialise_refuses_a_trainable_weight_it_cannot_draw():
    class Odd(keras.layers.Layer):
        def build(self, shape):
            self.mystery = self.add_weight(name="mystery", shape=(shape[-1],))

        def call(self, x):
            return x * self.mystery

    inputs = keras.Input((3,))
    model = keras.Model(inputs, Odd()(inputs))
    with pytest.raises(ValueError, match="mystery"):
        training.reinitialise(model)


@pytest.mark.parametrize("scaled", [False, True])
def test_head_from_a_two_class_regression_is_a_two_unit_softmax(scaled):
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    d = data.digits_split("train")
    x, y = d.x[:300], (d.y[:300] >= 5).astype(int)
    scaler = StandardScaler().fit(x) if scaled else None
    clf = LogisticRegression(max_iter=2000).fit(scaler.transform(x) if scaled else x, y)
    kernel, bias = transfer.head_from_classifier(clf, scaler)
    assert kernel.shape == (64, 2) and bias.shape == (2,)
    head = keras.layers.Dense(2, activation="softmax")
    head.build((None, 64))
    head.set_weights([kernel, bias])
    expected = clf.predict_proba(scaler.transform(x) if scaled else x)
    np.testing.assert_allclose(np.asarray(head(x)), expected, atol=1e-5)


def test_setup_reports_the_threads_tensorflow_uses_once_it_runs():
    import tensorflow as tf

    tf.constant(1.0) + 1.0   # TensorFlow is running now
    actual = tf.config.threading.get_intra_op_parallelism_threads() or len(
        __import__("os").sched_getaffinity(0))
    other = actual + 1
    with pytest.warns(RuntimeWarning, match="cannot take effect"):
        info = nt.setup(0, threads=other)
    assert info["threads"] == actual != other
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert nt.setup(0)["threads"] == actual


def test_pretrain_leaves_the_global_random_state_alone(tmp_path):
    legacy = np.random  # the global generator a notebook's np.random calls draw from
    random.seed(123)
    legacy.seed(123)  # noqa: NPY002
    expected = (random.random(), legacy.random())  # noqa: NPY002
    random.seed(123)
    legacy.seed(123)  # noqa: NPY002
    pretrained.pretrain("digits_0to4_mlp")
    assert (random.random(), legacy.random()) == expected  # noqa: NPY002


def test_a_folder_that_cannot_be_written_is_refused_before_training(tmp_path, monkeypatch):
    blocker = tmp_path / "a_file"
    blocker.write_text("")
    monkeypatch.setattr(pretrained, "pretrain", lambda *a, **k: pytest.fail("trained first"))
    refused(pretrained.load_pretrained, "folder", "digits_mlp", blocker / "models")


def test_the_blur_example_prints_the_true_ink():
    image = np.zeros((1, 5, 5))
    image[0, 2, 2] = 1
    out = domain_shift.blur(image, 1.0)
    assert round(float(out.sum()), 3) == 0.982 and round(float(out[0, 2, 2]), 3) == 0.159
