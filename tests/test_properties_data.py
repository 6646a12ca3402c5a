"""Properties of the data helpers, image shifts, sweeps, plots, checks and small utilities."""

import math
import os

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from property_support import (  # noqa: E402
    NON_FINITE,
    NOT_INTEGERS,
    NOT_POSITIVE,
    covers,
    finite_arrays,
    floats,
    refused,
    slow_settings,
    spoiled,
)

from neurotransfer import (  # noqa: E402
    adapters,
    checks,
    data,
    distributed,
    domain_shift,
    forgetting,
    models,
    plotting,
    regularization,
    repro,
    sweeps,
)

DIGITS = data.load_digits()


@st.composite
def labelled(draw, min_classes=1, max_classes=4, per_class=(1, 5)):
    """Small ``(x, y)`` sets whose labels are any distinct non-negative integers."""
    classes = draw(st.lists(st.integers(0, 20), min_size=min_classes, max_size=max_classes,
                            unique=True))
    counts = [draw(st.integers(*per_class)) for _ in classes]
    y = np.repeat(classes, counts)
    x = draw(finite_arrays((len(y), 3)))
    return x, y


# ---- data ----

@covers(data.load_digits, data.Digits, data.digits_split)
@slow_settings
@given(st.floats(0.05, 0.45), st.floats(0.05, 0.45), st.integers(0, 2**32 - 1))
def test_digit_splits_partition_the_digits(val, test, seed):
    parts = [data.digits_split(s, val, test, seed) for s in data.SPLITS]
    assert all(isinstance(p, data.Digits) for p in parts)
    assert sum(len(p.y) for p in parts) == len(DIGITS.y)
    assert all(set(np.unique(p.y)) == set(range(10)) for p in parts)  # stratified


@covers(data.digits_split)
@given(st.sampled_from(["split", "val_fraction", "test_fraction", "seed"]), st.data())
def test_digit_splits_refuse_bad_settings(name, data_):
    bad = {"split": st.sampled_from(["training", "", None]),
           "val_fraction": st.one_of(NON_FINITE, st.floats(1.0, 5.0), st.floats(-5.0, 0.0)),
           "test_fraction": st.one_of(NON_FINITE, st.floats(1.0, 5.0), st.floats(-5.0, 0.0)),
           "seed": st.one_of(NOT_INTEGERS, st.integers(max_value=-1),
                             st.integers(min_value=2**32))}[name]
    refused(data.digits_split, name, **{name: data_.draw(bad)})


@covers(data.select_classes)
@given(labelled(min_classes=2), st.data())
def test_select_classes_keeps_and_relabels_in_the_order_given(xy, data_):
    x, y = xy
    present = sorted(set(y.tolist()))
    chosen = data_.draw(st.permutations(present).map(lambda p: p[: max(1, len(p) - 1)]))
    xs, ys = data.select_classes(x, y, chosen)
    assert len(xs) == len(ys) == np.isin(y, chosen).sum()
    assert np.array_equal(np.array(chosen)[ys], y[np.isin(y, chosen)])
    refused(data.select_classes, "classes", x, y, [chosen[0], chosen[0]])
    refused(data.select_classes, "classes", x, y, [max(present) + 1])
    refused(data.select_classes, "y", x, y + 0.5, chosen)
    refused(data.select_classes, "x", x[:-1], y, chosen)


@covers(data.per_class)
@given(labelled(per_class=(2, 6)), st.integers(1, 2), st.integers(0, 1000))
def test_per_class_draws_n_of_every_class_for_any_labels(xy, n, seed):
    x, y = xy
    xs, ys = data.per_class(x, y, n, seed)
    values, counts = np.unique(ys, return_counts=True)
    assert set(values) == set(y.tolist()) and np.all(counts == n)
    refused(data.per_class, "n", x, y, 0)
    refused(data.per_class, "n", x, y, 1.0)
    refused(data.per_class, "y", x, -y - 1, n)


@covers(data.regression_with_outliers, data.two_blobs, data.xor)
@given(st.integers(2, 50), floats(-5, 5), floats(0, 2), st.floats(0, 0.9))
def test_generated_problems_have_the_documented_shapes(n, slope, noise, fraction):
    x, y, outliers = data.regression_with_outliers(n, slope=slope, noise=noise,
                                                   outlier_fraction=fraction)
    assert x.shape == y.shape == outliers.shape == (n,) and np.all(np.isfinite(y))
    assert outliers.sum() == round(fraction * n)
    x, y = data.two_blobs(n, distance=abs(slope) + 0.1)
    assert x.shape == (2 * n, 2) and np.bincount(y).tolist() == [n, n]
    x, y = data.xor(n, noise=noise)
    assert x.shape == (4 * n, 2) and np.bincount(y).tolist() == [2 * n, 2 * n]


@covers(data.regression_with_outliers, data.two_blobs, data.xor)
@given(NON_FINITE, st.integers(max_value=0))
def test_generated_problems_refuse_nan_settings_and_bad_sizes(value, n):
    for name in ("slope", "intercept", "noise", "outlier_fraction", "outlier_shift"):
        refused(data.regression_with_outliers, name, **{name: value})
    refused(data.two_blobs, "distance", distance=value)
    refused(data.xor, "noise", noise=value)
    for make in (data.regression_with_outliers, data.two_blobs, data.xor):
        refused(make, "n", n=n)


# ---- shifted, blurred and noisy images ----

def image_stacks(max_n=3):
    return st.tuples(st.integers(1, max_n), st.integers(2, 9), st.integers(2, 9)).flatmap(
        lambda s: finite_arrays(s, 0, 1))


@covers(regularization.shift_images, domain_shift.translate)
@given(image_stacks(), st.data())
def test_shifts_move_ink_and_undo_each_other_inside_the_frame(images, data_):
    height, width = images.shape[1:]
    rows = data_.draw(st.integers(-(height - 1), height - 1))
    cols = data_.draw(st.integers(-(width - 1), width - 1))
    moved = regularization.shift_images(images, rows, cols)
    assert moved.shape == images.shape and moved.sum() <= images.sum() + 1e-9
    back = regularization.shift_images(moved, -rows, -cols)
    kept = regularization.shift_images(regularization.shift_images(np.ones_like(images),
                                                                   rows, cols), -rows, -cols)
    np.testing.assert_allclose(back, images * kept)
    np.testing.assert_allclose(domain_shift.translate(images, cols, rows), moved, rtol=1e-6,
                               atol=1e-7)  # translate works in float32
    refused(regularization.shift_images, "rows", images, height, 0)
    refused(regularization.shift_images, "cols", images, 0, float(cols))
    refused(domain_shift.translate, "dx", images, width)


@covers(regularization.augment_with_shifts)
@given(image_stacks(), st.lists(st.tuples(st.integers(-1, 1), st.integers(-1, 1)), max_size=4))
def test_augmentation_adds_one_copy_per_shift_with_the_labels(images, shifts):
    labels = np.arange(len(images))
    x, y = regularization.augment_with_shifts(images, labels, shifts)
    assert len(x) == len(y) == len(images) * (len(shifts) + 1)
    assert np.array_equal(y, np.tile(labels, len(shifts) + 1))
    refused(regularization.augment_with_shifts, "same length", images, labels[:-1], shifts)
    refused(regularization.augment_with_shifts, "shifts", images, labels, [1, 2])


@covers(domain_shift.blur, domain_shift.add_noise)
@given(image_stacks(), st.floats(0.1, 3.0), st.floats(0, 1), st.integers(0, 100))
def test_blur_and_noise_keep_shape_and_range(images, sigma, std, seed):
    blurred = domain_shift.blur(images, sigma)
    assert blurred.shape == images.shape and blurred.min() >= -1e-6
    assert blurred.sum() <= images.sum() * (1 + 1e-5) + 1e-5  # ink only leaves the frame
    noisy = domain_shift.add_noise(images, std, seed)
    assert noisy.shape == images.shape and noisy.min() >= 0 and noisy.max() <= 1
    assert np.array_equal(noisy, domain_shift.add_noise(images, std, seed))


@covers(domain_shift.blur, domain_shift.add_noise, domain_shift.translate)
@given(image_stacks().flatmap(spoiled), NOT_POSITIVE)
def test_image_functions_refuse_non_finite_images_and_bad_strengths(images, value):
    refused(domain_shift.blur, "images", images, 1.0)
    refused(domain_shift.add_noise, "images", images, 0.1)
    refused(domain_shift.translate, "images", images, 1)
    clean = np.nan_to_num(images, nan=0.0, posinf=0.0, neginf=0.0)
    refused(domain_shift.blur, "sigma", clean, value)
    if not (isinstance(value, float) and value == 0.0):
        refused(domain_shift.add_noise, "std", clean, value)


@covers(models.as_images)
@given(st.integers(1, 5), st.sampled_from([(64,), (8, 8), (8, 8, 1)]))
def test_as_images_gives_one_8x8_image_per_digit(n, shape):
    x = np.arange(n * 64, dtype=float).reshape(n, *shape)
    images = models.as_images(x)
    assert images.shape == (n, 8, 8, 1) and np.array_equal(images.ravel(), x.ravel())


@covers(models.as_images)
@given(st.one_of(st.just((0, 64)), st.just((3, 2, 32)), st.just((64,)), st.just((2, 63))))
def test_as_images_refuses_anything_else(shape):
    refused(models.as_images, "x", np.zeros(shape))


# ---- forgetting ----

@covers(forgetting.task_mask, forgetting.with_rehearsal)
@given(labelled(min_classes=2), labelled(min_classes=1, per_class=(2, 4)), st.integers(0, 2),
       st.integers(0, 100))
def test_rehearsal_adds_n_old_examples_per_old_class(new, old, n, seed):
    x_new, y_new = new
    x_old, y_old = old
    mask = forgetting.task_mask(y_new, [int(y_new[0])])
    assert np.array_equal(mask, y_new == y_new[0])
    x, y = forgetting.with_rehearsal(x_new, y_new, x_old, y_old, n, seed)
    assert len(x) == len(y) == len(y_new) + n * len(set(y_old.tolist()))
    refused(forgetting.with_rehearsal, "n_per_class", x_new, y_new, x_old, y_old, -1)
    refused(forgetting.task_mask, "classes", y_new, [])
    refused(forgetting.task_mask, "y", y_new - 100, [0])


@covers(forgetting.mean_and_range)
@given(st.lists(floats(0, 1), min_size=1, max_size=10))
def test_mean_and_range_orders_minimum_mean_maximum(values):
    mean, low, high = forgetting.mean_and_range(values)
    assert low <= mean + 1e-12 and mean <= high + 1e-12
    refused(forgetting.mean_and_range, "values", values + [math.nan])
    refused(forgetting.mean_and_range, "values", [])


# ---- sweeps ----

def always_first(x_train, y_train, x_test, seed):
    return np.full(len(x_test), y_train[0])


@covers(sweeps.run_sweep, sweeps.select, sweeps.values, sweeps.summarise, sweeps.table)
@slow_settings
@given(labelled(min_classes=2, per_class=(3, 5)), st.lists(st.integers(1, 3), min_size=1,
       max_size=2, unique=True), st.lists(st.integers(0, 50), min_size=1, max_size=3,
                                          unique=True))
def test_a_sweep_has_one_row_per_seed_condition_and_size_for_any_labels(xy, sizes, seeds):
    x, y = xy
    rows = sweeps.run_sweep({"first": always_first}, (x, y), (x, y), sizes, seeds)
    assert len(rows) == len(sizes) * len(seeds)
    assert all(0 <= r["accuracy"] <= 1 for r in rows)
    assert len(sweeps.select(rows, condition="first")) == len(rows)
    assert len(sweeps.values(rows, labels_per_class=sizes[0])) == len(seeds)
    summary = sweeps.summarise(rows)
    assert all(s["min"] <= s["mean"] <= s["max"] for s in summary)
    assert sweeps.table(summary).count("\n") == len(summary)


@covers(sweeps.run_sweep)
@given(labelled(min_classes=2, per_class=(3, 4)))
def test_a_sweep_refuses_bad_requests_before_training(xy):
    x, y = xy
    conditions = {"first": always_first}
    refused(sweeps.run_sweep, "labels_per_class", conditions, (x, y), (x, y), [], [0])
    refused(sweeps.run_sweep, "labels_per_class", conditions, (x, y), (x, y), [5], [0])
    refused(sweeps.run_sweep, "seeds", conditions, (x, y), (x, y), [1], [])
    refused(sweeps.run_sweep, "conditions", {}, (x, y), (x, y), [1], [0])
    refused(sweeps.run_sweep, "pool", conditions, (x, y[:-1]), (x, y), [1], [0])
    refused(sweeps.run_sweep, "test y", conditions, (x, y), (x, y + 0.5), [1], [0])


@covers(sweeps.select, sweeps.values, sweeps.summarise, sweeps.table)
@given(st.sampled_from(["rows", "no field"]))
def test_sweep_tables_refuse_rows_that_are_not_results(kind):
    rows = "abc" if kind == "rows" else [{"seed": 0}]
    refused(sweeps.summarise, "rows", rows)
    refused(sweeps.values, "rows", rows)
    refused(sweeps.table, "summary", rows)
    if kind == "rows":
        refused(sweeps.select, "rows", rows)


@covers(sweeps.paired_difference, sweeps.PairedDifference)
@given(st.integers(2, 12).flatmap(lambda n: st.tuples(finite_arrays((n,), 0, 1),
                                                      finite_arrays((n,), 0, 1))),
       st.floats(0.5, 0.99))
def test_a_paired_interval_contains_the_mean_difference(pair, confidence):
    a, b = pair
    d = sweeps.paired_difference(a, b, confidence)
    assert isinstance(d, sweeps.PairedDifference)
    assert d.low <= d.mean <= d.high and math.isclose(d.mean, float(np.mean(a - b)),
                                                      abs_tol=1e-12)
    assert d.direction == (1 if d.low > 0 else -1 if d.high < 0 else 0)
    refused(sweeps.paired_difference, "a", np.append(a, np.nan), np.append(b, 0))
    refused(sweeps.paired_difference, "same length", a, b[:-1] if len(b) > 2 else [1, 2, 3])


@covers(sweeps.binomial_se)
@given(st.floats(0, 1), st.integers(1, 10**6))
def test_binomial_se_is_at_most_half_over_root_n(p, n):
    se = sweeps.binomial_se(p, n)
    assert 0 <= se <= 0.5 / math.sqrt(n) + 1e-15
    refused(sweeps.binomial_se, "p", p + 1.01, n)
    refused(sweeps.binomial_se, "n", p, 0)


# ---- distributed, checks, repro ----

@covers(distributed.per_replica_batch)
@given(st.integers(1, 64), st.integers(1, 64))
def test_per_replica_batches_add_up_to_the_global_batch(replicas, per_replica):
    assert distributed.per_replica_batch(replicas * per_replica, replicas) == per_replica
    refused(distributed.per_replica_batch, "replicas", replicas * per_replica, 0)
    refused(distributed.per_replica_batch, "global_batch", float(replicas), replicas)


@covers(distributed.max_difference)
@given(finite_arrays((3, 2)), finite_arrays((4,)))
def test_max_difference_is_the_largest_gap_and_refuses_nan(a, b):
    gap = distributed.max_difference([a, b], [a + 1.5, b])
    assert math.isclose(gap, 1.5, rel_tol=1e-9, abs_tol=1e-9) or np.abs(a).max() > 1e12
    assert distributed.max_difference([a], [a]) == 0.0
    refused(distributed.max_difference, "weights_b[0]", [a], [np.full_like(a, np.nan)])
    refused(distributed.max_difference, "weights_a", 3.0, [a])


@covers(distributed.split_cpu)
@given(st.one_of(NOT_INTEGERS, st.integers(max_value=0)))
def test_split_cpu_refuses_bad_counts_before_tensorflow(n):
    refused(distributed.split_cpu, "n_devices", n)


@covers(checks.check_close, checks.check_choice, checks.SelfCheckError)
@given(finite_arrays((3,), -100, 100), floats(0.01, 10))
def test_self_checks_accept_right_answers_and_refuse_wrong_ones(expected, error):
    assert checks.check_close("answer", expected, expected) == 0.0
    with pytest.raises(checks.SelfCheckError):
        checks.check_close("answer", expected + error, expected, rtol=0, atol=error / 2)
    with pytest.raises(checks.SelfCheckError):
        checks.check_close("answer", np.full(3, np.nan), expected)
    refused(checks.check_close, "expected", "answer", expected, np.full(3, np.nan))
    refused(checks.check_close, "rtol", "answer", expected, expected, rtol=-error)
    checks.check_choice("choice", 2, 2)
    with pytest.raises(checks.SelfCheckError):
        checks.check_choice("choice", 2, 3)
    refused(checks.check_choice, "name", None, 2, 2)


@covers(repro.seed_offset, repro.seeds)
@given(st.integers(0, 1000), st.integers(1, 20))
def test_seeds_are_consecutive_from_the_offset(offset, n):
    previous = os.environ.get(repro.SEED_OFFSET_VARIABLE)
    try:
        os.environ[repro.SEED_OFFSET_VARIABLE] = str(offset)
        assert repro.seed_offset() == offset
        assert repro.seeds(n) == list(range(offset, offset + n))
        refused(repro.seeds, "n", 0)
        os.environ[repro.SEED_OFFSET_VARIABLE] = f"-{offset}x"
        refused(repro.seed_offset, repro.SEED_OFFSET_VARIABLE)
    finally:
        if previous is None:
            os.environ.pop(repro.SEED_OFFSET_VARIABLE, None)
        else:
            os.environ[repro.SEED_OFFSET_VARIABLE] = previous


@covers(repro.setup)
@given(st.one_of(NOT_INTEGERS, st.integers(max_value=-1), st.integers(min_value=2**32)))
def test_setup_refuses_seeds_that_keras_cannot_take(seed):
    refused(repro.setup, "seed", seed=seed)


# ---- plots ----

@covers(plotting.use_style, plotting.label, plotting.show_images)
@slow_settings
@given(st.integers(1, 12), st.integers(1, 12))
def test_image_grids_have_one_panel_per_image(n, ncols):
    plotting.use_style()
    fig = plotting.show_images(np.zeros((n, 4, 4)), titles=list(range(n)), ncols=ncols)
    try:
        assert len(fig.axes) == n
        assert plotting.label(fig.axes[0], "x (unit)", "y (unit)", "title") is fig.axes[0]
        refused(plotting.label, "ylabel", fig.axes[0], "x", "  ")
        refused(plotting.show_images, "ncols", np.zeros((n, 4, 4)), ncols=ncols + 0.5)
        refused(plotting.show_images, "titles", np.zeros((n, 4, 4)), titles=list(range(n + 1)))
        refused(plotting.show_images, "images", np.full((n, 4, 4), np.nan))
    finally:
        plt.close(fig)


@covers(forgetting.plot_rehearsal, adapters.plot_tradeoff)
@slow_settings
@given(st.integers(1, 4), st.integers(1, 3), st.data())
def test_result_plots_draw_one_point_per_condition_and_refuse_mismatches(k, seeds, data_):
    accuracy = data_.draw(finite_arrays((k, seeds), 0, 1))
    counts = list(range(k))
    ax = forgetting.plot_rehearsal(counts, accuracy, accuracy)
    plt.close(ax.figure)
    names, trainable = [f"m{i}" for i in range(k)], [10 ** (i + 1) for i in range(k)]
    ax = adapters.plot_tradeoff(names, trainable, accuracy)
    plt.close(ax.figure)
    refused(forgetting.plot_rehearsal, "new_accuracy", counts, accuracy, accuracy * np.nan)
    refused(adapters.plot_tradeoff, "accuracy", names, trainable, accuracy + 2)
    refused(adapters.plot_tradeoff, "trainable", names, [0] * k, accuracy)


@covers(sweeps.plot_learning_curves)
@slow_settings
@given(labelled(min_classes=2, per_class=(3, 4)), st.lists(st.integers(1, 3), min_size=1,
       max_size=3, unique=True))
def test_learning_curves_draw_one_line_per_condition(xy, sizes):
    x, y = xy
    conditions = {"first": always_first, "also first": always_first}
    rows = sweeps.run_sweep(conditions, (x, y), (x, y), sizes, [0, 1])
    fig, ax = plt.subplots()
    try:
        sweeps.plot_learning_curves(rows, ax, "title")
        assert len(ax.lines) == len(conditions)
        refused(sweeps.plot_learning_curves, "rows", [], ax)
        refused(sweeps.plot_learning_curves, "rows", [{"seed": 0}], ax)
    finally:
        plt.close(fig)


# ---- Fashion-MNIST (the real files of the system package) ----

FASHION_SIZES = {"train": 50_000, "val": 10_000, "test": 10_000}


@covers(data.fashion_mnist, data.Fashion)
@slow_settings
@given(st.sampled_from(sorted(FASHION_SIZES)), st.lists(st.integers(0, 9_999), min_size=1,
                                                        max_size=20))
def test_fashion_splits_have_the_documented_shapes_range_and_balance(split, rows):
    part = data.fashion_mnist(split)
    n = FASHION_SIZES[split]
    assert isinstance(part, data.Fashion) and part is data.fashion_mnist(split)  # kept in memory
    assert part.images.shape == (n, 28, 28) and part.images.dtype == np.float32
    assert part.x.shape == (n, 784) and np.may_share_memory(part.x, part.images)
    assert part.y.shape == (n,) and part.y.dtype == np.int64
    assert np.bincount(part.y, minlength=10).tolist() == [n // 10] * 10   # stratified, balanced
    chosen = part.images[rows]
    assert chosen.min() >= 0.0 and chosen.max() <= 1.0 and np.all(chosen.max(axis=(1, 2)) > 0)
    np.testing.assert_array_equal(part.x[rows], chosen.reshape(len(rows), -1))
    assert np.all(chosen * 255 == np.round(chosen * 255))   # grey levels of 8-bit images
    assert not (part.images.flags.writeable or part.y.flags.writeable)


@covers(data.fashion_mnist)
@given(st.one_of(st.text(max_size=8).filter(lambda s: s not in FASHION_SIZES),
                 st.sampled_from([None, 0, ["train"], "Train", b"test"])))
def test_fashion_mnist_refuses_an_unknown_split(split):
    refused(data.fashion_mnist, "split", split)


FASHION_FILES = sorted(data.FASHION_MNIST_SHA256)


def _linked_fashion_folder(folder, leave_out=(), junk=None):
    """``folder`` with links to the installed files, except those left out; ``junk`` (bytes)
    replaces the training images."""
    from pathlib import Path

    source = data.fashion_mnist_folder()
    for name in FASHION_FILES:
        if name in leave_out:
            continue
        original = next(p for p in (source / f"{name}.gz", source / name) if p.is_file())
        target = Path(folder) / original.name
        if junk is not None and name == "train-images-idx3-ubyte":
            target.write_bytes(junk)
        else:
            target.symlink_to(original)


@covers(data.fashion_mnist_folder, data.FashionMNISTError, data.fashion_mnist)
@given(st.binary(max_size=64), st.booleans())
def test_fashion_files_that_are_altered_are_refused(junk, keep_gzip):
    import gzip
    import tempfile

    with tempfile.TemporaryDirectory() as folder, pytest.MonkeyPatch.context() as patch:
        _linked_fashion_folder(folder, junk=gzip.compress(junk) if keep_gzip else junk)
        patch.setenv(data.FASHION_MNIST_VARIABLE, folder)
        assert str(data.fashion_mnist_folder()) == folder   # the variable's folder comes first
        with pytest.raises(data.FashionMNISTError) as info:
            data.fashion_mnist("test")
        assert isinstance(info.value, ValueError) and "train-images" in str(info.value)


@covers(data.fashion_mnist_folder, data.FashionMNISTError)
@given(st.sets(st.sampled_from(FASHION_FILES), min_size=1))
def test_a_folder_missing_any_fashion_file_is_passed_over(missing):
    import tempfile

    installed = data.fashion_mnist_folder()
    with tempfile.TemporaryDirectory() as folder, pytest.MonkeyPatch.context() as patch:
        _linked_fashion_folder(folder, leave_out=missing)
        patch.setenv(data.FASHION_MNIST_VARIABLE, folder)
        assert data.fashion_mnist_folder() == installed   # falls back to the system package
        patch.setattr(data, "FASHION_MNIST_FOLDERS", ())
        with pytest.raises(data.FashionMNISTError) as info:
            data.fashion_mnist_folder()
        message = str(info.value)
        assert data.FASHION_MNIST_VARIABLE in message and "apt-get install" in message
