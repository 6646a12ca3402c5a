"""Measure every notebook's run time and peak memory, one at a time, each in a fresh kernel.

``make bench`` runs this file. It executes each notebook under ``chapters/`` in its own process
(kernel start and TensorFlow import included, artifact folder empty), plus a *floor* notebook
that only starts the kernel and imports TensorFlow and the helper package, and writes

- ``chapters/appendix/runtime_table.md`` (shown on the book's execution-statistics page), and
- ``chapters/appendix/runtimes.csv`` (for tools),

with the machine's core count and the package versions. The budget (each notebook <= 60 s,
median <= 3x the floor, all together <= 10 min) is checked in the report, which flags what
misses it.
"""

import argparse
import csv
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from importlib import metadata
from pathlib import Path

from notebook_rules import ROOT, notebooks_on_disk

TABLE = ROOT / "chapters" / "appendix" / "runtime_table.md"
CSV = ROOT / "chapters" / "appendix" / "runtimes.csv"
BUDGET_EACH_S = 60.0
BUDGET_MEDIAN_OVER_FLOOR = 3.0
BUDGET_TOTAL_S = 600.0
FLOOR_SOURCE = "import neurotransfer as nt\nimport tensorflow as tf\n\nnt.setup(seed=0)"
PACKAGES = ("tensorflow-cpu", "tensorflow", "keras", "numpy", "scikit-learn", "matplotlib",
            "jupyter-book")


def run_one(path):
    """Execute one notebook in a fresh kernel; return (error or None, kernel peak RSS in MB)."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=600, kernel_name="python3",
                            resources={"metadata": {"path": str(Path(path).parent)}})
    error = None
    try:
        client.execute()
    except Exception as exc:  # report, do not hide: the table marks the notebook as failed
        error = f"{type(exc).__name__}: {str(exc).strip().splitlines()[-1][:200]}"
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # KiB on Linux
    return error, peak_mb


def measure(path):
    """Run :func:`run_one` in a new process and time it from the outside."""
    with tempfile.TemporaryDirectory(prefix="nt-bench-") as artifacts:
        env = {**os.environ, "NEUROTRANSFER_HOME": artifacts}
        start = time.perf_counter()
        result = subprocess.run([sys.executable, __file__, "--one", str(path)], env=env,
                                capture_output=True, text=True, check=False)
        wall = time.perf_counter() - start
    try:
        info = json.loads(result.stdout.strip().splitlines()[-1])
    except (IndexError, ValueError):
        info = {"error": f"runner failed: {result.stderr.strip()[-300:]}", "peak_mb": float("nan")}
    return {"wall_s": wall, **info}


def versions():
    found = {}
    for name in PACKAGES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return found


def cpu_model():
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def report(rows, floor):
    """Markdown and CSV rows, plus the list of budget problems."""
    ok_rows = [r for r in rows if not r["error"]]
    total = sum(r["wall_s"] for r in rows)
    median = statistics.median(r["wall_s"] for r in rows) if rows else float("nan")
    problems = [f"{r['notebook']} failed: {r['error']}" for r in rows if r["error"]]
    problems += [f"{r['notebook']} took {r['wall_s']:.1f} s (budget {BUDGET_EACH_S:.0f} s)"
                 for r in ok_rows if r["wall_s"] > BUDGET_EACH_S]
    if median > BUDGET_MEDIAN_OVER_FLOOR * floor["wall_s"]:
        problems.append(f"median {median:.1f} s is above {BUDGET_MEDIAN_OVER_FLOOR:g} x the floor")
    if total > BUDGET_TOTAL_S:
        problems.append(f"all notebooks took {total:.0f} s (budget {BUDGET_TOTAL_S:.0f} s)")
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    lines = [
        f"Measured on {date.today().isoformat()} with `make bench`: {cores} CPU cores "
        f"({cpu_model()}), Python {platform.python_version()}, "
        + ", ".join(f"{k} {v}" for k, v in versions().items()) + ".",
        "Each notebook ran alone, in a fresh kernel, from an empty artifact folder; the time "
        "includes starting the kernel and importing TensorFlow.",
        "",
        "| notebook | wall time (s) | kernel peak memory (MB) | within budget |",
        "| --- | ---: | ---: | --- |",
        f"| *floor: start kernel, import TensorFlow and `neurotransfer`* | {floor['wall_s']:.1f} "
        f"| {floor['peak_mb']:.0f} | |",
    ]
    for r in rows:
        verdict = "failed" if r["error"] else ("yes" if r["wall_s"] <= BUDGET_EACH_S else "**no**")
        lines.append(f"| `{r['notebook']}` | {r['wall_s']:.1f} | {r['peak_mb']:.0f} | {verdict} |")
    lines += [
        "",
        f"All {len(rows)} notebooks together: {total:.0f} s (budget {BUDGET_TOTAL_S:.0f} s); "
        f"median {median:.1f} s = {median / floor['wall_s']:.1f} x the floor "
        f"(budget {BUDGET_MEDIAN_OVER_FLOOR:g} x); each notebook at most {BUDGET_EACH_S:.0f} s.",
        "",
        ("**Over budget:** " + "; ".join(problems) + ".") if problems
        else "Every notebook is within the budget.",
        "",
    ]
    return "\n".join(lines), problems


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--one", help="internal: execute this notebook and print JSON")
    args = parser.parse_args()
    if args.one:
        error, peak_mb = run_one(args.one)
        print(json.dumps({"error": error, "peak_mb": peak_mb}))
        return 0

    import nbformat

    with tempfile.TemporaryDirectory() as folder:
        floor_path = Path(folder) / "floor.ipynb"
        floor_nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(FLOOR_SOURCE)])
        floor_nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
        nbformat.write(floor_nb, floor_path)
        floor = measure(floor_path)
    print(f"floor: {floor['wall_s']:.1f} s, {floor['peak_mb']:.0f} MB", flush=True)
    rows = []
    for notebook in notebooks_on_disk():
        row = {"notebook": str(notebook), **measure(ROOT / notebook)}
        rows.append(row)
        status = f"FAILED ({row['error']})" if row["error"] else "ok"
        print(f"{row['notebook']}: {row['wall_s']:.1f} s, {row['peak_mb']:.0f} MB, {status}",
              flush=True)
    markdown, problems = report(rows, floor)
    TABLE.write_text(markdown, encoding="utf-8")
    with CSV.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["notebook", "wall_s", "peak_mb", "error"])
        writer.writerow(["floor", f"{floor['wall_s']:.2f}", f"{floor['peak_mb']:.0f}", ""])
        for r in rows:
            writer.writerow([r["notebook"], f"{r['wall_s']:.2f}", f"{r['peak_mb']:.0f}",
                             r["error"] or ""])
    print(markdown)
    print(f"wrote {TABLE.relative_to(ROOT)} and {CSV.relative_to(ROOT)}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
