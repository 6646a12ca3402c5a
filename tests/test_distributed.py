import subprocess
import sys
import textwrap

import numpy as np
import pytest

from neurotransfer import distributed


def test_per_replica_batch():
    assert distributed.per_replica_batch(64, 2) == 32
    assert distributed.per_replica_batch(7, 1) == 7
    with pytest.raises(ValueError, match="divisible"):
        distributed.per_replica_batch(10, 4)
    for bad in ((0, 1), (4, 0), (4.0, 2), (True, 1)):
        with pytest.raises((ValueError, TypeError), match="must be an integer"):
            distributed.per_replica_batch(*bad)


def test_max_difference():
    a = [np.zeros((2, 3)), np.arange(4.0)]
    assert distributed.max_difference(a, a) == 0.0
    b = [np.zeros((2, 3)), np.arange(4.0) + [0, 0, -0.25, 0]]
    assert distributed.max_difference(a, b) == 0.25
    with pytest.raises(ValueError, match="same number"):
        distributed.max_difference(a, a[:1])
    with pytest.raises(ValueError, match="shape"):
        distributed.max_difference(a, [np.zeros(6), np.arange(4.0)])
    # A diverged run must not look like a perfect match (max(0.0, nan) is 0.0).
    for bad in (np.nan, np.inf):
        with pytest.raises(ValueError, match="NaN or infinite"):
            distributed.max_difference(a, [np.zeros((2, 3)), np.full(4, bad)])


def test_split_cpu_rejects_bad_counts():
    for bad in (0, -1, 1.5, True):
        with pytest.raises((ValueError, TypeError), match="n_devices"):
            distributed.split_cpu(bad)


def test_split_cpu_then_mirrored_training_matches_one_device():
    # A fresh interpreter: devices can be split only before TensorFlow starts running.
    code = textwrap.dedent("""
        import numpy as np, neurotransfer as nt
        nt.setup(seed=0)
        names = nt.distributed.split_cpu(2)
        assert len(names) == 2, names
        assert nt.distributed.split_cpu(2) == names
        import tensorflow as tf, keras
        try:
            nt.distributed.split_cpu(3)
        except RuntimeError as error:
            assert "already running with 2" in str(error)
        else:
            raise AssertionError("expected RuntimeError")
        x = np.random.default_rng(0).normal(size=(64, 5)).astype("float32")
        y = (x[:, 0] > 0).astype("int64")
        def run(strategy, start=None):
            with strategy.scope():
                model = keras.Sequential([keras.Input((5,)), keras.layers.Dense(2)])
                if start is not None:
                    model.set_weights(start)
                model.compile(keras.optimizers.SGD(0.5),
                              keras.losses.SparseCategoricalCrossentropy(from_logits=True))
            start = model.get_weights()
            model.fit(x, y, batch_size=16, epochs=2, shuffle=False, verbose=0)
            return start, model.get_weights()
        start, one = run(tf.distribute.OneDeviceStrategy(names[0]))
        _, two = run(tf.distribute.MirroredStrategy(names), start)
        print(nt.distributed.max_difference(one, two))
    """)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    assert float(result.stdout.strip().splitlines()[-1]) < 1e-5
