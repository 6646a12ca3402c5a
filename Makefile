# The commands the README names. Each creates .venv when it is missing and reinstalls it when
# requirements.txt or pyproject.toml changed.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
HTML   := _build/html/index.html

# Tests run with the network switched off where the machine allows it (a new network
# namespace with only the loopback interface), to prove that nothing downloads at run time.
OFFLINE := $(shell unshare -rn true 2>/dev/null && echo "unshare -rn sh -c 'ip link set lo up 2>/dev/null; NT_OFFLINE=1 exec \"\$$0\" \"\$$@\"'")

.PHONY: book book-fast translations test lint bench seeds serve lab clean help prerequisites-test \
	prerequisites-book

help:
	@echo "make book       install, run every notebook, build the website (English, and Chinese in
	@echo "                _build/html/zh_CN) into _build/html"
	@echo "make test       lint, unit tests and doctests, every notebook as a test, the website"
	@echo "                build (concurrently with the notebook tests), the website in a browser"
	@echo "make book-fast  rebuild the website, re-running only notebooks whose code changed"
	@echo "                (cached; a change under src/ re-runs them all; LANGUAGES=en: English only)"
	@echo "make translations  bring locales/zh_CN up to date with the English text (new messages"
	@echo "                empty, changed ones fuzzy) for a translator"
	@echo "make bench      time each phase of the install and of make test, and every notebook"
	@echo "                alone; writes chapters/appendix/test_phases.md, runtime_table.md"
	@echo "make seeds      run the notebooks that compare methods on seed sets 5-9 and 10-14"
	@echo "make serve      serve the built website on http://127.0.0.1:8000"
	@echo "make lab        open the notebooks in JupyterLab"
	@echo "make clean      remove the built website"

# System packages first, in seconds: installed when run as root with apt-get, otherwise make
# stops with the command that installs them (tools/prerequisites.sh holds the one list).
prerequisites-test:
	@tools/prerequisites.sh auto test

prerequisites-book:
	@tools/prerequisites.sh auto book

$(STAMP): requirements.txt pyproject.toml
	@$(PYTHON) -c 'import sys; v = sys.version_info[:2]; sys.exit(0 if (3, 10) <= v <= (3, 13) else "Python 3.10 to 3.13 is needed (3.11 recommended), found %d.%d" % v)'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $(STAMP)

# Both editions: English in _build/html, Chinese in _build/html/zh_CN (tools/editions.py; each
# notebook runs once, one per core at a time, at most four, into a cache both editions read).
book: prerequisites-book $(STAMP)
	$(BIN)/python tools/editions.py build
	@echo
	@echo "The course is built. Open: file://$(CURDIR)/$(HTML)"
	@echo "中文版: file://$(CURDIR)/_build/html/zh_CN/index.html"
	@if [ -z "$$CI" ] && { [ -n "$$DISPLAY" ] || [ "$$(uname)" = Darwin ]; }; then \
		$(BIN)/python -m webbrowser -t "file://$(CURDIR)/$(HTML)" >/dev/null 2>&1 || true; fi

# For authors: notebooks whose code is unchanged are not executed again (jupyter-cache, in a
# folder named after a hash of src/ and requirements.txt, so that a change there re-runs them
# all). make book, make test and the publishing workflow always execute everything afresh.
book-fast: prerequisites-book $(STAMP)
	$(BIN)/python tools/editions.py build --fast $(if $(LANGUAGES),--languages $(LANGUAGES))
	@echo "The course is built (cached execution). Open: file://$(CURDIR)/$(HTML)"

# After an edit of the English text: new messages appear untranslated, changed ones fuzzy, in
# locales/zh_CN/LC_MESSAGES; the test suite fails until each is translated.
translations: $(STAMP)
	$(BIN)/python tools/editions.py update

lint: $(STAMP)
	$(BIN)/ruff check conftest.py src tests chapters tools _ext

# One pytest session: the website build starts in the background as soon as the tests are
# collected and runs beside the unit tests and nbval; the website tests run after both.
test: prerequisites-test lint
	rm -rf _build/records/nbval
	$(OFFLINE) $(BIN)/python -m pytest

bench: prerequisites-test $(STAMP)
	$(BIN)/python tests/bench_notebooks.py --install-only
	$(OFFLINE) $(BIN)/python tests/bench_notebooks.py

# Not part of make test (about 10 minutes per seed set): every notebook that compares methods
# (its setup cell draws seeds with nt.seeds) runs on seeds 5-9 and 10-14; a table shows which
# check cell fails where. SEED_OFFSETS="5" runs one set, SEED_NOTEBOOKS="a.ipynb b.ipynb" a few.
seeds: $(STAMP)
	$(OFFLINE) $(BIN)/python tools/seed_sets.py $(if $(SEED_OFFSETS),--offsets $(SEED_OFFSETS)) \
		$(SEED_NOTEBOOKS)

serve: $(STAMP)
	@test -f $(HTML) || { echo "Build the book first: make book"; exit 1; }
	$(BIN)/python -m http.server 8000 --bind 127.0.0.1 --directory _build/html

# JupyterLab refuses to start as root (a container, a CI box) unless told: add the flag there.
lab: $(STAMP)
	$(BIN)/python -m pip install --quiet jupyterlab
	@if [ "$$(id -u)" = 0 ]; then \
		echo "Running as root: starting JupyterLab with --allow-root"; \
		$(BIN)/jupyter lab --allow-root chapters; \
	else $(BIN)/jupyter lab chapters; fi

clean:
	rm -rf _build
