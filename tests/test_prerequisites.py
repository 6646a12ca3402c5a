"""tools/prerequisites.sh: the one list of system packages, checked in seconds before long work."""

import os
import shutil
import subprocess
import time

import pytest
from notebook_rules import ROOT

SCRIPT = ROOT / "tools" / "prerequisites.sh"
BASH = shutil.which("bash")


def _run(*args, path=None, root=None, env=None):
    """Run the script with a bare PATH and a stand-in for "/"; return (exit code, stderr)."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("NT_")}
    if path is not None:
        environment["PATH"] = str(path)
    if root is not None:
        environment["NT_PREREQ_ROOT"] = str(root)
    environment.update(env or {})
    result = subprocess.run([BASH, str(SCRIPT), *args], env=environment, capture_output=True,
                            text=True, timeout=60, cwd=ROOT)
    return result.returncode, result.stdout + result.stderr


def _bin(tmp_path, *commands):
    """A folder for PATH holding only the named commands."""
    folder = tmp_path / "bin"
    folder.mkdir(exist_ok=True)
    for name in commands:
        found = shutil.which(name)
        if found:
            (folder / name).symlink_to(found)
    return folder


def _fashion(root):
    folder = root / "usr/share/datasets/fashion-mnist"
    folder.mkdir(parents=True)
    for name in ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
                 "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"):
        (folder / name).write_bytes(b"\x1f\x8b stand-in")


def _font(root):
    folder = root / "usr/share/fonts/truetype/wqy"
    folder.mkdir(parents=True)
    (folder / "wqy-microhei.ttc").write_bytes(b"font")


def test_the_list_is_one_list():
    code, out = _run("list", "test")
    assert code == 0
    assert out.split() == ["make", "python3-venv", "dataset-fashion-mnist", "chromium",
                           "fonts-wqy-microhei"]
    code, out = _run("list", "book")
    assert out.split() == ["make", "python3-venv", "dataset-fashion-mnist"]
    # The Makefile and CI call the script; neither keeps a list of its own.
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "tools/prerequisites.sh auto test" in makefile
    assert "tools/prerequisites.sh auto book" in makefile
    assert "tools/prerequisites.sh install test" in ci
    assert "apt-get install" not in ci and "chromium" not in ci


def test_a_missing_chromium_is_reported_in_seconds_with_the_command(tmp_path):
    root = tmp_path / "root"
    _fashion(root)
    _font(root)
    path = _bin(tmp_path, "make", "python3", "apt-get")
    start = time.perf_counter()
    code, out = _run("check", "test", path=path, root=root)
    assert time.perf_counter() - start < 10
    assert code == 1
    assert "chromium" in out and "dataset-fashion-mnist" not in out.split("Install")[0]
    assert "apt-get install -y chromium\n" in out
    assert "python -m playwright install chromium" in out  # the online alternative


def test_auto_does_not_install_without_root_and_apt_get(tmp_path):
    root = tmp_path / "root"
    root.mkdir()
    code, out = _run("auto", "test", path=_bin(tmp_path, "make", "python3"), root=root)
    assert code == 1
    assert "has no apt-get" in out and "Chromium" in out
    assert "/usr/share/datasets/fashion-mnist/" in out


def test_everything_present_passes(tmp_path):
    root = tmp_path / "root"
    _fashion(root)
    _font(root)
    browser = root / "usr/bin/chromium"
    browser.parent.mkdir(parents=True)
    browser.write_text("#!/bin/sh\n")
    browser.chmod(0o755)
    code, out = _run("check", "test", path=_bin(tmp_path, "make", "python3"), root=root)
    assert (code, out.strip()) == (0, "prerequisites for make test: all present")


def test_the_book_needs_no_browser(tmp_path):
    root = tmp_path / "root"
    _fashion(root)
    code, out = _run("check", "book", path=_bin(tmp_path, "make", "python3"), root=root)
    assert code == 0, out


def test_nt_chromium_names_the_browser(tmp_path):
    root = tmp_path / "root"
    _fashion(root)
    _font(root)
    code, out = _run("check", "test", path=_bin(tmp_path, "make", "python3"), root=root,
                     env={"NT_CHROMIUM": str(tmp_path / "nowhere" / "chrome")})
    assert code == 1 and "chromium" in out


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def _outside_make():
    """The environment without the settings a running make passes down (as under make test)."""
    return {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}


def test_make_test_checks_prerequisites_before_anything_long(tmp_path):
    """A dry run of make test: the check comes first, before the install, lint and pytest."""
    result = subprocess.run(["make", "--no-print-directory", "-n", "test"], cwd=ROOT,
                            capture_output=True, text=True, check=True, env=_outside_make())
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    assert "tools/prerequisites.sh auto test" in lines[0]


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_lab_starts_as_root_and_says_so():
    result = subprocess.run(["make", "--no-print-directory", "-n", "-o", ".venv/.installed",
                             "lab"], cwd=ROOT, capture_output=True, text=True, check=True,
                            env=_outside_make())
    assert "--allow-root" in result.stdout and "Running as root" in result.stdout
