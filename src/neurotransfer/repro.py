"""Reproducible, quiet, CPU-friendly runs: one call at the top of every notebook.

:func:`setup` seeds every random number generator the course uses, makes
TensorFlow's kernels deterministic, silences TensorFlow's start-up log noise and
sets thread counts that suit a small CPU. Call it before anything else imports
TensorFlow.
"""

import os
import warnings

from neurotransfer import _validate

#: Environment variable that shifts every seed list a notebook draws with :func:`seeds`.
SEED_OFFSET_VARIABLE = "NT_SEED_OFFSET"

#: Environment variable that sets the thread count of :func:`setup` when ``threads`` is None.
THREADS_VARIABLE = "NT_THREADS"

#: The thread count of :func:`setup` when neither ``threads`` nor ``NT_THREADS`` says otherwise.
#: TensorFlow splits work by its thread count, not by the machine's cores, and float sums in
#: another order round differently: with a fixed count, a laptop with 1, 4 or 16 cores prints
#: the same numbers as the 2-core machine the course's checks were measured on.
DEFAULT_THREADS = 2

#: Environment settings applied before TensorFlow is first imported.
TF_ENVIRONMENT = {
    "TF_CPP_MIN_LOG_LEVEL": "3",  # no C++ INFO/WARNING lines at import
    "TF_ENABLE_ONEDNN_OPTS": "0",  # no oneDNN notice, bit-identical CPU results
    "KERAS_BACKEND": "tensorflow",
}



def _cores():
    """CPU cores this process may run on (TensorFlow's default thread count)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def _threads_in_use():
    """The thread count TensorFlow runs with (its setting 0 means one per core)."""
    import tensorflow as tf

    return tf.config.threading.get_intra_op_parallelism_threads() or _cores()


def _threads_from_environment():
    """The thread count set by ``NT_THREADS``, or ``None`` when it is unset."""
    text = os.environ.get(THREADS_VARIABLE, "").strip()
    if not text:
        return None
    if not text.isdigit() or int(text) < 1:
        raise ValueError(f"{THREADS_VARIABLE} must be a positive integer, got {text!r}")
    return int(text)


def setup(seed=0, threads=None):
    """Seed Python, NumPy and TensorFlow and make TensorFlow quiet and deterministic.

    Calling it again is harmless: it reseeds every generator, so a notebook cell
    that calls ``setup(seed)`` starts from the same state each time.

    Parameters
    ----------
    seed : int, default 0
        Seed for :mod:`random`, NumPy's global generator and TensorFlow/Keras.
    threads : int or None, default None
        Threads TensorFlow may use within and between operations. ``None`` uses
        the environment variable ``NT_THREADS`` when set, else
        :data:`DEFAULT_THREADS` (2) whatever the number of cores: TensorFlow's
        results depend on its thread count, and the course's numbers were checked
        with 2. TensorFlow fixes its
        thread count when it runs its first operation; asking for a different
        count after that cannot take effect, so it issues a ``RuntimeWarning``
        (restart the kernel and call ``setup`` first to change it).

    Returns
    -------
    dict
        ``seed``, ``threads`` (the count TensorFlow actually uses, which differs
        from the one asked for if it was already running), ``deterministic`` and
        the versions of TensorFlow and Keras.

    Raises
    ------
    TypeError, ValueError
        If ``seed`` is not an integer in 0 … 2**32 − 1 (what Keras accepts) or
        ``threads`` is not a positive integer or None.

    Examples
    --------
    >>> import neurotransfer as nt
    >>> info = nt.setup(seed=1)
    >>> info["seed"], info["deterministic"]
    (1, True)
    """
    seed = _validate.seed("seed", seed)
    asked = None if threads is None else _validate.integer("threads", threads, minimum=1)

    for key, value in TF_ENVIRONMENT.items():
        os.environ.setdefault(key, value)
    # Imported here, after the log settings above, not at the top of the module.
    import keras
    import tensorflow as tf

    tf.get_logger().setLevel("ERROR")
    wanted = asked or _threads_from_environment() or DEFAULT_THREADS
    threading = tf.config.threading
    if threading.get_intra_op_parallelism_threads() != wanted:
        try:
            threading.set_intra_op_parallelism_threads(wanted)
            threading.set_inter_op_parallelism_threads(wanted)
        except RuntimeError:  # TensorFlow already running: its count stays
            pass
    threads = _threads_in_use()
    if asked is not None and threads != asked:
        warnings.warn(f"threads={asked} cannot take effect: TensorFlow is already running "
                      f"with {threads} thread(s); restart the kernel and call setup() first",
                      RuntimeWarning, stacklevel=2)

    keras.utils.set_random_seed(int(seed))  # seeds Python's random, NumPy and TensorFlow
    tf.config.experimental.enable_op_determinism()
    return {
        "seed": int(seed),
        "threads": int(threads),
        "deterministic": True,
        "tensorflow": tf.__version__,
        "keras": keras.__version__,
    }


def seed_offset():
    """The seed offset set by the environment variable ``NT_SEED_OFFSET`` (0 when unset).

    Running a notebook with ``NT_SEED_OFFSET=5`` or ``10`` repeats every comparison on
    other seeds: a claim that holds only for seeds 0–4 shows itself by failing there.

    Raises
    ------
    ValueError
        If the variable is set to anything but a non-negative integer.
    """
    text = os.environ.get(SEED_OFFSET_VARIABLE, "").strip()
    if not text:
        return 0
    if not text.isdigit():
        raise ValueError(f"{SEED_OFFSET_VARIABLE} must be a non-negative integer, got {text!r}")
    return int(text)


def seeds(n):
    """The ``n`` seeds a comparison runs over: ``offset, offset + 1, …, offset + n − 1``.

    The offset is :func:`seed_offset` (0 unless ``NT_SEED_OFFSET`` is set), so one switch
    moves every comparison of a notebook to another seed set.

    Examples
    --------
    >>> seeds(5)
    [0, 1, 2, 3, 4]
    """
    n = _validate.integer("n", n, minimum=1)
    start = seed_offset()
    return list(range(start, start + n))
