"""Keep generated measurement tables out of the translations.

``make bench`` rewrites ``runtime_table.md`` and ``test_phases.md`` on every run, numbers and
sentences alike. Translating them would leave the Chinese edition one step behind after each
run, so their text is marked untranslatable: gettext does not extract it and every edition shows
it as written (in English). The pages that include them say so. The files are listed in the
Sphinx setting ``nt_untranslated_sources`` (paths relative to the book's folder).
"""

from pathlib import Path

from docutils import nodes
from sphinx.transforms import SphinxTransform


class MarkUntranslated(SphinxTransform):
    # Before Sphinx's own translation (priority 20), which honours node["translatable"].
    default_priority = 10

    def apply(self, **kwargs):
        listed = {(Path(self.env.srcdir) / p).resolve()
                  for p in self.config.nt_untranslated_sources}
        if not listed:
            return
        # MyST gives the text of an included file the including page as its source; the
        # elements the include made (a table, a section) still name the file: mark all inside.
        for node in self.document.findall(nodes.Element):
            source = node.source or ""
            if source and Path(source).resolve() in listed:
                for inner in node.findall(nodes.Element):
                    inner["translatable"] = False


def setup(app):
    app.add_config_value("nt_untranslated_sources", [], "env")
    app.add_transform(MarkUntranslated)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
