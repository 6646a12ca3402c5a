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

from neurotransfer import _validate
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
    _validate.keras_model("model", model, ("layers", "trainable"))
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
    """Make ``model`` and every layer in it trainable again (then compile again).

    Nested models (such as the layer ``"base"`` of :func:`build_transfer_model`) are
    unfrozen layer by layer too: setting ``trainable`` on the outer model alone does not
    reach layers frozen one by one inside them.
    """
    _validate.keras_model("model", model, ("layers", "trainable"))
    model.trainable = True
    for layer in model.layers:
        layer.trainable = True
        if hasattr(layer, "layers"):
            unfreeze(layer)
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
    _validate.keras_model("base", base)
    num_classes = _validate.integer("num_classes", num_classes, minimum=2)
    _validate.text("name", name)
    keras = _keras()
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

    Returns the final training loss of each phase, ``{"head": ..., "fine": ...}``. Every
    argument is checked (as by :func:`neurotransfer.training.fit_steps`) before training.
    """
    _validate.keras_model("model", model)
    if "base" not in [layer.name for layer in model.layers]:
        raise ValueError(f"model must have a layer named 'base' (see build_transfer_model), "
                         f"got layers {[layer.name for layer in model.layers]}")
    head_steps = _validate.integer("head_steps", head_steps, minimum=1)
    fine_steps = _validate.integer("fine_steps", fine_steps, minimum=1)
    head_lr = _validate.positive("head_lr", head_lr)
    fine_lr = _validate.positive("fine_lr", fine_lr)
    seed = _validate.integer("seed", seed, minimum=0, maximum=_validate.SEED_LIMIT - 1)
    x = check_inputs(model, x)
    _validate.labels("y", y, model.output_shape[-1])
    base = model.get_layer("base")
    base.trainable = False
    head = fit_steps(model, x, y, head_steps, batch_size, head_lr, seed)
    base.trainable = True
    fine = fit_steps(model, x, y, fine_steps, batch_size, fine_lr, seed + 1)
    return {"head": head.history["loss"][-1], "fine": fine.history["loss"][-1]}


def features(model, x, layer):
    """The activations of ``layer`` (a name) of ``model`` for inputs ``x``, as NumPy."""
    keras = _keras()
    x = check_inputs(model, x)
    names = [item.name for item in model.layers]
    if layer not in names:
        raise ValueError(f"layer must name a layer of {model.name!r} ({names}), got {layer!r}")
    probe = keras.Model(model.inputs, model.get_layer(layer).output)
    return np.asarray(probe.predict(x, verbose=0, batch_size=512))


def head_from_classifier(classifier, scaler=None):
    """Dense-layer weights ``[kernel, bias]`` equal to a fitted scikit-learn linear classifier.

    A multinomial ``LogisticRegression`` computes ``softmax(x @ coef_.T + intercept_)``, which
    is exactly a softmax Dense layer. A two-class one stores a single row ``w`` (and ``b``)
    and computes ``p(class 1) = sigmoid(x @ w + b)``; since
    ``softmax([-z/2, z/2]) = [1 - sigmoid(z), sigmoid(z)]``, its head has the two columns
    ``-w/2`` and ``w/2`` (biases ``-b/2`` and ``b/2``), so every head has one unit per class.
    A fitted ``StandardScaler`` applied first is folded in.

    Examples
    --------
    >>> from sklearn.linear_model import LogisticRegression
    >>> x = np.array([[0.0], [1.0], [2.0], [3.0]]); y = np.array([0, 0, 1, 1])
    >>> clf = LogisticRegression().fit(x, y)
    >>> kernel, bias = head_from_classifier(clf)
    >>> kernel.shape, bias.shape
    ((1, 2), (2,))
    """
    coef = getattr(classifier, "coef_", None)
    intercept = getattr(classifier, "intercept_", None)
    if coef is None or intercept is None:
        raise TypeError(f"classifier must be a fitted linear classifier with coef_ and "
                        f"intercept_, got {_validate.shown(classifier)}")
    coef = _validate.finite_array("classifier.coef_", coef, ndim=2)
    intercept = _validate.finite_array("classifier.intercept_", intercept,
                                       shape=(coef.shape[0],))
    if coef.shape[0] == 1:  # binary: one logit z for class 1; softmax([-z/2, z/2]) matches
        coef = np.concatenate([-coef / 2, coef / 2])
        intercept = np.concatenate([-intercept / 2, intercept / 2])
    kernel, bias = coef.T, intercept
    if scaler is not None:
        if getattr(scaler, "scale_", None) is None or getattr(scaler, "mean_", None) is None:
            raise TypeError(f"scaler must be a fitted StandardScaler (with scale_ and mean_), "
                            f"got {_validate.shown(scaler)}")
        scale = _validate.finite_array("scaler.scale_", scaler.scale_, shape=(len(kernel),))
        mean = _validate.finite_array("scaler.mean_", scaler.mean_, shape=(len(kernel),))
        if scale.min() <= 0:
            raise ValueError(f"scaler.scale_ must be positive, got {float(scale.min())!r}")
        kernel = kernel / scale[:, None]
        bias = bias - mean @ kernel
    return [kernel.astype(np.float32), bias.astype(np.float32)]
