"""Input checks shared by every public function of the package.

Each check raises a :class:`ValueError` or :class:`TypeError` whose message names the
argument, says what was expected and shows what was given, before NumPy or TensorFlow
sees the value. Each returns the value in the form the caller should use (a NumPy
array, a Python ``int`` or ``float``), so a function checks and converts in one line.

This module sits at the bottom of the package: it imports nothing from it.

Examples
--------
>>> finite_array("x", [[1, 2], [3, 4]], ndim=2).shape
(2, 2)
>>> positive("lr", 0)
Traceback (most recent call last):
...
ValueError: lr must be a positive number, got 0
"""

import math
import numbers

import numpy as np

__all__ = [
    "shown", "finite_array", "same_length", "number", "positive", "integer", "labels",
    "probabilities", "choice", "fraction", "seed", "flag", "function", "text", "integers",
    "keras_model",
]

#: Seeds are passed on to NumPy, scikit-learn and Keras; the last two accept 0 … 2**32 − 1.
SEED_LIMIT = 2**32 - 1


def shown(value, limit=60):
    """A short ``repr`` of ``value`` for an error message (arrays by shape and dtype)."""
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape} and dtype {value.dtype}"
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _is_real_number(value):
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def number(name, value, *, minimum=None, maximum=None, finite=True):
    """A real number (not bool), optionally finite and within ``[minimum, maximum]``."""
    if not _is_real_number(value):
        raise TypeError(f"{name} must be a real number, got {shown(value)}")
    value = float(value)
    if math.isnan(value) or (finite and math.isinf(value)):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value!r}")
    if maximum is not None and value > maximum:
        raise ValueError(f"{name} must be <= {maximum}, got {value!r}")
    return value


def positive(name, value, *, finite=True):
    """A real number strictly above 0 (finite unless ``finite=False``)."""
    if not _is_real_number(value):
        raise TypeError(f"{name} must be a positive number, got {shown(value)}")
    as_float = float(value)
    if math.isnan(as_float) or as_float <= 0 or (finite and math.isinf(as_float)):
        raise ValueError(f"{name} must be a positive number, got {value!r}")
    return as_float


def fraction(name, value, *, open_low=True, open_high=True):
    """A number in (0, 1) by default; ``open_low=False`` admits 0, ``open_high=False`` 1."""
    value = number(name, value)
    low_ok = value > 0 if open_low else value >= 0
    high_ok = value < 1 if open_high else value <= 1
    if not (low_ok and high_ok):
        interval = ("(" if open_low else "[") + "0, 1" + (")" if open_high else "]")
        raise ValueError(f"{name} must be a fraction in {interval}, got {value!r}")
    return value


def integer(name, value, *, minimum=None, maximum=None):
    """A Python ``int`` from an ``int`` or NumPy integer (not bool, not a float)."""
    if isinstance(value, bool) or not isinstance(value, (numbers.Integral, np.integer)):
        raise TypeError(f"{name} must be an integer, got {shown(value)}")
    value = int(value)
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}")
    if maximum is not None and value > maximum:
        raise ValueError(f"{name} must be an integer <= {maximum}, got {value!r}")
    return value


def finite_array(name, value, *, ndim=None, shape=None, min_size=1, dtype=float):
    """A NumPy array of real numbers, all finite, with the expected dimensions.

    Parameters
    ----------
    name : str
        The argument's name, for the message.
    value : array_like
    ndim : int or tuple of int, optional
        Allowed numbers of dimensions.
    shape : tuple, optional
        Expected shape; ``None`` in a position accepts any length there.
    min_size : int, default 1
        Fewest elements accepted (``0`` accepts an empty array).
    dtype : numpy dtype or None, default float
        The dtype of the returned array; ``None`` keeps the array's own (integers stay
        integers, ``float32`` stays ``float32``).
    """
    try:
        raw = np.asarray(value)
    except Exception as error:  # ragged lists and the like
        raise TypeError(f"{name} must be an array of numbers, got {shown(value)}") from error
    if raw.dtype == object or raw.dtype.kind not in "biuf":
        kind = "complex numbers" if raw.dtype.kind == "c" else f"dtype {raw.dtype}"
        raise TypeError(f"{name} must be an array of real numbers, got {kind}")
    if ndim is not None:
        allowed = (ndim,) if isinstance(ndim, int) else tuple(ndim)
        if raw.ndim not in allowed:
            expected = " or ".join(str(d) for d in allowed)
            raise ValueError(f"{name} must have {expected} dimension(s), got shape {raw.shape}")
    if shape is not None:
        if raw.ndim != len(shape) or any(
            want is not None and got != want for got, want in zip(raw.shape, shape, strict=True)
        ):
            wanted = "(" + ", ".join("any" if s is None else str(s) for s in shape) + ")"
            raise ValueError(f"{name} must have shape {wanted}, got {raw.shape}")
    if raw.size < min_size:
        raise ValueError(f"{name} must hold at least {min_size} value(s), got shape {raw.shape}")
    out = raw if dtype is None else raw.astype(dtype, copy=False)
    if out.dtype.kind == "f" and not np.all(np.isfinite(out)):
        bad = int(np.size(out) - np.count_nonzero(np.isfinite(out)))
        raise ValueError(f"{name} must hold finite numbers only, got {bad} NaN or infinite "
                         f"value(s) in shape {raw.shape}")
    return out


def same_length(names, *arrays):
    """Check that the arrays have the same first dimension, naming them if not."""
    lengths = [len(a) for a in arrays]
    if len(set(lengths)) > 1:
        pairs = ", ".join(f"{n}: {k}" for n, k in zip(names, lengths, strict=True))
        raise ValueError(f"{' and '.join(names)} must have the same length, got {pairs}")


def labels(name, value, n_classes=None, *, min_size=1):
    """Integer class labels as a 1-D ``int64`` array, each in ``0 … n_classes − 1``.

    Floats that are whole numbers (``3.0``) are accepted; ``0.5`` is refused rather than
    cut to a class.
    """
    raw = finite_array(name, value, ndim=1, min_size=min_size, dtype=np.float64)
    if not np.all(raw == np.round(raw)):
        raise ValueError(f"{name} must hold whole-number class labels, got e.g. "
                         f"{float(raw[raw != np.round(raw)][0])!r}")
    out = raw.astype(np.int64)
    if out.size and out.min() < 0:
        within = f"in 0..{n_classes - 1}" if n_classes is not None else ">= 0"
        raise ValueError(f"{name} must hold labels {within}, got {int(out.min())}")
    if n_classes is not None and out.size and out.max() >= n_classes:
        raise ValueError(f"{name} must hold labels in 0..{n_classes - 1} for {n_classes} "
                         f"classes, got {int(out.max())}")
    return out


def probabilities(name, value, **kwargs):
    """A finite float array with every value in [0, 1]."""
    out = finite_array(name, value, **kwargs)
    if out.size and (out.min() < 0 or out.max() > 1):
        raise ValueError(f"{name} must hold probabilities in [0, 1], got values from "
                         f"{float(out.min())!r} to {float(out.max())!r}")
    return out


def choice(name, value, options):
    """One of ``options``."""
    if value not in options:
        raise ValueError(f"{name} must be one of {tuple(options)}, got {shown(value)}")
    return value


def seed(name, value):
    """A random seed: an integer in ``0 … 2**32 − 1`` (what NumPy, scikit-learn and Keras take)."""
    return integer(name, value, minimum=0, maximum=SEED_LIMIT)


def integers(name, values, *, minimum=None, min_size=1):
    """A list of Python ``int`` from a sequence of integers (each checked by :func:`integer`)."""
    if isinstance(values, (str, bytes)) or not hasattr(values, "__iter__"):
        raise TypeError(f"{name} must be a sequence of integers, got {shown(values)}")
    out = [integer(f"{name}[{i}]", v, minimum=minimum) for i, v in enumerate(values)]
    if len(out) < min_size:
        raise ValueError(f"{name} must hold at least {min_size} integer(s), got {shown(values)}")
    return out


def flag(name, value):
    """A ``bool`` (Python or NumPy)."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, got {shown(value)}")
    return bool(value)


def function(name, value, *, optional=False):
    """A callable (or ``None`` when ``optional``)."""
    if value is None and optional:
        return None
    if not callable(value):
        raise TypeError(f"{name} must be callable, got {shown(value)}")
    return value


def text(name, value, *, empty=False):
    """A string, non-empty (after stripping blanks) unless ``empty=True``."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a string, got {shown(value)}")
    if not empty and not value.strip():
        raise ValueError(f"{name} must be a non-empty string, got {value!r}")
    return value


def keras_model(name, value, attributes=("layers", "input_shape", "output_shape", "weights")):
    """Something with Keras' model interface (by default ``layers``, ``input_shape``, …)."""
    if not all(hasattr(value, a) for a in attributes):
        raise TypeError(f"{name} must be a Keras model, got {shown(value)}")
    return value
