"""`neurotransfer.transfer` and `.pretrained`: freezing, checksums, clear errors, sweeps."""

import numpy as np
import pytest

import neurotransfer as nt
from neurotransfer import models, pretrained, sweeps, training, transfer

nt.setup(seed=0)


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return tmp_path_factory.mktemp("pretrained")


def test_frozen_weights_do_not_change_during_fit_and_unfrozen_ones_do():
    base = models.small_mlp()
    model = transfer.build_transfer_model(base, num_classes=3)
    transfer.freeze(model.get_layer("base"))
    before = [w.copy() for w in model.get_layer("base").get_weights()]
    head_before = model.get_layer("new_head").get_weights()[0].copy()
    x, y = np.random.default_rng(0).random((30, 64)), np.arange(30) % 3
    training.fit_steps(model, x, y, steps=5, learning_rate=1e-2)
    for b, a in zip(before, model.get_layer("base").get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)
    assert not np.allclose(head_before, model.get_layer("new_head").get_weights()[0])
    model.get_layer("base").trainable = True
    training.fit_steps(model, x, y, steps=5, learning_rate=1e-2)  # recompiles
    assert not np.allclose(before[0], model.get_layer("base").get_weights()[0])


def test_freeze_until_a_layer_leaves_later_layers_trainable():
    model = models.small_mlp(hidden=(8, 8, 8))
    assert transfer.freeze(model, until="hidden_2") == ["hidden_1", "hidden_2"]
    assert [layer.trainable for layer in model.layers[1:]] == [False, False, True, True]
    with pytest.raises(ValueError, match="until must name a layer"):
        transfer.freeze(model, until="conv_9")


def test_load_pretrained_builds_once_then_verifies(folder):
    model = pretrained.load_pretrained("digits_mlp", folder=folder)
    x, y = pretrained.source_data("digits_mlp", "test")
    assert pretrained.accuracy(model, x, y) > 0.9
    again = pretrained.load_pretrained("digits_mlp", folder=folder)
    for a, b in zip(model.get_weights(), again.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("damage", ["tamper", "truncate"])
def test_a_damaged_weights_file_is_refused_naming_file_and_checksums(tmp_path, damage):
    model = models.small_mlp(hidden=(4,))
    path = pretrained.save_pretrained(model, "digits_mlp", folder=tmp_path)
    recorded = pretrained.sha256(path)
    raw = path.read_bytes()
    if damage == "tamper":
        raw = raw[:-100] + bytes(b ^ 0xFF for b in raw[-100:])
    else:
        raw = raw[: len(raw) // 2]
    path.write_bytes(raw)
    with pytest.raises(pretrained.ChecksumError) as info:
        pretrained.load_pretrained("digits_mlp", folder=tmp_path)
    message = str(info.value)
    assert str(path) in message and recorded in message and pretrained.sha256(path) in message
    assert isinstance(info.value, ValueError)


def test_missing_checksum_is_refused(tmp_path):
    path = pretrained.save_pretrained(models.small_mlp(), "digits_mlp", folder=tmp_path)
    path.with_name(path.name + ".sha256").unlink()
    with pytest.raises(ValueError, match="no recorded checksum"):
        pretrained.load_pretrained("digits_mlp", folder=tmp_path)


def test_unknown_model_name_lists_the_known_ones():
    with pytest.raises(ValueError) as info:
        pretrained.load_pretrained("resnet50")
    for name in pretrained.PRETRAINED:
        assert name in str(info.value)


def test_weights_file_holds_no_code(folder):
    import h5py

    path, _ = pretrained.paths("digits_mlp", folder)
    pretrained.load_pretrained("digits_mlp", folder=folder)
    with h5py.File(path, "r") as f:
        kinds = set()
        f.visititems(lambda name, obj: kinds.add(type(obj).__name__))
    assert kinds <= {"Group", "Dataset"}
    assert b"lambda" not in path.read_bytes() and b"pickle" not in path.read_bytes()


def test_home_follows_the_environment_variable(monkeypatch, tmp_path):
    monkeypatch.setenv("NEUROTRANSFER_HOME", str(tmp_path))
    assert pretrained.home() == tmp_path
    monkeypatch.delenv("NEUROTRANSFER_HOME")
    assert pretrained.home().name == "artifacts"  # running from the source tree


def test_wrong_input_shape_raises_value_error():
    model = transfer.build_transfer_model(models.small_cnn(), num_classes=4)
    with pytest.raises(ValueError, match=r"must have shape \(n, 8, 8, 1\)"):
        training.fit_steps(model, np.zeros((5, 64)), np.zeros(5, int), steps=1)
    with pytest.raises(ValueError, match="feature_layer must name"):
        transfer.build_transfer_model(models.small_cnn(), 4, feature_layer="nope")


def test_reinitialise_is_seeded_and_head_from_classifier_matches_sklearn():
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    a, b = models.small_mlp(), models.small_mlp()
    training.reinitialise(a, seed=3)
    training.reinitialise(b, seed=3)
    np.testing.assert_array_equal(a.get_weights()[0], b.get_weights()[0])
    rng = np.random.default_rng(0)
    x, y = rng.normal(5, 3, (60, 64)), np.arange(60) % 3
    scaler = StandardScaler().fit(x)
    clf = LogisticRegression(max_iter=1000).fit(scaler.transform(x), y)
    kernel, bias = transfer.head_from_classifier(clf, scaler)
    logits = x @ kernel + bias
    p = np.exp(logits - logits.max(1, keepdims=True))
    np.testing.assert_allclose(p / p.sum(1, keepdims=True),
                               clf.predict_proba(scaler.transform(x)), atol=1e-4)


def test_sweep_rejects_more_labels_per_class_than_exist():
    x, y = np.zeros((10, 2)), np.repeat([0, 1], 5)
    guess = lambda *args: np.zeros(10, int)  # noqa: E731
    with pytest.raises(ValueError, match="smallest class has only 5"):
        sweeps.run_sweep({"guess": guess}, (x, y), (x, y), [2, 6], seeds=[0])
    rows = sweeps.run_sweep({"guess": guess}, (x, y), (x, y), [2, 5], seeds=[0, 1])
    assert len(rows) == 4 and {r["accuracy"] for r in rows} == {0.5}


def test_unfrozen_batch_norm_keeps_its_statistics_in_a_transfer_model():
    cnn = models.small_cnn(batch_norm=True)
    model = transfer.build_transfer_model(cnn, num_classes=3)
    model.get_layer("base").trainable = True
    mean = np.asarray(cnn.get_layer("bn_1").moving_mean).copy()
    kernel = cnn.get_layer("conv_1").get_weights()[0].copy()
    x = np.random.default_rng(0).random((30, 8, 8, 1)).astype("float32") * 5
    training.fit_steps(model, x, np.arange(30) % 3, steps=5, learning_rate=1e-2)
    np.testing.assert_array_equal(np.asarray(cnn.get_layer("bn_1").moving_mean), mean)
    assert not np.allclose(cnn.get_layer("conv_1").get_weights()[0], kernel)
