"""The book build's notebook execution: several at once, into the cache the build reads."""

import os
import signal
import subprocess
import sys
import time

import editions
import nbformat
import pytest
from jupyter_cache import get_cache
from notebook_rules import ROOT, notebooks_on_disk


def _notebook(folder, name, *sources):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in sources])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    return path


def _alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_notebooks_run_two_at_a_time_into_the_cache_that_the_book_build_reads(tmp_path):
    probe = "import os, time\ntime.sleep(1)\nprint(os.getcwd(), os.environ['NEUROTRANSFER_HOME'])"
    paths = [_notebook(tmp_path / "chapters" / part, "01_probe.ipynb", f"# part {part}\n" + probe)
             for part in ("a", "b")]  # the cache tells notebooks apart by their code
    cache = tmp_path / "cache"

    started = time.time()
    assert editions.execute_into_cache(cache, paths, jobs=2, timeout=60) == 2
    assert time.time() - started < 2 * 6  # side by side: kernel start plus one second each

    store = get_cache(str(cache))
    homes = []
    for path in paths:
        # Matched as Jupyter Book's cache mode matches a page's notebook: by its code.
        _, executed = store.merge_match_into_notebook(nbformat.read(path, as_version=4))
        cwd, home = executed.cells[0].outputs[0]["text"].split()
        assert cwd == str(path.parent)  # run from its own folder, as the build runs it
        homes.append(home)
    assert homes[0] != homes[1], "two kernels running at once shared an artifact folder"
    # A second build finds the stored ones and runs nothing.
    assert editions.execute_into_cache(cache, paths, jobs=2, timeout=60) == 0


def test_a_failing_notebook_stops_the_run_with_its_name_and_error(tmp_path):
    good = _notebook(tmp_path / "chapters" / "a", "01_good.ipynb", "x = 1")
    broken = _notebook(tmp_path / "chapters" / "b", "01_broken.ipynb", "1 / 0")
    cache = tmp_path / "cache"
    with pytest.raises(editions.ExecutionFailed, match="01_broken.ipynb(.|\n)*ZeroDivisionError"):
        editions.execute_into_cache(cache, [broken, good], jobs=1, timeout=60)
    store = get_cache(str(cache))
    for path in (broken, good):  # nothing after the failure ran or was stored
        with pytest.raises(KeyError):
            store.match_cache_notebook(nbformat.read(path, as_version=4))


def test_stopping_the_build_stops_every_kernel(tmp_path):
    marks = tmp_path / "pids"
    marks.mkdir()
    paths = [_notebook(tmp_path / "chapters" / part, "01_slow.ipynb",
                       f"# {part}\nimport os, pathlib, time\n"
                       f"pathlib.Path({str(marks)!r}, str(os.getpid())).touch()\ntime.sleep(120)")
             for part in ("a", "b", "c")]
    driver = ("import signal, sys; sys.path.insert(0, 'tools'); import editions; "
              "signal.signal(signal.SIGTERM, editions._stop); "
              f"editions.execute_into_cache({str(tmp_path / 'cache')!r}, "
              f"[{', '.join(repr(str(p)) for p in paths)}], jobs=2, timeout=300)")
    build = subprocess.Popen([sys.executable, "-c", driver], cwd=ROOT)
    deadline = time.time() + 60
    while len(list(marks.iterdir())) < 2 and time.time() < deadline:
        time.sleep(0.2)
    kernels = [int(p.name) for p in marks.iterdir()]
    assert len(kernels) == 2, "two kernels should be running by now"
    build.send_signal(signal.SIGTERM)  # what make test does to a build it stops
    assert build.wait(timeout=60) != 0
    deadline = time.time() + 30
    while any(_alive(pid) for pid in kernels) and time.time() < deadline:
        time.sleep(0.2)
    assert not any(_alive(pid) for pid in kernels), "a kernel outlived the stopped build"
    assert len(list(marks.iterdir())) == 2, "the third notebook started after the stop"


@pytest.mark.parametrize(("cores", "jobs"), [(1, 1), (2, 2), (16, editions.MAX_DEFAULT_JOBS)])
def test_one_notebook_per_core_at_most_four(monkeypatch, cores, jobs):
    monkeypatch.setattr(editions.os, "sched_getaffinity", lambda pid: set(range(cores)),
                        raising=False)
    assert editions.default_jobs() == jobs


def test_settings_it_does_not_copy_are_refused():
    editions._check_settings({"timeout": 300, "allow_errors": False, "exclude_patterns": []})
    with pytest.raises(ValueError, match="run_in_temp"):
        editions._check_settings({"run_in_temp": True})


def test_the_course_notebooks_are_those_the_table_of_contents_lists():
    found = {p.relative_to(editions.ROOT).as_posix() for p in editions.course_notebooks()}
    assert "chapters/01_neurons/00_toolkit.ipynb" in found and len(found) >= 20
    assert all(p.startswith("chapters/") and p.endswith(".ipynb") for p in found)
    # The same notebooks that nbval runs and the reproducibility test compares: a notebook
    # outside this list would be executed by Jupyter Book itself, one after another.
    assert found == {p.as_posix() for p in notebooks_on_disk()}
