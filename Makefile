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

.PHONY: book test lint bench serve lab clean help

help:
	@echo "make book   install, run every notebook, build the website into _build/html"
	@echo "make test   lint, unit tests and doctests, every notebook as a test, the website build"
	@echo "make bench  time every notebook alone; writes chapters/appendix/runtime_table.md"
	@echo "make serve  serve the built website on http://127.0.0.1:8000"
	@echo "make lab    open the notebooks in JupyterLab"
	@echo "make clean  remove the built website"

$(STAMP): requirements.txt pyproject.toml
	@$(PYTHON) -c 'import sys; v = sys.version_info[:2]; sys.exit(0 if (3, 10) <= v <= (3, 13) else "Python 3.10 to 3.13 is needed (3.11 recommended), found %d.%d" % v)'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $(STAMP)

book: $(STAMP)
	$(BIN)/jupyter-book build . -W -n --keep-going
	@echo
	@echo "The course is built. Open: file://$(CURDIR)/$(HTML)"
	@if [ -z "$$CI" ] && { [ -n "$$DISPLAY" ] || [ "$$(uname)" = Darwin ]; }; then \
		$(BIN)/python -m webbrowser -t "file://$(CURDIR)/$(HTML)" >/dev/null 2>&1 || true; fi

lint: $(STAMP)
	$(BIN)/ruff check conftest.py src tests chapters

test: lint
	$(OFFLINE) $(BIN)/python -m pytest

bench: $(STAMP)
	$(OFFLINE) $(BIN)/python tests/bench_notebooks.py

serve: $(STAMP)
	@test -f $(HTML) || { echo "Build the book first: make book"; exit 1; }
	$(BIN)/python -m http.server 8000 --bind 127.0.0.1 --directory _build/html

lab: $(STAMP)
	$(BIN)/python -m pip install --quiet jupyterlab
	$(BIN)/jupyter lab chapters

clean:
	rm -rf _build
