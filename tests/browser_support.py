"""Helpers for the real-browser tests: a local web server, Chromium, and page checks.

The checks that need no browser (links in the HTML files) are plain functions, so that
`tests/test_browser.py` can also run them against a tiny broken site and see them fail.
"""

import contextlib
import functools
import http.server
import os
import shutil
import threading
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
INSTALL_HINT = (
    "The browser tests drive Debian's Chromium at /usr/bin/chromium and never download a "
    "browser. Install it once with `sudo apt-get install -y chromium` (as root: "
    "`apt-get update && apt-get install -y chromium`; `bash .ci/run` does this when run as "
    "root), then run the tests again."
)
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 768}


def chromium_path():
    """Return the path of Debian's Chromium, or raise ``RuntimeError`` saying how to install it."""
    path = os.environ.get("NT_CHROMIUM", CHROMIUM)
    if Path(path).is_file() and os.access(path, os.X_OK):
        return path
    found = shutil.which("chromium")
    if found:
        return found
    raise RuntimeError(f"Chromium not found at {path}. {INSTALL_HINT}")


# -- pages and links, read from the built files ------------------------------------------------

def site_pages(root):
    """Every HTML page a reader can reach: all ``*.html`` outside ``_static`` and ``_sources``."""
    root = Path(root)
    return sorted(p for p in root.rglob("*.html")
                  if not {"_static", "_sources", "_images"} & set(p.relative_to(root).parts))


class _Page(HTMLParser):
    """Collect ``<a href>`` targets, every ``id``/``name`` a fragment can point to, and every
    URL the page makes the browser fetch (not the plain links a reader may click)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links, self.ids, self.fetched = [], set(), []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for key in ("id", "name"):
            if attrs.get(key):
                self.ids.add(attrs[key])
        if tag == "a" and attrs.get("href") is not None:
            self.links.append(attrs["href"])
        if tag in ("script", "img", "iframe", "source", "audio", "video") and attrs.get("src"):
            self.fetched.append(attrs["src"])
        if tag == "link" and attrs.get("href"):
            self.fetched.append(attrs["href"])


@functools.cache
def _parse(path):
    """Parse a page once, whichever check asks first."""
    parser = _Page()
    parser.feed(Path(path).read_text(encoding="utf-8"))
    return parser


def fetched_urls(page):
    """Every URL ``page``'s HTML makes the browser fetch: ``src`` of scripts, images, frames
    and media, and ``href`` of ``<link>`` elements."""
    return list(_parse(Path(page).resolve()).fetched)


def broken_links(page, root):
    """Return ``[(href, reason)]`` for each internal link of ``page`` that does not resolve.

    A link is internal when it has no scheme and no host. It resolves when the file exists
    inside ``root`` (a folder means its ``index.html``) and, for a fragment pointing into an
    HTML page, when that page has an element with that ``id`` (or ``name``).
    """
    page, root = Path(page).resolve(), Path(root).resolve()
    broken = []
    for href in _parse(page).links:
        parts = urlsplit(href)
        if parts.scheme or parts.netloc:
            continue  # external (http, https, mailto, ...): never requested by the tests
        path = unquote(parts.path)
        if path == "":
            target = page
        elif path.startswith("/"):
            target = (root / path.lstrip("/")).resolve()
        else:
            target = (page.parent / path).resolve()
        if target.is_dir():
            target = target / "index.html"
        if root not in target.parents and target != root:
            broken.append((href, "points outside the site"))
        elif not target.is_file():
            broken.append((href, "no such file"))
        elif parts.fragment and target.suffix == ".html":
            fragment = unquote(parts.fragment)
            if fragment not in _parse(target).ids:
                broken.append((href, f"no element with id {fragment!r}"))
    return broken


# -- a local web server ------------------------------------------------------------------------

class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextlib.contextmanager
def serve(directory):
    """Serve ``directory`` on 127.0.0.1 (a free port) in a thread; yield its base URL."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


# -- what one page does in the browser ---------------------------------------------------------

# Runs in the page: waits for every image (lazy ones forced eager) and for MathJax, then reports.
_INSPECT = """
async () => {
  const imgs = Array.from(document.images);
  for (const img of imgs) { if (img.loading === 'lazy') img.loading = 'eager'; }
  await Promise.all(imgs.map(img => img.complete ? null : new Promise(done => {
    img.addEventListener('load', done); img.addEventListener('error', done);
    setTimeout(done, 10000);
  })));
  const mathNodes = Array.from(document.querySelectorAll('.math'));
  if (mathNodes.length && window.MathJax && MathJax.startup && MathJax.startup.promise) {
    await MathJax.startup.promise;
    if (MathJax.typesetPromise) { await MathJax.typesetPromise(); }
  }
  const width = document.documentElement.clientWidth;
  return {
    images: imgs.map(img => ({src: img.currentSrc || img.src, w: img.naturalWidth,
                              h: img.naturalHeight,
                              shown: Math.round(img.getBoundingClientRect().width),
                              visible: img.getClientRects().length > 0})),
    math: mathNodes.length,
    mathUntypeset: mathNodes.filter(n => !n.querySelector('mjx-container')).length,
    mjx: document.querySelectorAll('mjx-container').length,
    mathErrors: document.querySelectorAll('mjx-merror, merror, [data-mjx-error]').length,
    // MathJax shows an unknown macro as red text instead of an error element.
    undefinedMacros: Array.from(document.querySelectorAll(
      'mjx-assistive-mml mtext[mathcolor="red"]')).map(m => m.textContent)
      .filter(t => t.startsWith(String.fromCharCode(92))),
    overflow: document.documentElement.scrollWidth - width,
  };
}
"""


class PageReport:
    """Everything a page did while it loaded in the browser, and the problems found in it."""

    def __init__(self, url):
        self.url = url
        self.console_errors, self.page_errors = [], []
        self.requests, self.foreign, self.failed = [], [], []
        self.facts = {}

    def problems(self):
        """Return a list of human-readable problems; empty when the page is healthy."""
        found = [f"console error: {m}" for m in self.console_errors]
        found += [f"page error: {m}" for m in self.page_errors]
        found += [f"request to another origin: {u}" for u in self.foreign]
        found += [f"failed request: {u} ({why})" for u, why in self.failed]
        for img in self.facts.get("images", []):
            if img["w"] == 0 or img["h"] == 0:
                found.append(f"image did not load: {img['src']}")
        if self.facts.get("math"):
            if self.facts["mjx"] == 0 or self.facts["mathUntypeset"]:
                found.append(f"math not typeset: {self.facts['mathUntypeset']} of "
                             f"{self.facts['math']} math elements have no MathJax output")
            if self.facts["mathErrors"]:
                found.append(f"{self.facts['mathErrors']} MathJax error element(s)")
            for macro in self.facts.get("undefinedMacros", []):
                found.append(f"undefined TeX macro: {macro}")
        return found


def _open(context, base_url, url):
    """Start loading ``url`` in a new tab of ``context``, recording what it does; return both."""
    report = PageReport(url)
    page = context.new_page()

    def on_request(request):
        report.requests.append(request.url)
        if not is_local(request.url, base_url):
            report.foreign.append(request.url)

    def on_response(response):
        if response.status >= 400:
            report.failed.append((response.url, f"HTTP {response.status}"))

    page.on("request", on_request)
    page.on("response", on_response)
    page.on("requestfailed", lambda r: report.failed.append((r.url, r.failure or "failed")))
    page.on("console", lambda m: m.type == "error" and report.console_errors.append(
        f"{m.text} at {m.location.get('url', '')}"))
    page.on("pageerror", lambda e: report.page_errors.append(str(e)))
    try:
        page.goto(url, wait_until="commit")
    except Exception:
        page.close()
        raise
    return page, report


def _finish(page, report):
    """Wait until the tab has loaded and its network is idle; inspect it; close it."""
    try:
        page.wait_for_load_state("load")
        page.wait_for_load_state("networkidle")
        report.facts = page.evaluate(_INSPECT)
    finally:
        page.close()
    return report


def visit(context, base_url, url):
    """Open ``url`` in a new tab of ``context``; record requests, errors, images and math."""
    return _finish(*_open(context, base_url, url))


def visit_all(context, base_url, urls, at_once=4):
    """:func:`visit` every URL, ``at_once`` tabs loading side by side; yield each report.

    Each tab waits for its own network to fall idle (half a second without a request), and
    these waits overlap, which makes a site of many pages several times faster to check. A
    report holds only what its own tab did.
    """
    opened = []
    try:
        for url in urls:
            opened.append(_open(context, base_url, url))
            if len(opened) == at_once:
                yield _finish(*opened.pop(0))
        while opened:
            yield _finish(*opened.pop(0))
    finally:
        for page, _ in opened:
            page.close()


def is_local(url, base_url):
    """True for URLs on the local server's origin and for in-page data (``data:``, ``blob:``)."""
    if url.startswith(("data:", "blob:", "about:")):
        return True
    own, other = urlsplit(base_url), urlsplit(url)
    return (other.scheme, other.netloc) == (own.scheme, own.netloc)


def block_other_origins(context, base_url):
    """Abort every request that would leave the local origin (it is still recorded as foreign).

    Returns a function that removes this rule again (and no other).
    """
    def route(route):
        if is_local(route.request.url, base_url):
            route.continue_()
        else:
            route.abort("blockedbyclient")
    context.route("**/*", route)
    return lambda: context.unroute("**/*", route)


@contextlib.contextmanager
def serve_offline(context, directory):
    """:func:`serve` ``directory`` with every request to another origin aborted in ``context``
    (and still recorded as foreign by :func:`visit`); yield the base URL."""
    with serve(directory) as base_url:
        unblock = block_other_origins(context, base_url)
        try:
            yield base_url
        finally:
            unblock()
