"""Same machine, same numbers: the nbval run and the book build print identical results.

The test command executes every notebook twice: first under nbval (shuffled order, each from an
empty artifact folder), then in the book build (into the jupyter-cache folder whose outputs both
editions' pages show). Each execution's text outputs are compared cell by cell, so any number
that changes between two runs (an unseeded generator, a nondeterministic kernel, a result that
depends on a cached file) fails here.

A cell tagged ``wall-clock`` only reports how long something took on this machine; it is left out
of the comparison (the hygiene rules forbid asserts in such a cell, so no claim can hide there).
"""

import json

import editions
import nbformat
import pytest
from jupyter_cache import get_cache
from notebook_rules import NBVAL_RECORDS, ROOT, WALL_CLOCK, notebooks_on_disk, text_outputs

pytestmark = pytest.mark.book


@pytest.mark.parametrize("notebook", notebooks_on_disk(), ids=str)
def test_book_build_reproduces_the_nbval_run(notebook, built_book):
    record = NBVAL_RECORDS / notebook.with_suffix(".json")
    if not record.exists():
        pytest.fail(f"no nbval record for {notebook}: run the notebooks and the book build "
                    "in one pytest session (`make test`)", pytrace=False)
    first = json.loads(record.read_text(encoding="utf-8"))
    # The book build's execution, as its pages show it: from the cache both editions read.
    folder = built_book.parent.parent / editions.FRESH_CACHE
    if not folder.is_dir():
        pytest.fail(f"the book build left no execution cache at {folder}", pytrace=False)
    cache = get_cache(str(folder))
    try:
        _, nb = cache.merge_match_into_notebook(nbformat.read(ROOT / notebook, as_version=4))
    except KeyError:
        pytest.fail(f"{notebook} is not in the book build's execution cache", pytrace=False)
    code = [c for c in nb.cells if c.cell_type == "code"]
    second = [text_outputs(c.outputs) for c in code]
    assert len(first) == len(second), "the two executions ran a different number of cells"
    for i, (cell, a, b) in enumerate(zip(code, first, second, strict=True)):
        if WALL_CLOCK in cell.metadata.get("tags", []):
            continue
        assert a == b, f"code cell {i} of {notebook} printed different results in the two runs"
