"""Self-checks for learners: compare your answer with the expected one and say what differs.

Exercises end with a call such as ``nt.checks.check_close("gradient", yours, expected)``: it
prints a short confirmation when the answer is right and raises :class:`SelfCheckError` with a
hint when it is not, so a wrong answer stops the notebook right where it happened.
"""

import numpy as np


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
    yours = np.asarray(yours, dtype=float)
    expected = np.asarray(expected, dtype=float)
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
    if yours != expected:
        message = f"✗ {name}: your answer {yours!r} is not the expected one"
        raise SelfCheckError(message + (f". Hint: {hint}" if hint else ""))
    print(f"✓ {name}: {yours!r}")
