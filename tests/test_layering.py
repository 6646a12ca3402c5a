"""The package's modules import each other without a cycle, and nothing is re-exported."""

import ast
import importlib
from pathlib import Path

import neurotransfer

PACKAGE = Path(neurotransfer.__file__).parent


def imported_modules(path):
    """The package modules a source file imports (``from neurotransfer import x`` and
    ``from neurotransfer.x import ...`` and ``import neurotransfer.x``), wherever in the file."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "neurotransfer":
                names |= {alias.name for alias in node.names}
            elif node.module.startswith("neurotransfer."):
                names.add(node.module.split(".")[1])
        elif isinstance(node, ast.Import):
            names |= {a.name.split(".")[1] for a in node.names
                      if a.name.startswith("neurotransfer.")}
    return names


def import_graph():
    modules = {p.stem for p in PACKAGE.glob("*.py") if p.stem != "__init__"}
    return {m: imported_modules(PACKAGE / f"{m}.py") & modules for m in sorted(modules)}


def test_every_module_imports_on_its_own():
    for name in import_graph():
        importlib.import_module(f"neurotransfer.{name}")


def test_the_import_graph_has_no_cycle():
    graph = import_graph()
    done, active = set(), []

    def visit(module):
        if module in active:
            cycle = active[active.index(module):] + [module]
            raise AssertionError(f"import cycle: {' -> '.join(cycle)}")
        if module in done:
            return
        active.append(module)
        for other in sorted(graph[module]):
            visit(other)
        active.pop()
        done.add(module)

    for module in graph:
        visit(module)
    assert graph["pretrained"].isdisjoint({"transfer"})
    assert graph["transfer"].isdisjoint({"pretrained"})
    assert graph["_validate"] == set()   # the bottom layer imports nothing of the package


def test_a_module_does_not_re_export_names_it_imports_from_the_package():
    for name in import_graph():
        module = importlib.import_module(f"neurotransfer.{name}")
        exported = getattr(module, "__all__", [])
        for public in exported:
            obj = getattr(module, public)
            owner = getattr(obj, "__module__", module.__name__)
            assert not (owner.startswith("neurotransfer.") and owner != module.__name__), \
                f"{name} re-exports {public} from {owner}"
