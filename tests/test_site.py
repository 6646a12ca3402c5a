"""The built website: every page exists, math is served locally, nothing asks another origin."""

import re
from html.parser import HTMLParser

import pytest
from notebook_rules import notebooks_on_disk

pytestmark = pytest.mark.book


class _Requests(HTMLParser):
    """Collect every URL a page makes the browser fetch (not plain links a reader may click)."""

    def __init__(self):
        super().__init__()
        self.urls = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("script", "img", "iframe", "source", "audio", "video") and attrs.get("src"):
            self.urls.append(attrs["src"])
        if tag == "link" and attrs.get("href"):
            self.urls.append(attrs["href"])


def _pages(build):
    return sorted(p for p in build.rglob("*.html") if "_static" not in p.parts)


def test_every_notebook_has_a_page(built_book):
    assert (built_book / "index.html").exists() or (built_book / "intro.html").exists()
    missing = [str(nb) for nb in notebooks_on_disk()
               if not (built_book / nb.with_suffix(".html")).exists()]
    assert missing == []


def test_no_page_requests_another_origin(built_book):
    external = {}
    for page in _pages(built_book):
        parser = _Requests()
        parser.feed(page.read_text(encoding="utf-8"))
        remote = [u for u in parser.urls if re.match(r"^(https?:)?//", u)]
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
