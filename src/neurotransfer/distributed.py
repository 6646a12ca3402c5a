"""Data-parallel training with ``tf.distribute``, rehearsed on one CPU.

``MirroredStrategy`` keeps one copy (replica) of the model on each device, gives
each replica a slice of every batch, adds up their gradients (an *all-reduce*) and
applies the same update everywhere, so the copies never drift apart. On a laptop
the physical CPU can be split into logical devices to watch this happen; the same
code runs unchanged on several GPUs.
"""

import numpy as np

from neurotransfer import _validate


def split_cpu(n_devices):
    """Split the physical CPU into ``n_devices`` logical devices and return their names.

    Must run before TensorFlow executes its first operation (``nt.setup()`` does
    not run any). If TensorFlow is already running with ``n_devices`` logical
    CPUs, their names are returned; with a different number, ``RuntimeError``.

    Examples
    --------
    >>> split_cpu(0)
    Traceback (most recent call last):
    ...
    ValueError: n_devices must be an integer >= 1, got 0
    """
    n_devices = _validate.integer("n_devices", n_devices, minimum=1)
    import tensorflow as tf

    cpu = tf.config.list_physical_devices("CPU")[0]
    try:
        tf.config.set_logical_device_configuration(
            cpu, [tf.config.LogicalDeviceConfiguration() for _ in range(n_devices)])
    except RuntimeError as error:
        existing = tf.config.list_logical_devices("CPU")
        if len(existing) != n_devices:
            raise RuntimeError(
                f"TensorFlow is already running with {len(existing)} logical CPU device(s), "
                f"so it cannot be split into {n_devices}; restart the kernel and call "
                "split_cpu() right after nt.setup()") from error
    return [device.name for device in tf.config.list_logical_devices("CPU")]


def per_replica_batch(global_batch, replicas):
    """How many examples of each global batch one replica processes.

    Examples
    --------
    >>> per_replica_batch(64, 2)
    32
    >>> per_replica_batch(64, 3)
    Traceback (most recent call last):
    ...
    ValueError: global_batch (64) must be divisible by replicas (3) ...
    """
    global_batch = _validate.integer("global_batch", global_batch, minimum=1)
    replicas = _validate.integer("replicas", replicas, minimum=1)
    if global_batch % replicas:
        raise ValueError(f"global_batch ({global_batch}) must be divisible by replicas "
                         f"({replicas}) so that every replica gets an equal slice")
    return global_batch // replicas


def max_difference(weights_a, weights_b):
    """Largest absolute difference between two lists of weight arrays (e.g. ``get_weights()``).

    NaN or infinite weights (a diverged run) raise ``ValueError`` rather than
    being compared, so that a check like ``max_difference(a, b) < 1e-6`` cannot
    pass by accident.

    Examples
    --------
    >>> max_difference([np.zeros(3), np.ones((2, 2))], [np.zeros(3), np.full((2, 2), 1.5)])
    0.5
    """
    for name, weights in (("weights_a", weights_a), ("weights_b", weights_b)):
        if isinstance(weights, (str, bytes)) or not hasattr(weights, "__len__"):
            raise TypeError(f"{name} must be a list of arrays, got {_validate.shown(weights)}")
    if len(weights_a) != len(weights_b):
        raise ValueError(f"weights_a and weights_b must hold the same number of arrays, "
                         f"got {len(weights_a)} and {len(weights_b)}")
    largest = 0.0
    for i, (a, b) in enumerate(zip(weights_a, weights_b, strict=True)):
        a = _validate.finite_array(f"weights_a[{i}]", a, dtype=np.float64, min_size=0)
        b = _validate.finite_array(f"weights_b[{i}]", b, dtype=np.float64, min_size=0)
        if a.shape != b.shape:
            raise ValueError(f"array {i} has shape {a.shape} in weights_a but {b.shape} "
                             "in weights_b")
        if a.size:
            largest = max(largest, float(np.abs(a - b).max()))
    return largest
