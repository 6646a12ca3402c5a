"""Self-checks for learners: compare your answer with the expected one and say what differs.

Exercises end with a call such as ``nt.checks.check_close("gradient", yours, expected)``: it
prints a short confirmation when the answer is right and raises :class:`SelfCheckError` with a
hint when it is not, so a wrong answer stops the notebook right where it happened.
"""

import numpy as np

from neurotransfer import _validate


class SelfCheckError(AssertionError):
    """Raised when a learner's answer does not match the expected one."""


def check_close(name, yours, expected, rtol=1e-5, atol=1e-8, hint=None):
    """Check that ``yours`` equals ``expected`` to within a tolerance, element by element.

    Parameters
    ----------
    name : str
        What is being checked, shown in the message.
    yours, expected : array_like
        Your answer and the reference; they must have the same shape.
    rtol, atol : float
        Relative and absolute tolerance, as in :func:`numpy.allclose`.
    hint : str, optional
        A nudge shown when the check fails.

    Returns
    -------
    float
        The largest absolute difference found.

    A wrong or non-finite answer raises :class:`SelfCheckError`; a bad reference or tolerance
    (``expected`` with NaN, a negative ``rtol``) is the exercise's fault and raises
    ``ValueError`` or ``TypeError``.

    Examples
    --------
    >>> check_close("two plus two", 4.0, 4)
    ✓ two plus two matches (largest difference 0)
    0.0
    >>> check_close("pi", 3.0, np.pi)
    Traceback (most recent call last):
    ...
    neurotransfer.checks.SelfCheckError: ✗ pi: largest difference 0.142 ...
    """
    _validate.text("name", name)
    rtol = _validate.number("rtol", rtol, minimum=0)
    atol = _validate.number("atol", atol, minimum=0)
    if hint is not None:
        _validate.text("hint", hint)
    expected = _validate.finite_array("expected", expected, min_size=0)
    try:
        yours = np.asarray(yours, dtype=float)
    except (TypeError, ValueError) as error:
        raise SelfCheckError(f"✗ {name}: expected numbers, got {_validate.shown(yours)}") \
            from error
    if yours.shape != expected.shape:
        raise SelfCheckError(
            f"✗ {name}: expected an array of shape {expected.shape}, got shape {yours.shape}"
        )
    if not np.all(np.isfinite(yours)):
        raise SelfCheckError(f"✗ {name}: your answer contains NaN or infinite values")
    difference = float(np.max(np.abs(yours - expected))) if yours.size else 0.0
    if not np.allclose(yours, expected, rtol=rtol, atol=atol):
        message = f"✗ {name}: largest difference {difference:.3g} (rtol={rtol}, atol={atol})"
        raise SelfCheckError(message + (f". Hint: {hint}" if hint else ""))
    print(f"✓ {name} matches (largest difference {difference:.3g})")
    return difference


def check_choice(name, yours, expected, hint=None):
    """Check a discrete answer (a label, a word, a count) for equality.

    Examples
    --------
    >>> check_choice("largest stable learning rate index", 2, 2)
    ✓ largest stable learning rate index: 2
    """
    _validate.text("name", name)
    if hint is not None:
        _validate.text("hint", hint)
    if yours != expected:
        message = f"✗ {name}: your answer {yours!r} is not the expected one"
        raise SelfCheckError(message + (f". Hint: {hint}" if hint else ""))
    print(f"✓ {name}: {yours!r}")
