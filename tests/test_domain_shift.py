import numpy as np
import pytest

import neurotransfer as nt
from neurotransfer import domain_shift


@pytest.fixture(scope="module")
def images():
    return nt.data.load_digits().images[:50]


def test_translate_moves_ink_and_matches_slicing(images):
    out = domain_shift.translate(images, 1)
    expected = np.zeros_like(images)
    expected[:, :, 1:] = images[:, :, :-1]
    assert np.array_equal(out, expected)
    down = domain_shift.translate(images, 0, dy=-2)
    expected = np.zeros_like(images)
    expected[:, :-2, :] = images[:, 2:, :]
    assert np.array_equal(down, expected)
    assert np.array_equal(domain_shift.translate(images, 0), images)


def test_blur_keeps_total_ink_inside_and_smooths(images):
    point = np.zeros((1, 9, 9))
    point[0, 4, 4] = 1
    out = domain_shift.blur(point, 1.0)
    assert out.sum() == pytest.approx(1.0, abs=1e-3)
    assert out[0, 4, 4] < 0.2 and out[0, 4, 5] > 0
    assert domain_shift.blur(images, 0.5).shape == images.shape


def test_noise_is_seeded_clipped_and_does_not_modify_input(images):
    before = images.copy()
    a = domain_shift.add_noise(images, 0.3, seed=1)
    assert np.array_equal(a, domain_shift.add_noise(images, 0.3, seed=1))
    assert not np.array_equal(a, domain_shift.add_noise(images, 0.3, seed=2))
    assert a.min() >= 0 and a.max() <= 1 and np.array_equal(images, before)
    assert np.array_equal(domain_shift.add_noise(images, 0.0), images)


@pytest.mark.parametrize("call, match", [
    (lambda im: domain_shift.translate(im[0], 1), "shape"),
    (lambda im: domain_shift.translate(im, 1.5), "dx must be an integer"),
    (lambda im: domain_shift.translate(im, 8), "dx must be an integer <= 7"),
    (lambda im: domain_shift.translate(im[:, :, :4], 5), "dx must be an integer <= 3"),
    (lambda im: domain_shift.translate(im[:, :4, :], 0, 5), "dy must be an integer <= 3"),
    (lambda im: domain_shift.blur(im, 0), "sigma"),
    (lambda im: domain_shift.add_noise(im, -0.1), "std"),
    (lambda im: domain_shift.blur(np.full_like(im, np.nan), 1), "NaN"),
])
def test_bad_input_is_rejected(images, call, match):
    with pytest.raises((ValueError, TypeError), match=match):
        call(images)
