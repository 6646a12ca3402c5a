"""Notebook hygiene: every notebook is in the book, stored clean, and follows the template."""

import json

import pytest
from notebook_rules import ROOT, notebook_problems, notebooks_on_disk, toc_files

NOTEBOOKS = notebooks_on_disk()


def test_there_are_notebooks():
    assert NOTEBOOKS, "no notebooks found under chapters/"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=str)
def test_notebook_follows_house_rules(path):
    assert notebook_problems(ROOT / path) == []


def test_every_notebook_is_in_the_table_of_contents():
    named, globs = toc_files()
    listed = {p for p in NOTEBOOKS if str(p.with_suffix("")) in named}
    globbed = {q.relative_to(ROOT) for g in globs for q in ROOT.glob(g)}
    listed |= set(NOTEBOOKS) & globbed
    assert sorted(set(NOTEBOOKS) - listed) == []


def test_every_toc_entry_exists():
    named, globs = toc_files()
    suffixes = (".md", ".ipynb")
    missing = [n for n in named if not any((ROOT / n).with_suffix(s).exists() for s in suffixes)]
    assert missing == []
    empty = [g for g in globs if not list(ROOT.glob(g))]
    assert empty == []


def _problems_after(tmp_path, spoil):
    """The house-rule problems of a committed, clean notebook after ``spoil`` edits a copy."""
    assert notebook_problems(ROOT / NOTEBOOKS[0]) == []
    notebook = json.loads((ROOT / NOTEBOOKS[0]).read_text(encoding="utf-8"))
    spoil(notebook)
    path = tmp_path / "bad.ipynb"
    path.write_text(json.dumps(notebook), encoding="utf-8")
    return notebook_problems(path)


def _code_cell(source, tags=()):
    return {"cell_type": "code", "metadata": {"tags": list(tags)}, "outputs": [],
            "execution_count": None, "source": [source]}


def test_rules_catch_a_notebook_saved_with_outputs(tmp_path):
    def spoil(nb):
        cell = next(c for c in nb["cells"] if c["cell_type"] == "code")
        cell["outputs"] = [{"output_type": "stream", "name": "stdout", "text": ["hi\n"]}]
        cell["execution_count"] = 1

    problems = _problems_after(tmp_path, spoil)
    assert any("outputs" in p for p in problems) and any("execution count" in p for p in problems)


def test_rules_catch_a_pip_cell_and_a_missing_title(tmp_path):
    def spoil(nb):
        nb["cells"][0]["source"] = ["Untitled"]
        nb["cells"].append(_code_cell("!pip install tensorflow"))

    problems = _problems_after(tmp_path, spoil)
    assert any("Title" in p for p in problems) and any("installs packages" in p for p in problems)


def test_rules_catch_an_assert_in_a_wall_clock_cell(tmp_path):
    def spoil(nb):
        nb["cells"].append(_code_cell("assert seconds < 5", tags=["wall-clock"]))

    assert any("wall-clock" in p for p in _problems_after(tmp_path, spoil))


def test_the_colab_cell_is_in_every_notebook_or_in_none():
    """Once tools/colab_cell.py has put the Colab cell in, no notebook may lack it."""
    from colab_cell import is_colab_cell

    has = {str(p): any(is_colab_cell(c) for c in
                       json.loads((ROOT / p).read_text(encoding="utf-8"))["cells"])
           for p in NOTEBOOKS}
    if any(has.values()):
        assert [p for p, found in has.items() if not found] == [], (
            "run python tools/colab_cell.py")
