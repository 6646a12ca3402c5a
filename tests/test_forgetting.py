import numpy as np
import pytest

import neurotransfer as nt
from neurotransfer import forgetting


def test_task_mask_keeps_labels_and_rejects_unknown_classes():
    y = np.array([0, 5, 3, 9, 4])
    assert forgetting.task_mask(y, [0, 3, 4]).tolist() == [True, False, True, False, True]
    with pytest.raises(ValueError, match="do not occur"):
        forgetting.task_mask(y, [7])
    with pytest.raises(ValueError, match="at least 1 integer"):
        forgetting.task_mask(y, [])


def test_with_rehearsal_adds_exactly_n_per_old_class_and_keeps_all_new():
    d = nt.data.digits_split("train")
    old, new = d.y < 5, d.y >= 5
    x, y = forgetting.with_rehearsal(d.x[new], d.y[new], d.x[old], d.y[old], 3, seed=1)
    assert len(y) == new.sum() + 15
    assert np.bincount(y, minlength=10)[:5].tolist() == [3] * 5
    assert np.array_equal(np.bincount(y)[5:], np.bincount(d.y[new])[5:])
    # every row still carries its own label
    rows = {tuple(r): lab for r, lab in zip(d.x, d.y, strict=True)}
    assert all(rows[tuple(r)] == lab for r, lab in zip(x, y, strict=True))


def test_with_rehearsal_zero_is_a_shuffle_and_bad_counts_fail():
    x_new, y_new = np.arange(10.0)[:, None], np.arange(10)
    x, y = forgetting.with_rehearsal(x_new, y_new, x_new, y_new, 0, seed=0)
    assert sorted(y.tolist()) == list(range(10)) and np.array_equal(x[:, 0], y)
    for bad in (-1, 1.5, True):
        with pytest.raises((ValueError, TypeError), match="n_per_class"):
            forgetting.with_rehearsal(x_new, y_new, x_new, y_new, bad)
    with pytest.raises(ValueError, match="same length"):
        forgetting.with_rehearsal(x_new, y_new[:3], x_new, y_new, 1)


def test_restart_resets_weights_and_optimizer_but_not_learning_rate():
    nt.setup(seed=0)
    import keras

    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3), keras.layers.Dense(2)])
    model.compile(keras.optimizers.Adam(0.05), "mse")
    start = model.get_weights()
    x, y = np.ones((8, 4), "float32"), np.zeros((8, 2), "float32")
    model.fit(x, y, epochs=2, verbose=0)
    assert int(model.optimizer.iterations.numpy()) > 0
    forgetting.restart(model, weights=start)
    assert nt.distributed.max_difference(model.get_weights(), start) == 0
    assert int(model.optimizer.iterations.numpy()) == 0
    assert all(float(np.abs(v.numpy()).max()) == 0 for v in model.optimizer.variables
               if v.name != "learning_rate")
    assert float(model.optimizer.learning_rate.numpy()) == pytest.approx(0.05)
    # same result as a freshly compiled model started from the same weights
    model.fit(x, y, epochs=2, verbose=0, shuffle=False)
    fresh = keras.models.clone_model(model)
    fresh.set_weights(start)
    fresh.compile(keras.optimizers.Adam(0.05), "mse")
    fresh.fit(x, y, epochs=2, verbose=0, shuffle=False)
    assert nt.distributed.max_difference(model.get_weights(), fresh.get_weights()) < 1e-6


def test_restart_with_seed_is_reproducible_and_seed_dependent():
    nt.setup(seed=0)
    import keras

    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3)])
    forgetting.restart(model, seed=1)
    a = model.get_weights()
    forgetting.restart(model, seed=2)
    assert not np.array_equal(model.get_weights()[0], a[0])
    forgetting.restart(model, seed=1)
    assert np.array_equal(model.get_weights()[0], a[0])
    with pytest.raises(ValueError, match="exactly one"):
        forgetting.restart(model)
    with pytest.raises(ValueError, match="2 arrays"):
        forgetting.restart(model, weights=[a[0]])


def test_mean_and_range_and_plot():
    assert forgetting.mean_and_range([1, 2, 3]) == (2.0, 1.0, 3.0)
    with pytest.raises(ValueError, match="finite"):
        forgetting.mean_and_range([1, np.nan])
    with pytest.raises(ValueError, match="at least 1 value"):
        forgetting.mean_and_range([])
    import matplotlib.pyplot as plt

    ax = forgetting.plot_rehearsal([0, 5], [[0, 0.1], [0.5, 0.6]], [[1, 1], [0.9, 0.95]])
    assert ax.get_xlabel() and ax.get_ylabel()
    with pytest.raises(ValueError, match="shape"):
        forgetting.plot_rehearsal([0, 5, 10], [[0, 0.1]], [[1, 1]])
    plt.close("all")
