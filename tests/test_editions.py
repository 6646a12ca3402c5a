"""The book build's notebook execution: several at once, into the cache the build reads."""

import os

import editions
import nbformat
import pytest
from jupyter_cache import get_cache


def _notebook(folder, name, *sources):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in sources])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    return path


def test_notebooks_run_two_at_a_time_into_the_cache_that_the_book_build_reads(tmp_path):
    probe = ("import os, time\ntime.sleep(1)\n"
             "print(os.getcwd(), os.environ['NEUROTRANSFER_HOME'], os.getppid())")
    paths = [_notebook(tmp_path / "chapters" / part, "01_probe.ipynb", f"# part {part}\n" + probe)
             for part in ("a", "b")]  # the cache tells notebooks apart by their code
    broken = _notebook(tmp_path / "chapters" / "c", "01_broken.ipynb", "1 / 0")
    cache = tmp_path / "cache"

    assert editions.execute_into_cache(cache, [*paths, broken], jobs=2, timeout=60) == 3

    store = get_cache(str(cache))
    seen = []
    for path in paths:
        # Matched as Jupyter Book's cache mode matches a page's notebook: by its code.
        _, executed = store.merge_match_into_notebook(nbformat.read(path, as_version=4))
        cwd, home, worker = executed.cells[0].outputs[0]["text"].split()
        assert cwd == str(path.parent)  # run from its own folder, as the build runs it
        seen.append((home, worker))
    # Two workers, each with an artifact folder of its own.
    assert seen[0][0] != seen[1][0] and seen[0][1] != seen[1][1]
    assert all(os.path.basename(home).startswith("worker-") for home, _ in seen)
    with pytest.raises(KeyError):  # a failed notebook is left for the build to run and report
        store.match_cache_notebook(nbformat.read(broken, as_version=4))
    # A second build finds the stored ones and runs only what is missing.
    assert editions.execute_into_cache(cache, paths, jobs=2, timeout=60) == 0


def test_the_course_notebooks_are_those_the_table_of_contents_lists():
    found = {p.relative_to(editions.ROOT).as_posix() for p in editions.course_notebooks()}
    assert "chapters/01_neurons/00_toolkit.ipynb" in found and len(found) >= 20
    assert all(p.startswith("chapters/") and p.endswith(".ipynb") for p in found)


@pytest.mark.parametrize(("cores", "jobs"), [(1, 1), (2, 2), (16, editions.MAX_DEFAULT_JOBS)])
def test_one_notebook_per_core_at_most_four(monkeypatch, cores, jobs):
    monkeypatch.setattr(editions.os, "sched_getaffinity", lambda pid: set(range(cores)),
                        raising=False)
    assert editions.default_jobs() == jobs
