"""`neurotransfer.models`: layer names, shapes and parameter counts of the small builders."""

import numpy as np
import pytest

import neurotransfer as nt
from neurotransfer import models

nt.setup(seed=0)


def test_source_text_mlp_matches_the_text():
    model = models.source_text_mlp()
    assert [layer.units for layer in model.layers] == [64, 64, 10]
    assert model.input_shape == (None, 100)
    assert model.layers[-1].activation.__name__ == "softmax"
    # 100*64+64 + 64*64+64 + 64*10+10
    assert model.count_params() == 100 * 64 + 64 + 64 * 64 + 64 + 64 * 10 + 10


def test_small_cnn_accepts_images_and_batch_norm_adds_layers():
    model = models.small_cnn(num_classes=5, batch_norm=True)
    out = model.predict(np.zeros((2, 8, 8, 1), np.float32), verbose=0)
    assert out.shape == (2, 5)
    np.testing.assert_allclose(out.sum(axis=1), 1.0, rtol=1e-5)
    assert {"bn_1", "bn_2"} <= {layer.name for layer in model.layers}


@pytest.mark.parametrize("call, message", [
    (lambda: models.small_mlp(hidden=()), "hidden must hold at least 1"),
    (lambda: models.small_mlp(num_classes=0), "num_classes must be an integer >= 1"),
    (lambda: models.small_cnn(filters=(8,)), "filters must give two widths"),
    (lambda: models.as_images(np.zeros((3, 10))), "8×8 digit"),
])
def test_bad_arguments_raise_clear_errors(call, message):
    with pytest.raises((ValueError, TypeError), match=message):
        call()


def test_fashion_cnn_takes_28_by_28_images_and_names_its_layers():
    model = models.fashion_cnn(num_classes=5)
    assert model.input_shape == (None, 28, 28, 1) and model.output_shape == (None, 5)
    assert [layer.name for layer in model.layers] == [
        "image", "conv_1", "conv_2", "flatten", "dense_1", "head"]
    assert model.get_layer("conv_2").output.shape == (None, 7, 7, 16)


@pytest.mark.parametrize("kwargs, message", [
    ({"num_classes": 0}, "num_classes must be an integer >= 2, got 0"),
    ({"filters": (8,)}, "filters must give two widths"),
    ({"filters": (8, 0)}, r"filters\[1\] must be an integer >= 1, got 0"),
    ({"dense": 2.5}, "dense must be an integer, got 2.5"),
])
def test_fashion_cnn_rejects_bad_arguments(kwargs, message):
    with pytest.raises((ValueError, TypeError), match=message):
        models.fashion_cnn(**kwargs)
