"""Pretrained models made by the course's own code, stored as weights with a SHA-256 checksum.

A model hub does three things this module does too: it knows a list of model names, it
fetches (here: *builds*) the weights once and caches them, and it refuses a file whose
checksum differs from the one recorded when the file was written. Files hold weights only
(HDF5 arrays, no pickled Python and no model code), and the architecture always comes from
:mod:`neurotransfer.models`, so loading a file never runs code stored in it.

The checksum is stored beside the file it describes, so it catches a damaged or truncated
file, not a deliberate replacement: whoever can swap the weights can also write a matching
checksum. (A hub guards against that with checksums it publishes separately, or signatures.)

Examples
--------
>>> import neurotransfer as nt
>>> _ = nt.setup(seed=0)
>>> sorted(PRETRAINED)  # doctest: +NORMALIZE_WHITESPACE
['digits_0to4_cnn', 'digits_0to4_mlp', 'digits_cnn', 'digits_cnn_bn', 'digits_mlp',
 'fashion_mixed_cnn', 'fashion_tops_cnn']
"""

import collections
import copy
import hashlib
import os
import random
import tempfile
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

import numpy as np

from neurotransfer import _validate, data, models, repro, training

SUFFIX = ".weights.h5"


class ChecksumError(ValueError):
    """A weights file whose SHA-256 differs from the one recorded when it was saved."""


class Recipe(NamedTuple):
    """How a named pretrained model is built: architecture, source data, training steps.

    ``dataset`` is ``"digits"`` (the digits' ``train`` split, seed 0) or ``"fashion_mnist"``
    (the ``train`` split of :func:`neurotransfer.data.fashion_mnist`, images (n, 28, 28, 1)).
    """

    build: Callable
    classes: tuple
    images: bool  # digits only. True: inputs (n, 8, 8, 1); False: flat (n, 64)
    steps: int
    learning_rate: float
    dataset: str = "digits"
    batch_size: int = 64


#: Fashion-MNIST's classes split by kind: tops (T-shirt/top, pullover, dress, coat, shirt)...
FASHION_TOPS = (0, 2, 3, 4, 6)
#: ... and the rest (trouser, sandal, sneaker, bag, ankle boot).
FASHION_REST = (1, 5, 7, 8, 9)
#: A mixed split: each half holds tops, footwear and more (T-shirt, trouser, coat, sandal, bag)...
FASHION_MIXED_A = (0, 1, 4, 5, 8)
#: ... and (pullover, dress, shirt, sneaker, ankle boot).
FASHION_MIXED_B = (2, 3, 6, 7, 9)

#: The pretrained models the course knows, each with its source task.
PRETRAINED = {
    "digits_mlp": Recipe(lambda: models.small_mlp(num_classes=10), tuple(range(10)),
                         False, 300, 3e-3),
    "digits_cnn": Recipe(lambda: models.small_cnn(num_classes=10), tuple(range(10)),
                         True, 300, 3e-3),
    "digits_0to4_mlp": Recipe(lambda: models.small_mlp(num_classes=5), tuple(range(5)),
                              False, 300, 3e-3),
    "digits_0to4_cnn": Recipe(lambda: models.small_cnn(num_classes=5), tuple(range(5)),
                              True, 300, 3e-3),
    # BatchNormalization after each convolution: the model whose statistics a transfer can
    # keep or re-estimate.
    "digits_cnn_bn": Recipe(lambda: models.small_cnn(num_classes=10, batch_norm=True),
                            tuple(range(10)), True, 600, 1e-2),
    "fashion_tops_cnn": Recipe(lambda: models.fashion_cnn(num_classes=5), FASHION_TOPS,
                               True, 300, 3e-3, "fashion_mnist", 128),
    "fashion_mixed_cnn": Recipe(lambda: models.fashion_cnn(num_classes=5), FASHION_MIXED_A,
                                True, 300, 3e-3, "fashion_mnist", 128),
}


def home():
    """The folder for pretrained files.

    ``$NEUROTRANSFER_HOME`` if set; else ``<repository>/artifacts`` when the package runs
    from its source tree (a ``pyproject.toml`` two folders above ``src/neurotransfer``); else
    ``~/.cache/neurotransfer``.

    Examples
    --------
    >>> home().name in {"artifacts", "neurotransfer"} or "NEUROTRANSFER_HOME" in os.environ
    True
    """
    if os.environ.get("NEUROTRANSFER_HOME"):
        return Path(os.environ["NEUROTRANSFER_HOME"])
    repository = Path(__file__).resolve().parents[2]
    if (repository / "pyproject.toml").is_file():
        return repository / "artifacts"
    return Path.home() / ".cache" / "neurotransfer"


def sha256(path):
    """SHA-256 of a file's bytes, as 64 hex digits (``ValueError`` if ``path`` is no file)."""
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"path must be a file path, got {_validate.shown(path)}")
    if not Path(path).is_file():
        raise ValueError(f"path must name an existing file, got {str(path)!r}")
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def _check_name(name):
    _validate.text("name", name)
    if name not in PRETRAINED:
        raise ValueError(f"name must be a known pretrained model, one of {sorted(PRETRAINED)}; "
                         f"got the unknown model {name!r}")


def _file_name(name):
    """A model name usable as a file name (letters, digits, ``_``, ``-``, ``.``)."""
    _validate.text("name", name)
    if not all(c.isalnum() or c in "_-." for c in name) or name.startswith("."):
        raise ValueError(f"name must be a plain file name (letters, digits, _ - .), got {name!r}")
    return name


def _folder(folder):
    if folder is None:
        return home()
    if not isinstance(folder, (str, os.PathLike)):
        raise TypeError(f"folder must be a path or None, got {_validate.shown(folder)}")
    return Path(folder)


def _check_writable(folder):
    """Create ``folder`` if needed and make sure a file can be written there, or raise."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as error:
        raise ValueError(f"folder must be a folder where files can be written, got "
                         f"{str(folder)!r} ({error.strerror or error})") from error


def paths(name, folder=None):
    """The weights file and its checksum sidecar for model ``name``."""
    _file_name(name)
    folder = _folder(folder)
    weights = folder / f"{name}{SUFFIX}"
    return weights, weights.with_name(weights.name + ".sha256")


def save_pretrained(model, name, folder=None):
    """Save ``model``'s weights as ``<name>.weights.h5`` and their SHA-256 beside them.

    Returns the path of the weights file. The folder is created if needed; one where no file
    can be written raises ``ValueError`` before anything is saved.
    """
    _validate.keras_model("model", model)
    weights, checksum = paths(name, folder)
    _check_writable(weights.parent)
    model.save_weights(weights)
    checksum.write_text(sha256(weights) + "\n", encoding="ascii")
    return weights


def verify(weights):
    """Raise :class:`ChecksumError` unless the file matches its recorded SHA-256.

    This catches a damaged or truncated file; it cannot catch a deliberate replacement, since
    the recorded checksum sits beside the file and can be replaced with it.
    """
    if not isinstance(weights, (str, os.PathLike)):
        raise TypeError(f"weights must be a file path, got {_validate.shown(weights)}")
    weights = Path(weights)
    if not weights.is_file():
        raise ValueError(f"weights must name an existing file, got {str(weights)!r}")
    sidecar = weights.with_name(weights.name + ".sha256")
    if not sidecar.is_file():
        raise ChecksumError(f"no recorded checksum for {weights} (expected {sidecar})")
    expected = sidecar.read_text(encoding="ascii").strip()
    actual = sha256(weights)
    if actual != expected:
        raise ChecksumError(
            f"refusing to load {weights}: its SHA-256 is {actual}, but {expected} was recorded "
            "when it was saved (the file is damaged or was changed; delete it to rebuild)"
        )
    return actual


def source_data(name, split="train"):
    """The source task's ``(x, y)`` for model ``name`` (images or flat vectors, classes kept).

    The labels are renumbered 0, 1, … in the order of the recipe's ``classes``.
    """
    _check_name(name)
    _validate.choice("split", split, data.SPLITS)
    recipe = PRETRAINED[name]
    if recipe.dataset == "fashion_mnist":
        part = data.fashion_mnist(split)
        x, y = data.select_classes(part.images, part.y, recipe.classes)
        return x[..., None], y
    part = data.digits_split(split, seed=0)
    x, y = data.select_classes(part.x, part.y, recipe.classes)
    return (models.as_images(x) if recipe.images else x), y


def pretrain(name, model=None, seed=0):
    """Train model ``name`` on its source task, reproducibly, in a few seconds.

    The starting weights are drawn by :func:`neurotransfer.training.reinitialise` from
    ``seed`` and the batches from a NumPy generator, so the result does not depend on the
    global random state of the notebook that triggers it. Building a model draws from
    Python's :mod:`random` (Keras seeds its initializers from it), so that state and NumPy's
    global state are saved first and restored afterwards: the notebook's random sequence
    continues as if this call had not happened. So are Keras' counters of automatic object
    names: training names its own optimizer, loss and metric objects, and without the reset
    every layer made afterwards would get another name than after loading the same weights
    from the file (TensorFlow's graph rewrites can order sums by op name, so the names reach
    the last digits of later results). The model is built and trained with fresh counters,
    so its weights do not depend on what the calling notebook made before.

    TensorFlow's thread count reaches the last digits too: trained with another count than
    :data:`neurotransfer.repro.DEFAULT_THREADS` (see :func:`neurotransfer.setup`), the
    weights differ from those the course's numbers were checked with, and a
    ``RuntimeWarning`` says so.
    """
    _check_name(name)
    seed = _validate.seed("seed", seed)
    _warn_about_threads(name)
    recipe = PRETRAINED[name]
    python_state, numpy_state = random.getstate(), np.random.get_state()  # noqa: NPY002
    names = _name_counters()
    try:
        # Keras numbers automatic names (dense, dense_1, ...) per process, and the names reach
        # the last digits of training's sums: start from fresh counters, so the weights are
        # the same whichever notebook builds them, after whatever it made before.
        _restore_name_counters(collections.defaultdict(int))
        model = recipe.build() if model is None else _validate.keras_model("model", model)
        training.reinitialise(model, seed=seed)
        x, y = source_data(name)
        training.fit_steps(model, x, y, steps=recipe.steps, learning_rate=recipe.learning_rate,
                           batch_size=recipe.batch_size, seed=seed)
    finally:
        random.setstate(python_state)
        np.random.set_state(numpy_state)  # noqa: NPY002
        _restore_name_counters(names)
    return model


def _warn_about_threads(name):
    """Warn when TensorFlow runs with another thread count than the course's checks used."""
    used = repro._threads_in_use()
    if used != repro.DEFAULT_THREADS:
        warnings.warn(
            f"pretraining {name!r} with {used} TensorFlow thread(s): its weights differ in the "
            f"last digits from the course's, which were made with {repro.DEFAULT_THREADS}, so "
            f"numbers a notebook checks may differ too; restart the kernel and call "
            f"nt.setup() (threads={repro.DEFAULT_THREADS}) before anything else",
            RuntimeWarning, stacklevel=3)


def _name_counters():
    """A copy of Keras' counters of automatic object names (``dense_3``)."""
    from keras.src.backend.common import global_state

    counters = global_state.get_global_attribute("object_name_uids")
    return collections.defaultdict(int, copy.deepcopy(dict(counters or {})))


def _restore_name_counters(saved):
    """Put Keras' name counters back as :func:`_name_counters` saw them."""
    from keras.src.backend.common import global_state

    global_state.set_global_attribute("object_name_uids", saved)


def load_pretrained(name, folder=None):
    """The pretrained model ``name``, with its weights file verified against its checksum.

    If the file is missing it is built with :func:`pretrain` and saved first, so no notebook
    depends on another having run (a folder where nothing can be written raises
    ``ValueError`` before any training). A file whose checksum does not match is refused with
    a :class:`ChecksumError` (a ``ValueError``) naming the file and both checksums; the
    checksum catches damage, not a deliberate replacement of both files.

    Examples
    --------
    >>> import neurotransfer as nt, tempfile
    >>> _ = nt.setup(seed=0)
    >>> model = load_pretrained("digits_mlp", folder=tempfile.mkdtemp())
    >>> model.output_shape
    (None, 10)
    """
    _check_name(name)
    weights, _ = paths(name, folder)
    if not weights.is_file():
        _check_writable(weights.parent)  # before training, not after it
        # A copy of its own is trained and saved, and the names Keras gave its training
        # objects are taken back: the model returned below is then made exactly as after a
        # plain load (same random state, same layer names), so a notebook prints the same
        # numbers whether the file was there or was built just now.
        names = _name_counters()
        try:
            save_pretrained(pretrain(name), name, folder)
        finally:
            _restore_name_counters(names)
    model = PRETRAINED[name].build()
    verify(weights)
    model.load_weights(weights)  # HDF5 arrays only: nothing in the file is executed
    model.compile(loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def accuracy(model, x, y):
    """Fraction of ``x`` that ``model`` labels as ``y`` (integer labels, shape ``(n,)``).

    Raises ``ValueError`` when ``y`` does not hold one label per example (a column of
    labels would otherwise be compared with every prediction and give a meaningless number),
    or holds a label outside the model's classes.
    """
    _validate.function("model", model)
    scores = np.asarray(model(x, training=False))
    if scores.ndim != 2:
        raise ValueError(f"model must return scores of shape (n, classes), got {scores.shape}")
    y = np.asarray(y)
    if y.ndim != 1 or len(y) != len(scores):
        raise ValueError(f"y must hold one integer label per example, shape ({len(scores)},), "
                         f"got shape {y.shape}")
    y = _validate.labels("y", y, scores.shape[1])
    predicted = np.argmax(scores, axis=1)
    return float((predicted == y).mean())
