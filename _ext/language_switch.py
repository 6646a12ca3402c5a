"""A link in every page's header to the same page in the other edition (English <-> 中文).

The English site is the root of ``_build/html``; each other edition is a folder beside its pages
(``_build/html/zh_CN``), built from the same sources with Sphinx's ``language`` setting and the
translations in ``locales/`` (``tools/editions.py``). The link is relative, so it works on a web
server and from ``file://`` alike; the page's head also names its twin with
``<link rel="alternate" hreflang=...>``.
"""

from pathlib import PurePosixPath

# language code -> (folder of that edition under _build/html, label of the link, hreflang)
EDITIONS = {
    "en": ("", "English", "en"),
    "zh_CN": ("zh_CN", "中文", "zh-Hans"),
}
TEMPLATE = "language-switch.html"


def other_edition(language):
    """The edition a page in ``language`` links to: English for every translation."""
    return "zh_CN" if language in (None, "", "en") else "en"


def twin_url(pagename, language):
    """Relative URL from ``pagename`` in ``language``'s edition to the same page in the other."""
    here = EDITIONS["en" if language in (None, "", "en") else language][0]
    there, _, _ = EDITIONS[other_edition(language)]
    depth = len(PurePosixPath(pagename).parts) - 1 + (1 if here else 0)
    prefix = "../" * depth
    return prefix + (there + "/" if there else "") + pagename + ".html"


def _add_switch(app, pagename, templatename, context, doctree):
    target = other_edition(app.config.language)
    _, label, hreflang = EDITIONS[target]
    url = twin_url(pagename, app.config.language)
    context["language_switch"] = {"url": url, "label": label, "hreflang": hreflang}
    context["metatags"] = context.get("metatags", "") + (
        f'\n<link rel="alternate" hreflang="{hreflang}" href="{url}" />')
    # The theme reads its header components from this option (a comma-separated string until
    # the theme turns it into a list at the same event, later than this handler).
    slot = context.get("theme_article_header_end") or []
    if isinstance(slot, str):
        slot = [s.strip() for s in slot.split(",") if s.strip()]
    if TEMPLATE not in slot:
        context["theme_article_header_end"] = [TEMPLATE, *slot]


def setup(app):
    app.connect("html-page-context", _add_switch, priority=400)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
