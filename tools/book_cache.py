"""The configuration of ``make book-fast``: the course's ``_config.yml`` with cached execution.

Jupyter Book's ``execute_notebooks: cache`` (jupyter-cache) runs a notebook again only when its
code cells changed. It cannot see a change in the helper package the notebooks import, so the
cache lives in a folder named after a hash of every file under ``src/`` and of
``requirements.txt``: a change there starts an empty cache and every notebook runs again. Caches
of earlier states of ``src/`` are removed.

Run as a script, this writes the configuration into ``_build/book-fast/_config.yml`` and prints
its path, for ``jupyter-book build . --config PATH``. ``_config.yml`` itself keeps
``execute_notebooks: force``: ``make book``, ``make test`` and the publishing workflow always
execute every notebook afresh.
"""

import hashlib
import shutil
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
CACHES = Path("_build") / "jupyter-cache"
CONFIG = Path("_build") / "book-fast" / "_config.yml"


def code_fingerprint(root=ROOT):
    """A short hash of everything the notebooks' results depend on besides their own code.

    That is every file under ``src/`` (names and contents; ``__pycache__`` left out) and
    ``requirements.txt``.
    """
    root = Path(root)
    digest = hashlib.sha256()
    files = sorted(p for p in (root / "src").rglob("*")
                   if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc")
    requirements = root / "requirements.txt"
    if requirements.exists():
        files.append(requirements)
    for path in files:
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:16]


def cache_folder(root=ROOT):
    """The jupyter-cache folder for the current state of ``src/``."""
    return Path(root) / CACHES / code_fingerprint(root)


def fast_config(root=ROOT):
    """``_config.yml`` with execution switched to the cache of :func:`cache_folder`."""
    root = Path(root)
    config = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))
    config.setdefault("execute", {})
    config["execute"]["execute_notebooks"] = "cache"
    config["execute"]["cache"] = str(cache_folder(root))
    # The paths in _config.yml are relative to the book's folder; the copy lives elsewhere.
    config["bibtex_bibfiles"] = [str(root / p) for p in config.get("bibtex_bibfiles", [])]
    return config


def write_config(root=ROOT):
    """Write the configuration of :func:`fast_config`, drop stale caches; return its path."""
    root = Path(root)
    current = cache_folder(root)
    if (root / CACHES).is_dir():
        for old in (root / CACHES).iterdir():
            if old != current:
                shutil.rmtree(old, ignore_errors=True)
    path = root / CONFIG
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(fast_config(root), allow_unicode=True, sort_keys=False),
                    encoding="utf-8")
    return path


if __name__ == "__main__":
    print(write_config(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT))
