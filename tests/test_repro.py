"""`neurotransfer.setup`: seeds, determinism, clear errors."""

import numpy as np
import pytest

import neurotransfer as nt


# The legacy global NumPy generator is checked on purpose: it is the one setup() seeds.
def test_setup_makes_random_numbers_repeat():
    import tensorflow as tf

    nt.setup(seed=3)
    first = (np.random.rand(3), tf.random.uniform((3,)).numpy())  # noqa: NPY002
    nt.setup(seed=3)
    second = (np.random.rand(3), tf.random.uniform((3,)).numpy())  # noqa: NPY002
    np.testing.assert_array_equal(first[0], second[0])
    np.testing.assert_array_equal(first[1], second[1])


def test_setup_reports_what_it_set():
    info = nt.setup(seed=0)
    assert info["seed"] == 0 and info["deterministic"] is True and info["threads"] >= 1
    assert info["keras"].startswith("3.")


def test_keras_training_repeats_exactly():
    import keras

    def train():
        nt.setup(seed=1)
        model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(8, activation="relu"),
                                  keras.layers.Dense(1)])
        model.compile(optimizer="adam", loss="mse")
        x = np.random.rand(32, 4).astype("float32")  # noqa: NPY002
        return model.fit(x, x.sum(1), epochs=3, verbose=0).history["loss"]

    assert train() == train()


@pytest.mark.parametrize("seed", [-1, 1.5, "0", True])
def test_bad_seed_is_refused(seed):
    with pytest.raises((ValueError, TypeError), match="seed must be an integer"):
        nt.setup(seed=seed)


@pytest.mark.parametrize("threads", [0, -2, 2.0])
def test_bad_thread_count_is_refused(threads):
    with pytest.raises((ValueError, TypeError), match="threads must be an integer"):
        nt.setup(threads=threads)


def test_unknown_attribute_names_itself():
    with pytest.raises(AttributeError, match="no_such_module"):
        nt.no_such_module  # noqa: B018


def test_every_module_is_reachable_from_the_package():
    assert {"data", "plotting", "repro", "checks"} <= set(nt.SUBMODULES)
    assert nt.checks.check_close.__name__ == "check_close"


def test_seed_offset_shifts_every_seed_list(monkeypatch):
    from neurotransfer import repro

    monkeypatch.delenv(repro.SEED_OFFSET_VARIABLE, raising=False)
    assert repro.seeds(3) == [0, 1, 2]
    monkeypatch.setenv(repro.SEED_OFFSET_VARIABLE, "10")
    assert repro.seeds(5) == [10, 11, 12, 13, 14]
    monkeypatch.setenv(repro.SEED_OFFSET_VARIABLE, "-1")
    with pytest.raises(ValueError, match="NT_SEED_OFFSET"):
        repro.seeds(5)
