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
