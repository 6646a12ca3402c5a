"""make book-fast: cached execution for authors, invalidated by any change under src/."""

import shutil

import book_cache
import yaml
from notebook_rules import ROOT


def _course(tmp_path):
    """A small stand-in for the course: _config.yml, requirements.txt and a package."""
    shutil.copy(ROOT / "_config.yml", tmp_path / "_config.yml")
    (tmp_path / "requirements.txt").write_text("keras==3.15.1\n", encoding="utf-8")
    package = tmp_path / "src" / "neurotransfer"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "losses.py").write_text("def mse(a, b):\n    return 0\n", encoding="utf-8")
    return tmp_path


def test_the_cache_key_changes_with_any_change_under_src(tmp_path):
    course = _course(tmp_path)
    first = book_cache.code_fingerprint(course)
    assert book_cache.code_fingerprint(course) == first
    losses = course / "src" / "neurotransfer" / "losses.py"
    losses.write_text("def mse(a, b):\n    return 1\n", encoding="utf-8")
    edited = book_cache.code_fingerprint(course)
    assert edited != first
    (course / "src" / "neurotransfer" / "new_module.py").write_text("", encoding="utf-8")
    added = book_cache.code_fingerprint(course)
    assert added not in {first, edited}
    (course / "requirements.txt").write_text("keras==3.15.0\n", encoding="utf-8")
    assert book_cache.code_fingerprint(course) not in {first, edited, added}


def test_compiled_files_do_not_change_the_key(tmp_path):
    course = _course(tmp_path)
    before = book_cache.code_fingerprint(course)
    cache = course / "src" / "neurotransfer" / "__pycache__"
    cache.mkdir()
    (cache / "losses.cpython-311.pyc").write_bytes(b"compiled")
    assert book_cache.code_fingerprint(course) == before


def test_the_fast_config_only_switches_execution_to_the_keyed_cache(tmp_path):
    course = _course(tmp_path)
    config = book_cache.fast_config(course)
    original = yaml.safe_load((course / "_config.yml").read_text(encoding="utf-8"))
    assert config["execute"]["execute_notebooks"] == "cache"
    assert config["execute"]["cache"] == str(course / "_build" / "jupyter-cache"
                                             / book_cache.code_fingerprint(course))
    for key in set(original) - {"execute", "bibtex_bibfiles"}:
        assert config[key] == original[key]
    assert {k: v for k, v in config["execute"].items() if k not in {"execute_notebooks", "cache"}} \
        == {k: v for k, v in original["execute"].items() if k != "execute_notebooks"}


def test_writing_the_config_drops_caches_of_older_code(tmp_path):
    course = _course(tmp_path)
    stale = course / "_build" / "jupyter-cache" / "0123456789abcdef"
    stale.mkdir(parents=True)
    current = book_cache.cache_folder(course)
    current.mkdir(parents=True)
    path = book_cache.write_config(course)
    assert not stale.exists() and current.exists()
    assert yaml.safe_load(path.read_text(encoding="utf-8"))["execute"]["cache"] == str(current)


def test_make_book_make_test_and_publishing_execute_everything_afresh():
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    assert config["execute"]["execute_notebooks"] == "force"
    workflow = (ROOT / ".github" / "workflows" / "publish.yml").read_text(encoding="utf-8")
    assert "make book\n" in workflow and "book-fast" not in workflow and "--config" not in workflow
