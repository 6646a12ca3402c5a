"""Measure where the time of the course's commands goes: each phase, then each notebook alone.

``make bench`` runs this file twice. First, online, ``--install-only`` times a fresh install of
``requirements.txt`` into a new virtual environment (pip's cache as it is). Then, offline:

1. the phases of ``make test``: the prerequisites check, lint, and one run of the test command,
   whose session records when each phase started and ended (``_build/records/phases.json``):
   unit tests and doctests, the notebooks under nbval, the book build (which runs beside those
   two), and the website tests. Written to ``chapters/appendix/test_phases.md``.
2. each notebook under ``chapters/`` in its own process (kernel start and TensorFlow import
   included, artifact folder empty), plus a *floor* notebook that only starts the kernel and
   imports TensorFlow and the helper package. Written to ``chapters/appendix/runtime_table.md``
   (shown on the book's execution-statistics page) and ``chapters/appendix/runtimes.csv``, with
   the machine's core count and the package versions. The budget (each notebook <= 60 s, median
   <= 3x the floor, all together <= 10 min) is checked in the report, which flags what misses it.

``--skip-test`` or ``--skip-notebooks`` leaves out one of the two (and keeps its file).
"""

import argparse
import csv
import json
import os
import platform
import resource
import shutil
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
PHASE_TABLE = ROOT / "chapters" / "appendix" / "test_phases.md"
RECORDS = ROOT / "_build" / "records"
INSTALL_RECORD = RECORDS / "install.json"
PHASES = RECORDS / "phases.json"
BUDGET_TEST_S = 420.0
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


def _timed(command, **kwargs):
    """Run a command; return (wall seconds, user+sys CPU seconds of it, exit code)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    code = subprocess.run(command, cwd=ROOT, check=False, **kwargs).returncode
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, code


def measure_install():
    """Time a fresh install of requirements.txt into a new virtual environment."""
    with tempfile.TemporaryDirectory(prefix="nt-bench-venv-") as folder:
        venv = Path(folder) / "venv"
        wall_venv, cpu_venv, code = _timed([sys.executable, "-m", "venv", str(venv)])
        pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet"]
        wall_pip, cpu_pip, code_pip = (0.0, 0.0, code) if code else _timed(
            pip + ["-r", "requirements.txt"])
    record = {"install_s": wall_venv + wall_pip, "install_cpu_s": cpu_venv + cpu_pip,
              "ok": code == 0 and code_pip == 0}
    RECORDS.mkdir(parents=True, exist_ok=True)
    INSTALL_RECORD.write_text(json.dumps(record), encoding="utf-8")
    print(f"install: {record['install_s']:.0f} s ({'ok' if record['ok'] else 'FAILED'})")
    return 0 if record["ok"] else 1


def measure_phases(records=None):
    """Time the prerequisites check, lint and the test command; return the phase rows.

    With ``records`` (the ``_build/records`` folder of a finished ``make test``, e.g. of a fresh
    clone), the test command is not run again: its phases are read from there.
    """
    rows = []
    if INSTALL_RECORD.exists():
        install = json.loads(INSTALL_RECORD.read_text(encoding="utf-8"))
        rows.append(("install: new .venv from requirements.txt (pip cache as it was)",
                     install["install_s"], install["install_cpu_s"]))
    wall, cpu, _ = _timed(["bash", "tools/prerequisites.sh", "check", "test"])
    rows.append(("prerequisites check", wall, cpu))
    ruff = str(Path(sys.executable).with_name("ruff"))
    wall, cpu, _ = _timed([ruff, "check", "--quiet", "conftest.py", "src", "tests", "chapters",
                           "tools", "_ext"])
    rows.append(("lint", wall, cpu))
    if records is None:
        shutil.rmtree(RECORDS / "nbval", ignore_errors=True)
        PHASES.unlink(missing_ok=True)
        (RECORDS / "editions.json").unlink(missing_ok=True)
        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
        wall, cpu, code = _timed([sys.executable, "-m", "pytest", "-q"])
        phases = json.loads(PHASES.read_text(encoding="utf-8")) if PHASES.exists() else {}
    else:
        phases = json.loads((Path(records) / "phases.json").read_text(encoding="utf-8"))
        load, code = phases.get("load", float("nan")), phases.get("exitstatus", 1)
        wall = phases["end"] - phases["start"]
        cpu = phases["end_cpu"] - phases["start_cpu"]

    def span(a, b):
        return phases[b] - phases[a] if a in phases and b in phases else float("nan")

    def cpu_span(a, b):
        return span(a + "_cpu", b + "_cpu")

    nan = float("nan")
    build_end = phases.get("book_build_end", nan)
    website_start = max(phases.get("book_start", build_end), build_end)
    # The build's CPU time is added to the test process's when the build is waited for, in the
    # first website test's set-up: take it out of the website tests' share.
    website_cpu = cpu_span("book_start", "book_end") - (
        phases.get("book_build_cpu", nan) if phases.get("concurrent") else 0.0)
    rows += [
        ("pytest: start and collection", span("start", "units_start"),
         cpu_span("start", "units_start")),
        ("unit tests and doctests", span("units_start", "units_end"),
         cpu_span("units_start", "units_end")),
        ("every notebook under nbval", span("nbval_start", "nbval_end"),
         cpu_span("nbval_start", "nbval_end")),
        ("book build of both editions, which executes every notebook again"
         + (" (in the background, beside the two rows above)" if phases.get("concurrent")
            else ""),
         span("book_build_start", "book_build_end"), phases.get("book_build_cpu", nan)),
        *[(f"&nbsp;&nbsp;of which {name}", seconds, None)
          for name, seconds in _edition_seconds(records).items()],
        ("waiting for the book build after nbval",
         max(0.0, build_end - phases.get("nbval_end", build_end)), None),
        ("website tests (pages, links, browser, reproducibility)",
         phases.get("book_end", nan) - website_start, website_cpu),
        ("**pytest, all of the above together**", wall, cpu),
    ]
    return rows, {"exit": code, "load": load, "threads": phases.get("threads"),
                  "concurrent": phases.get("concurrent")}


def _edition_seconds(records=None):
    """Wall time of each edition's build in the last test run (tools/editions.py records it)."""
    record = Path(records or RECORDS) / "editions.json"
    if not record.exists():
        return {}
    names = {"notebooks": "executing every notebook, into the cache both editions read",
             "en": "the English edition's pages", "zh_CN": "the Chinese edition's pages"}
    seconds = json.loads(record.read_text(encoding="utf-8")).get("seconds", {})
    return {names.get(lang, lang): s for lang, s in seconds.items()}


def phase_report(rows, info):
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    test_total = sum(w for name, w, _ in rows if name in {"prerequisites check", "lint"}) \
        + rows[-1][1]
    lines = [
        f"Measured on {date.today().isoformat()} with `make bench`: {cores} CPU cores "
        f"({cpu_model()}), load average {info['load']:.1f} when the tests started, "
        f"Python {platform.python_version()}. The book build ran "
        + ("in the background while the unit tests and nbval ran, every kernel with "
           + (f"NT_THREADS={info['threads']}." if info["threads"]
              else "nt.setup()'s 2 threads per kernel.")
           if info["concurrent"]
           else "after the notebooks, not beside them."),
        "",
        "| phase | wall time (s) | CPU time, user + system (s) |",
        "| --- | ---: | ---: |",
    ]
    for name, wall, cpu in rows:
        lines.append(f"| {name} | {wall:.0f} | {'' if cpu is None else f'{cpu:.0f}'} |")
    lines += [
        "",
        f"`make test` on an installed `.venv` (prerequisites check, lint, pytest): "
        f"{test_total:.0f} s = {test_total / 60:.1f} min (budget {BUDGET_TEST_S / 60:.0f} min"
        + ("; **over budget**" if test_total > BUDGET_TEST_S else "") + "); "
        + ("every test passed." if info["exit"] == 0
           else f"**pytest exit status {info['exit']}**."),
        "",
    ]
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--one", help="internal: execute this notebook and print JSON")
    parser.add_argument("--install-only", action="store_true",
                        help="only time a fresh install (needs the network)")
    parser.add_argument("--skip-test", action="store_true", help="leave out the test phases")
    parser.add_argument("--skip-notebooks", action="store_true",
                        help="leave out the notebooks run alone")
    parser.add_argument("--records", type=Path,
                        help="read the test command's phases from this _build/records folder of "
                             "a finished make test instead of running it again")
    args = parser.parse_args()
    if args.one:
        error, peak_mb = run_one(args.one)
        print(json.dumps({"error": error, "peak_mb": peak_mb}))
        return 0
    if args.install_only:
        return measure_install()
    status = 0
    if not args.skip_test:
        rows, info = measure_phases(args.records)
        markdown = phase_report(rows, info)
        PHASE_TABLE.write_text(markdown, encoding="utf-8")
        print(markdown)
        print(f"wrote {PHASE_TABLE.relative_to(ROOT)}", flush=True)
        status = 1 if info["exit"] != 0 else 0
    if args.skip_notebooks:
        return status
    return max(status, bench_notebooks())


def bench_notebooks():
    """Time every notebook alone; write the runtime table and CSV; 1 if over budget."""
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
