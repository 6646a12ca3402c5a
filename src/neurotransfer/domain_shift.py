"""Domain shift: the same digits, drawn a little differently.

A model learns the distribution of its training images. Moving the digits by a
pixel, blurring them or adding sensor noise keeps every label the same but
changes the inputs' distribution, and accuracy can fall sharply. The functions
take a stack of images of shape (n, height, width) in [0, 1] and return a new
stack of the same shape; the input is never modified.
"""

import numpy as np
from scipy import ndimage

from neurotransfer import _validate
from neurotransfer.regularization import shift_images


def _check_images(images):
    return _validate.finite_array("images", images, ndim=3, dtype=np.float32)


def translate(images, dx, dy=0):
    """Move every image ``dx`` pixels right and ``dy`` pixels down, filling with blank pixels.

    Examples
    --------
    >>> image = np.zeros((1, 3, 3)); image[0, 1, 1] = 1
    >>> translate(image, 1)[0].tolist()
    [[0.0, 0.0, 0.0], [0.0, 0.0, 1.0], [0.0, 0.0, 0.0]]
    """
    images = _check_images(images)
    for name, step, size in (("dx", dx, images.shape[2]), ("dy", dy, images.shape[1])):
        _validate.integer(name, step, minimum=-(size - 1), maximum=size - 1)
    return shift_images(images, dy, dx)  # the same whole-pixel shift that augmentation uses


def blur(images, sigma):
    """Gaussian blur of standard deviation ``sigma`` pixels (an out-of-focus scanner).

    Beyond the border the image counts as blank, so ink blurred past the edge is lost: the
    total ink falls a little, more for a larger ``sigma``.

    Examples
    --------
    >>> image = np.zeros((1, 5, 5)); image[0, 2, 2] = 1
    >>> out = blur(image, 1.0)
    >>> round(float(out[0, 2, 2]), 3), round(float(out.sum()), 3)
    (0.159, 0.982)
    """
    images = _check_images(images)
    sigma = _validate.positive("sigma", sigma)
    return ndimage.gaussian_filter(images, (0, sigma, sigma), mode="constant")


def add_noise(images, std, seed=0):
    """Add Gaussian pixel noise of standard deviation ``std`` and clip back to [0, 1].

    Examples
    --------
    >>> out = add_noise(np.full((2, 8, 8), 0.5), std=0.1, seed=0)
    >>> out.shape, bool(0 <= out.min() and out.max() <= 1)
    ((2, 8, 8), True)
    """
    images = _check_images(images)
    std = _validate.number("std", std, minimum=0)
    rng = np.random.default_rng(_validate.seed("seed", seed))
    noisy = images + rng.normal(0.0, std, images.shape)
    return np.clip(noisy, 0.0, 1.0).astype(np.float32)
