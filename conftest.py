"""Shared test set-up.

- The notebooks (run by nbval) go in a shuffled order, each in a fresh kernel that starts from an
  empty artifact folder, to prove that no notebook depends on another having run first.
- What each notebook prints is recorded, so that it can be compared with the book build's own
  execution of the same notebook (``tests/test_reproducible.py``).
- The tests that need the built website run last, after one build of both editions (English,
  then Chinese from the same executed notebooks). That build starts in the background as soon as
  the tests are collected and runs while the unit tests and nbval run (two independent
  executions of every notebook at once; ``NT_BOOK_CONCURRENT=0`` builds it afterwards instead).
- When each phase started and ended is written to ``_build/records/phases.json``, so that
  ``make bench`` can show where the time goes.
"""

import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent
BUILD = ROOT / "_build" / "html"
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "tools"))

from notebook_rules import NBVAL_RECORDS, text_outputs  # noqa: E402

_ORDER_SEED = int(os.environ.get("NT_NOTEBOOK_ORDER_SEED", random.SystemRandom().randrange(10**6)))
# Passed on to pytest-xdist's workers (started after this), so that all shuffle alike.
os.environ["NT_NOTEBOOK_ORDER_SEED"] = str(_ORDER_SEED)
PHASES = ROOT / "_build" / "records" / "phases.json"
BOOK_LOG = ROOT / "_build" / "records" / "book-build.log"


def _cores():
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()


def _cpu():
    """CPU seconds (user + system) of this process and of its children that have ended."""
    import resource

    own = resource.getrusage(resource.RUSAGE_SELF)
    done = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + done.ru_utime + done.ru_stime


def _mark(name):
    """Record when a phase boundary passed, in wall-clock and CPU seconds."""
    _phases[name] = time.time()
    _phases[name + "_cpu"] = _cpu()


def _under_xdist(config):
    return hasattr(config, "workerinput")


def pytest_configure(config):
    config.addinivalue_line("markers", "book: needs the website built by `jupyter-book build`")
    _mark("start")
    if hasattr(os, "getloadavg"):
        _phases["load"] = os.getloadavg()[0]  # how busy the machine was when the tests began
    workers = getattr(config.option, "numprocesses", None)
    if workers and not _under_xdist(config):
        # Under pytest -n: a notebook's cells stay together, in order, in one worker's kernel,
        # and the kernels running at once share the cores.
        if getattr(config.option, "dist", "no") == "load":
            config.option.dist = "loadfile"
        # Each kernel keeps nt.setup()'s fixed thread count (2): TensorFlow's results depend on
        # it, and the notebooks' checks were measured that way.


def pytest_report_header(config):
    return (f"notebook order: shuffled with seed {_ORDER_SEED} "
            f"(repeat it with NT_NOTEBOOK_ORDER_SEED={_ORDER_SEED})")


def _notebook_of(item):
    """The notebook file an nbval cell item belongs to, or None for an ordinary test."""
    return item.parent if str(item.fspath).endswith(".ipynb") else None


def pytest_collection_modifyitems(config, items):
    """Shuffle whole notebooks (cells keep their order); run the website tests last."""
    notebooks = []
    for item in items:
        nb = _notebook_of(item)
        if nb is not None and nb not in notebooks:
            notebooks.append(nb)
    random.Random(_ORDER_SEED).shuffle(notebooks)
    rank = {nb: i for i, nb in enumerate(notebooks)}

    def key(item):
        nb = _notebook_of(item)
        group = 2 if item.get_closest_marker("book") else (1 if nb is not None else 0)
        return (group, rank.get(nb, 0))

    items.sort(key=key)  # stable: cells stay in order inside a notebook


_XDIST_BOOK = ("the website tests need every notebook's nbval record and one book build, so they "
               "do not run under pytest -n: run them in a second session after the notebooks, "
               "e.g. pytest -n 2 -m 'not book' && pytest -m book (make test needs neither)")


# -- the book build, in the background while the other tests run --------------------------------

_phases = {}
_book = {"process": None, "log": None, "env": None}


def _book_command():
    """Both editions, every page rewritten; each notebook runs once, into the cache both read.

    One notebook at a time: beside nbval's one kernel, that keeps two cores busy until both
    end together (``make book``, alone on the machine, runs one per core).
    """
    return [sys.executable, str(ROOT / "tools" / "editions.py"), "build", "--all", "--jobs", "1"]


def _book_env():
    """The book build's environment: its own new artifact folder (for a notebook that Jupyter
    Book itself executes; tools/editions.py gives each kernel it runs a folder of its own)."""
    if _book["env"] is None:
        _book["env"] = {**os.environ,
                        "NEUROTRANSFER_HOME": _fresh_artifact_folder("nt-artifacts-book-")}
    return _book["env"]


def _concurrent():
    return os.environ.get("NT_BOOK_CONCURRENT", "1" if _cores() >= 2 else "0") != "0"


def pytest_collection_finish(session):
    """Start the book build now if book tests will run, and give each kernel its share of CPUs."""
    config = session.config
    if config.option.collectonly or _under_xdist(config) or os.environ.get("NT_PREBUILT_BOOK"):
        return
    if not any(item.get_closest_marker("book") for item in session.items):
        return
    if not _concurrent():
        return
    # Two executions share the machine. Each kernel keeps nt.setup()'s fixed thread count (2,
    # unless NT_THREADS says otherwise): TensorFlow's results depend on it (a notebook measured
    # with two threads printed other numbers with one), and the notebooks' checks and the
    # reproducibility test must see what a learner sees.
    BOOK_LOG.parent.mkdir(parents=True, exist_ok=True)
    _book["log"] = BOOK_LOG.open("w", encoding="utf-8")
    _mark("book_build_start")
    _book["process"] = subprocess.Popen(
        _book_command(), cwd=ROOT, env=_book_env(), stdout=_book["log"],
        stderr=subprocess.STDOUT, start_new_session=True)


def pytest_report_collectionfinish(config, start_path, items):
    if _book["process"] is not None:
        return (f"book build: started in the background (log: {BOOK_LOG.relative_to(ROOT)}); "
                f"every kernel uses {os.environ.get('NT_THREADS', '2')} thread(s)")
    return None


_current_notebook = {"item": None, "outputs": None}
_artifact_folders = []


def _fresh_artifact_folder(prefix):
    folder = tempfile.mkdtemp(prefix=prefix)
    _artifact_folders.append(folder)
    return folder


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """Before a notebook's kernel starts, give it a fresh, empty artifact folder."""
    nb = _notebook_of(item)
    kind = "book" if item.get_closest_marker("book") else ("nbval" if nb is not None else "units")
    if kind == "book" and _under_xdist(item.config):
        pytest.fail(_XDIST_BOOK, pytrace=False)
    if f"{kind}_start" not in _phases:
        _mark(f"{kind}_start")
    if nb is not None and nb is not _current_notebook["item"]:
        _flush_record()
        os.environ["NEUROTRANSFER_HOME"] = _fresh_artifact_folder("nt-artifacts-")
        _current_notebook.update(item=nb, outputs=[])


@pytest.hookimpl(trylast=True)  # after the teardown that stops a notebook's kernel
def pytest_runtest_teardown(item, nextitem):
    nb = _notebook_of(item)
    kind = "book" if item.get_closest_marker("book") else ("nbval" if nb is not None else "units")
    _mark(f"{kind}_end")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item):
    yield
    if _notebook_of(item) is not None and _current_notebook["item"] is item.parent:
        _current_notebook["outputs"].append(text_outputs(getattr(item, "test_outputs", None) or []))


def _flush_record():
    nb, outputs = _current_notebook["item"], _current_notebook["outputs"]
    if nb is None:
        return
    target = NBVAL_RECORDS / Path(str(nb.fspath)).relative_to(ROOT).with_suffix(".json")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(outputs, indent=1, ensure_ascii=False), encoding="utf-8")
    _current_notebook.update(item=None, outputs=None)


def pytest_sessionfinish(session, exitstatus):
    _flush_record()
    process = _book["process"]
    if process is not None and process.poll() is None:  # interrupted: stop the build too
        os.killpg(process.pid, 15)
        process.wait()
    if _book["log"] is not None:
        _book["log"].close()
    if not _under_xdist(session.config) and _phases:
        _mark("end")
        PHASES.parent.mkdir(parents=True, exist_ok=True)
        PHASES.write_text(json.dumps({**_phases, "exitstatus": int(exitstatus),
                                      "concurrent": _book["process"] is not None,
                                      "threads": os.environ.get("NT_THREADS")}, indent=1))
    for folder in _artifact_folders:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module")
def keras():
    """Keras, after ``nt.setup(seed=0)`` afresh in each test module that asks for it."""
    import neurotransfer as nt

    nt.setup(seed=0)
    import keras

    return keras


@pytest.fixture(scope="session")
def built_book():
    """Build the website once per test session, with warnings as errors; return its folder.

    The build executes every notebook again, in a fresh kernel each (the kernels that run at
    once each with an artifact folder of their own). It has usually been running in the
    background since the tests were collected; this waits for it. While working on the site
    tests, ``NT_PREBUILT_BOOK=path/to/html`` reuses a finished build.
    """
    _flush_record()
    if os.environ.get("NT_PREBUILT_BOOK"):
        return Path(os.environ["NT_PREBUILT_BOOK"])
    process = _book["process"]
    if process is not None:
        # wait4, not wait: it also tells how much CPU the build and its kernels used.
        _, status, usage = os.wait4(process.pid, 0)
        returncode = process.returncode = os.waitstatus_to_exitcode(status)
        _phases["book_build_cpu"] = usage.ru_utime + usage.ru_stime
        _book["log"].close()
        output = BOOK_LOG.read_text(encoding="utf-8", errors="replace")
        _phases["book_build_end"] = BOOK_LOG.stat().st_mtime  # its last line: when it ended
    else:
        _mark("book_build_start")
        result = subprocess.run(_book_command(), cwd=ROOT, capture_output=True, text=True,
                                env=_book_env())
        returncode, output = result.returncode, result.stdout + "\n" + result.stderr
        _mark("book_build_end")
        _phases["book_build_cpu"] = _phases["book_build_end_cpu"] - _phases["book_build_start_cpu"]
    if returncode != 0:
        pytest.fail("the book build failed:\n" + output[-12000:], pytrace=False)
    return BUILD
