"""Two corrections that keep the Chinese edition's build time proportional to its text.

Both leave every page and the search index exactly as Sphinx 7.4 writes them.

- **Translated nodes belong to their page.** Sphinx parses each translated message as a small
  document of its own and moves the nodes it makes into the page. Those nodes still point to the
  small document, whose settings hold the whole build environment, so every translated page's
  cached doctree carried a pickled copy of it (about 3 MB a page, against 40 kB in English), and
  saving and reading back those copies took more than a quarter of the Chinese pages' build. The
  nodes are pointed at their page before the doctree is saved.
- **The search index looks words up in a set.** Sphinx's Chinese indexer
  (``sphinx.search.zh.SearchChinese``) keeps every Latin word it has met in a list and asks that
  list, for each word it indexes, whether the word is in it. The same words are kept in a set
  here, so the answer is the same and takes constant time. The set belongs to one index (Sphinx's
  list is a class attribute, shared by every instance).
"""

from sphinx.search.zh import SearchChinese


def point_translated_nodes_at_their_page(app, doctree):
    for node in doctree.findall():
        own = getattr(node, "_document", None)
        if own is not None and own is not doctree:
            node.document = doctree


class _Terms(set):
    """The Latin words met so far: Sphinx adds to them with ``extend`` and asks with ``in``."""

    extend = set.update


class ChineseSearch(SearchChinese):
    def init(self, options):
        super().init(options)
        self.latin_terms = _Terms()


def setup(app):
    app.connect("doctree-read", point_translated_nodes_at_their_page)
    app.add_search_language(ChineseSearch)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
