"""Check the translations in ``locales/``: complete, current, with the same markup as the source.

A message passes when its translation is

- there (not empty) and not marked fuzzy (Sphinx leaves a fuzzy message in English);
- built from the same markup: every ``{cite}``, ``{doc}``, ``{ref}``, ``{numref}``, ``{eq}``,
  ``{download}`` role with the same targets, as many ``{term}`` roles (a term may show its
  Chinese name, but its target stays the glossary entry), the same math (``$...$`` and ``$$``
  spans, character for character), the same inline code and the same link targets.

``python tools/translation_check.py [--pot DIR]`` prints every problem and exits 1 if there is
one. With ``--pot`` (the ``.pot`` templates of ``tools/editions.py extract``) it also reports a
page or message that has no translation catalogue entry at all.
"""

import argparse
import re
import sys
from collections import Counter
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[1]
CATALOGUES = ROOT / "locales" / "zh_CN" / "LC_MESSAGES"

ROLE = re.compile(r"\{(?P<name>[\w:-]+)\}`(?P<body>[^`]*)`")
SAME_TARGET_ROLES = {"cite", "cite:p", "cite:t", "doc", "ref", "numref", "eq", "download"}
# Math: $$...$$ first, then $...$ (MyST dollarmath; an escaped \$ is not math).
MATH = re.compile(r"(?<!\\)\$\$(.+?)(?<!\\)\$\$|(?<![\\$])\$(?!\$)(.+?)(?<!\\)\$", re.S)
CODE = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)", re.S)
LINK = re.compile(r"\]\(([^)\s]+)\)")


def _target(body):
    """A role's target: ``text <target>`` or the whole body."""
    match = re.search(r"<([^<>]+)>\s*$", body)
    return (match.group(1) if match else body).strip()


def markup(text):
    """The markup of one message that its translation must keep."""
    roles = Counter()
    targets = Counter()
    for match in ROLE.finditer(text):
        name = match.group("name")
        roles[name] += 1
        if name in SAME_TARGET_ROLES:
            targets[(name, _target(match.group("body")))] += 1
    without_roles = ROLE.sub(" ", text)
    maths = Counter(" ".join((m.group(1) or m.group(2)).split())
                    for m in MATH.finditer(CODE.sub(" ", without_roles)))
    code = Counter(m.group(2).strip() for m in CODE.finditer(without_roles))
    links = Counter(LINK.findall(without_roles))
    return {"roles": roles, "role targets": targets, "math": maths, "inline code": code,
            "link targets": links}


# A translation is parsed as Markdown on its own: one that starts like a list item ("1. ", "- ")
# or a heading ("# ") becomes that, Sphinx sees another kind of element than the English one and
# silently keeps the English. Such a start must be escaped ("1\\. ").
BLOCK_START = re.compile(r"^(\d+[.)]|[-*+]|#{1,6})(\s|$)")


def message_problems(msgid, msgstr, flags=()):
    """What is wrong with one translated message (an empty list when nothing is)."""
    if not msgstr:
        return ["untranslated"]
    if "fuzzy" in flags:
        return ["fuzzy: the English changed since it was translated"]
    source, translation = markup(msgid), markup(msgstr)
    problems = []
    if BLOCK_START.match(msgstr) and msgstr != msgid:
        problems.append("starts like a list item or heading: escape it (e.g. 1\\. ) or Sphinx "
                        "keeps the English")
    for kind in source:
        if source[kind] != translation[kind]:
            missing = source[kind] - translation[kind]
            extra = translation[kind] - source[kind]
            problems.append(f"{kind} differ: missing {dict(missing)}, added {dict(extra)}")
    return problems


def catalogue_problems(path):
    """``(msgid, problem)`` for every problem in one ``.po`` file."""
    with open(path, "rb") as handle:
        catalog = read_po(handle)
    found = []
    for message in catalog:
        if not message.id:
            continue
        msgid = message.id if isinstance(message.id, str) else message.id[0]
        msgstr = message.string if isinstance(message.string, str) else message.string[0]
        for problem in message_problems(msgid, msgstr, message.flags):
            found.append((msgid, problem))
    return found


def missing_from_catalogues(pot_folder, catalogues=CATALOGUES):
    """``(page, msgid)`` for every message of the templates that no catalogue holds."""
    missing = []
    for pot in sorted(Path(pot_folder).rglob("*.pot")):
        page = pot.relative_to(pot_folder).with_suffix("")
        po = Path(catalogues) / page.with_suffix(".po")
        with open(pot, "rb") as handle:
            wanted = {m.id for m in read_po(handle) if m.id}
        have = set()
        if po.exists():
            with open(po, "rb") as handle:
                have = {m.id for m in read_po(handle) if m.id}  # obsolete ones are apart
        missing += [(str(page), msgid) for msgid in sorted(wanted - have, key=str)]
    return missing


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="*", type=Path,
                        help=".po files to check (default: every catalogue)")
    parser.add_argument("--pot", type=Path, help="folder of .pot templates to compare with")
    args = parser.parse_args(argv)
    files = args.files or sorted(CATALOGUES.rglob("*.po"))
    count = 0
    for path in files:
        for msgid, problem in catalogue_problems(path):
            count += 1
            print(f"{path}: {problem}\n    {msgid[:160]!r}")
    if args.pot:
        for page, msgid in missing_from_catalogues(args.pot):
            count += 1
            print(f"{page}: no catalogue entry\n    {msgid[:160]!r}")
    print(f"{count} problem(s) in {len(files)} catalogue(s)")
    return 1 if count else 0


if __name__ == "__main__":
    sys.exit(main())
