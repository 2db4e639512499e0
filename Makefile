# Two commands do all the set-up on a fresh machine:
#   make run    install graphkit and build the seed graph with the embedded store (prints where it is)
#   make test   install what the tests need (Python extras, Debian's chromium) and run the tests
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: run test install install-test browser lint

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install -q -e .

install-test: $(BIN)/python
	$(BIN)/pip install -q -e ".[test]"

browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null) \
	  || echo "warning: could not install Debian's chromium; browser tests will be skipped" >&2; }

run: install
	$(BIN)/graphkit build seeds --out out

lint: install-test
	$(BIN)/ruff check graphkit tests benchmarks

test: install-test browser lint
	$(BIN)/pytest -q
