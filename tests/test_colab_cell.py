"""The Colab cell (tools/colab_cell.py): it installs the helper package only inside Colab.

The notebooks in the repository are left as they are here; the tool is tried on copies.
"""

import importlib.metadata
import json
import shutil
import subprocess
import sys
import types

import colab_cell
import pytest
from notebook_rules import ROOT, notebook_problems, notebooks_on_disk


def _run_cell(source, monkeypatch, *, in_colab, versions):
    """Execute the cell's code as Colab would; return the pip commands it ran."""
    calls = []
    if in_colab:
        google = types.ModuleType("google")
        stand_in = types.ModuleType("google.colab")  # what Colab's runtime has imported
        google.colab = stand_in
        monkeypatch.setitem(sys.modules, "google", google)
        monkeypatch.setitem(sys.modules, "google.colab", stand_in)
    else:
        monkeypatch.delitem(sys.modules, "google.colab", raising=False)
    monkeypatch.setattr(subprocess, "run", lambda command, **kw: calls.append((command, kw)))
    monkeypatch.setattr(importlib.metadata, "version", lambda name: versions[name])
    exec(compile(source, "<colab cell>", "exec"), {})
    return calls


def _course_copy(tmp_path, url):
    """A course folder with the repository's _config.yml (``url`` set) and requirements.txt."""
    import yaml

    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    config["repository"]["url"] = url
    (tmp_path / "_config.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    shutil.copy(ROOT / "requirements.txt", tmp_path / "requirements.txt")
    return tmp_path


PINNED = {"tensorflow": "2.21.0", "keras": "3.15.1"}


def test_the_cell_pins_the_versions_of_requirements_txt():
    assert colab_cell.pins() == PINNED
    assert json.dumps(PINNED) in colab_cell.cell_source()


def test_outside_colab_the_cell_does_nothing(monkeypatch, capsys):
    calls = _run_cell(colab_cell.cell_source(), monkeypatch, in_colab=False, versions={})
    assert calls == [] and capsys.readouterr().out == ""


def test_without_a_repository_the_cell_says_so_in_colab(monkeypatch):
    assert colab_cell.repository()[0] == "" or pytest.skip("repository.url is set")
    with pytest.raises(RuntimeError, match="no public repository yet"):
        _run_cell(colab_cell.cell_source(), monkeypatch, in_colab=True, versions=PINNED)


def test_in_colab_the_cell_installs_from_the_repository(tmp_path, monkeypatch, capsys):
    course = _course_copy(tmp_path, "https://example.org/owner/course/")
    calls = _run_cell(colab_cell.cell_source(course), monkeypatch, in_colab=True,
                      versions=PINNED)
    assert calls == [([sys.executable, "-m", "pip", "install", "--quiet",
                       "git+https://example.org/owner/course@main"], {"check": True})]
    assert capsys.readouterr().out == ""  # the pinned versions: nothing to warn about


def test_in_colab_the_cell_names_a_version_that_differs(tmp_path, monkeypatch, capsys):
    course = _course_copy(tmp_path, "https://example.org/owner/course")
    _run_cell(colab_cell.cell_source(course), monkeypatch, in_colab=True,
              versions={"tensorflow": "2.19.0", "keras": "3.15.1"})
    out = capsys.readouterr().out
    assert "Colab has tensorflow 2.19.0" in out and "checked with 2.21.0" in out
    assert "keras" not in out


@pytest.fixture(scope="module")
def copies(tmp_path_factory):
    """Every notebook, copied without its Colab cell, with the tool then applied to the copies."""
    folder = tmp_path_factory.mktemp("notebooks")
    paths = []
    for notebook in notebooks_on_disk():
        target = folder / str(notebook).replace("/", "__")
        nb = json.loads((ROOT / notebook).read_text(encoding="utf-8"))
        nb["cells"] = [c for c in nb["cells"] if not colab_cell.is_colab_cell(c)]
        target.write_text(json.dumps(nb, sort_keys=True, indent=1, ensure_ascii=False) + "\n",
                          encoding="utf-8")
        paths.append(target)
    changed = [colab_cell.apply(path) for path in paths]
    return paths, changed


def test_the_tool_puts_the_cell_right_before_the_setup_cell(copies):
    paths, changed = copies
    assert all(changed)
    for path in paths:
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        at = colab_cell.setup_index(cells)
        assert colab_cell.is_colab_cell(cells[at - 1])
        assert sum(colab_cell.is_colab_cell(c) for c in cells) == 1
        assert cells[at - 1]["metadata"] == {"tags": ["hide-input"]}
        assert notebook_problems(path) == [], path.name
    assert colab_cell.main(["--check", *map(str, paths)]) == 0


def test_the_tool_is_idempotent_and_changes_nothing_else(copies):
    paths, _ = copies
    for path in paths:
        before = path.read_text(encoding="utf-8")
        assert colab_cell.apply(path) is False
        assert path.read_text(encoding="utf-8") == before
    original = json.loads((ROOT / notebooks_on_disk()[0]).read_text(encoding="utf-8"))
    updated = json.loads(paths[0].read_text(encoding="utf-8"))
    assert updated["cells"] == original["cells"]  # the repository's notebooks hold the cell
    assert updated["metadata"] == original["metadata"]


def test_the_tool_updates_a_stale_cell(copies, tmp_path):
    path = tmp_path / "stale.ipynb"
    shutil.copy(copies[0][0], path)
    nb = json.loads(path.read_text(encoding="utf-8"))
    cell = next(c for c in nb["cells"] if colab_cell.is_colab_cell(c))
    cell["source"] = [colab_cell.MARKER + "\n", "print('old')\n"]
    path.write_text(json.dumps(nb), encoding="utf-8")
    assert any("stale Colab cell" in p for p in notebook_problems(path))
    assert colab_cell.main(["--check", str(path)]) == 1
    assert colab_cell.apply(path) is True and notebook_problems(path) == []


def _spoiled(copies, tmp_path, spoil):
    path = tmp_path / "spoiled.ipynb"
    nb = json.loads(copies[0][0].read_text(encoding="utf-8"))
    spoil(nb)
    path.write_text(json.dumps(nb), encoding="utf-8")
    return notebook_problems(path)


def _code(source):
    return {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
            "source": [source]}


@pytest.mark.parametrize("install", [
    "import subprocess, sys\nsubprocess.run([sys.executable, '-m', 'pip', 'install', 'x'])",
    "%pip install keras",
    "!pip install keras",
    "import os\nos.system('pip install keras')",
])
def test_only_the_colab_cell_may_install(copies, tmp_path, install):
    problems = _spoiled(copies, tmp_path, lambda nb: nb["cells"].append(_code(install)))
    assert any("installs packages" in p for p in problems)


def test_the_colab_cell_may_not_install_anything_more(copies, tmp_path):
    def spoil(nb):
        cell = next(c for c in nb["cells"] if colab_cell.is_colab_cell(c))
        cell["source"] = cell["source"] + ["\n!pip install keras"]

    assert any("stale Colab cell" in p for p in _spoiled(copies, tmp_path, spoil))


def test_the_colab_cell_must_come_right_before_the_setup_cell(copies, tmp_path):
    def spoil(nb):
        cell = next(c for c in nb["cells"] if colab_cell.is_colab_cell(c))
        nb["cells"].remove(cell)
        nb["cells"].append(cell)

    assert any("right before the setup cell" in p for p in _spoiled(copies, tmp_path, spoil))
