"""The house rules every course notebook follows, as a function the tests call.

Kept apart from the tests so that a test can also show that the rules catch a bad notebook.
"""

import json
import re
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

import colab_cell  # noqa: E402

#: A cell that installs packages: a shell or magic command, or pip called from Python. The one
#: exception is the Colab cell of ``tools/colab_cell.py``, exactly as that file makes it.
SHELL_INSTALL = re.compile(
    r"^\s*(!|%)\s*(pip|conda|mamba|apt|apt-get|uv)\b|pip\s+install"
    r"|[\"']pip[\"']\s*,\s*[\"']install[\"']|\bpip\.main\b|ensurepip|get-pip",
    re.M,
)
TEMPLATE_HEADINGS = ("## Summary", "## Further reading", "## Exercises")
#: Tag of a cell that only reports a wall-clock time (left out of the reproducibility comparison).
WALL_CLOCK = "wall-clock"
#: Where the text outputs of the nbval run are recorded, one JSON file per notebook.
NBVAL_RECORDS = ROOT / "_build" / "records" / "nbval"


def notebook_problems(path):
    """Return a list of the ways the notebook at ``path`` breaks the house rules (empty if none)."""
    try:
        nb = json.loads(Path(path).read_text(encoding="utf-8"))
    except ValueError as error:
        return [f"not valid JSON: {error}"]
    problems = []
    cells = nb.get("cells", [])
    if not cells or cells[0].get("cell_type") != "markdown":
        problems.append("first cell must be a Markdown cell with a '# Title'")
    elif not "".join(cells[0]["source"]).startswith("# "):
        problems.append("first cell must start with a '# Title' heading")
    kernel = nb.get("metadata", {}).get("kernelspec", {}).get("name")
    if kernel != "python3":
        problems.append(f"kernelspec must be 'python3', found {kernel!r}")
    code_cells = [c for c in cells if c.get("cell_type") == "code"]
    code = ["".join(c["source"]) for c in code_cells]
    markdown = "\n".join("".join(c["source"]) for c in cells if c.get("cell_type") == "markdown")
    for i, cell in enumerate(code_cells):
        if cell.get("outputs"):
            problems.append(f"code cell {i} is stored with outputs (strip them)")
        if cell.get("execution_count") is not None:
            problems.append(f"code cell {i} is stored with an execution count (strip it)")
    if not any(re.search(r"^import neurotransfer as nt$", c, re.M) for c in code):
        problems.append("no cell does 'import neurotransfer as nt'")
    if not any("nt.setup(" in c for c in code):
        problems.append("no cell calls nt.setup()")
    colab = colab_cell.cell_source(ROOT)
    for i, (cell, source) in enumerate(zip(code_cells, code, strict=True)):
        if colab_cell.is_colab_cell(cell):
            if source != colab:
                problems.append(f"code cell {i} is a stale Colab cell: run python "
                                "tools/colab_cell.py")
            elif i + 1 >= len(code) or not re.search(r"^import neurotransfer as nt$",
                                                     code[i + 1], re.M):
                problems.append(f"code cell {i}, the Colab cell, must come right before the "
                                "setup cell")
            elif cell.get("metadata", {}).get("tags") != colab_cell.TAGS:
                problems.append(f"code cell {i}, the Colab cell, must be tagged only hide-input")
            continue
        if SHELL_INSTALL.search(source):
            problems.append(f"code cell {i} installs packages from the shell")
    if sum(colab_cell.is_colab_cell(c) for c in code_cells) > 1:
        problems.append("more than one Colab cell")
    for i, (cell, source) in enumerate(zip(code_cells, code, strict=True)):
        if WALL_CLOCK in cell.get("metadata", {}).get("tags", []) and re.search(
            r"^\s*assert\b", source, re.M
        ):
            problems.append(f"code cell {i} is tagged {WALL_CLOCK!r} but asserts something")
    if "Estimated time" not in markdown or "objectives" not in markdown.lower():
        problems.append("learning objectives and an estimated time are missing")
    for heading in TEMPLATE_HEADINGS:
        if heading not in markdown:
            problems.append(f"missing the template section {heading!r}")
    return problems


def toc_files(toc_path=ROOT / "_toc.yml"):
    """Every file the table of contents names, with globs expanded, as paths without suffix."""
    toc = yaml.safe_load(Path(toc_path).read_text(encoding="utf-8"))
    named, globs = [toc["root"]], []

    def walk(entries):
        for entry in entries or []:
            if "file" in entry:
                named.append(entry["file"])
            if "glob" in entry:
                globs.append(entry["glob"])
            walk(entry.get("sections"))
            walk(entry.get("chapters"))

    for part in toc.get("parts", []):
        walk(part.get("chapters"))
    walk(toc.get("chapters"))
    return named, globs


def notebooks_on_disk():
    """All course notebooks under ``chapters/``, as paths relative to the repository."""
    return sorted(
        p.relative_to(ROOT)
        for p in (ROOT / "chapters").rglob("*.ipynb")
        if ".ipynb_checkpoints" not in p.parts
    )


_ADDRESS = re.compile(r"\bat 0x[0-9a-fA-F]+")


def text_outputs(outputs):
    """What a code cell printed and displayed, as text, for comparing two executions.

    ``stdout`` is the printed text; ``results`` the plain-text form of each displayed value.
    Memory addresses in object reprs (``at 0x7f...``) differ between processes and are blanked;
    standard error (warnings, logs) is left out.
    """
    stdout, results = [], []
    for out in outputs:
        kind = out.get("output_type")
        if kind == "stream" and out.get("name") == "stdout":
            text = out.get("text", "")
            stdout.append(text if isinstance(text, str) else "".join(text))
        elif kind in ("execute_result", "display_data"):
            text = out.get("data", {}).get("text/plain", "")
            results.append(text if isinstance(text, str) else "".join(text))
    return {
        "stdout": _ADDRESS.sub("at 0x…", "".join(stdout)),
        "results": [_ADDRESS.sub("at 0x…", r) for r in results],
    }
