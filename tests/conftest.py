"""Shared test set-up: the helper modules on the path, and the book build for site tests."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BUILD = ROOT / "_build" / "html"
sys.path.insert(0, str(Path(__file__).parent))


def pytest_collection_modifyitems(config, items):
    """Run the tests that need the built website last, after the notebooks have run once."""
    items.sort(key=lambda item: item.get_closest_marker("book") is not None)


def pytest_configure(config):
    config.addinivalue_line("markers", "book: needs the website built by `jupyter-book build`")


@pytest.fixture(scope="session")
def built_book():
    """Build the website once per test session, with warnings as errors; return its folder.

    While working on the site tests, ``NT_PREBUILT_BOOK=path/to/html`` reuses a finished build.
    """
    if os.environ.get("NT_PREBUILT_BOOK"):
        return Path(os.environ["NT_PREBUILT_BOOK"])
    command = [
        str(Path(sys.executable).with_name("jupyter-book")),
        "build", str(ROOT), "-W", "-n", "--keep-going", "--all",
    ]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True,
                            env={**os.environ, "PYDEVD_DISABLE_FILE_VALIDATION": "1"})
    if result.returncode != 0:
        pytest.fail(
            "the book build failed:\n" + result.stdout[-6000:] + "\n" + result.stderr[-6000:],
            pytrace=False,
        )
    return BUILD
