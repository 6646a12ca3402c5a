"""Parameter-efficient fine-tuning: adapt a frozen network through a small adapter.

An *adapter* (Houlsby et al. 2019) is a bottleneck with a skip connection,
``h + W_up · relu(W_down · h + b)``, inserted into a trained network whose own
weights stay frozen. With ``W_up`` started at zero the adapter is exactly the
identity, so training starts from the original network; only the few adapter
weights (and perhaps the head) are learned, and removing the adapter gives the
original network back unchanged.
"""

import os

import numpy as np

from neurotransfer import _validate
from neurotransfer.repro import TF_ENVIRONMENT

for _key, _value in TF_ENVIRONMENT.items():  # quiet TensorFlow even if imported before setup()
    os.environ.setdefault(_key, _value)

import keras  # noqa: E402


@keras.saving.register_keras_serializable(package="neurotransfer")
class Adapter(keras.layers.Layer):
    """Residual bottleneck ``h + relu(h @ down + bias) @ up``, the identity when created.

    Parameters
    ----------
    bottleneck : int
        Width of the bottleneck; the adapter has ``2 · d · bottleneck + bottleneck``
        weights for inputs of width ``d``.

    ``down`` starts Glorot-uniform, ``bias`` and ``up`` at zero; the initializers are kept as
    ``down_initializer``, ``bias_initializer`` and ``up_initializer``, so that
    :func:`neurotransfer.training.reinitialise` draws an adapter afresh in the same way (and
    it can learn again: ``up`` receives a gradient because ``down`` is not zero).

    Examples
    --------
    >>> adapter = Adapter(bottleneck=4)
    >>> x = np.ones((2, 64), dtype="float32")
    >>> bool((np.asarray(adapter(x)) == x).all()), adapter.count_params()
    (True, 516)
    """

    def __init__(self, bottleneck, **kwargs):
        self.bottleneck = _validate.integer("bottleneck", bottleneck, minimum=1)
        super().__init__(**kwargs)
        self.down_initializer = keras.initializers.get("glorot_uniform")
        self.bias_initializer = keras.initializers.get("zeros")
        self.up_initializer = keras.initializers.get("zeros")

    def build(self, input_shape):
        width = input_shape[-1]
        self.down = self.add_weight(name="down", shape=(width, self.bottleneck),
                                    initializer=self.down_initializer)
        self.bias = self.add_weight(name="bias", shape=(self.bottleneck,),
                                    initializer=self.bias_initializer)
        self.up = self.add_weight(name="up", shape=(self.bottleneck, width),
                                  initializer=self.up_initializer)

    def call(self, h):
        return h + keras.ops.matmul(keras.ops.relu(keras.ops.matmul(h, self.down) + self.bias),
                                    self.up)

    def get_config(self):
        return {**super().get_config(), "bottleneck": self.bottleneck}


def count_params(model):
    """Number of trainable and frozen weights (scalars) of a Keras model or layer.

    Examples
    --------
    >>> layer = keras.layers.Dense(10)
    >>> layer.build((None, 32))
    >>> count_params(layer)
    {'trainable': 330, 'frozen': 0}
    >>> layer.trainable = False
    >>> count_params(layer)
    {'trainable': 0, 'frozen': 330}
    """
    if not hasattr(model, "trainable_weights") or not hasattr(model, "non_trainable_weights"):
        raise TypeError(f"model must be a Keras model or layer, got {type(model).__name__}")
    def size(weights):
        return int(sum(np.prod(w.shape) for w in weights))
    return {"trainable": size(model.trainable_weights), "frozen": size(model.non_trainable_weights)}


def plot_tradeoff(names, trainable, accuracy, ax=None):
    """Accuracy on the shifted test set against trainable weights, one point per method.

    ``accuracy`` has shape (len(names), seeds): points are means, bars the range.
    """
    import matplotlib.pyplot as plt

    from neurotransfer.plotting import label

    names = [_validate.text(f"names[{i}]", n) for i, n in enumerate(names)]
    trainable = _validate.integers("trainable", trainable, minimum=1)
    accuracy = _validate.probabilities("accuracy", accuracy, ndim=2)
    if len(names) != len(trainable) or accuracy.shape[0] != len(names):
        raise ValueError("need one trainable count and one row of accuracies per name, got "
                         f"{len(names)} names, {len(trainable)} counts, accuracy {accuracy.shape}")
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 3.6))
    mean = accuracy.mean(axis=1)
    # clipped at 0: the mean of equal values can round a hair beyond them
    error = [np.maximum(mean - accuracy.min(axis=1), 0), np.maximum(accuracy.max(axis=1) - mean, 0)]
    ax.errorbar(trainable, mean, yerr=error, fmt="o", capsize=4)
    for name, x, y in zip(names, trainable, mean, strict=True):
        ax.annotate(name, (x, y), textcoords="offset points", xytext=(6, -12))
    ax.set_xscale("log")
    ax.set_xticks(list(trainable), labels=[f"{int(t):,}" for t in trainable])
    ax.minorticks_off()
    ax.set_xlim(min(trainable) / 1.6, max(trainable) * 2.2)
    label(ax, "trainable weights (log scale)", "shifted test accuracy (fraction)",
          "Adapting to shifted digits")
    return ax
