"""Every public function and class of the package is covered by a property-based test.

The public callables are found, not listed: every name not starting with ``_`` that a module
of the package defines itself (functions and classes). A new public function without a
property test fails here, naming itself.
"""

import importlib
import inspect

import property_support

import neurotransfer

PROPERTY_MODULES = ["test_properties_neurons", "test_properties_losses",
                    "test_properties_optimisation", "test_properties_data",
                    "test_properties_keras"]


def public_callables():
    found = set()
    for name in neurotransfer.SUBMODULES:
        module = importlib.import_module(f"neurotransfer.{name}")
        for attribute, obj in vars(module).items():
            if attribute.startswith("_") or not (inspect.isfunction(obj) or inspect.isclass(obj)):
                continue
            if getattr(obj, "__module__", None) == module.__name__:
                found.add(f"{module.__name__}.{obj.__qualname__}")
    return found


def test_every_public_callable_has_a_property_test():
    for name in PROPERTY_MODULES:
        importlib.import_module(name)
    public = public_callables()
    assert len(public) > 90   # the discovery itself works
    missing = sorted(public - set(property_support.COVERED))
    assert not missing, f"public callables without a property test: {missing}"
    stale = sorted(set(property_support.COVERED) - public)
    assert not stale, f"the registry names callables that are not public: {stale}"


def test_the_registry_points_at_tests_that_exist():
    modules = [importlib.import_module(name) for name in PROPERTY_MODULES]
    tests = {attribute for module in modules for attribute in vars(module)
             if attribute.startswith("test_")}
    for name, covering in property_support.COVERED.items():
        assert set(covering) <= tests, (name, covering)
