"""The Chinese edition's build corrections (``_ext/chinese_edition.py``) change no output.

The search index gives Sphinx's own answers, and a translated page's saved doctree holds only
that page, not the build environment of a small document Sphinx parsed a message in.
"""

import io
import pickle
import sys

import pytest
from docutils import nodes
from docutils.frontend import get_default_settings
from docutils.parsers.rst import Parser
from docutils.utils import new_document
from notebook_rules import ROOT
from sphinx.search.zh import SearchChinese

sys.path.insert(0, str(ROOT / "_ext"))

import chinese_edition  # noqa: E402
import editions  # noqa: E402

TEXT = ("梯度下降 uses the MSE and the ReLU; SGD with momentum, Adam and LP-FT "
        "fine-tune a pretrained CNN. 迁移学习 reuses features. Acronyms: ABS, BN, MLP.")


def _index_words(language, text):
    return [language.stem(word) for word in language.split(text) if language.word_filter(word)]


def test_the_chinese_search_index_gives_sphinxs_answers():
    ours, sphinxs = chinese_edition.ChineseSearch({}), SearchChinese({})
    assert _index_words(ours, TEXT) == _index_words(sphinxs, TEXT)
    # A short word that stemming would cut below three letters is kept whole, in both, once
    # it has been met in the text.
    assert ours.stem("ABS") == sphinxs.stem("ABS") == "abs"


def test_each_chinese_search_index_keeps_its_own_words():
    first, second = chinese_edition.ChineseSearch({}), chinese_edition.ChineseSearch({})
    first.split("ReLU")
    assert "ReLU" in first.latin_terms
    assert "ReLU" not in second.latin_terms


def _document(env):
    settings = get_default_settings(Parser)
    settings.env = env
    return new_document("<page>", settings)


def test_translated_nodes_are_pointed_at_their_page():
    page = _document(env=None)
    message = _document(env=list(range(100_000)))  # stands in for the build environment
    paragraph = nodes.paragraph("", "")
    paragraph.document = message
    text = nodes.Text("翻译")
    text.document = message
    paragraph += text
    # Placed as Sphinx's translation places them: as children, without updating their document.
    page.children.append(paragraph)
    paragraph.parent = page
    assert paragraph.document is message
    assert len(pickle.dumps(page)) > 100_000  # the message's settings come along
    chinese_edition.point_translated_nodes_at_their_page(None, page)
    assert paragraph.document is page and text.document is page
    assert len(pickle.dumps(page)) < 10_000


def test_the_extension_replaces_sphinxs_chinese_search():
    class App:
        def __init__(self):
            self.languages, self.events = [], []

        def add_search_language(self, cls):
            self.languages.append(cls)

        def connect(self, event, handler):
            self.events.append((event, handler))

    app = App()
    chinese_edition.setup(app)
    # Sphinx looks "zh_CN" up as "zh", the key the registered class replaces.
    assert [cls.lang for cls in app.languages] == [SearchChinese.lang] == ["zh"]
    assert app.events == [("doctree-read", chinese_edition.point_translated_nodes_at_their_page)]


class _Unpickler(pickle.Unpickler):
    """Loads a doctree and notes every class it had to create on the way."""

    def __init__(self, data):
        super().__init__(io.BytesIO(data))
        self.classes = set()

    def find_class(self, module, name):
        self.classes.add(f"{module}.{name}")
        return super().find_class(module, name)


@pytest.mark.book
def test_no_saved_chinese_page_holds_another_document(built_book):
    edition = built_book.parent.parent / editions.BUILD / "editions" / "zh_CN"
    doctrees = edition / "_build" / ".doctrees"
    files = sorted(doctrees.rglob("*.doctree"))
    assert len(files) >= 30, f"expected the Chinese edition's doctrees in {doctrees}"
    for path in files:
        loader = _Unpickler(path.read_bytes())
        doctree = loader.load()
        assert "sphinx.environment.BuildEnvironment" not in loader.classes, (
            f"{path.relative_to(doctrees)} carries the build environment")
        foreign = [node for node in doctree.findall()
                   if getattr(node, "_document", None) not in (None, doctree)]
        assert not foreign, (f"{path.relative_to(doctrees)} keeps {len(foreign)} nodes "
                             "of another document")
