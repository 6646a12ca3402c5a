"""Properties of the functions that build, train and store Keras models.

Each example builds or trains a model, so these tests try few examples and share small
models built once.
"""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from property_support import (
    NOT_INTEGERS,
    NOT_POSITIVE,
    covers,
    finite_arrays,
    keras_settings,
    refused,
    spoiled,
    training_settings,
)

import neurotransfer as nt
from neurotransfer import (
    adapters,
    descent,
    forgetting,
    models,
    pretrained,
    regularization,
    training,
    transfer,
)

nt.setup(seed=0)
import keras  # noqa: E402
import tensorflow as tf  # noqa: E402

DIGITS = nt.data.digits_split("train")
X, Y = DIGITS.x[:60], DIGITS.y[:60] % 3   # three classes, small and fast
MLP = training.compile_for_steps(models.small_mlp(hidden=(8,), num_classes=3))


def fresh_mlp():
    return models.small_mlp(hidden=(8,), num_classes=3)


# ---- training ----

@covers(training.batch_order)
@given(st.integers(1, 50), st.integers(1, 20), st.integers(1, 16), st.integers(0, 2**32 - 1))
def test_every_pass_of_the_batch_order_is_a_permutation(n, steps, batch_size, seed):
    order = training.batch_order(n, steps, batch_size, seed)
    assert len(order) == steps * batch_size
    for start in range(0, len(order) - n + 1, n):
        assert sorted(order[start:start + n].tolist()) == list(range(n))
    assert np.array_equal(order, training.batch_order(n, steps, batch_size, seed))
    refused(training.batch_order, "seed", n, steps, batch_size, -1)
    refused(training.batch_order, "batch_size", n, steps, 0, seed)


@covers(training.check_inputs)
@given(finite_arrays((3, 64)).flatmap(spoiled), st.integers(1, 100))
def test_check_inputs_refuses_non_finite_or_misshapen_input(x, width):
    refused(training.check_inputs, "x", MLP, x)
    if width != 64:
        refused(training.check_inputs, "x", MLP, np.zeros((2, width)))
    refused(training.check_inputs, "model", "not a model", np.zeros((2, 64)))
    assert training.check_inputs(MLP, np.zeros((2, 64), np.float32)).dtype == np.float32


@covers(training.fit_steps, training.compile_for_steps)
@keras_settings
@given(st.integers(1, 5), st.sampled_from([8, 32]), st.floats(1e-4, 1e-2))
def test_fit_steps_takes_exactly_the_steps_asked_for(steps, batch_size, lr):
    model = MLP
    recompile = steps == 1   # both ways: compiled anew, or kept with a reset optimizer
    if not recompile:
        training.reset_optimizer(model, lr)
    history = training.fit_steps(model, X, Y, steps, batch_size, lr, seed=0, compile=recompile)
    assert len(history.history["loss"]) == 1 and np.isfinite(history.history["loss"][0])
    assert int(model.optimizer.iterations.numpy()) == steps
    assert float(model.optimizer.learning_rate.numpy()) == pytest.approx(lr, rel=1e-6)


@covers(training.fit_steps, training.compile_for_steps)
@given(st.sampled_from(["learning_rate", "x", "y", "steps", "batch_size", "seed"]), st.data())
def test_fit_steps_refuses_bad_input_before_tensorflow_sees_it(name, data):
    bad = {"learning_rate": NOT_POSITIVE,
           "x": st.just(X).flatmap(spoiled),
           "y": st.sampled_from([3, 7, -1, 0.5, np.nan]).map(
               lambda v: np.where(np.arange(len(Y)) == 0, v, Y)),
           "steps": st.one_of(NOT_INTEGERS, st.integers(max_value=0)),
           "batch_size": st.one_of(NOT_INTEGERS, st.integers(max_value=0)),
           "seed": st.one_of(NOT_INTEGERS, st.integers(max_value=-1))}[name]
    arguments = {"x": X, "y": Y, "steps": 1, "batch_size": 8, "learning_rate": 1e-3,
                 "seed": 0, name: data.draw(bad)}
    refused(training.fit_steps, name, MLP, **arguments)
    if name == "learning_rate":
        refused(training.compile_for_steps, name, MLP, arguments[name])


@covers(training.reset_optimizer)
@keras_settings
@given(st.floats(1e-4, 1e-1))
def test_reset_optimizer_zeroes_the_state_and_sets_the_rate(lr):
    refused(training.reset_optimizer, "model", fresh_mlp())   # not compiled yet
    model = MLP
    training.fit_steps(model, X, Y, 2, batch_size=8, compile=False)
    training.reset_optimizer(model, lr)
    assert int(model.optimizer.iterations.numpy()) == 0
    assert float(model.optimizer.learning_rate.numpy()) == pytest.approx(lr, rel=1e-6)
    refused(training.reset_optimizer, "learning_rate", model, -lr)


@covers(training.reinitialise, adapters.Adapter)
@keras_settings
@given(st.integers(0, 2**32 - 1), st.integers(4, 8))
def test_reinitialise_is_reproducible_and_leaves_adapters_able_to_learn(seed, bottleneck):
    inputs = keras.Input((64,))
    outputs = keras.layers.Dense(3, activation="softmax")(adapters.Adapter(bottleneck)(inputs))
    model = keras.Model(inputs, outputs)
    first = [w.copy() for w in training.reinitialise(model, seed).get_weights()]
    training.reinitialise(model, seed)
    assert all(np.array_equal(a, b) for a, b in zip(first, model.get_weights(), strict=True))
    adapter = model.layers[1]
    assert np.any(np.asarray(adapter.down) != 0) and np.all(np.asarray(adapter.up) == 0)
    assert np.allclose(adapter(X[:4]), X[:4])   # the identity again
    with tf.GradientTape() as tape:
        loss = keras.losses.sparse_categorical_crossentropy(Y, model(X))
    grad_up = tape.gradient(loss, adapter.up)
    assert np.any(np.asarray(grad_up) != 0)     # up receives a gradient: it can learn
    refused(training.reinitialise, "seed", model, -1)
    refused(adapters.Adapter, "bottleneck", 0)


# ---- models and transfer ----

@covers(models.small_mlp, models.small_cnn, models.source_text_mlp)
@keras_settings
@given(st.integers(1, 70), st.lists(st.integers(1, 16), min_size=1, max_size=2),
       st.integers(2, 10), st.booleans())
def test_model_builders_give_the_asked_shapes_and_refuse_bad_sizes(width, hidden, k, norm):
    assert models.small_mlp(width, hidden, k).output_shape == (None, k)
    assert models.source_text_mlp(width, k).output_shape == (None, k)
    cnn = models.small_cnn(k, filters=(2, 2), dense=4, batch_norm=norm)
    assert cnn.output_shape == (None, k) and ("bn_1" in [la.name for la in cnn.layers]) == norm
    refused(models.small_mlp, "hidden", width, [0])
    refused(models.small_mlp, "num_classes", width, hidden, 2.0)
    refused(models.source_text_mlp, "input_dim", 0)
    refused(models.small_cnn, "batch_norm", k, batch_norm="yes")


@covers(models.fashion_cnn)
@keras_settings
@given(st.integers(2, 10), st.tuples(st.integers(1, 6), st.integers(1, 6)), st.integers(1, 12))
def test_fashion_cnn_has_the_documented_layers_and_parameter_count(k, filters, dense):
    f1, f2 = filters
    model = models.fashion_cnn(num_classes=k, filters=filters, dense=dense)
    assert model.input_shape == (None, 28, 28, 1) and model.output_shape == (None, k)
    assert model.get_layer("conv_2").output.shape[1:] == (7, 7, f2)   # two stride-2 halvings
    expected = (9 * f1 + f1) + (9 * f1 * f2 + f2) + (49 * f2 * dense + dense) + (dense * k + k)
    assert model.count_params() == expected
    probabilities = model(np.zeros((2, 28, 28, 1), "float32")).numpy()
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0, rtol=1e-5)


@covers(models.fashion_cnn)
@given(st.sampled_from(["num_classes", "filters", "dense", "name"]), st.data())
def test_fashion_cnn_refuses_bad_sizes_before_keras_sees_them(name, data):
    bad = {"num_classes": st.one_of(st.integers(max_value=1), NOT_INTEGERS),
           "filters": st.one_of(st.lists(st.integers(1, 8), min_size=3, max_size=4),
                                st.lists(st.integers(1, 8), max_size=1),
                                st.tuples(st.integers(max_value=0), st.integers(1, 8)),
                                st.sampled_from(["8,16", None, 8])),
           "dense": st.one_of(st.integers(max_value=0), NOT_INTEGERS),
           "name": st.sampled_from(["", "  ", None, 3])}[name]
    value = data.draw(bad)
    refused(lambda: models.fashion_cnn(**{name: value}), name)   # "filters[0]" names filters


@covers(transfer.build_transfer_model, transfer.freeze, transfer.unfreeze, transfer.features)
@keras_settings
@given(st.integers(2, 6), st.sampled_from([None, "hidden_1", "pixels"]))
def test_a_transfer_model_shares_the_base_and_has_a_new_head(k, until):
    model = transfer.build_transfer_model(MLP, k)
    assert model.output_shape == (None, k)
    frozen = transfer.freeze(model.get_layer("base"), until if until != "pixels" else None)
    assert all(name in [la.name for la in MLP.layers] for name in frozen)
    transfer.unfreeze(model)
    assert len(model.trainable_weights) == len(model.weights)
    feats = transfer.features(MLP, X[:5], "hidden_1")
    assert feats.shape == (5, 8) and np.all(feats >= 0)
    refused(transfer.build_transfer_model, "num_classes", MLP, 1)
    refused(transfer.build_transfer_model, "feature_layer", MLP, k, "nope")
    refused(transfer.freeze, "until", MLP, "nope")
    refused(transfer.features, "layer", MLP, X[:5], "nope")
    refused(transfer.unfreeze, "model", None)


@covers(transfer.fine_tune)
@training_settings
@given(st.integers(1, 3), st.integers(1, 3))
def test_fine_tune_reports_a_finite_loss_per_phase(head_steps, fine_steps):
    model = transfer.build_transfer_model(fresh_mlp(), 3)
    result = transfer.fine_tune(model, X, Y, head_steps, fine_steps)
    assert set(result) == {"head", "fine"} and all(np.isfinite(v) for v in result.values())
    refused(transfer.fine_tune, "fine_lr", model, X, Y, fine_lr=np.nan)
    refused(transfer.fine_tune, "y", model, X, Y + 3)
    refused(transfer.fine_tune, "model", fresh_mlp(), X, Y)   # no layer "base"


@covers(transfer.head_from_classifier)
@keras_settings
@given(st.integers(2, 4), st.booleans(), st.integers(0, 100))
def test_a_head_from_a_classifier_gives_its_probabilities(k, scaled, seed):
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    rng = np.random.default_rng(seed)
    x, y = rng.normal(size=(40, 5)), np.arange(40) % k
    scaler = StandardScaler().fit(x) if scaled else None
    clf = LogisticRegression(max_iter=500).fit(scaler.transform(x) if scaled else x, y)
    kernel, bias = transfer.head_from_classifier(clf, scaler)
    assert kernel.shape == (5, k) and bias.shape == (k,)
    z = x @ kernel.astype(np.float64) + bias
    probs = nt.neurons.softmax(z)
    expected = clf.predict_proba(scaler.transform(x) if scaled else x)
    np.testing.assert_allclose(probs, expected, atol=1e-5)
    refused(transfer.head_from_classifier, "classifier", LogisticRegression())  # not fitted


# ---- regularisation training and restarts ----

@covers(regularization.record_training, regularization.data_loss_and_accuracy)
@training_settings
@given(st.integers(1, 4), st.integers(1, 3))
def test_record_training_records_every_evaluation_and_the_best(steps, every):
    logits = keras.Sequential([keras.Input((64,)), keras.layers.Dense(8, activation="relu"),
                               keras.layers.Dense(3)])
    logits.compile("adam", keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    out = regularization.record_training(logits, X, Y, X, Y, steps, 16, every)
    assert out["step"][0] == 0 and out["step"][-1] == steps
    assert out["best_step"] in out["step"].tolist()
    loss, acc = regularization.data_loss_and_accuracy(logits, X, Y)
    assert loss >= 0 and 0 <= acc <= 1
    refused(regularization.record_training, "y_val", logits, X, Y, X, Y + 3, steps)
    refused(regularization.data_loss_and_accuracy, "y", logits, X, Y + 3)


@covers(forgetting.restart)
@keras_settings
@given(st.integers(0, 1000))
def test_restart_returns_to_the_same_start_for_the_same_seed(seed):
    model = fresh_mlp()
    model.compile("adam", "sparse_categorical_crossentropy")
    forgetting.restart(model, seed=seed)
    start = model.get_weights()
    forgetting.restart(model, seed=seed)
    assert all(np.array_equal(a, b) for a, b in zip(start, model.get_weights(), strict=True))
    forgetting.restart(model, weights=start)
    refused(forgetting.restart, "weights", model, weights=start[:-1])
    refused(forgetting.restart, "weights[0]", model, weights=[w * np.nan for w in start])
    refused(forgetting.restart, "exactly one", model)


@covers(adapters.count_params)
@keras_settings
@given(st.integers(1, 30), st.integers(1, 30))
def test_count_params_adds_up_to_all_weights(width, units):
    layer = keras.layers.Dense(units)
    layer.build((None, width))
    assert adapters.count_params(layer) == {"trainable": (width + 1) * units, "frozen": 0}
    layer.trainable = False
    assert adapters.count_params(layer) == {"trainable": 0, "frozen": (width + 1) * units}
    refused(adapters.count_params, "model", [layer])


# ---- pretrained files ----

@covers(pretrained.home, pretrained.paths, pretrained.save_pretrained, pretrained.verify,
        pretrained.sha256, pretrained.ChecksumError)
@keras_settings
@given(st.binary(min_size=1, max_size=8), st.integers(0, 10**6))
def test_saved_weights_verify_until_a_byte_changes(junk, where):
    import tempfile

    folder = tempfile.mkdtemp()
    path = pretrained.save_pretrained(MLP, "tiny", folder)
    assert path == pretrained.paths("tiny", folder)[0] and pretrained.home().name
    assert pretrained.verify(path) == pretrained.sha256(path)
    blob = bytearray(path.read_bytes())
    position = where % len(blob)
    blob[position:position + len(junk)] = bytes(b ^ 0xFF for b in junk)
    path.write_bytes(bytes(blob))
    with pytest.raises(pretrained.ChecksumError, match="refusing to load"):
        pretrained.verify(path)
    refused(pretrained.paths, "name", "../escape", folder)
    refused(pretrained.save_pretrained, "folder", MLP, "tiny", path / "inside_a_file")
    refused(pretrained.sha256, "path", folder)


@covers(pretrained.load_pretrained, pretrained.pretrain, pretrained.source_data,
        pretrained.Recipe, pretrained.accuracy)
@given(st.text(min_size=1, max_size=12).filter(lambda s: s not in pretrained.PRETRAINED),
       st.sampled_from(sorted(pretrained.PRETRAINED)))
def test_pretrained_functions_refuse_unknown_names_and_bad_labels(name, known):
    recipe = pretrained.PRETRAINED[known]
    assert isinstance(recipe, pretrained.Recipe) and recipe.steps > 0
    refused(pretrained.load_pretrained, "name", name)
    refused(pretrained.pretrain, "name", name)
    refused(pretrained.source_data, "name", name)
    refused(pretrained.source_data, "split", known, "training")
    refused(pretrained.pretrain, "seed", known, seed=-1)
    refused(pretrained.accuracy, "y", MLP, X, Y + 10)
    assert 0 <= pretrained.accuracy(MLP, X, Y) <= 1


@covers(pretrained.load_pretrained)
@given(st.sampled_from(sorted(pretrained.PRETRAINED)))
def test_load_pretrained_refuses_an_unwritable_folder_before_training(name):
    import tempfile
    from pathlib import Path

    blocker = Path(tempfile.mkdtemp()) / "a_file"
    blocker.write_text("not a folder")
    original = pretrained.pretrain

    def must_not_train(*args, **kwargs):
        raise AssertionError("trained before checking the folder")

    pretrained.pretrain = must_not_train
    try:
        refused(pretrained.load_pretrained, "folder", name, blocker / "weights")
    finally:
        pretrained.pretrain = original


# ---- the adaptive optimisers against Keras 3.15.1 ----

DYADIC = st.sampled_from([0.5, 0.75, 0.875, 0.9375])   # held exactly in float32 and float64


@st.composite
def keras_optimiser_pairs(draw, which):
    """Our method ``which``, its settings, and the Keras optimiser with the same ones."""
    lr = 2.0 ** -draw(st.integers(2, 8))   # Keras keeps the rate in float32: use exact ones
    if which == "adagrad":
        start = float(np.float32(draw(st.sampled_from([0.0, 0.1, 1.0]))))
        return (descent.adagrad, dict(lr=lr, initial_accumulator=start),
                keras.optimizers.Adagrad(learning_rate=lr, initial_accumulator_value=start))
    if which == "rmsprop":
        rho, momentum = draw(DYADIC), draw(st.sampled_from([0.0, 0.5, 0.875]))
        return (descent.rmsprop, dict(lr=lr, rho=rho, momentum=momentum),
                keras.optimizers.RMSprop(learning_rate=lr, rho=rho, momentum=momentum))
    decay, beta1, beta2 = draw(st.sampled_from([0.0, 0.25])), draw(DYADIC), 1 - 2.0 ** -10
    return (descent.adamw, dict(lr=lr, weight_decay=decay, beta1=beta1, beta2=beta2),
            keras.optimizers.AdamW(learning_rate=lr, weight_decay=decay, beta_1=beta1,
                                   beta_2=beta2))


@covers(descent.adagrad, descent.rmsprop, descent.adamw)
@pytest.mark.parametrize("which", ["adagrad", "rmsprop", "adamw"])
@training_settings
@given(st.data(), st.integers(1, 3).flatmap(
    lambda d: st.tuples(finite_arrays((d, d), -2, 2), finite_arrays((d,), -3, 3))))
def test_adaptive_methods_match_keras_on_random_quadratics(which, data, problem):
    method, settings_, optimizer = data.draw(keras_optimiser_pairs(which))
    m, w0 = problem
    curvature = m @ m.T + 0.1 * np.eye(len(w0))   # a convex quadratic ½ wᵀAw, A random

    def grad(w):
        return curvature @ w

    ours = method(grad, w0, steps=6, **settings_).w
    var = keras.Variable(w0.astype(np.float64), dtype="float64")
    theirs = [var.numpy().copy()]
    for _ in range(6):
        optimizer.apply_gradients([(keras.ops.convert_to_tensor(grad(var.numpy())), var)])
        theirs.append(var.numpy().copy())
    np.testing.assert_allclose(ours, np.array(theirs), rtol=1e-10, atol=1e-12)
