"""`neurotransfer.data.fashion_mnist`: IDX parsing, the search order, checksums, clear errors.

Most tests write small IDX files of their own (with their checksums patched in); one reads
the real files of Debian's ``dataset-fashion-mnist`` package.
"""

import gzip
import hashlib
import os

import numpy as np
import pytest

from neurotransfer import data

NAMES = ("train-images-idx3-ubyte", "train-labels-idx1-ubyte",
         "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")


def idx_bytes(array):
    """The IDX encoding of a uint8 array: magic, big-endian sizes, then the bytes."""
    array = np.asarray(array, dtype=np.uint8)
    header = np.array([0x0800 + array.ndim, *array.shape], dtype=">u4").tobytes()
    return header + array.tobytes()


def small_set(seed=0, per_class=6, test_per_class=2):
    """Contents of the four files for a tiny, balanced Fashion-MNIST look-alike."""
    rng = np.random.default_rng(seed)
    train_y = np.repeat(np.arange(10), per_class)
    test_y = np.repeat(np.arange(10), test_per_class)
    rng.shuffle(train_y)
    return {
        "train-images-idx3-ubyte": idx_bytes(rng.integers(0, 256, (len(train_y), 28, 28))),
        "train-labels-idx1-ubyte": idx_bytes(train_y),
        "t10k-images-idx3-ubyte": idx_bytes(rng.integers(0, 256, (len(test_y), 28, 28))),
        "t10k-labels-idx1-ubyte": idx_bytes(test_y),
    }


def write(folder, contents, compress=True):
    folder.mkdir(parents=True, exist_ok=True)
    for name, raw in contents.items():
        if compress:
            (folder / f"{name}.gz").write_bytes(gzip.compress(raw))
        else:
            (folder / name).write_bytes(raw)
    return folder


@pytest.fixture
def fake(tmp_path, monkeypatch):
    """Point the loader at ``tmp_path/env`` only, with the small set's checksums."""
    contents = small_set()
    monkeypatch.setattr(data, "FASHION_MNIST_SHA256",
                        {name: hashlib.sha256(raw).hexdigest() for name, raw in contents.items()})
    monkeypatch.setattr(data, "FASHION_MNIST_FOLDERS", ())
    monkeypatch.setenv(data.FASHION_MNIST_VARIABLE, str(tmp_path / "env"))
    data._fashion_arrays.cache_clear()
    data._fashion_split.cache_clear()
    yield tmp_path, contents
    data._fashion_arrays.cache_clear()
    data._fashion_split.cache_clear()


@pytest.mark.parametrize("compress", [True, False])
def test_parts_have_the_documented_shapes_types_and_range(fake, compress):
    tmp_path, contents = fake
    write(tmp_path / "env", contents, compress)
    parts = {s: data.fashion_mnist(s) for s in data.SPLITS}
    assert [len(parts[s].y) for s in data.SPLITS] == [50, 10, 20]
    for part in parts.values():
        assert part.images.shape[1:] == (28, 28) and part.images.dtype == np.float32
        assert part.x.shape == (len(part.y), 784) and part.y.dtype == np.int64
        assert 0.0 <= part.images.min() and part.images.max() <= 1.0
        np.testing.assert_array_equal(part.images.reshape(len(part.y), -1), part.x)
    assert np.bincount(parts["val"].y).tolist() == [1] * 10  # stratified
    raw = np.frombuffer(contents["t10k-images-idx3-ubyte"], np.uint8, offset=16)
    np.testing.assert_allclose(parts["test"].x.ravel(), raw / 255.0, rtol=1e-6)


def test_train_and_val_are_disjoint_and_together_the_training_file(fake):
    tmp_path, contents = fake
    write(tmp_path / "env", contents)
    train, val = data.fashion_mnist("train"), data.fashion_mnist("val")
    rows = np.concatenate([train.x, val.x])
    raw = np.frombuffer(contents["train-images-idx3-ubyte"], np.uint8, offset=16)
    expected = (raw.reshape(60, 784) / 255.0).astype(np.float32)
    assert len(np.unique(rows, axis=0)) == 60
    np.testing.assert_array_equal(np.sort(rows, axis=0), np.sort(expected, axis=0))


def test_repeated_calls_reuse_the_parsed_arrays(fake):
    tmp_path, contents = fake
    write(tmp_path / "env", contents)
    assert data.fashion_mnist("test") is data.fashion_mnist("test")
    with pytest.raises(ValueError):
        data.fashion_mnist("test").images[0, 0, 0] = 1.0  # read-only: the cache stays intact


def test_the_environment_variable_comes_before_the_system_folders(fake, monkeypatch):
    tmp_path, contents = fake
    write(tmp_path / "env", contents)
    write(tmp_path / "debian", small_set(seed=1))  # other contents, wrong checksums
    monkeypatch.setattr(data, "FASHION_MNIST_FOLDERS", (str(tmp_path / "debian"),))
    assert data.fashion_mnist_folder() == tmp_path / "env"
    monkeypatch.delenv(data.FASHION_MNIST_VARIABLE)
    assert data.fashion_mnist_folder() == tmp_path / "debian"


def test_a_folder_missing_one_file_is_skipped(fake, monkeypatch):
    tmp_path, contents = fake
    write(tmp_path / "env", {k: v for k, v in contents.items() if "t10k-labels" not in k})
    write(tmp_path / "keras", contents)
    monkeypatch.setattr(data, "FASHION_MNIST_FOLDERS", (str(tmp_path / "keras"),))
    assert data.fashion_mnist_folder() == tmp_path / "keras"
    assert len(data.fashion_mnist("test").y) == 20


def test_missing_files_name_both_ways_to_get_them(fake):
    with pytest.raises(data.FashionMNISTError) as error:
        data.fashion_mnist("train")
    message = str(error.value)
    assert "apt-get install dataset-fashion-mnist" in message
    assert "keras.datasets.fashion_mnist.load_data()" in message
    assert data.FASHION_MNIST_VARIABLE in message


def test_a_truncated_file_is_refused_by_name(fake):
    tmp_path, contents = fake
    folder = write(tmp_path / "env", contents)
    damaged = folder / "train-images-idx3-ubyte.gz"
    damaged.write_bytes(damaged.read_bytes()[:-100])
    with pytest.raises(data.FashionMNISTError, match="train-images-idx3-ubyte.gz"):
        data.fashion_mnist("train")


def test_a_truncated_uncompressed_file_fails_its_checksum(fake):
    tmp_path, contents = fake
    contents = dict(contents)
    contents["t10k-labels-idx1-ubyte"] = contents["t10k-labels-idx1-ubyte"][:-3]
    write(tmp_path / "env", contents, compress=False)
    with pytest.raises(data.FashionMNISTError, match="t10k-labels-idx1-ubyte.*truncated or "
                                                     "altered"):
        data.fashion_mnist("test")


def test_an_altered_byte_is_refused(fake):
    tmp_path, contents = fake
    contents = dict(contents)
    raw = bytearray(contents["train-labels-idx1-ubyte"])
    raw[20] = (raw[20] + 1) % 10
    contents["train-labels-idx1-ubyte"] = bytes(raw)
    write(tmp_path / "env", contents)
    with pytest.raises(data.FashionMNISTError, match="refusing .*train-labels-idx1-ubyte.gz"):
        data.fashion_mnist("val")


def test_a_file_with_the_right_checksum_but_a_wrong_header_is_refused(fake, monkeypatch):
    tmp_path, contents = fake
    contents = dict(contents)
    contents["t10k-labels-idx1-ubyte"] = idx_bytes(np.zeros((20, 1)))  # two dimensions
    monkeypatch.setitem(data.FASHION_MNIST_SHA256, "t10k-labels-idx1-ubyte",
                        hashlib.sha256(contents["t10k-labels-idx1-ubyte"]).hexdigest())
    write(tmp_path / "env", contents)
    with pytest.raises(data.FashionMNISTError, match="not an IDX file of 1 dimension"):
        data.fashion_mnist("test")


def test_an_unknown_split_is_refused():
    with pytest.raises(ValueError, match="split must be one of"):
        data.fashion_mnist("training")


def test_the_class_names_are_the_published_ones():
    assert len(data.FASHION_CLASSES) == 10
    assert data.FASHION_CLASSES[0] == "T-shirt/top" and data.FASHION_CLASSES[9] == "Ankle boot"


def _real_folder():
    try:
        return data.fashion_mnist_folder()
    except data.FashionMNISTError:
        if os.environ.get("CI"):
            raise  # CI installs the package: its absence there is a failure
        pytest.skip("Fashion-MNIST is not installed (apt-get install dataset-fashion-mnist)")


def test_the_real_files_match_their_checksums_shapes_and_label_counts():
    folder = _real_folder()
    for name, expected in data.FASHION_MNIST_SHA256.items():
        path = data._fashion_file(folder, name)
        raw = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
        assert hashlib.sha256(raw).hexdigest() == expected, name
    sizes = {"train": 50_000, "val": 10_000, "test": 10_000}
    for split, size in sizes.items():
        part = data.fashion_mnist(split)
        assert part.images.shape == (size, 28, 28)
        assert np.bincount(part.y).tolist() == [size // 10] * 10
        assert part.images.min() == 0.0 and part.images.max() == 1.0
