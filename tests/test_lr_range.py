import numpy as np
import pytest

from neurotransfer import lr_range


def test_smooth_matches_a_plain_loop_and_tracks_a_constant():
    x = np.random.default_rng(0).normal(size=50)
    avg, expected = 0.0, []
    for i, v in enumerate(x):
        avg = 0.8 * avg + 0.2 * v
        expected.append(avg / (1 - 0.8 ** (i + 1)))
    np.testing.assert_allclose(lr_range.smooth(x, 0.8), expected)
    np.testing.assert_allclose(lr_range.smooth(np.full(5, 3.0)), 3.0)


def test_suggest_range_on_a_synthetic_curve_and_ignores_divergence():
    rates = lr_range.exponential_rates(1e-4, 1e2, 121)
    losses = 2 / (1 + rates / 0.1) + np.where(rates > 3, (rates - 3) ** 2, 0)
    losses[-5:] = np.nan
    low, high = lr_range.suggest_range(rates, losses, beta=0.0)
    assert 0.005 < low < 0.05 and 2 < high < 4


def test_schedules_match_keras():
    import keras

    steps = np.arange(0, 200)
    mine = lr_range.cosine_decay(steps, lr=0.3, total=200, warmup=20)
    theirs = keras.optimizers.schedules.CosineDecay(
        0.0, decay_steps=180, warmup_target=0.3, warmup_steps=20)
    np.testing.assert_allclose(mine, [float(theirs(s)) for s in steps], atol=1e-6)
    mine = lr_range.step_decay(steps, lr=0.3, every=50, factor=0.5)
    theirs = keras.optimizers.schedules.PiecewiseConstantDecay(
        [49, 99, 149], [0.3, 0.15, 0.075, 0.0375])
    np.testing.assert_allclose(mine, [float(theirs(s)) for s in steps], atol=1e-7)


def test_bad_input_is_refused():
    with pytest.raises(ValueError, match="lr_max must exceed"):
        lr_range.exponential_rates(1.0, 0.1, 10)
    with pytest.raises(ValueError, match="lr_min"):
        lr_range.exponential_rates(-1.0, 0.1, 10)
    with pytest.raises(ValueError, match="same shape"):
        lr_range.suggest_range([1, 2, 3], [1, 2])
    with pytest.raises(ValueError, match="finite for at least 3"):
        lr_range.suggest_range([1, 2, 3, 4], [1, np.inf, 2, 3])
    with pytest.raises(ValueError, match="beta"):
        lr_range.smooth([1.0], beta=1.0)
    with pytest.raises(ValueError, match="warmup must be shorter"):
        lr_range.cosine_decay(0, lr=1.0, total=10, warmup=10)
    with pytest.raises(ValueError, match="every"):
        lr_range.step_decay(0, lr=1.0, every=0)
