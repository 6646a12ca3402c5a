"""Shared pieces of the property-based tests: settings profiles, the coverage registry,
input strategies and the check that bad input is refused by the package itself.

Profiles (choose with the environment variable ``NT_HYPOTHESIS_PROFILE``):

- ``ci`` (default): derandomized, so every run tries the same examples; sized so that the
  whole property suite stays within a minute on two cores.
- ``thorough``: ten times the examples, random, for a longer hunt.
"""

import math
import os
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import neurotransfer

settings.register_profile("ci", max_examples=30, deadline=None, derandomize=True,
                          database=None, print_blob=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("thorough", max_examples=300, deadline=None, database=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("NT_HYPOTHESIS_PROFILE", "ci"))

#: Few examples for tests that build or train Keras models.
keras_settings = settings(max_examples=3, deadline=None)
#: Fewest for tests that compile and train several models per example.
training_settings = settings(max_examples=2, deadline=None)
#: A middle size for tests that do real work per example (simulations, plots).
slow_settings = settings(max_examples=6, deadline=None)

PACKAGE = Path(neurotransfer.__file__).resolve().parent

#: "module.name" of every public callable a property test covers -> the tests that do.
COVERED = {}


def covers(*objects):
    """Record that the decorated test covers these public functions or classes."""

    def mark(test):
        for obj in objects:
            COVERED.setdefault(f"{obj.__module__}.{obj.__qualname__}", []).append(test.__name__)
        return test

    return mark


def refused(call, name, *args, **kwargs):
    """Assert that ``call(*args, **kwargs)`` raises the package's own ValueError/TypeError.

    The error must be raised by code of the package (not deep inside NumPy, TensorFlow or
    Matplotlib) and its message must name the argument ``name``.
    """
    with pytest.raises((ValueError, TypeError)) as info:
        call(*args, **kwargs)
    raised_in = Path(info.traceback[-1].path).resolve()
    assert raised_in.is_relative_to(PACKAGE), f"raised in {raised_in}: {info.value!r}"
    assert name in str(info.value), f"{name!r} not named in {info.value!r}"
    return info.value


# ---- strategies ----

def floats(low=-1e3, high=1e3):
    return st.floats(low, high, allow_nan=False, allow_infinity=False)


def finite_arrays(shape, low=-1e3, high=1e3, dtype=np.float64):
    return hnp.arrays(dtype, shape, elements=floats(low, high))


def shapes(min_dims=1, max_dims=2, max_side=5):
    return hnp.array_shapes(min_dims=min_dims, max_dims=max_dims, min_side=1, max_side=max_side)


NON_FINITE = st.sampled_from([math.nan, math.inf, -math.inf])


@st.composite
def spoiled(draw, array):
    """A copy of ``array`` (float) with one entry replaced by NaN or ±infinity."""
    out = np.array(array, dtype=float, copy=True)
    index = draw(st.integers(0, out.size - 1))
    out.flat[index] = draw(NON_FINITE)
    return out


#: Values that are not numbers at all.
NOT_NUMBERS = st.sampled_from(["1", None, [1.0], object(), 1j])
#: Values that are no positive finite number (0, negatives, NaN, ±inf).
NOT_POSITIVE = st.one_of(st.floats(max_value=0.0, allow_nan=False, allow_infinity=False),
                         NON_FINITE)
#: Values that are no integer: fractional floats, strings, None, bools.
NOT_INTEGERS = st.one_of(st.floats(allow_nan=True).filter(lambda v: v != int(v)
                                                          if math.isfinite(v) else True),
                         st.sampled_from(["3", None, True, 2.0]))
