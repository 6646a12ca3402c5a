"""Unit tests of neurotransfer.pretrained that need no trained model."""

import numpy as np
import pytest

import neurotransfer as nt
from neurotransfer import pretrained


class _Fixed:
    """Stands in for a model: always the same class probabilities."""

    def __call__(self, x, training=False):
        return np.array([[0.9, 0.1], [0.2, 0.8], [0.6, 0.4]])


def test_accuracy_counts_matching_labels():
    assert pretrained.accuracy(_Fixed(), None, np.array([0, 1, 1])) == pytest.approx(2 / 3)


@pytest.mark.parametrize("y", [np.array([[0], [1], [1]]), np.array([0, 1]), 1])
def test_accuracy_rejects_labels_that_do_not_pair_with_examples(y):
    with pytest.raises(ValueError, match="one integer label per example"):
        pretrained.accuracy(_Fixed(), None, y)


def test_unknown_name_is_a_value_error():
    nt.setup(seed=0)
    with pytest.raises(ValueError, match="unknown model"):
        pretrained.source_data("digits_rnn")


def _fashion_or_skip():
    import os

    try:
        nt.data.fashion_mnist_folder()
    except nt.data.FashionMNISTError:
        if os.environ.get("CI"):
            raise
        pytest.skip("Fashion-MNIST is not installed (apt-get install dataset-fashion-mnist)")


def test_fashion_recipes_split_the_ten_classes_in_two_halves():
    for a, b in [(pretrained.FASHION_TOPS, pretrained.FASHION_REST),
                 (pretrained.FASHION_MIXED_A, pretrained.FASHION_MIXED_B)]:
        assert sorted(a + b) == list(range(10))
    assert pretrained.PRETRAINED["fashion_tops_cnn"].classes == pretrained.FASHION_TOPS
    assert pretrained.PRETRAINED["fashion_mixed_cnn"].classes == pretrained.FASHION_MIXED_A
    nt.setup(seed=0)
    for name in ["fashion_tops_cnn", "fashion_mixed_cnn"]:
        model = pretrained.PRETRAINED[name].build()
        assert model.input_shape == (None, 28, 28, 1) and model.output_shape == (None, 5)


def test_fashion_source_data_are_the_recipes_classes_relabelled():
    _fashion_or_skip()
    x, y = pretrained.source_data("fashion_tops_cnn")
    assert x.shape == (25_000, 28, 28, 1) and np.bincount(y).tolist() == [5_000] * 5
    x_test, y_test = pretrained.source_data("fashion_mixed_cnn", "test")
    part = nt.data.fashion_mnist("test")
    first = int(np.flatnonzero(np.isin(part.y, pretrained.FASHION_MIXED_A))[0])
    np.testing.assert_array_equal(x_test[0, ..., 0], part.images[first])
    assert y_test[0] == pretrained.FASHION_MIXED_A.index(part.y[first])


def test_a_fashion_model_is_built_on_demand_verified_and_reloaded(tmp_path):
    _fashion_or_skip()
    nt.setup(seed=0)
    model = pretrained.load_pretrained("fashion_tops_cnn", folder=tmp_path)
    weights, checksum = pretrained.paths("fashion_tops_cnn", tmp_path)
    assert checksum.read_text().strip() == pretrained.sha256(weights)
    x, y = pretrained.source_data("fashion_tops_cnn", "test")
    accuracy = pretrained.accuracy(model, x, y)
    assert 0.7 < accuracy < 0.95  # five similar kinds of top: far above chance (0.2)
    again = pretrained.load_pretrained("fashion_tops_cnn", folder=tmp_path)
    assert pretrained.accuracy(again, x, y) == accuracy


def _keras_names():
    from keras.src.backend.common import global_state

    return dict(global_state.get_global_attribute("object_name_uids") or {})


def test_a_model_built_now_and_one_loaded_from_its_file_leave_the_same_state(tmp_path):
    """Building a missing model must not change what the notebook does next: the same layer
    names (they reach the last digits of later sums) and the same random sequences."""
    import collections
    import random

    import keras
    from keras.src.backend.common import global_state

    nt.setup(seed=0)
    keras.layers.Dense(2)  # the notebook has made something already
    names, python = _keras_names(), random.getstate()
    numpy_state = np.random.get_state()  # noqa: NPY002
    after = []
    for _ in ("built now", "loaded from the file"):
        global_state.set_global_attribute("object_name_uids",
                                          collections.defaultdict(int, names))
        random.setstate(python)
        np.random.set_state(numpy_state)  # noqa: NPY002
        nt.pretrained.load_pretrained("digits_mlp", folder=tmp_path)
        after.append((_keras_names(), random.getstate(),
                      np.random.get_state()[1].tolist()))  # noqa: NPY002
    assert after[0] == after[1]


def test_the_weights_do_not_depend_on_what_was_built_before(tmp_path):
    import keras

    nt.setup(seed=0)
    first = nt.pretrained.save_pretrained(nt.pretrained.pretrain("digits_mlp"), "digits_mlp",
                                          tmp_path / "a")
    for _ in range(5):
        keras.layers.Dense(3)
    keras.Sequential([keras.Input((4,)), keras.layers.Dense(2)])
    second = nt.pretrained.save_pretrained(nt.pretrained.pretrain("digits_mlp"), "digits_mlp",
                                           tmp_path / "b")
    assert nt.pretrained.sha256(first) == nt.pretrained.sha256(second)


def _pretrain_warnings(threads):
    """The RuntimeWarnings of pretraining a small model in a new process with ``threads``."""
    import os
    import subprocess
    import sys

    code = ("import warnings, neurotransfer as nt\n"
            f"nt.setup(seed=0, threads={threads})\n"
            "with warnings.catch_warnings(record=True) as seen:\n"
            "    warnings.simplefilter('always')\n"
            "    nt.pretrained.pretrain('digits_0to4_mlp')\n"
            "print([str(w.message) for w in seen if w.category is RuntimeWarning])\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}, check=True)
    return result.stdout.strip().splitlines()[-1]


def test_pretraining_warns_when_the_thread_count_is_not_the_courses():
    import warnings

    nt.setup(seed=0)
    used = nt.repro._threads_in_use()
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        pretrained.pretrain("digits_0to4_mlp")
    warned = [w for w in seen if "TensorFlow thread" in str(w.message)]
    assert len(warned) == (used != nt.repro.DEFAULT_THREADS)
    message = _pretrain_warnings(1)  # a new process, where one thread can still be chosen
    assert "with 1 TensorFlow thread(s)" in message and "differ" in message
