"""Domain shift: the same digits, drawn a little differently.

A model learns the distribution of its training images. Moving the digits by a
pixel, blurring them or adding sensor noise keeps every label the same but
changes the inputs' distribution, and accuracy can fall sharply. The functions
take a stack of images of shape (n, height, width) in [0, 1] and return a new
stack of the same shape; the input is never modified.
"""

import numpy as np
from scipy import ndimage

from neurotransfer.regularization import shift_images


def _check_images(images):
    images = np.asarray(images, dtype=np.float32)
    if images.ndim != 3:
        raise ValueError(f"images must have shape (n, height, width), got shape {images.shape}")
    if not np.all(np.isfinite(images)):
        raise ValueError("images contain NaN or infinite values")
    return images


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
        if isinstance(step, bool) or not isinstance(step, (int, np.integer)):
            raise ValueError(f"{name} must be a whole number of pixels, got {step!r}")
        if abs(step) >= size:
            raise ValueError(f"{name} must be smaller than the image, got {step} for "
                             f"{images.shape[1]}×{images.shape[2]} images (height × width)")
    return shift_images(images, dy, dx)  # the same whole-pixel shift that augmentation uses


def blur(images, sigma):
    """Gaussian blur of standard deviation ``sigma`` pixels (an out-of-focus scanner).

    Examples
    --------
    >>> image = np.zeros((1, 5, 5)); image[0, 2, 2] = 1
    >>> out = blur(image, 1.0)
    >>> bool(out[0, 2, 2] < 1), round(float(out.sum()), 3)
    (True, 1.0)
    """
    images = _check_images(images)
    if not sigma > 0:
        raise ValueError(f"sigma must be a positive number of pixels, got {sigma!r}")
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
    if not std >= 0:
        raise ValueError(f"std must be a non-negative number, got {std!r}")
    noisy = images + np.random.default_rng(seed).normal(0.0, std, images.shape)
    return np.clip(noisy, 0.0, 1.0).astype(np.float32)
