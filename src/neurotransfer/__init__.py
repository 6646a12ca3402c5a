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
import pkgutil

from neurotransfer.repro import setup

__version__ = "0.1.0"

#: The concept modules, found on disk so that a new module needs no registration here.
SUBMODULES = sorted(m.name for m in pkgutil.iter_modules(__path__) if not m.name.startswith("_"))
__all__ = ["setup", *SUBMODULES]


def __getattr__(name):
    if name in SUBMODULES:
        return importlib.import_module(f"neurotransfer.{name}")
    raise AttributeError(
        f"module 'neurotransfer' has no attribute {name!r}; its modules are {SUBMODULES}"
    )


def __dir__():
    return sorted(set(globals()) | set(SUBMODULES))
