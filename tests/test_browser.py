"""The website in a real browser: Debian's Chromium, headless, driven by Playwright, offline.

The built site is served on 127.0.0.1 by a thread of this test; every page is opened and must
load without console or page errors, with every image loaded, every request on the local origin,
every internal link resolving, and every formula typeset by MathJax without errors.
Screenshots of the landing page and a chapter page are saved in ``_build/screenshots``.
The first tests run the same checks against a tiny broken site, to prove that they can fail.
"""

import base64
import os
import re
import shutil
import tempfile
from pathlib import Path

import pytest
from browser_support import (
    CHROMIUM_ARGS,
    LAPTOP,
    PHONE,
    broken_links,
    chromium_path,
    serve,
    serve_offline,
    site_pages,
    visit,
    visit_all,
)

pytestmark = pytest.mark.book

CHAPTER_PAGE = "chapters/01_neurons/00_toolkit.html"
# A 2x1 PNG: a real image for the fixture site.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAIAAAABCAYAAAD0In+KAAAAEUlEQVR42mP8z8Dwn4GBgQEAEgIB/0Ai1RkAAAAASUVORK5CYII=")


@pytest.fixture(scope="module")
def browser():
    """A fresh headless Chromium with its own empty profile (Debian's, never a download)."""
    try:
        executable = chromium_path()
    except RuntimeError as error:
        pytest.fail(str(error), pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright, tempfile.TemporaryDirectory() as profile:
        context = playwright.chromium.launch_persistent_context(
            profile, executable_path=executable, headless=True, args=CHROMIUM_ARGS,
            viewport=LAPTOP, service_workers="block",
        )
        try:
            yield context
        finally:
            context.close()


@pytest.fixture(scope="module")
def site(built_book, browser):
    """The built book served locally: (folder, base URL, browser); foreign requests blocked."""
    with serve_offline(browser, built_book) as base_url:
        yield built_book, base_url, browser


# -- the checks can fail: a tiny broken site ---------------------------------------------------

@pytest.fixture
def broken_site(tmp_path):
    (tmp_path / "img.png").write_bytes(PNG)
    (tmp_path / "good.html").write_text(
        '<html><head><link rel="icon" href="data:,"></head><body>'
        '<h1 id="top">Good</h1><img src="img.png" alt="ok">'
        '<a href="#top">up</a> <a href="bad.html">bad</a> <a href="https://example.org/">x</a>'
        "<p><span class=\"math\">\\(x^2\\)</span></p></body></html>", encoding="utf-8")
    (tmp_path / "bad.html").write_text(
        "<html><head><title>bad</title><link rel=\"icon\" href=\"data:,\"></head><body>"
        '<img src="missing.png" alt="gone"><a href="nowhere.html">broken</a>'
        '<a href="good.html#top">fine</a><a href="good.html#absent">bad anchor</a>'
        '<img src="https://example.org/tracker.png" alt="remote">'
        "<script>undefinedFunction()</script>"
        "</body></html>", encoding="utf-8")
    return tmp_path


def test_link_check_finds_a_broken_link_and_a_missing_anchor(broken_site):
    assert broken_links(broken_site / "good.html", broken_site) == []
    assert broken_links(broken_site / "bad.html", broken_site) == [
        ("nowhere.html", "no such file"),
        ("good.html#absent", "no element with id 'absent'"),
    ]


def test_browser_check_finds_a_missing_image_errors_and_a_foreign_request(broken_site, browser):
    with serve_offline(browser, broken_site) as base_url:
        bad = visit(browser, base_url, base_url + "bad.html").problems()
    assert any(p.startswith("image did not load") and "missing.png" in p for p in bad), bad
    assert any(p.startswith("page error") and "undefinedFunction" in p for p in bad), bad
    assert any("request to another origin: https://example.org/tracker.png" in p for p in bad), bad
    assert any("missing.png (HTTP 404)" in p for p in bad), bad


def test_pages_loading_side_by_side_keep_their_problems_apart(broken_site, browser):
    # Tabs load at once in the full-site check: each report must hold its own tab's problems.
    with serve_offline(browser, broken_site) as base_url:
        urls = [base_url + name for name in ("bad.html", "good.html", "bad.html")]
        reports = list(visit_all(browser, base_url, urls, at_once=3))
    assert [r.url for r in reports] == urls
    alone = reports[1].problems()
    assert alone == ["math not typeset: 1 of 1 math elements have no MathJax output"], alone
    for bad in (reports[0].problems(), reports[2].problems()):
        assert sum("undefinedFunction" in p for p in bad) == 1, bad
        assert sum("missing.png (HTTP 404)" in p for p in bad) == 1, bad


def test_browser_check_finds_untypeset_math(broken_site, browser):
    # good.html has a formula but no MathJax: the page must be reported as not typeset.
    with serve(broken_site) as base_url:
        problems = visit(browser, base_url, base_url + "good.html").problems()
    assert problems == ["math not typeset: 1 of 1 math elements have no MathJax output"]


def test_browser_check_finds_math_errors(broken_site, browser, built_book):
    # The site's own MathJax, on a page with a TeX error and an unknown macro.
    shutil.copytree(built_book / "_static" / "mathjax", broken_site / "mathjax")
    (broken_site / "tex.html").write_text(
        '<html><head><link rel="icon" href="data:,"><script>window.MathJax = {"options": '
        '{"processHtmlClass": "math"}}</script><script defer src="mathjax/tex-chtml.js"></script>'
        '</head><body><span class="math">\\(x^{1}^{2}\\)</span> '
        '<span class="math">\\(\\nosuchmacro x\\)</span> <span class="math">\\(y\\)</span>'
        "</body></html>", encoding="utf-8")
    with serve(broken_site) as base_url:
        report = visit(browser, base_url, base_url + "tex.html")
    assert report.facts["mjx"] == 3
    assert report.problems() == ["2 MathJax error element(s)", "undefined TeX macro: \\nosuchmacro"]


# -- the real site -----------------------------------------------------------------------------

def test_every_internal_link_resolves(built_book):
    pages = site_pages(built_book)
    assert len(pages) >= 5
    broken = {str(p.relative_to(built_book)): broken_links(p, built_book) for p in pages}
    assert {page: links for page, links in broken.items() if links} == {}


def test_every_page_loads_cleanly_in_chromium(site):
    root, base_url, browser = site
    problems, math_pages = {}, 0
    urls = [base_url + page.relative_to(root).as_posix() for page in site_pages(root)]
    for report in visit_all(browser, base_url, urls):
        name = report.url.removeprefix(base_url)
        if found := report.problems():
            problems[name] = found
        math_pages += bool(report.facts.get("math"))
        assert report.requests, f"{name}: the browser recorded no request at all"
    assert problems == {}
    assert math_pages >= 1, "no page with math was found: the math check checked nothing"


def test_favicon_and_logo_are_served(site):
    root, base_url, browser = site
    page = browser.new_page()
    try:
        page.goto(base_url + "intro.html", wait_until="networkidle")
        icon = page.evaluate("document.querySelector('link[rel~=icon]').href")
        logos = page.evaluate("Array.from(document.querySelectorAll('img.logo__image'))"
                              ".map(i => [i.currentSrc, i.naturalWidth])")
        # Headless Chromium does not fetch the favicon by itself: ask for it as a tab would.
        response = page.request.get(icon)
        assert icon.endswith("_static/favicon.svg") and response.ok, (icon, response.status)
        assert "svg" in response.headers["content-type"]
    finally:
        page.close()
    assert logos and all(src.endswith("_static/logo.svg") and width > 0 for src, width in logos)


@pytest.mark.parametrize("query", ["search.html?q=gradient", "zh_CN/search.html?q=梯度"],
                         ids=["english", "chinese"])
def test_search_finds_a_page(site, query):
    """Each edition's search finds a page; the Chinese index is cut into words (jieba), so a
    two-character term hits."""
    _, base_url, browser = site
    page = browser.new_page()
    try:
        page.goto(base_url + query, wait_until="load")
        page.wait_for_selector("#search-results ul.search li", timeout=30_000)
        hits = page.locator("#search-results ul.search li").count()
    finally:
        page.close()
    assert hits >= 1


def test_chinese_text_is_drawn_with_a_cjk_font(site):
    """Without a CJK font every Chinese character is the same empty box: compare two glyphs."""
    _, base_url, browser = site
    page = browser.new_page()
    try:
        page.goto(base_url + "zh_CN/intro.html", wait_until="load")
        same = page.evaluate("""() => {
            const pixels = (text) => {
                const canvas = document.createElement('canvas');
                canvas.width = 64; canvas.height = 64;
                const context = canvas.getContext('2d');
                context.font = '48px sans-serif';
                context.fillText(text, 4, 52);
                return Array.from(context.getImageData(0, 0, 64, 64).data).join(',');
            };
            return [pixels('梯') === pixels('\\uE000'), pixels('梯') === pixels('度')];
        }""")
    finally:
        page.close()
    assert same == [False, False], "Chinese characters are drawn as boxes: install a CJK font " \
        "(tools/prerequisites.sh install test)"


def test_the_language_switch_opens_the_same_page_in_the_other_edition(site):
    _, base_url, browser = site
    page = browser.new_page()
    try:
        page.goto(base_url + CHAPTER_PAGE, wait_until="load")
        page.locator("a.nt-language-switch").first.click()
        page.wait_for_load_state("load")
        assert page.url == base_url + "zh_CN/" + CHAPTER_PAGE
        assert page.evaluate("document.documentElement.lang") == "zh-CN"
        page.locator("a.nt-language-switch").first.click()
        page.wait_for_load_state("load")
        assert page.url == base_url + CHAPTER_PAGE
        assert page.evaluate("document.documentElement.lang") == "en"
    finally:
        page.close()


def test_reader_features_are_on_a_notebook_page(site):
    root, base_url, browser = site
    page = browser.new_page()
    try:
        page.goto(base_url + CHAPTER_PAGE, wait_until="networkidle")
        # Download the notebook: the link exists and its file is part of the site.
        download = page.locator("a[href*='_sources/'][href$='.ipynb']").first.get_attribute("href")
        assert (root / "chapters/01_neurons" / download).resolve().is_file()
        assert page.locator("button.copybtn").count() >= 1
        assert page.locator(".search-button, button[aria-label*='Search' i]").count() >= 1
        # Light/dark mode: the theme button changes the page's theme.
        before = page.evaluate("document.documentElement.dataset.theme")
        page.locator(".theme-switch-button").first.click()
        after = page.evaluate("document.documentElement.dataset.theme")
        assert before != after
    finally:
        page.close()


def test_repository_buttons_are_all_on_or_all_off(site):
    """Repository, edit, issues, Colab and Binder buttons come together, from one URL, or not."""
    root, _, _ = site
    html = (root / CHAPTER_PAGE).read_text(encoding="utf-8")
    buttons = {
        "repository": re.search(r'href="(https://github\.com/[^/"]+/[^/"]+)"', html),
        "edit": re.search(r'href="https://github\.com/([^/"]+/[^/"]+)/edit/', html),
        "issues": re.search(r'href="https://github\.com/([^/"]+/[^/"]+)/issues/new', html),
        "colab": re.search(r'href="https://colab\.research\.google\.com/github/([^/"]+/[^/"]+)/',
                           html),
        "binder": re.search(r'href="https://mybinder\.org/v2/gh/([^/"]+/[^/"]+)/', html),
    }
    shown = {name for name, match in buttons.items() if match}
    assert shown in (set(), set(buttons)), f"only some repository buttons are shown: {shown}"
    if shown:
        repos = {m.group(1).removeprefix("https://github.com/") for m in buttons.values()}
        assert len(repos) == 1, repos


@pytest.mark.parametrize("viewport", ["laptop", "phone"])
def test_screenshots_and_readable_figures(site, viewport):
    root, base_url, browser = site
    size = {"laptop": LAPTOP, "phone": PHONE}[viewport]
    shots = Path(os.environ.get("NT_SCREENSHOTS", root.parent / "screenshots"))
    shots.mkdir(parents=True, exist_ok=True)
    page = browser.new_page()
    page.set_viewport_size(size)
    try:
        for name, url, mode in (("landing", "intro.html", "light"),
                                ("landing-dark", "intro.html", "dark"),
                                ("chapter", CHAPTER_PAGE, "light"),
                                ("landing-zh", "zh_CN/intro.html", "light"),
                                ("chapter-zh", "zh_CN/" + CHAPTER_PAGE, "light")):
            page.goto(base_url + url, wait_until="networkidle")
            page.evaluate(f"localStorage.setItem('mode', '{mode}')")
            page.reload(wait_until="networkidle")
            assert page.evaluate("document.documentElement.dataset.theme") == mode
            page.evaluate("MathJax.startup.promise")
            page.screenshot(path=shots / f"{name}-{viewport}.png",
                            full_page=name.startswith("chapter"))
            # The page itself never scrolls sideways ...
            overflow = page.evaluate("document.documentElement.scrollWidth"
                                     " - document.documentElement.clientWidth")
            assert overflow <= 1, f"{url} scrolls sideways by {overflow} px at {size}"
            widths = page.evaluate(
                "Array.from(document.querySelectorAll('.cell_output img')).map(i =>"
                " [i.getBoundingClientRect().width, i.naturalWidth])")
            # ... and notebook figures are shown large enough to read: on a laptop at least
            # 300 px (or their natural size), on a phone at least 600 px in an output that
            # scrolls sideways (see _static/course.css), never shrunk to the screen's width.
            least = 300 if viewport == "laptop" else 600
            for shown, natural in widths:
                assert shown >= min(least, natural) - 1, (url, viewport, shown, natural)
            if widths and name.startswith("chapter"):
                page.locator(".cell_output img").first.scroll_into_view_if_needed()
                page.wait_for_timeout(500)  # let the scrolled part paint
                page.screenshot(path=shots / f"{name}-figure-{viewport}.png")
    finally:
        page.close()
    assert (shots / f"landing-{viewport}.png").stat().st_size > 5_000
