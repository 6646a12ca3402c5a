"""`NT_THREADS`: the thread count `nt.setup()` gives TensorFlow when a test run asks for it."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

import neurotransfer as nt

SRC = Path(nt.__file__).resolve().parents[1]


def test_nt_threads_sets_tensorflows_thread_count():
    env = {**os.environ, "NT_THREADS": "1", "PYTHONPATH": str(SRC)}
    code = ("import neurotransfer as nt, tensorflow as tf; info = nt.setup(); "
            "print(info['threads'], tf.config.threading.get_intra_op_parallelism_threads(), "
            "tf.config.threading.get_inter_op_parallelism_threads())")
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                            text=True, check=True)
    assert result.stdout.split() == ["1", "1", "1"]


@pytest.mark.parametrize("text", ["0", "-1", "two", "1.5"])
def test_a_bad_nt_threads_is_refused(monkeypatch, text):
    monkeypatch.setenv("NT_THREADS", text)
    with pytest.raises(ValueError, match="NT_THREADS must be a positive integer"):
        nt.setup()


def test_an_explicit_thread_count_wins_over_nt_threads(monkeypatch):
    monkeypatch.setenv("NT_THREADS", "not used")
    assert nt.setup(seed=0, threads=1)["seed"] == 0


_TRAIN = """
import json, os, sys
os.sched_setaffinity(0, set(sorted(os.sched_getaffinity(0))[:int(sys.argv[1])]))
import neurotransfer as nt
info = nt.setup(seed=3)
import keras, numpy as np
rng = np.random.default_rng(0)
x = rng.normal(size=(512, 64)).astype("float32")
y = (x[:, :8].sum(axis=1) > 0).astype("int32")
model = keras.Sequential([keras.Input((64,)), keras.layers.Dense(256, activation="relu"),
                          keras.layers.Dense(2)])
model.compile("adam", keras.losses.SparseCategoricalCrossentropy(from_logits=True))
model.fit(x, y, batch_size=128, epochs=3, verbose=0)
print(json.dumps([info["threads"], float(np.sum(model.layers[0].kernel.numpy() ** 2))]))
"""


@pytest.mark.skipif(not hasattr(os, "sched_setaffinity") or len(os.sched_getaffinity(0)) < 2,
                    reason="needs Linux CPU affinity and 2 cores")
def test_the_default_thread_count_gives_the_same_numbers_on_one_core_and_on_two():
    env = {k: v for k, v in os.environ.items() if k != "NT_THREADS"}
    env["PYTHONPATH"] = str(SRC)
    runs = []
    for cores in (1, 2):
        result = subprocess.run([sys.executable, "-c", _TRAIN, str(cores)], env=env,
                                capture_output=True, text=True, check=True)
        runs.append(result.stdout.strip().splitlines()[-1])
    assert runs[0] == runs[1], runs
    assert runs[0].startswith(f"[{nt.repro.DEFAULT_THREADS},")
