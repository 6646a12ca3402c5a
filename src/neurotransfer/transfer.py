"""Transfer learning: reuse a trained network's layers for a new task, frozen or fine-tuned.

The recipe the course teaches (after the Keras guide by Chollet): cut a pretrained model
below its output layer (the *base*), run it in inference mode under a new output layer
(the *head*), freeze the base and train the head to convergence, then unfreeze, **recompile**
and fine-tune everything at a low learning rate. Pretrained files come from
:mod:`neurotransfer.pretrained`; experiment sweeps from :mod:`neurotransfer.sweeps`.

Examples
--------
>>> import neurotransfer as nt
>>> _ = nt.setup(seed=0)
>>> base = nt.models.small_mlp()
>>> model = build_transfer_model(base, num_classes=5)
>>> freeze(model.get_layer("base"))
['hidden_1', 'hidden_2']
>>> len(model.trainable_weights)   # only the new head's kernel and bias
2
"""

import numpy as np

from neurotransfer.training import check_inputs, fit_steps


def _keras():
    import keras

    return keras


def freeze(model, until=None):
    """Set ``trainable = False`` on ``model``'s layers up to and including ``until``.

    ``until`` is a layer name, or ``None`` for the whole model. Layers after it are made
    trainable. Returns the names of the frozen layers that hold weights. Remember to compile
    the model again afterwards; :func:`unfreeze` undoes it.
    """
    names = [layer.name for layer in model.layers]
    if until is not None and until not in names:
        raise ValueError(f"until must name a layer of {model.name!r} ({names}), got {until!r}")
    unfreeze(model)
    if until is None:
        model.trainable = False
        return [layer.name for layer in model.layers if layer.weights]
    frozen = []
    for layer in model.layers:
        layer.trainable = False
        if layer.weights:
            frozen.append(layer.name)
        if layer.name == until:
            break
    return frozen


def unfreeze(model):
    """Make ``model`` and every layer in it trainable again (then compile again)."""
    model.trainable = True
    for layer in model.layers:
        layer.trainable = True
    return model


def _inference_mode_class():
    keras = _keras()

    class InferenceMode(keras.layers.Layer):
        """Runs a wrapped model with ``training=False`` every time, also inside ``fit``.

        Writing ``base(inputs, training=False)`` while building a functional model was not
        enough in the Keras version this course pins (3.15): during ``fit`` an unfrozen
        BatchNormalization layer still updated its moving statistics. Passing
        ``training=False`` at run time, from ``call``, is honoured.
        """

        def __init__(self, inner, **kwargs):
            super().__init__(**kwargs)
            self.inner = inner

        def call(self, x, training=None):
            return self.inner(x, training=False)

        def compute_output_shape(self, input_shape):
            return self.inner.compute_output_shape(input_shape)

        @property
        def layers(self):
            return self.inner.layers

        def get_layer(self, name):
            return self.inner.get_layer(name)

    return InferenceMode


def build_transfer_model(base, num_classes, feature_layer=None, name="transfer"):
    """A new model: ``base`` cut at ``feature_layer``, always run in inference mode, + a head.

    ``feature_layer`` defaults to the layer below ``base``'s output layer. The cut base is the
    layer named ``"base"`` of the result (it has ``layers`` and ``get_layer`` like a model, and
    shares its weights with ``base``); the new softmax layer is ``"new_head"``. The base is
    called with ``training=False`` at run time, so BatchNormalization keeps its source
    statistics even after the base is unfrozen.
    """
    keras = _keras()
    if isinstance(num_classes, bool) or not isinstance(num_classes, (int, np.integer)) \
            or num_classes < 2:
        raise ValueError(f"num_classes must be an integer >= 2, got {num_classes!r}")
    names = [layer.name for layer in base.layers]
    feature_layer = names[-2] if feature_layer is None else feature_layer
    if feature_layer not in names:
        raise ValueError(f"feature_layer must name a layer of {base.name!r} ({names}), "
                         f"got {feature_layer!r}")
    trunk = keras.Model(base.inputs, base.get_layer(feature_layer).output, name="trunk")
    inputs = keras.Input(shape=base.input_shape[1:], name="inputs")
    features = _inference_mode_class()(trunk, name="base")(inputs)
    outputs = keras.layers.Dense(num_classes, activation="softmax", name="new_head")(features)
    return keras.Model(inputs, outputs, name=name)


def fine_tune(model, x, y, head_steps=200, fine_steps=200, head_lr=1e-2, fine_lr=1e-4,
              batch_size=32, seed=0):
    """The two-phase recipe on a model from :func:`build_transfer_model`.

    1. Freeze the layer ``"base"``, compile, train the head for ``head_steps``.
    2. Unfreeze, **recompile** at ``fine_lr``, train everything for ``fine_steps``.

    Returns the final training loss of each phase, ``{"head": ..., "fine": ...}``.
    """
    base = model.get_layer("base")
    base.trainable = False
    head = fit_steps(model, x, y, head_steps, batch_size, head_lr, seed)
    base.trainable = True
    fine = fit_steps(model, x, y, fine_steps, batch_size, fine_lr, seed + 1)
    return {"head": head.history["loss"][-1], "fine": fine.history["loss"][-1]}


def features(model, x, layer):
    """The activations of ``layer`` (a name) of ``model`` for inputs ``x``, as NumPy."""
    keras = _keras()
    check_inputs(model, x)
    probe = keras.Model(model.inputs, model.get_layer(layer).output)
    return np.asarray(probe.predict(x, verbose=0, batch_size=512))


def head_from_classifier(classifier, scaler=None):
    """Dense-layer weights ``[kernel, bias]`` equal to a fitted scikit-learn linear classifier.

    A multinomial ``LogisticRegression`` computes ``softmax(x @ coef_.T + intercept_)``, which
    is exactly a softmax Dense layer. A ``StandardScaler`` applied first is folded in.
    """
    kernel, bias = classifier.coef_.T, classifier.intercept_
    if scaler is not None:
        kernel = kernel / scaler.scale_[:, None]
        bias = bias - scaler.mean_ @ kernel
    return [kernel.astype(np.float32), bias.astype(np.float32)]
