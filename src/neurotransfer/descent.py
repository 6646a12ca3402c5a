"""Gradient descent, written out so that every step can be read, checked and measured.

The update rule ``w ← w − α ∇J(w)`` and its two best-known refinements, heavy-ball momentum
(Polyak 1964) and Adam (Kingma & Ba 2015, Algorithm 1), each return the *whole path* of
iterates, so a notebook can draw it and measure how fast it shrinks. Adam's ancestors AdaGrad
and RMSProp, and AdamW with its decoupled weight decay, follow at the end, written as Keras
writes them. A run that blows up stops
with ``diverged=True`` instead of filling the path with NaNs. :func:`quadratic_rates` gives the
theory those measurements are compared with.
"""

from typing import NamedTuple

import numpy as np

from neurotransfer import _validate


class DescentPath(NamedTuple):
    """A run of an optimiser.

    ``w`` holds the iterates, shape ``(k + 1, *w0.shape)`` with ``w[0] = w0`` and ``k`` the
    steps taken; ``loss`` the loss at each iterate (``None`` when no loss was given);
    ``diverged`` is True when the run stopped early because a gradient, an iterate or the loss
    became NaN or infinite, or an iterate grew beyond ``limit`` in absolute value.
    """

    w: np.ndarray
    loss: np.ndarray | None
    diverged: bool


class QuadraticRates(NamedTuple):
    """Gradient descent on a quadratic: per-eigenvalue factors, their worst case, convergence."""

    factors: np.ndarray
    rate: float
    converges: bool


def _beta(name, value):
    return _validate.fraction(name, value, open_low=False)


def _run(update, grad, w0, steps, loss, limit):
    """Shared loop: ``update(w, g, t)`` returns the next iterate (t counts from 1)."""
    grad = _validate.function("grad", grad)
    loss = _validate.function("loss", loss, optional=True)
    steps = _validate.integer("steps", steps, minimum=0)
    _validate.positive("limit", limit)
    w = _validate.finite_array("w0", w0).copy()
    path, losses, diverged = [w.copy()], [], False
    if loss is not None:
        losses.append(float(loss(w)))
    for t in range(1, steps + 1):
        g = np.asarray(grad(w), dtype=float)
        if g.shape != w.shape:
            raise ValueError(f"grad(w) must have the shape of w0 {w.shape}, got shape {g.shape}")
        if not np.all(np.isfinite(g)):
            diverged = True
            break
        w = update(w, g, t)
        value = float(loss(w)) if loss is not None else 0.0
        if not (np.all(np.isfinite(w)) and np.max(np.abs(w), initial=0) <= limit
                and np.isfinite(value)):
            diverged = True
            break
        path.append(w.copy())
        if loss is not None:
            losses.append(value)
    return DescentPath(np.array(path), np.array(losses) if loss is not None else None, diverged)


def gradient_descent(grad, w0, lr, steps, loss=None, limit=1e12):
    """Run ``w ← w − lr · grad(w)`` for ``steps`` steps and return every iterate.

    Parameters
    ----------
    grad : callable
        ``grad(w)`` returns the gradient, an array of the shape of ``w0``.
    w0 : array_like
        Starting point.
    lr : float
        Learning rate α > 0.
    steps : int
        Number of steps (0 returns just the start).
    loss : callable, optional
        ``loss(w)`` is recorded at every iterate.
    limit : float
        The run stops with ``diverged=True`` once any weight exceeds this in absolute value.

    Returns
    -------
    DescentPath

    Examples
    --------
    >>> run = gradient_descent(lambda w: 2 * w, [1.0], lr=0.25, steps=3, loss=lambda w: w @ w)
    >>> run.w.ravel().tolist(), run.loss.tolist(), run.diverged
    ([1.0, 0.5, 0.25, 0.125], [1.0, 0.25, 0.0625, 0.015625], False)
    """
    lr = _validate.positive("lr", lr)
    return _run(lambda w, g, t: w - lr * g, grad, w0, steps, loss, limit)


def momentum(grad, w0, lr, steps, beta=0.9, nesterov=False, loss=None, limit=1e12):
    """Heavy-ball momentum: ``v ← β v − lr · grad(w)``, then ``w ← w + v`` (with ``v₀ = 0``).

    This is ``w_{k+1} = w_k − lr ∇J(w_k) + β (w_k − w_{k−1})`` (Polyak 1964), written as
    ``keras.optimizers.SGD(momentum=β)`` writes it. With ``nesterov=True`` the step is
    ``w ← w + β v − lr · grad(w)``, Keras' form of Nesterov's method. Other parameters and the
    result are as in :func:`gradient_descent`.

    Examples
    --------
    >>> momentum(lambda w: 2 * w, [1.0], lr=0.25, steps=2, beta=0.5).w.ravel().tolist()
    [1.0, 0.5, 0.0]
    """
    lr, beta = _validate.positive("lr", lr), _beta("beta", beta)
    nesterov = _validate.flag("nesterov", nesterov)
    state = {"v": 0.0}

    def update(w, g, t):
        state["v"] = beta * state["v"] - lr * g
        return w + (beta * state["v"] - lr * g if nesterov else state["v"])

    return _run(update, grad, w0, steps, loss, limit)


def adam(grad, w0, lr, steps, beta1=0.9, beta2=0.999, epsilon=1e-8, epsilon_hat=False,
         loss=None, limit=1e12):
    """Adam as in Kingma & Ba (2015), Algorithm 1.

    ``m ← β₁m + (1−β₁)g``, ``v ← β₂v + (1−β₂)g²``, ``m̂ = m/(1−β₁ᵗ)``, ``v̂ = v/(1−β₂ᵗ)``,
    ``w ← w − lr · m̂/(√v̂ + ε)``. With ``epsilon_hat=True`` ε is added to ``√v`` *before* the
    bias correction, ``w ← w − lr·√(1−β₂ᵗ)/(1−β₁ᵗ) · m/(√v + ε)`` (the paper's "more efficient
    order", and what ``keras.optimizers.Adam`` computes). The paper's default ε is 1e-8,
    Keras' is 1e-7. Other parameters and the result are as in :func:`gradient_descent`.

    Examples
    --------
    >>> run = adam(lambda w: 2 * w, [1.0, -3.0], lr=0.1, steps=1)
    >>> np.round(run.w[1], 6).tolist()   # the first step moves every weight by about lr
    [0.9, -2.9]
    """
    lr = _validate.positive("lr", lr)
    beta1, beta2 = _beta("beta1", beta1), _beta("beta2", beta2)
    epsilon = _validate.positive("epsilon", epsilon)
    epsilon_hat = _validate.flag("epsilon_hat", epsilon_hat)
    state = {"m": 0.0, "v": 0.0}

    def update(w, g, t):
        state["m"] = beta1 * state["m"] + (1 - beta1) * g
        state["v"] = beta2 * state["v"] + (1 - beta2) * g**2
        if epsilon_hat:
            step = lr * np.sqrt(1 - beta2**t) / (1 - beta1**t)
            return w - step * state["m"] / (np.sqrt(state["v"]) + epsilon)
        m_hat, v_hat = state["m"] / (1 - beta1**t), state["v"] / (1 - beta2**t)
        return w - lr * m_hat / (np.sqrt(v_hat) + epsilon)

    return _run(update, grad, w0, steps, loss, limit)


def numerical_gradient(f, w, eps=1e-6):
    """Central finite differences ``(f(w + eps·eᵢ) − f(w − eps·eᵢ)) / (2 eps)``, for every entry.

    The error is of order ``eps²`` (times the third derivative) plus rounding of order
    ``1e-16/eps``, so ``eps`` near 1e-5 to 1e-6 is a good choice in double precision.
    ``w`` must be finite, and so must every value of ``f`` (``ValueError`` otherwise).

    Examples
    --------
    >>> numerical_gradient(lambda w: (w**3).sum(), np.array([1.0, 2.0])).round(6).tolist()
    [3.0, 12.0]
    """
    f = _validate.function("f", f)
    eps = _validate.positive("eps", eps)
    w = _validate.finite_array("w", w).copy()
    g = np.zeros_like(w)
    for i in np.ndindex(w.shape):
        up, down = w.copy(), w.copy()
        up[i] += eps
        down[i] -= eps
        values = float(f(up)), float(f(down))
        if not np.all(np.isfinite(values)):
            raise ValueError(f"f must return finite values, got {values} around w{list(i)}")
        g[i] = (values[0] - values[1]) / (2 * eps)
    return g


def quadratic_rates(eigenvalues, lr):
    """Predicted contraction of gradient descent on ``½ wᵀAw`` with the given eigenvalues of A.

    Along eigenvector i the error is multiplied by ``1 − lr·λᵢ`` at every step, so the error
    shrinks at worst by ``rate = maxᵢ |1 − lr·λᵢ|`` per step, and the run converges from every
    start exactly when ``rate < 1``, that is when ``0 < lr < 2/λ_max`` and every ``λᵢ > 0``.

    Examples
    --------
    >>> r = quadratic_rates([1.0, 100.0], lr=2 / 101)
    >>> round(r.rate, 5), r.converges
    (0.9802, True)
    >>> quadratic_rates([1.0, 100.0], lr=0.021).converges
    False
    """
    lr = _validate.positive("lr", lr)
    lam = _validate.finite_array("eigenvalues", eigenvalues).ravel()
    if lam.min() < 0:
        raise ValueError(f"eigenvalues must be non-negative, got {float(lam.min())!r}")
    factors = np.abs(1 - lr * lam)
    rate = float(factors.max())
    return QuadraticRates(factors, rate, rate < 1)


def contraction_rate(errors, last):
    """Measured contraction per step: the geometric mean of ``errors[k+1]/errors[k]`` over the
    final ``last`` steps, that is ``(errors[-1] / errors[-1-last]) ** (1/last)``.

    Examples
    --------
    >>> contraction_rate(0.9 ** np.arange(50), last=10)
    0.9
    """
    e = _validate.finite_array("errors", errors, min_size=2).ravel()
    last = _validate.integer("last", last, minimum=1, maximum=e.size - 1)
    if e[-1 - last] <= 0 or e[-1] < 0:
        raise ValueError("errors must be positive over the window measured, got "
                         f"{float(e[-1 - last])!r} at its start and {float(e[-1])!r} at its end")
    return float((e[-1] / e[-1 - last]) ** (1 / last))


def _settings(**values):
    """Check the hyperparameters shared by the adaptive methods below."""
    checked = {}
    for name, (value, kind) in values.items():
        if kind == "positive":
            checked[name] = _validate.positive(name, value)
        elif kind == "non-negative":
            checked[name] = _validate.number(name, value, minimum=0.0)
        else:  # a decay rate in [0, 1)
            checked[name] = _validate.fraction(name, value, open_low=False)
    return checked


def adagrad(grad, w0, lr, steps, initial_accumulator=0.1, epsilon=1e-7, loss=None,
            limit=1e12):
    """AdaGrad (Duchi, Hazan & Singer 2011) in the form ``keras.optimizers.Adagrad`` computes.

    ``a ← a + g²`` (summed over all steps, starting from ``initial_accumulator``), then
    ``w ← w − lr · g / √(a + ε)``. Every weight gets its own step size, which only shrinks:
    weights with large past gradients slow down most. Keras puts ε *inside* the root and
    starts the sum at 0.1, not 0. Other parameters and the result are as in
    :func:`gradient_descent`.

    Examples
    --------
    >>> run = adagrad(lambda w: 2 * w, [1.0], lr=0.5, steps=1, initial_accumulator=0.0,
    ...               epsilon=1e-12)
    >>> round(float(run.w[1, 0]), 6)   # first step: lr · g/|g| = 0.5
    0.5
    """
    s = _settings(lr=(lr, "positive"), initial_accumulator=(initial_accumulator, "non-negative"),
                  epsilon=(epsilon, "positive"))
    state = {"a": s["initial_accumulator"]}

    def update(w, g, t):
        state["a"] = state["a"] + g**2
        return w - s["lr"] * g / np.sqrt(state["a"] + s["epsilon"])

    return _run(update, grad, w0, steps, loss, limit)


def rmsprop(grad, w0, lr, steps, rho=0.9, momentum=0.0, epsilon=1e-7, loss=None, limit=1e12):
    """RMSProp (Tieleman & Hinton 2012) in the form ``keras.optimizers.RMSprop`` computes.

    ``v ← ρ v + (1−ρ) g²`` (from ``v = 0``), a *running* mean of squared gradients in place of
    AdaGrad's growing sum, so the step size can recover; then ``Δ = lr · g / √(v + ε)`` (ε inside
    the root, as in Keras) and ``w ← w − Δ``. With ``momentum > 0``, ``m ← momentum · m + Δ``
    and ``w ← w − m``. There is no bias correction: the first step divides by ``√(1−ρ)|g|``.
    Other parameters and the result are as in :func:`gradient_descent`.

    Examples
    --------
    >>> run = rmsprop(lambda w: 2 * w, [1.0], lr=0.1, steps=1, rho=0.75, epsilon=1e-12)
    >>> round(float(run.w[1, 0]), 6)   # 1 − 0.1/√(1 − 0.75)
    0.8
    """
    s = _settings(lr=(lr, "positive"), rho=(rho, "rate"), momentum=(momentum, "rate"),
                  epsilon=(epsilon, "positive"))
    state = {"v": 0.0, "m": 0.0}

    def update(w, g, t):
        state["v"] = s["rho"] * state["v"] + (1 - s["rho"]) * g**2
        increment = s["lr"] * g / np.sqrt(state["v"] + s["epsilon"])
        if s["momentum"] > 0:
            state["m"] = s["momentum"] * state["m"] + increment
            increment = state["m"]
        return w - increment

    return _run(update, grad, w0, steps, loss, limit)


def adamw(grad, w0, lr, steps, weight_decay=0.004, beta1=0.9, beta2=0.999, epsilon=1e-7,
          loss=None, limit=1e12):
    """AdamW (Loshchilov & Hutter 2019) in the form ``keras.optimizers.AdamW`` computes.

    First the weights shrink, ``w ← w − lr · weight_decay · w``, *outside* the adaptive
    scaling; then an Adam step with the gradient taken before the shrink, with ε added to
    ``√v`` before the bias correction as Keras does (see :func:`adam`, ``epsilon_hat=True``).
    Adding ``weight_decay · w`` to the gradient instead (L2 regularisation) would send the decay
    through ``1/√v̂``, so weights with large gradients would be decayed less. Defaults are
    Keras'. Other parameters and the result are as in :func:`gradient_descent`.

    Examples
    --------
    >>> run = adamw(lambda w: 0 * w, [2.0], lr=0.1, steps=1, weight_decay=0.5)
    >>> round(float(run.w[1, 0]), 6)   # no gradient: only the decay, 2 · (1 − 0.1 · 0.5)
    1.9
    """
    s = _settings(lr=(lr, "positive"), weight_decay=(weight_decay, "non-negative"),
                  beta1=(beta1, "rate"), beta2=(beta2, "rate"), epsilon=(epsilon, "positive"))
    state = {"m": 0.0, "v": 0.0}

    def update(w, g, t):
        w = w - s["lr"] * s["weight_decay"] * w
        state["m"] = s["beta1"] * state["m"] + (1 - s["beta1"]) * g
        state["v"] = s["beta2"] * state["v"] + (1 - s["beta2"]) * g**2
        step = s["lr"] * np.sqrt(1 - s["beta2"]**t) / (1 - s["beta1"]**t)
        return w - step * state["m"] / (np.sqrt(state["v"]) + s["epsilon"])

    return _run(update, grad, w0, steps, loss, limit)
