"""The built website: every page exists, math is served locally, nothing asks another origin."""

import re
from collections import Counter

import pytest
from browser_support import fetched_urls, site_pages
from notebook_rules import notebooks_on_disk

pytestmark = pytest.mark.book


def test_every_notebook_has_a_page(built_book):
    assert (built_book / "index.html").exists() or (built_book / "intro.html").exists()
    missing = [str(nb) for nb in notebooks_on_disk()
               if not (built_book / nb.with_suffix(".html")).exists()]
    assert missing == []


def test_no_page_requests_another_origin(built_book):
    external = {}
    for page in site_pages(built_book):
        remote = [u for u in fetched_urls(page) if re.match(r"^(https?:)?//", u)]
        if remote:
            external[str(page.relative_to(built_book))] = remote
    assert external == {}


def test_math_is_served_from_the_site(built_book):
    mathjax = built_book / "_static" / "mathjax" / "tex-chtml.js"
    assert mathjax.exists() and mathjax.stat().st_size > 100_000
    intro = (built_book / "intro.html").read_text(encoding="utf-8")
    assert "_static/mathjax/tex-chtml.js" in intro
    assert r"\(y = f(\mathbf{w}^\top \mathbf{x} + b)\)" in intro


def test_executed_notebooks_show_their_figures(built_book):
    page = (built_book / "chapters/01_neurons/00_toolkit.html").read_text(encoding="utf-8")
    assert len(re.findall(r'<img [^>]*src="[^"]*\.png"', page)) >= 2
    assert "images per digit:" in page


# -- the Chinese edition: the same pages, links and math as the English one ---------------------

ZH = "zh_CN"


def _article(page):
    html = page.read_text(encoding="utf-8")
    start = html.index('<article class="bd-article"')
    return html[start:html.index("</article>", start)]


def _markup(page):
    """What a translation must keep: links to other pages and their anchors, math, figures."""
    article = _article(page)
    links = Counter(href for href in re.findall(r'<a class="reference internal" href="([^"]*)"',
                                                article) if not href.startswith("#"))
    return {"links to other pages (terms, citations, pages)": links,
            "math": len(re.findall(r'class="math notranslate', article)),
            "images": len(re.findall(r"<img ", article)),
            "code cells": article.count('class="cell docutils container"')}


def _english_pages(root):
    return [p for p in site_pages(root) if p.relative_to(root).parts[0] != ZH]


def test_every_english_page_has_a_chinese_twin_and_back(built_book):
    english = {p.relative_to(built_book) for p in _english_pages(built_book)}
    chinese = {p.relative_to(built_book / ZH) for p in site_pages(built_book / ZH)}
    assert len(english) >= 30 and english == chinese
    for page in (built_book / "intro.html", built_book / ZH / "intro.html"):
        head = page.read_text(encoding="utf-8")[:400]
        assert ('lang="zh-CN"' in head) == (ZH in page.parts)


def test_each_page_keeps_its_links_math_and_figures_in_chinese(built_book):
    differ = {}
    for page in _english_pages(built_book):
        name = page.relative_to(built_book)
        if not _article_present(page):
            continue
        english, chinese = _markup(page), _markup(built_book / ZH / name)
        for kind in english:
            if english[kind] != chinese[kind]:
                differ.setdefault(str(name), []).append(kind)
    assert differ == {}


def _article_present(page):
    return '<article class="bd-article"' in page.read_text(encoding="utf-8")


def test_every_page_links_to_its_twin_in_the_other_edition(built_book):
    for page in site_pages(built_book):
        html = page.read_text(encoding="utf-8")
        if 'http-equiv="Refresh"' in html[:500]:  # index.html only sends the reader on
            continue
        match = re.search(r'<a class="btn btn-sm nt-language-switch" href="([^"]+)"', html)
        assert match, f"{page.relative_to(built_book)} has no language switch"
        twin = (page.parent / match.group(1)).resolve()
        relative = page.relative_to(built_book)
        expected = (built_book / relative.relative_to(ZH) if relative.parts[0] == ZH
                    else built_book / ZH / relative)
        assert twin == expected.resolve() and twin.exists(), (str(relative), match.group(1))
