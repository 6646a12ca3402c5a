"""Build the course in English and in Chinese from the same sources, executing each notebook once.

The English website is ``_build/html``; the Chinese edition is ``_build/html/zh_CN``, built with
Sphinx's ``language = "zh_CN"`` and the translations in ``locales/zh_CN/LC_MESSAGES`` (one
catalogue per page, Sphinx's standard gettext workflow). Jupyter Book 1 has no language option, so
each edition is a ``jupyter-book build`` with its own copy of ``_config.yml``
(``_build/editions/<language>/_config.yml``). Both copies execute notebooks through one
jupyter-cache folder. Before the English build, every notebook that folder lacks is executed,
``--jobs`` at a time (each in a process and fresh kernel of its own, from its own folder, as Jupyter
Book would run it), and stored there (in a new, empty cache unless ``--fast``); the builds then find
every notebook in the cache and run none.

Commands (run with the course's Python, ``.venv/bin/python tools/editions.py ...``):

``build [--fast] [--all] [--jobs N] [--languages en zh_CN]``
    Build the editions. Without ``--fast`` the cache starts empty (``make book``, ``make test``,
    publishing); with it, the cache of ``tools/book_cache.py`` is kept between builds
    (``make book-fast``). ``--jobs``: notebooks executed at once (default: one per core, at
    most four).
``extract``
    Write the message templates (``.pot``) of every page into ``_build/gettext``.
``update``
    ``extract``, then bring ``locales/zh_CN`` up to date with sphinx-intl: new messages appear
    untranslated, changed ones are marked fuzzy, until a translator deals with them
    (``tests/test_translations.py`` fails while any is left).
"""

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

import book_cache  # noqa: E402

BUILD = Path("_build")
GETTEXT = BUILD / "gettext"
LOCALES = Path("locales")
RECORD = BUILD / "records" / "editions.json"
FRESH_CACHE = BUILD / "editions" / "execution-cache"

# What differs between the editions besides the translated pages. English is the source.
EDITIONS = {
    "en": {"folder": "", "config": {}},
    "zh_CN": {
        "folder": "zh_CN",
        "config": {
            "title": "从神经元到迁移学习",
            "author": "课程作者",
            "sphinx": {"recursive_update": True,
                       "config": {"language": "zh_CN",
                                  "html_theme_options": {"search_bar_text": "搜索本书……"},
                                  # The course hides only code cells' sources (hide-input).
                                  "nb_code_prompt_show": "显示代码",
                                  "nb_code_prompt_hide": "隐藏代码",
                                  # Exercise solutions' toggle (sphinx-togglebutton has no
                                  # Chinese of its own).
                                  "togglebutton_hint": "点击显示",
                                  "togglebutton_hint_hide": "点击隐藏"}},
        },
    },
}
TRANSLATIONS = [lang for lang in EDITIONS if lang != "en"]


def _absolute(config, root):
    """Paths in ``_config.yml`` are relative to the book's folder; the copies live elsewhere."""
    config["bibtex_bibfiles"] = [str(root / p) for p in config.get("bibtex_bibfiles", [])]
    sphinx = config.setdefault("sphinx", {})
    sphinx["local_extensions"] = {name: str(root / path)
                                  for name, path in (sphinx.get("local_extensions") or {}).items()}
    inner = sphinx.setdefault("config", {})
    for key in ("locale_dirs", "templates_path"):
        if key in inner:
            inner[key] = [str(root / p) for p in inner[key]]
    return config


def _merge(into, update):
    for key, value in update.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            _merge(into[key], value)
        else:
            into[key] = value
    return into


def edition_config(language, cache=None, execute=True, root=ROOT):
    """``_config.yml`` for one edition, executing through ``cache`` (or not at all)."""
    if language not in EDITIONS:
        raise ValueError(f"language: expected one of {sorted(EDITIONS)}, got {language!r}")
    root = Path(root)
    config = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))
    execute_section = config.setdefault("execute", {})
    if not execute:
        execute_section["execute_notebooks"] = "off"
    elif cache is not None:
        execute_section["execute_notebooks"] = "cache"
        execute_section["cache"] = str(Path(cache).resolve())
    _merge(config, json.loads(json.dumps(EDITIONS[language]["config"])))
    return _absolute(config, root)


def write_config(language, cache=None, execute=True, root=ROOT, name=None):
    path = Path(root) / BUILD / "editions" / (name or language) / "_config.yml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(edition_config(language, cache, execute, root),
                                   allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def translated_toc(language, root=ROOT):
    """``_toc.yml`` with its part captions translated; return the copy's path.

    The captions are messages of the root page's catalogue (``intro.po``), so translators find
    them there; Sphinx itself does not translate them (the table of contents is inserted after
    the translation step), so the copy carries them into the build.
    """
    root = Path(root)
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    catalogue = root / LOCALES / language / "LC_MESSAGES" / (toc["root"] + ".po")
    strings = {}
    if catalogue.exists():
        with open(catalogue, "rb") as handle:
            strings = {m.id: m.string for m in read_po(handle)
                       if m.id and m.string and not m.fuzzy}
    for part in toc.get("parts", []):
        if part.get("caption") in strings:
            part["caption"] = strings[part["caption"]]
    path = root / BUILD / "editions" / language / "_toc.yml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(toc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _jupyter_book():
    return str(Path(sys.executable).with_name("jupyter-book"))


def _run(command, root):
    print("+", " ".join(command), flush=True)
    return subprocess.run(command, cwd=root).returncode


def course_notebooks(root=ROOT):
    """The notebooks the table of contents lists (``chapters/<part>/<number>_*.ipynb``)."""
    return sorted(Path(root).glob("chapters/*/[0-9]*.ipynb"))


#: At most this many notebooks run at once by default: each kernel needs up to 1.5 GB of memory.
MAX_DEFAULT_JOBS = 4


def default_jobs():
    """One notebook per core (a kernel keeps about one core busy), at most
    :data:`MAX_DEFAULT_JOBS`."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(1, min(cores or 1, MAX_DEFAULT_JOBS))


class ExecutionFailed(RuntimeError):
    """A notebook failed while the notebooks ran into the cache (message: which, and why)."""


def execute_one(path, output, timeout, allow_errors):
    """Execute one notebook as Jupyter Book's cache mode does (its folder as working folder)
    and write it, with its outputs, to ``output``. Runs in a process of its own."""
    import nbformat
    from jupyter_cache.executors.utils import single_nb_execution

    nb = nbformat.read(path, as_version=4)
    result = single_nb_execution(nb, cwd=str(Path(path).parent), timeout=timeout,
                                 allow_errors=allow_errors, meta_override=True)
    if result.err is not None:
        print(result.exc_string, file=sys.stderr)
        return 1
    nb.metadata["execution_seconds"] = result.time
    nbformat.write(nb, output)
    return 0


def _check_settings(settings):
    """Refuse the Jupyter Book execution settings that :func:`execute_into_cache` does not copy."""
    unsupported = {key: settings[key] for key in ("run_in_temp", "exclude_patterns")
                   if settings.get(key)}
    if unsupported:
        raise ValueError(f"execute_into_cache runs notebooks in their own folders, all of them; "
                         f"_config.yml asks for {unsupported}: teach it that first")


def _tail(path, lines=60):
    text = Path(path).read_text(encoding="utf-8", errors="replace").splitlines()
    return "\n".join(text[-lines:])


def execute_into_cache(cache, notebooks, jobs, timeout=30, allow_errors=False):
    """Execute every notebook of ``notebooks`` that ``cache`` lacks, ``jobs`` at a time.

    Each runs in a process of its own, in a fresh kernel with its folder as working folder, the
    way Jupyter Book's ``execute_notebooks: cache`` would run it, and its outputs are stored in
    the jupyter-cache folder ``cache``, where the book build then finds them. Every kernel keeps
    ``nt.setup()``'s fixed thread count, so running several at once changes no number (the
    test suite compares every output with a separate run). The kernels running at once each
    have an artifact folder of their own, so that two never write the same weights file.

    The first notebook that fails stops the others and raises :class:`ExecutionFailed` with
    its name and the end of its error output. An interrupt stops them too, each shutting its
    kernel down. Returns the number of notebooks executed.
    """
    import nbformat
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn

    store = get_cache(str(cache))
    todo = []
    for path in notebooks:
        nb = nbformat.read(path, as_version=4)
        if "mystnb" in nb.metadata:  # its own execution settings: Jupyter Book runs it
            continue
        try:
            store.match_cache_notebook(nb)
        except KeyError:
            todo.append(Path(path))
    if not todo:
        return 0
    jobs = max(1, min(int(jobs), len(todo)))
    print(f"executing {len(todo)} notebook(s), {jobs} at a time", flush=True)
    waiting, running = list(todo), {}
    with tempfile.TemporaryDirectory(prefix="nt-notebooks-") as work:
        work = Path(work)
        free = [work / f"artifacts-{i}" for i in range(jobs)]  # one per kernel running at once
        try:
            while waiting or running:
                while waiting and free:
                    path, slot = waiting.pop(0), free.pop(0)
                    slot.mkdir(exist_ok=True)
                    stem = work / f"{len(todo) - len(waiting)}-{path.stem}"
                    log = stem.with_suffix(".log").open("w", encoding="utf-8")
                    command = [sys.executable, str(Path(__file__).resolve()), "execute-one",
                               str(path), str(stem.with_suffix(".ipynb")), "--timeout",
                               str(timeout)] + (["--allow-errors"] if allow_errors else [])
                    process = subprocess.Popen(
                        command, stdout=log, stderr=subprocess.STDOUT,
                        env={**os.environ, "NEUROTRANSFER_HOME": str(slot)})
                    running[process] = {"path": path, "slot": slot, "stem": stem, "log": log}
                time.sleep(0.2)
                for process in [p for p in running if p.poll() is not None]:
                    run = running.pop(process)
                    run["log"].close()
                    free.append(run["slot"])
                    name = (run["path"].relative_to(ROOT) if run["path"].is_relative_to(ROOT)
                            else run["path"])
                    if process.returncode != 0:
                        raise ExecutionFailed(f"{name} failed while the notebooks ran:\n"
                                              + _tail(run["stem"].with_suffix(".log")))
                    nb = nbformat.read(run["stem"].with_suffix(".ipynb"), as_version=4)
                    seconds = nb.metadata.pop("execution_seconds")
                    store.cache_notebook_bundle(
                        CacheBundleIn(nb, str(run["path"]), data={"execution_seconds": seconds}),
                        check_validity=False, overwrite=True)
                    print(f"  {name}: {seconds:.1f} s", flush=True)
        finally:
            for process in running:  # a failure or an interrupt: stop the others cleanly
                process.terminate()
            for process, run in running.items():
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
                run["log"].close()
    return len(todo)


def build(languages=tuple(EDITIONS), fast=False, rebuild_all=False, execute=True, root=ROOT,
          jobs=None):
    """Build each edition in turn; return 0 when all built (the first failure's code otherwise).

    ``execute=False`` builds the pages without running a notebook (no outputs): a quick look at
    a translation.
    """
    root = Path(root)
    if not execute:
        cache = None
    elif fast:
        book_cache.write_config(root)  # also drops the caches of earlier states of src/
        cache = book_cache.cache_folder(root)
    else:
        cache = root / FRESH_CACHE
        shutil.rmtree(cache, ignore_errors=True)
    times = {}
    if cache is not None:
        settings = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))["execute"]
        _check_settings(settings)
        start = time.time()
        try:  # Jupyter Book's defaults where _config.yml is silent
            execute_into_cache(cache, course_notebooks(root), jobs or default_jobs(),
                               timeout=settings.get("timeout", 30),
                               allow_errors=settings.get("allow_errors", False))
        except ExecutionFailed as error:
            print(error, file=sys.stderr, flush=True)
            return 1
        times["notebooks"] = round(time.time() - start, 1)
    for language in languages:
        config = write_config(language, cache, execute=execute, root=root)
        command = [_jupyter_book(), "build", str(root), "-W", "-n", "--keep-going",
                   "--config", str(config)]
        if rebuild_all:
            command.append("--all")
        folder = EDITIONS[language]["folder"]
        if folder:
            output = root / BUILD / "editions" / language
            command += ["--path-output", str(output), "--toc", str(translated_toc(language, root))]
        start = time.time()
        code = _run(command, root)
        times[language] = round(time.time() - start, 1)
        if code != 0:
            return code
        if folder:
            target = root / BUILD / "html" / folder
            shutil.rmtree(target, ignore_errors=True)
            shutil.copytree(output / "_build" / "html", target)
    (root / RECORD).parent.mkdir(parents=True, exist_ok=True)
    (root / RECORD).write_text(json.dumps({"seconds": times, "fast": fast, "executed": execute},
                                          indent=1))
    print("built: " + ", ".join(f"{lang} in {s} s" for lang, s in times.items()))
    print(f"open: file://{root / BUILD / 'html' / 'index.html'}")
    return 0


def extract(root=ROOT, output=None):
    """Write the ``.pot`` message templates of every page into ``output`` (``_build/gettext``)."""
    root = Path(root)
    output = Path(output) if output is not None else root / GETTEXT
    config = write_config("en", execute=False, root=root, name="gettext")
    work = output.parent / (output.name + "-build")
    shutil.rmtree(output, ignore_errors=True)
    code = _run([_jupyter_book(), "build", str(root), "--builder", "custom",
                 "--custom-builder", "gettext", "--config", str(config), "--path-output",
                 str(work), "--all"], root)
    if code == 0:
        shutil.copytree(work / "_build" / "gettext", output)
    return code


def update(root=ROOT):
    """Extract, then merge the templates into each translation's catalogues."""
    root = Path(root)
    code = extract(root)
    if code != 0:
        return code
    for language in TRANSLATIONS:
        code = _run([str(Path(sys.executable).with_name("sphinx-intl")), "update",
                     "-p", str(root / GETTEXT), "-d", str(root / LOCALES), "-l", language,
                     "-w", "0"], root)
        if code != 0:
            return code
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    build_parser = commands.add_parser("build", help="build the editions")
    build_parser.add_argument("--fast", action="store_true",
                              help="keep the execution cache between builds")
    build_parser.add_argument("--all", action="store_true", help="rewrite every page")
    build_parser.add_argument("--no-execute", action="store_true",
                              help="run no notebook (pages without outputs: to read a translation)")
    build_parser.add_argument("--jobs", type=int, default=None,
                              help="notebooks executed at once (default: one per core, at most 4)")
    build_parser.add_argument("--languages", nargs="+", default=list(EDITIONS),
                              choices=list(EDITIONS))
    one = commands.add_parser("execute-one", help=argparse.SUPPRESS)
    one.add_argument("notebook")
    one.add_argument("output")
    one.add_argument("--timeout", type=int, required=True)
    one.add_argument("--allow-errors", action="store_true")
    commands.add_parser("extract", help="write the .pot templates into _build/gettext")
    commands.add_parser("update", help="extract and update locales/ with sphinx-intl")
    args = parser.parse_args(argv)
    if args.command == "execute-one":
        return execute_one(args.notebook, args.output, args.timeout, args.allow_errors)
    if args.command == "build":
        if args.jobs is not None and args.jobs < 1:
            parser.error(f"--jobs must be a positive integer, got {args.jobs}")
        return build(args.languages, fast=args.fast, rebuild_all=args.all,
                     execute=not args.no_execute, jobs=args.jobs)
    return extract() if args.command == "extract" else update()


def _stop(signum, frame):
    """SIGTERM (make test stopping the build) ends this process as Ctrl-C would: cleanly."""
    sys.exit(128 + signum)


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, _stop)
    sys.exit(main())
