"""Experiment sweeps: every condition, on every labelled-set size, over several seeds.

:func:`run_sweep` returns a tidy table: a list of dicts, one row per
seed × condition × labels per class, which :func:`summarise` reduces to mean, spread,
minimum and maximum, and :func:`plot_learning_curves` draws.

Examples
--------
>>> x = np.arange(40.0)[:, None]; y = np.repeat([0, 1], 20)
>>> always_zero = lambda x_train, y_train, x_test, seed: np.zeros(len(x_test), int)
>>> rows = run_sweep({"zero": always_zero}, (x, y), (x, y), labels_per_class=[1, 5],
...                  seeds=[0, 1])
>>> len(rows), rows[0]
(4, {'seed': 0, 'condition': 'zero', 'labels_per_class': 1, 'accuracy': 0.5})
>>> summarise(rows)[0]["mean"]
0.5
"""

from typing import NamedTuple

import numpy as np

from neurotransfer import _validate, data


def _pair(name, value):
    """``(x, y)``: finite inputs (dtype kept) and integer labels, equally long, not empty."""
    if not (isinstance(value, (tuple, list)) and len(value) == 2):
        raise TypeError(f"{name} must be a pair (x, y), got {_validate.shown(value)}")
    x = _validate.finite_array(f"{name} x", value[0], dtype=None)
    y = _validate.labels(f"{name} y", value[1])
    _validate.same_length((f"{name} x", f"{name} y"), x, y)
    return x, y


def _rows(name, rows, *keys):
    """A list of dicts, each holding ``keys``."""
    if not isinstance(rows, (list, tuple)) or not all(isinstance(r, dict) for r in rows):
        raise TypeError(f"{name} must be a list of dicts (as run_sweep returns), got "
                        f"{_validate.shown(rows)}")
    for i, r in enumerate(rows):
        missing = [k for k in keys if k not in r]
        if missing:
            raise ValueError(f"{name}[{i}] has no field(s) {missing}; it has {sorted(r)}")
    return rows


def run_sweep(conditions, pool, test, labels_per_class, seeds):
    """Train and test every condition on labelled sets of each size, for each seed.

    Parameters
    ----------
    conditions : dict of str -> callable
        ``condition(x_train, y_train, x_test, seed)`` returns predicted labels for ``x_test``.
    pool : tuple (x, y)
        Labelled target examples; each seed draws ``n`` per class from it
        (:func:`neurotransfer.data.per_class`).
    test : tuple (x, y)
        Held-out target examples on which accuracy is measured.
    labels_per_class : sequence of int
    seeds : sequence of int

    Returns
    -------
    list of dict
        Keys ``seed``, ``condition``, ``labels_per_class``, ``accuracy``.
    """
    if not isinstance(conditions, dict) or not conditions:
        raise ValueError(f"conditions must be a non-empty dict of name -> callable, got "
                         f"{_validate.shown(conditions)}")
    for name, condition in conditions.items():
        _validate.function(f"conditions[{name!r}]", condition)
    x_pool, y_pool = _pair("pool", pool)
    x_test, y_test = _pair("test", test)
    labels_per_class = _validate.integers("labels_per_class", labels_per_class, minimum=1)
    seeds = [_validate.seed(f"seeds[{i}]", s) for i, s in enumerate(_validate.integers(
        "seeds", seeds))]
    available = int(np.unique(y_pool, return_counts=True)[1].min())
    too_many = [n for n in labels_per_class if n > available]
    if too_many:
        raise ValueError(f"labels_per_class asks for {too_many} examples per class, but the "
                         f"pool's smallest class has only {available}")
    rows = []
    for seed in seeds:
        for n in labels_per_class:
            x_train, y_train = data.per_class(x_pool, y_pool, n, seed=seed)
            for name, condition in conditions.items():
                predicted = np.asarray(condition(x_train, y_train, x_test, seed))
                if predicted.shape != y_test.shape:
                    raise ValueError(f"condition {name!r} returned {predicted.shape} labels, "
                                     f"expected {y_test.shape}")
                rows.append({"seed": int(seed), "condition": name, "labels_per_class": int(n),
                             "accuracy": float((predicted == y_test).mean())})
    return rows


def select(rows, **where):
    """The rows whose fields equal every ``key=value`` given, e.g. ``condition="scratch"``."""
    _rows("rows", rows, *where)
    return [r for r in rows if all(r[k] == v for k, v in where.items())]


def values(rows, key="accuracy", **where):
    """``key`` of the selected rows, in seed order, as an array."""
    _rows("rows", rows, key, "seed", *where)
    chosen = sorted(select(rows, **where), key=lambda r: r["seed"])
    return np.array([r[key] for r in chosen])


def summarise(rows, key="accuracy", by="labels_per_class"):
    """One row per condition × ``by`` value: ``mean``, ``std``, ``min``, ``max``, ``seeds``.

    Raises ``ValueError`` for no rows, and for a ``key`` value that is not a finite number.
    """
    _rows("rows", rows, "condition", key, by)
    if not rows:
        raise ValueError("rows must hold at least one result, got an empty list")
    for i, r in enumerate(rows):
        _validate.number(f"rows[{i}][{key!r}]", r[key])
    groups = {}
    for r in rows:
        groups.setdefault((r["condition"], r[by]), []).append(r[key])
    return [{"condition": c, by: n, "mean": float(np.mean(v)),
             "std": float(np.std(v)), "min": float(np.min(v)), "max": float(np.max(v)),
             "seeds": len(v)} for (c, n), v in groups.items()]


def table(summary, by="labels_per_class", heading="labels/class"):
    """A plain-text table of :func:`summarise` output, for printing in a notebook."""
    _rows("summary", summary, "condition", by, "mean", "std", "min", "max")
    _validate.text("heading", heading, empty=True)
    lines = [f"{'condition':<20}{heading:>15}{'mean':>8}{'± std':>8}{'min':>8}{'max':>8}"]
    for r in summary:
        lines.append(f"{r['condition']:<20}{r[by]:>15}{r['mean']:>8.3f}"
                     f"{r['std']:>8.3f}{r['min']:>8.3f}{r['max']:>8.3f}")
    return "\n".join(lines)


def plot_learning_curves(rows, ax, title=None, by="labels_per_class",
                         xlabel="labelled examples per class (log scale)", log=True):
    """Mean accuracy vs ``by`` (log axis by default), one line per condition, min–max band."""
    from neurotransfer import plotting

    _rows("rows", rows, "condition", "seed", "accuracy", by)
    if not rows:
        raise ValueError("rows must hold at least one result to plot, got an empty list")
    for name in dict.fromkeys(r["condition"] for r in rows):
        xs = sorted({r[by] for r in select(rows, condition=name)})
        acc = [values(rows, condition=name, **{by: v}) for v in xs]
        line, = ax.plot(xs, [a.mean() for a in acc], marker="o", label=name)
        ax.fill_between(xs, [a.min() for a in acc], [a.max() for a in acc],
                        color=line.get_color(), alpha=0.15)
    if log:
        ax.set_xscale("log")
    all_xs = sorted({r[by] for r in rows})
    ax.set_xticks(all_xs, [str(v) for v in all_xs])
    ax.minorticks_off()
    ax.legend()
    return plotting.label(ax, xlabel, "test accuracy", title)


class PairedDifference(NamedTuple):
    """Mean of paired differences ``a − b`` over seeds with a confidence interval."""

    mean: float
    low: float
    high: float
    n: int
    confidence: float
    differences: np.ndarray

    @property
    def direction(self):
        """+1 if the interval lies above zero, −1 if below, 0 if it contains zero."""
        return 1 if self.low > 0 else (-1 if self.high < 0 else 0)

    def __str__(self):
        return (f"{self.mean:+.3f} [{self.low:+.3f}, {self.high:+.3f}] "
                f"({self.confidence:.0%} CI, n={self.n})")


def paired_difference(a, b, confidence=0.95):
    """Paired differences ``a − b`` (same seed, same draw, two arms) with a Student-t interval.

    The interval is ``mean ± t · s / √n`` with ``n − 1`` degrees of freedom, where ``s`` is
    the standard deviation of the differences. A direction may be claimed only where the
    interval excludes zero (:attr:`PairedDifference.direction`).

    Parameters
    ----------
    a, b : array_like, shape (n,)
        The two arms' results, paired by position (seed). ``n >= 2``.
    confidence : float, default 0.95

    Returns
    -------
    PairedDifference

    Examples
    --------
    >>> d = paired_difference([0.90, 0.92, 0.91, 0.93, 0.90], [0.85, 0.88, 0.86, 0.86, 0.87])
    >>> print(d)
    +0.048 [+0.030, +0.066] (95% CI, n=5)
    >>> d.direction
    1
    """
    from scipy import stats

    a = _validate.finite_array("a", a, ndim=1, min_size=2)
    b = _validate.finite_array("b", b, ndim=1, min_size=2)
    _validate.same_length(("a", "b"), a, b)
    confidence = _validate.fraction("confidence", confidence)
    differences = a - b
    n = len(differences)
    mean = float(differences.mean())
    half = float(stats.t.ppf(0.5 + confidence / 2, n - 1) * differences.std(ddof=1) / np.sqrt(n))
    return PairedDifference(mean, mean - half, mean + half, n, confidence, differences)


def binomial_se(p, n):
    """Standard error ``√(p(1 − p)/n)`` of an accuracy ``p`` measured on ``n`` test examples.

    Examples
    --------
    >>> round(binomial_se(0.85, 360), 4), round(binomial_se(0.85, 10_000), 4)
    (0.0188, 0.0036)
    """
    p = _validate.fraction("p", p, open_low=False, open_high=False)
    n = _validate.integer("n", n, minimum=1)
    return float(np.sqrt(p * (1 - p) / n))
