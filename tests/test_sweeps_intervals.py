"""The paired-difference interval and the binomial standard error every comparison reports."""

import numpy as np
import pytest
from scipy import stats

from neurotransfer import sweeps


def test_paired_interval_matches_scipy_t_interval():
    rng = np.random.default_rng(0)
    a, b = rng.normal(0.9, 0.02, 7), rng.normal(0.88, 0.02, 7)
    d = sweeps.paired_difference(a, b)
    low, high = stats.t.interval(0.95, 6, loc=np.mean(a - b), scale=stats.sem(a - b))
    assert d.low == pytest.approx(low) and d.high == pytest.approx(high)
    assert d.n == 7 and d.mean == pytest.approx(np.mean(a - b))


def test_direction_only_when_interval_excludes_zero():
    assert sweeps.paired_difference([1.0, 1.1, 0.9], [0, 0, 0]).direction == 1
    assert sweeps.paired_difference([0, 0, 0], [1.0, 1.1, 0.9]).direction == -1
    assert sweeps.paired_difference([1.0, -1.0, 0.5], [0, 0, 0]).direction == 0


@pytest.mark.parametrize("a, b, message", [
    ([1.0], [0.0], "at least 2"),
    ([1.0, np.nan], [0.0, 0.0], "finite"),
    ([1.0, 2.0, 3.0], [0.0, 0.0], "same length"),
])
def test_paired_difference_refuses_bad_input(a, b, message):
    with pytest.raises(ValueError, match=message):
        sweeps.paired_difference(a, b)


def test_binomial_standard_error():
    assert sweeps.binomial_se(0.85, 360) == pytest.approx(np.sqrt(0.85 * 0.15 / 360))
    with pytest.raises(ValueError, match="p must be"):
        sweeps.binomial_se(1.5, 10)
    with pytest.raises(ValueError, match="n must be"):
        sweeps.binomial_se(0.5, 0)
