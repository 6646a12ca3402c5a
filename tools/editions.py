"""Build the course in English and in Chinese from the same sources, executing each notebook once.

The English website is ``_build/html``; the Chinese edition is ``_build/html/zh_CN``, built with
Sphinx's ``language = "zh_CN"`` and the translations in ``locales/zh_CN/LC_MESSAGES`` (one
catalogue per page, Sphinx's standard gettext workflow). Jupyter Book 1 has no language option, so
each edition is a ``jupyter-book build`` with its own copy of ``_config.yml``
(``_build/editions/<language>/_config.yml``). Both copies execute notebooks through one
jupyter-cache folder: the English build runs every notebook (in a new, empty cache unless
``--fast``), the Chinese build finds every notebook there and runs none.

Commands (run with the course's Python, ``.venv/bin/python tools/editions.py ...``):

``build [--fast] [--all] [--languages en zh_CN]``
    Build the editions. Without ``--fast`` the cache starts empty (``make book``, ``make test``,
    publishing); with it, the cache of ``tools/book_cache.py`` is kept between builds
    (``make book-fast``).
``extract``
    Write the message templates (``.pot``) of every page into ``_build/gettext``.
``update``
    ``extract``, then bring ``locales/zh_CN`` up to date with sphinx-intl: new messages appear
    untranslated, changed ones are marked fuzzy, until a translator deals with them
    (``tests/test_translations.py`` fails while any is left).
"""

import argparse
import json
import shutil
import subprocess
import sys
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


def build(languages=tuple(EDITIONS), fast=False, rebuild_all=False, execute=True, root=ROOT):
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
    build_parser.add_argument("--languages", nargs="+", default=list(EDITIONS),
                              choices=list(EDITIONS))
    commands.add_parser("extract", help="write the .pot templates into _build/gettext")
    commands.add_parser("update", help="extract and update locales/ with sphinx-intl")
    args = parser.parse_args(argv)
    if args.command == "build":
        return build(args.languages, fast=args.fast, rebuild_all=args.all,
                     execute=not args.no_execute)
    return extract() if args.command == "extract" else update()


if __name__ == "__main__":
    sys.exit(main())
