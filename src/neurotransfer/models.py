"""Small Keras networks: the source text's MLP and two small models for 8×8 digits.

Every builder returns a fresh, *uncompiled* model with named layers, so that a transfer
recipe can say which layers it copies (``"hidden_1"``, ``"conv_2"``, …) and which it replaces
(``"head"``). Call :func:`neurotransfer.setup` first: it imports Keras quietly.

Examples
--------
>>> import neurotransfer as nt
>>> _ = nt.setup(seed=0)
>>> [layer.name for layer in small_mlp().layers]
['pixels', 'hidden_1', 'hidden_2', 'head']
"""

import numpy as np

from neurotransfer import _validate


def _keras():
    import keras  # imported late: nt.setup() sets TensorFlow's log level first

    return keras


def source_text_mlp(input_dim=100, num_classes=10):
    """The source text's model: Dense 64 ReLU → Dense 64 ReLU → Dense ``num_classes`` softmax.

    A ``Sequential`` model exactly as the text writes it, with an explicit input of
    ``input_dim`` features.

    Examples
    --------
    >>> import neurotransfer as nt
    >>> _ = nt.setup(seed=0)
    >>> source_text_mlp().count_params()
    11274
    """
    input_dim = _validate.integer("input_dim", input_dim, minimum=1)
    num_classes = _validate.integer("num_classes", num_classes, minimum=1)
    keras = _keras()
    layers = keras.layers
    return keras.Sequential([
        keras.Input(shape=(input_dim,)),
        layers.Dense(64, activation="relu", name="hidden_1"),
        layers.Dense(64, activation="relu", name="hidden_2"),
        layers.Dense(num_classes, activation="softmax", name="head"),
    ], name="source_text_mlp")


def small_mlp(input_dim=64, hidden=(64, 32), num_classes=10, name="small_mlp"):
    """A functional MLP: ReLU layers ``hidden_1``, ``hidden_2``, … then a softmax ``head``.

    Parameters
    ----------
    input_dim : int
        Features per example (64 for flattened 8×8 digits).
    hidden : sequence of int
        Units of each hidden layer.
    num_classes : int
        Units of the softmax output layer.

    Examples
    --------
    >>> import neurotransfer as nt
    >>> _ = nt.setup(seed=0)
    >>> small_mlp(hidden=(16,), num_classes=5).output.shape
    (None, 5)
    """
    input_dim = _validate.integer("input_dim", input_dim, minimum=1)
    num_classes = _validate.integer("num_classes", num_classes, minimum=1)
    hidden = _validate.integers("hidden", hidden, minimum=1)
    _validate.text("name", name)
    keras = _keras()
    inputs = keras.Input(shape=(input_dim,), name="pixels")
    x = inputs
    for i, width in enumerate(hidden, start=1):
        x = keras.layers.Dense(width, activation="relu", name=f"hidden_{i}")(x)
    outputs = keras.layers.Dense(num_classes, activation="softmax", name="head")(x)
    return keras.Model(inputs, outputs, name=name)


def small_cnn(num_classes=10, filters=(16, 32), dense=64, batch_norm=False, name="small_cnn"):
    """A small convolutional network for 8×8×1 images.

    ``conv_1`` (3×3, ``filters[0]``) → 2×2 max-pool → ``conv_2`` (3×3, ``filters[1]``) →
    2×2 max-pool → flatten → ``dense_1`` (``dense`` units) → softmax ``head``. With
    ``batch_norm=True`` a BatchNormalization layer follows each convolution (``bn_1``, ``bn_2``).

    Examples
    --------
    >>> import neurotransfer as nt
    >>> _ = nt.setup(seed=0)
    >>> model = small_cnn()
    >>> model.input_shape, model.count_params()
    ((None, 8, 8, 1), 13706)
    """
    num_classes, filters, dense = _cnn_sizes(num_classes, filters, dense, name, min_classes=1)
    batch_norm = _validate.flag("batch_norm", batch_norm)
    keras = _keras()
    layers = keras.layers
    inputs = keras.Input(shape=(8, 8, 1), name="image")
    x = inputs
    for i, width in enumerate(filters, start=1):
        x = layers.Conv2D(width, 3, padding="same", name=f"conv_{i}",
                          activation=None if batch_norm else "relu")(x)
        if batch_norm:
            x = layers.BatchNormalization(name=f"bn_{i}")(x)
            x = layers.Activation("relu", name=f"relu_{i}")(x)
        x = layers.MaxPooling2D(2, name=f"pool_{i}")(x)
    x = layers.Flatten(name="flatten")(x)
    x = layers.Dense(dense, activation="relu", name="dense_1")(x)
    outputs = layers.Dense(num_classes, activation="softmax", name="head")(x)
    return keras.Model(inputs, outputs, name=name)


def _cnn_sizes(num_classes, filters, dense, name, min_classes):
    """The checked sizes of a two-convolution network: ``(num_classes, filters, dense)``."""
    num_classes = _validate.integer("num_classes", num_classes, minimum=min_classes)
    dense = _validate.integer("dense", dense, minimum=1)
    filters = _validate.integers("filters", filters, minimum=1)
    if len(filters) != 2:
        raise ValueError(f"filters must give two widths (conv_1, conv_2), got {filters!r}")
    _validate.text("name", name)
    return num_classes, filters, dense


def as_images(x):
    """Reshape flat 64-pixel digits ``(n, 64)`` (or ``(n, 8, 8)``) to ``(n, 8, 8, 1)`` images.

    ``x`` must hold at least one finite digit in one of those two shapes (or already as
    ``(n, 8, 8, 1)``); any other shape raises ``ValueError`` rather than being reshaped.

    Examples
    --------
    >>> as_images(np.zeros((3, 64))).shape
    (3, 8, 8, 1)
    """
    x = _validate.finite_array("x", x, dtype=np.float32, min_size=0)
    if x.shape[1:] not in ((64,), (8, 8), (8, 8, 1)) or len(x) == 0:
        raise ValueError(f"x must hold at least one 8×8 digit, shape (n, 64) or (n, 8, 8), "
                         f"got {x.shape}")
    return x.reshape(len(x), 8, 8, 1)


def fashion_cnn(num_classes=10, filters=(8, 16), dense=32, name="fashion_cnn"):
    """A small, fast convolutional network for 28×28×1 images such as Fashion-MNIST.

    ``conv_1`` (3×3, ``filters[0]``, stride 2) → ``conv_2`` (3×3, ``filters[1]``, stride 2)
    → flatten (7×7×``filters[1]``) → ``dense_1`` (``dense`` units, ReLU) → softmax ``head``.
    Strided convolutions instead of pooling keep a training step cheap on a CPU.

    Examples
    --------
    >>> import neurotransfer as nt
    >>> _ = nt.setup(seed=0)
    >>> model = fashion_cnn(num_classes=5)
    >>> model.input_shape, model.output_shape, model.count_params()
    ((None, 28, 28, 1), (None, 5), 26533)
    """
    num_classes, filters, dense = _cnn_sizes(num_classes, filters, dense, name, min_classes=2)
    keras = _keras()
    layers = keras.layers
    inputs = keras.Input(shape=(28, 28, 1), name="image")
    x = inputs
    for i, width in enumerate(filters, start=1):
        x = layers.Conv2D(width, 3, strides=2, padding="same", activation="relu",
                          name=f"conv_{i}")(x)
    x = layers.Flatten(name="flatten")(x)
    x = layers.Dense(dense, activation="relu", name="dense_1")(x)
    outputs = layers.Dense(num_classes, activation="softmax", name="head")(x)
    return keras.Model(inputs, outputs, name=name)
