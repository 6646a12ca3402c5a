"""The Colab cell: one short code cell, identical in every notebook, right before its setup cell.

Google Colab has TensorFlow and Keras but not the course's helper package, so a notebook opened
there fails at ``import neurotransfer``. The cell installs the package from the course's
repository (``repository.url`` and ``repository.branch`` in ``_config.yml``) only when it runs
inside Colab (``"google.colab" in sys.modules``), and says so when Colab's TensorFlow or Keras
differ from the versions pinned in ``requirements.txt``. Everywhere else it does nothing. It needs
nothing from the package (which is not there yet), so it is self-contained; the website collapses
it (``hide-input``).

``python tools/colab_cell.py`` inserts or updates the cell in every notebook (or in the notebooks
named on the command line); running it again changes nothing. ``--check`` only reports which
notebooks are out of date. Run it after changing ``repository.url`` or the pins: the hygiene test
compares every notebook's cell with the one this file makes.
"""

import argparse
import json
import re
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
#: The first line of the cell, by which the tool and the hygiene rules recognise it.
MARKER = "# Only in Google Colab: install the course's helper package (elsewhere, nothing happens)."
TAGS = ["hide-input"]
_PIN = re.compile(r"^(tensorflow|tensorflow-cpu|keras)==([\w.]+)", re.M)


def pins(root=ROOT):
    """The pinned TensorFlow and Keras versions, from ``requirements.txt``."""
    text = (Path(root) / "requirements.txt").read_text(encoding="utf-8")
    found = {}
    for name, version in _PIN.findall(text):
        found.setdefault("tensorflow" if name.startswith("tensorflow") else name, version)
    return {name: found[name] for name in ("tensorflow", "keras") if name in found}


def repository(root=ROOT):
    """``(url, branch)`` of the course's repository as ``_config.yml`` sets them."""
    config = yaml.safe_load((Path(root) / "_config.yml").read_text(encoding="utf-8"))
    repo = config.get("repository") or {}
    return (repo.get("url") or "").rstrip("/"), repo.get("branch") or "main"


def cell_source(root=ROOT):
    """The text of the Colab cell for the repository and pins of the course at ``root``."""
    url, branch = repository(root)
    target = f"git+{url}@{branch}" if url else ""
    return "\n".join([
        MARKER,
        "import sys",
        "",
        'if "google.colab" in sys.modules:',
        "    from importlib.metadata import version",
        "    from subprocess import run",
        "",
        "    # The course's repository: repository.url and .branch in its _config.yml.",
        f"    package = {json.dumps(target)}",
        "    if not package:",
        '        raise RuntimeError("This course has no public repository yet, so Colab cannot '
        'install its "',
        '                           "helper package: run the notebook on your own machine.")',
        '    run([sys.executable, "-m", "pip", "install", "--quiet", package], check=True)',
        f"    for name, pinned in {json.dumps(pins(root))}.items():",
        "        if version(name) != pinned:",
        '            print(f"Colab has {name} {version(name)}; this notebook\'s numbers were "',
        '                  f"checked with {pinned}, so some of its checks may fail here.")',
    ])


def new_cell(root=ROOT):
    return {"cell_type": "code", "execution_count": None, "metadata": {"tags": list(TAGS)},
            "outputs": [], "source": cell_source(root).splitlines(keepends=True)}


def _text(cell):
    source = cell.get("source", "")
    return source if isinstance(source, str) else "".join(source)


def is_colab_cell(cell):
    return cell.get("cell_type") == "code" and _text(cell).startswith(MARKER)


def setup_index(cells):
    """Index of the setup cell (the first code cell that imports the helper package)."""
    for i, cell in enumerate(cells):
        if cell.get("cell_type") == "code" and re.search(
            r"^import neurotransfer as nt$", _text(cell), re.M
        ):
            return i
    return None


def apply(path, root=ROOT):
    """Put the current Colab cell right before the notebook's setup cell; True if it changed."""
    path = Path(path)
    original = path.read_text(encoding="utf-8")
    nb = json.loads(original)
    cells = nb["cells"]
    old = [c for c in cells if is_colab_cell(c)]
    cell = new_cell(root)
    if (nb.get("nbformat"), nb.get("nbformat_minor", 0)) >= (4, 5):
        cell["id"] = old[0].get("id", "colab-setup") if old else "colab-setup"
    cells[:] = [c for c in cells if not is_colab_cell(c)]
    at = setup_index(cells)
    if at is None:
        raise ValueError(f"{path}: no setup cell ('import neurotransfer as nt') to put it before")
    cells.insert(at, cell)
    # As nbformat writes notebooks, so that the diff shows only the cell.
    text = json.dumps(nb, sort_keys=True, indent=1, ensure_ascii=False) + "\n"
    if json.loads(text) == json.loads(original):
        return False
    path.write_text(text, encoding="utf-8")
    return True


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path,
                        help="notebooks to update (default: every notebook under chapters/)")
    parser.add_argument("--check", action="store_true",
                        help="change nothing; exit 1 if a notebook's cell is missing or stale")
    args = parser.parse_args(argv)
    notebooks = args.notebooks or sorted(
        p for p in (ROOT / "chapters").rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
    stale = []
    for path in notebooks:
        if args.check:
            nb = json.loads(path.read_text(encoding="utf-8"))
            found = [c for c in nb["cells"] if is_colab_cell(c)]
            at = setup_index(nb["cells"])
            if len(found) != 1 or _text(found[0]) != cell_source() or at is None \
                    or nb["cells"][at - 1] is not found[0]:
                stale.append(path)
        elif apply(path):
            print(f"updated {path}")
    for path in stale:
        print(f"{path}: the Colab cell is missing or out of date (run python tools/colab_cell.py)")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
