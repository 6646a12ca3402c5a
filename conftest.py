"""Shared test set-up.

- The notebooks (run by nbval) go in a shuffled order, each in a fresh kernel that starts from an
  empty artifact folder, to prove that no notebook depends on another having run first.
- What each notebook prints is recorded, so that it can be compared with the book build's own
  execution of the same notebook (``tests/test_reproducible.py``).
- The tests that need the built website run last, after one book build.
"""

import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent
BUILD = ROOT / "_build" / "html"
sys.path.insert(0, str(ROOT / "tests"))

from notebook_rules import NBVAL_RECORDS, text_outputs  # noqa: E402

_ORDER_SEED = int(os.environ.get("NT_NOTEBOOK_ORDER_SEED", random.SystemRandom().randrange(10**6)))


def pytest_configure(config):
    config.addinivalue_line("markers", "book: needs the website built by `jupyter-book build`")


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
    if nb is not None and nb is not _current_notebook["item"]:
        _flush_record()
        os.environ["NEUROTRANSFER_HOME"] = _fresh_artifact_folder("nt-artifacts-")
        _current_notebook.update(item=nb, outputs=[])


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
    for folder in _artifact_folders:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def built_book():
    """Build the website once per test session, with warnings as errors; return its folder.

    The build executes every notebook again, in a fresh kernel each, sharing one new artifact
    folder. While working on the site tests, ``NT_PREBUILT_BOOK=path/to/html`` reuses a finished
    build.
    """
    _flush_record()
    if os.environ.get("NT_PREBUILT_BOOK"):
        return Path(os.environ["NT_PREBUILT_BOOK"])
    command = [
        str(Path(sys.executable).with_name("jupyter-book")),
        "build", str(ROOT), "-W", "-n", "--keep-going", "--all",
    ]
    env = {**os.environ, "NEUROTRANSFER_HOME": _fresh_artifact_folder("nt-artifacts-book-")}
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, env=env)
    if result.returncode != 0:
        pytest.fail(
            "the book build failed:\n" + result.stdout[-6000:] + "\n" + result.stderr[-6000:],
            pytrace=False,
        )
    return BUILD
