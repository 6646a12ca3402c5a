"""The Chinese edition stays in step with the English one.

The English pages are the source. Their messages are extracted afresh (Sphinx's gettext builder,
no notebook executed) and compared with the catalogues in ``locales/zh_CN``: a message that is new
has no translation, one whose English changed is fuzzy (``make translations`` marks it), and either
fails here. Every translation keeps the markup of its English message (roles and their targets,
math, inline code, link targets). The first tests show that the checks can fail.
"""

import sys

import pytest
import yaml
from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po
from notebook_rules import ROOT

sys.path.insert(0, str(ROOT / "tools"))

import editions  # noqa: E402
import translation_check  # noqa: E402

CATALOGUES = translation_check.CATALOGUES


# -- the checks can fail ------------------------------------------------------------------------

def test_an_untranslated_or_fuzzy_message_is_reported():
    assert translation_check.message_problems("Gradient descent", "") == ["untranslated"]
    assert translation_check.message_problems("Gradient descent", "梯度下降", {"fuzzy"}) == [
        "fuzzy: the English changed since it was translated"]
    assert translation_check.message_problems("Gradient descent", "梯度下降") == []


@pytest.mark.parametrize("english, chinese, kind", [
    ("see {cite}`kingma2015`", "见 {cite}`hinton2006`", "role targets"),
    ("a {term}`loss function` and a {term}`neuron`", "一个{term}`损失函数 <loss function>`",
     "roles"),
    ("the rate $\\alpha$", "学习率 $a$", "math"),
    ("call `nt.setup()`", "调用 `nt.setup`", "inline code"),
    ("[the guide](https://keras.io/guides/)", "[指南](https://keras.io/)", "link targets"),
    ("read {doc}`the FAQ <../05_faq/index>`", "阅读{doc}`常见问题 <../05_faq/01_which_loss>`",
     "role targets"),
])
def test_changed_markup_is_reported(english, chinese, kind):
    problems = translation_check.message_problems(english, chinese)
    assert any(p.startswith(kind + " differ") for p in problems), problems


def test_a_translation_that_would_become_a_list_or_heading_is_reported():
    problems = translation_check.message_problems("1. Gradient descent", "1. 梯度下降")
    assert problems and problems[0].startswith("starts like a list item")
    assert translation_check.message_problems("1. Gradient descent", "1\\. 梯度下降") == []
    assert translation_check.message_problems("-x", "-x") == []  # a copy is never parsed


def test_translated_display_text_with_the_same_targets_passes():
    english = ("A {term}`loss function` (see {doc}`chapter 2 <../02_loss/index>`) is $J(w)$; "
               "Keras calls it `loss` {cite}`chollet2021`, [guide](https://keras.io/).")
    chinese = ("{term}`损失函数 <loss function>`（见{doc}`第 2 章 <../02_loss/index>`）即 $J(w)$；"
               "Keras 称之为 `loss` {cite}`chollet2021`，[指南](https://keras.io/)。")
    assert translation_check.message_problems(english, chinese) == []


def test_a_page_missing_from_the_catalogues_is_reported(tmp_path):
    pot, po = tmp_path / "pot", tmp_path / "po"
    (pot / "chapters").mkdir(parents=True)
    (po / "chapters").mkdir(parents=True)
    catalog = Catalog()
    catalog.add("Only in English")
    with open(pot / "chapters" / "page.pot", "wb") as handle:
        write_po(handle, catalog)
    assert translation_check.missing_from_catalogues(pot, po) == [
        ("chapters/page", "Only in English")]


# -- the real catalogues ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def templates(tmp_path_factory):
    """The messages of every page, extracted now from the English sources."""
    output = tmp_path_factory.mktemp("gettext") / "gettext"
    assert editions.extract(ROOT, output) == 0, "extracting the messages failed"
    return output


def test_every_page_has_a_catalogue(templates):
    pages = {p.relative_to(templates).with_suffix("") for p in templates.rglob("*.pot")}
    catalogues = {p.relative_to(CATALOGUES).with_suffix("") for p in CATALOGUES.rglob("*.po")}
    assert len(pages) >= 30
    assert sorted(map(str, pages - catalogues)) == [], "pages without a Chinese catalogue"
    assert sorted(map(str, catalogues - pages)) == [], "catalogues of pages that no longer exist"


def test_every_message_is_translated_and_none_is_fuzzy(templates):
    missing = translation_check.missing_from_catalogues(templates, CATALOGUES)
    assert missing == [], (f"{len(missing)} message(s) of the English pages are not in the "
                           f"catalogues (run `make translations`), e.g. {missing[:3]}")
    problems = {str(p.relative_to(CATALOGUES)): translation_check.catalogue_problems(p)
                for p in sorted(CATALOGUES.rglob("*.po"))}
    problems = {page: found for page, found in problems.items() if found}
    count = sum(map(len, problems.values()))
    assert problems == {}, f"{count} message(s) untranslated, fuzzy or with changed markup"


# -- the editions' build ------------------------------------------------------------------------

@pytest.mark.parametrize("page, language, url", [
    ("intro", "en", "zh_CN/intro.html"),
    ("chapters/02_loss/01_measuring_error", "en",
     "../../zh_CN/chapters/02_loss/01_measuring_error.html"),
    ("intro", "zh_CN", "../intro.html"),
    ("chapters/02_loss/index", "zh_CN", "../../../chapters/02_loss/index.html"),
])
def test_the_language_switch_leads_to_the_same_page(page, language, url):
    sys.path.insert(0, str(ROOT / "_ext"))
    import language_switch

    assert language_switch.twin_url(page, language) == url


def test_both_editions_execute_through_one_new_cache(tmp_path, monkeypatch):
    course = tmp_path / "course"
    course.mkdir()
    for name in ("_config.yml", "_toc.yml"):
        (course / name).write_text((ROOT / name).read_text(encoding="utf-8"), encoding="utf-8")
    calls = []
    monkeypatch.setattr(editions, "_run", lambda command, root: calls.append(command) or 0)
    monkeypatch.setattr(editions.shutil, "copytree", lambda *a, **k: None)
    stale = course / editions.FRESH_CACHE / "stale-marker"
    stale.parent.mkdir(parents=True)
    stale.write_text("from an earlier build")
    assert editions.build(("en", "zh_CN"), root=course) == 0
    assert not stale.exists(), "make book must start from an empty execution cache"
    configs = [yaml.safe_load(open(c[c.index("--config") + 1], encoding="utf-8"))
               for c in calls]
    assert [c["execute"]["execute_notebooks"] for c in configs] == ["cache", "cache"]
    assert configs[0]["execute"]["cache"] == configs[1]["execute"]["cache"] == str(
        (course / editions.FRESH_CACHE).resolve())
    assert configs[1]["sphinx"]["config"]["language"] == "zh_CN"
    assert "language" not in configs[0]["sphinx"]["config"]
    assert "--path-output" not in calls[0] and "--path-output" in calls[1]


def test_the_chinese_table_of_contents_takes_its_captions_from_the_catalogue():
    toc = yaml.safe_load(editions.translated_toc("zh_CN").read_text(encoding="utf-8"))
    english = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    captions = [part["caption"] for part in toc["parts"]]
    assert captions != [part["caption"] for part in english["parts"]]
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in caption) for caption in captions)
