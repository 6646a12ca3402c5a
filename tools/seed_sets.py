"""Seed sets as a test of a claim: run the comparison notebooks on seeds 5-9 and 10-14.

A comparison notebook draws its seeds with ``nt.seeds(n)`` (``neurotransfer.repro.seeds``), which
the environment variable ``NT_SEED_OFFSET`` shifts. A claim that the notebook asserts must hold on
every seed set, not only on the seeds 0-4 that ``make test`` runs. ``make seeds`` runs every
notebook whose code calls ``seeds(`` (so a new comparison notebook is included without a list to
keep) with ``NT_SEED_OFFSET=5`` and ``=10``, each in a fresh kernel from an empty artifact
folder, and prints a table: notebook x seed set -> pass, or the cells that failed and why. Every
cell runs even after one fails, so that all failing checks show at once. The table is also
written to ``_build/seed_sets.md``. Exit status 1 if any cell failed.

Not part of ``make test``: it executes each comparison notebook twice more (about ten minutes on
two cores).
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REPORT = ROOT / "_build" / "seed_sets.md"
#: A notebook is a comparison notebook when its code draws seeds with ``seeds(...)``.
DRAWS_SEEDS = re.compile(r"\bseeds\(")
OFFSETS = (5, 10)


def comparison_notebooks(root=ROOT):
    """Every notebook under ``chapters/`` whose code cells call ``seeds(``."""
    found = []
    for path in sorted((Path(root) / "chapters").rglob("*.ipynb")):
        if ".ipynb_checkpoints" in path.parts:
            continue
        cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
        code = "\n".join("".join(c.get("source", "")) for c in cells
                         if c.get("cell_type") == "code")
        if DRAWS_SEEDS.search(code):
            found.append(path.relative_to(root))
    return found


def run_one(path):
    """Execute every cell of one notebook, going on after a failure; return the failures."""
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=600, kernel_name="python3",
                            resources={"metadata": {"path": str(Path(path).parent)}})
    failures = []
    with client.setup_kernel():
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "code":
                continue
            try:
                client.execute_cell(cell, index)
            except CellExecutionError as error:
                lines = [ln for ln in str(error).strip().splitlines() if ln.strip()]
                reason = f"{error.ename}: {error.evalue}".strip() if error.ename else lines[-1]
                failures.append({"cell": cell.get("id") or f"cell {index}",
                                 "error": reason.splitlines()[0][:160]})
    return failures


def measure(path, offset, threads):
    """Run :func:`run_one` for ``path`` on one seed set in a new process."""
    with tempfile.TemporaryDirectory(prefix="nt-seeds-") as artifacts:
        env = {**os.environ, "NEUROTRANSFER_HOME": artifacts, "NT_SEED_OFFSET": str(offset),
               "NT_THREADS": str(threads)}
        start = time.perf_counter()
        result = subprocess.run([sys.executable, __file__, "--one", str(ROOT / path)], env=env,
                                capture_output=True, text=True, check=False)
        wall = time.perf_counter() - start
    try:
        failures = json.loads(result.stdout.strip().splitlines()[-1])
    except (IndexError, ValueError):
        failures = [{"cell": "-", "error": "runner failed: " + result.stderr.strip()[-200:]}]
    return {"notebook": str(path), "offset": offset, "wall_s": wall, "failures": failures}


def table(results, offsets):
    """Markdown: one row per notebook, one column per seed set."""
    by = {(r["notebook"], r["offset"]): r for r in results}
    notebooks = sorted({r["notebook"] for r in results})
    head = "| notebook | " + " | ".join(f"seeds {o}-{o + 4}" for o in offsets) + " |"
    lines = [head, "|" + " --- |" * (len(offsets) + 1)]
    for notebook in notebooks:
        cells = []
        for offset in offsets:
            r = by[(notebook, offset)]
            if r["failures"]:
                cells.append("**fails**: " + "; ".join(
                    f"`{f['cell']}` {f['error']}".replace("|", "\\|") for f in r["failures"]))
            else:
                cells.append(f"pass ({r['wall_s']:.0f} s)")
        lines.append(f"| `{notebook}` | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path,
                        help="notebooks to run (default: every notebook that calls seeds(...))")
    parser.add_argument("--offsets", type=int, nargs="+", default=list(OFFSETS),
                        help="seed offsets (NT_SEED_OFFSET) to run, default 5 10")
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    parser.add_argument("--jobs", type=int, default=max(1, cores or 1),
                        help="notebooks run at once, one thread each (default: the CPU count)")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(run_one(args.one)))
        return 0
    notebooks = [Path(p).resolve().relative_to(ROOT) for p in args.notebooks] \
        or comparison_notebooks()
    if not notebooks:
        print("No notebook draws its seeds with nt.seeds(n): nothing to run.")
        return 0
    jobs = [(nb, offset) for offset in args.offsets for nb in notebooks]
    threads = max(1, (cores or 1) // max(1, args.jobs))
    print(f"{len(notebooks)} comparison notebooks x seed offsets {args.offsets}, "
          f"{args.jobs} at a time", flush=True)
    results = []
    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        for result in pool.map(lambda job: measure(*job, threads), jobs):
            status = "pass" if not result["failures"] else f"{len(result['failures'])} failing"
            print(f"NT_SEED_OFFSET={result['offset']:>2} {result['notebook']}: {status} "
                  f"({result['wall_s']:.0f} s)", flush=True)
            results.append(result)
    markdown = table(results, args.offsets)
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(markdown, encoding="utf-8")
    print()
    print(markdown)
    print(f"(written to {REPORT.relative_to(ROOT)})")
    return 1 if any(r["failures"] for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
