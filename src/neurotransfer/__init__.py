"""Helper package for the course *From Neurons to Transfer Learning*.

Each submodule teaches one concept and is imported on first use, so that
``import neurotransfer as nt`` stays fast and TensorFlow is only loaded by
:func:`setup` (after its log settings are in place) or by a module that needs it.

Examples
--------
>>> import neurotransfer as nt
>>> nt.data.load_digits().images.shape
(1797, 8, 8)
"""

import importlib

from neurotransfer.repro import setup

__all__ = ["setup", "data", "plotting", "repro"]
__version__ = "0.1.0"

_SUBMODULES = {"data", "plotting", "repro"}


def __getattr__(name):
    if name in _SUBMODULES:
        return importlib.import_module(f"neurotransfer.{name}")
    raise AttributeError(f"module 'neurotransfer' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | _SUBMODULES)
