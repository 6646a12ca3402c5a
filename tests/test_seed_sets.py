"""tools/seed_sets.py (make seeds): which notebooks it runs and how it reports a failing claim."""

import json

import nbformat
import seed_sets
from notebook_rules import ROOT


def _notebook(path, *sources):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# T")] + [
        nbformat.v4.new_code_cell(s) for s in sources])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    return path


def test_a_notebook_that_draws_seeds_is_a_comparison_notebook(tmp_path):
    _notebook(tmp_path / "chapters" / "a" / "compare.ipynb",
              "import neurotransfer as nt", "for seed in nt.seeds(5):\n    pass")
    _notebook(tmp_path / "chapters" / "a" / "plain.ipynb", "x = 1")
    assert [str(p) for p in seed_sets.comparison_notebooks(tmp_path)] == [
        "chapters/a/compare.ipynb"]


def test_the_comparison_notebooks_of_the_course_are_found():
    found = seed_sets.comparison_notebooks()
    for path in found:
        code = json.loads((ROOT / path).read_text(encoding="utf-8"))["cells"]
        assert any("seeds(" in "".join(c["source"]) for c in code if c["cell_type"] == "code")


def test_a_claim_that_fails_on_one_seed_set_is_reported_with_its_cell(tmp_path):
    path = _notebook(
        tmp_path / "claim.ipynb",
        "import os\noffset = int(os.environ.get('NT_SEED_OFFSET', '0'))",
        "assert offset != 5, 'the gap is not positive on these seeds'",
        "print('later cells still run')",
        "assert offset != 5 and offset != 10, 'second claim'",
    )
    results = [seed_sets.measure(path, offset, threads=1) for offset in (5, 10)]
    five, ten = results
    assert [f["error"] for f in five["failures"]] == [
        "AssertionError: the gap is not positive on these seeds", "AssertionError: second claim"]
    assert five["failures"][0]["cell"] != five["failures"][1]["cell"]
    assert [f["error"] for f in ten["failures"]] == ["AssertionError: second claim"]
    markdown = seed_sets.table(results, [5, 10])
    assert "| notebook | seeds 5-9 | seeds 10-14 |" in markdown
    assert markdown.count("**fails**") == 2 and "second claim" in markdown


def test_a_passing_notebook_is_marked_pass(tmp_path):
    path = _notebook(tmp_path / "fine.ipynb", "assert 1 + 1 == 2")
    result = seed_sets.measure(path, 5, threads=1)
    assert result["failures"] == []
    assert "| pass (" in seed_sets.table([result], [5])
