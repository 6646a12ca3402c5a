"""`neurotransfer.data`: shapes, disjoint seeded splits, few-label draws, clear errors."""

import numpy as np
import pytest

from neurotransfer import data, training


def test_splits_are_disjoint_complete_and_seeded():
    parts = [data.digits_split(s, seed=4) for s in data.SPLITS]
    rows = np.concatenate([p.x for p in parts])
    assert len(rows) == 1797
    assert len(np.unique(rows, axis=0)) == len(np.unique(data.load_digits().x, axis=0))
    again = data.digits_split("val", seed=4)
    np.testing.assert_array_equal(parts[1].x, again.x)
    other = data.digits_split("val", seed=5)
    assert not np.array_equal(parts[1].y, other.y)


def test_images_and_vectors_agree():
    d = data.digits_split("test")
    np.testing.assert_array_equal(d.images.reshape(len(d.y), 64), d.x)
    assert d.x.dtype == np.float32


@pytest.mark.parametrize("kwargs, message", [
    ({"split": "training"}, "split must be one of"),
    ({"val_fraction": 0.0}, "val_fraction must be a fraction"),
    ({"test_fraction": 1.2}, "test_fraction must be a fraction"),
    ({"val_fraction": 0.5, "test_fraction": 0.5}, "must be below 1"),
    ({"seed": -1}, "seed must be an integer"),
])
def test_bad_split_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        data.digits_split(**kwargs)


def test_per_class_draws_without_replacement():
    d = data.digits_split("train")
    x, y = data.per_class(d.x, d.y, 5, seed=1)
    assert np.bincount(y).tolist() == [5] * 10
    assert len(np.unique(x, axis=0)) == 50
    x2, _ = data.per_class(d.x, d.y, 5, seed=1)
    np.testing.assert_array_equal(x, x2)


def test_per_class_refuses_more_than_available():
    d = data.digits_split("test")
    with pytest.raises(ValueError, match=r"asked for n=1000 examples per class, but class 0 has"):
        data.per_class(d.x, d.y, 1000)
    with pytest.raises(ValueError, match="n must be an integer >= 1"):
        data.per_class(d.x, d.y, -3)
    with pytest.raises(ValueError, match="same length"):
        data.per_class(d.x, d.y[:-1], 2)


def test_select_classes_relabels_in_given_order():
    d = data.load_digits()
    x, y = data.select_classes(d.x, d.y, [9, 5])
    assert set(y.tolist()) == {0, 1}
    assert len(y) == int(((d.y == 9) | (d.y == 5)).sum())
    with pytest.raises(ValueError, match="do not occur in y"):
        data.select_classes(d.x, d.y, [11])
    with pytest.raises(ValueError, match="without repeats"):
        data.select_classes(d.x, d.y, [1, 1])


def test_generators_shapes_and_errors():
    x, y, outliers = data.regression_with_outliers(n=40, outlier_fraction=0.25)
    assert x.shape == y.shape == outliers.shape == (40,) and outliers.sum() == 10
    x, y = data.xor(n=25)
    assert x.shape == (100, 2) and np.bincount(y).tolist() == [50, 50]
    x, y = data.two_blobs(n=30)
    assert x.shape == (60, 2)
    with pytest.raises(ValueError, match="noise must be >= 0"):
        data.xor(noise=-1)
    with pytest.raises(ValueError, match="outlier_fraction"):
        data.regression_with_outliers(outlier_fraction=1.0)
    with pytest.raises(ValueError, match="distance must be a positive number"):
        data.two_blobs(distance=0)


def test_batch_order_shuffles_every_pass_and_checks_its_arguments():
    order = training.batch_order(10, steps=7, batch_size=4, seed=1)   # 28 indices: 3 passes begun
    assert len(order) == 28
    for start in (0, 10):
        assert sorted(order[start:start + 10].tolist()) == list(range(10))
    assert np.array_equal(order, training.batch_order(10, 7, 4, seed=1))
    bad = (({"n": 0}, "n"), ({"steps": 0}, "steps"), ({"batch_size": 2.0}, "batch_size"))
    for kwargs, name in bad:
        arguments = {"n": 10, "steps": 7, "batch_size": 4, **kwargs}
        with pytest.raises((ValueError, TypeError), match=name):
            training.batch_order(**arguments)
