"""The built website: every page exists, math is served locally, nothing asks another origin."""

import re

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
