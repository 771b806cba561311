# Kuza: `make run` serves the sample course, `make test` runs every test suite.
# Both create their own virtual environments; they need only Python 3.12 on the PATH.

PYTHON ?= $(shell command -v python3.12 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
XBLOCKS_VENV := .venv-xblocks
HOST ?= 127.0.0.1
PORT ?= 8000
WORKERS ?= 2

.PHONY: run test test-xblocks test-lms migrate translations clean

$(BIN)/.installed: pyproject.toml xblocks/pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 12) and "Kuza needs Python 3.12 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ./xblocks -e '.[test]'
	touch $@

$(XBLOCKS_VENV)/bin/.installed: xblocks/pyproject.toml
	$(PYTHON) -m venv $(XBLOCKS_VENV)
	$(XBLOCKS_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(XBLOCKS_VENV)/bin/python -m pip install --quiet './xblocks[test]'
	touch $@

## Serve the sample course, in English and in French, on the embedded default (SQLite in instance/). gunicorn itself
## says "Kuza is serving at …" once the port is bound (lms/gunicorn_conf.py).
run: $(BIN)/.installed
	$(BIN)/kuza db upgrade
	$(BIN)/kuza load-demo
	$(BIN)/gunicorn --config python:lms.gunicorn_conf --bind $(HOST):$(PORT) --workers $(WORKERS) \
	  --access-logfile - wsgi:app

## Every suite: the blocks alone (no lms), then the server on SQLite, then on PostgreSQL
## when TEST_DATABASE_URL is set (tests marked postgres run in that second pass).
test: test-xblocks test-lms

test-xblocks: $(XBLOCKS_VENV)/bin/.installed
	@# A plain (not editable) install, as an Open edX operator gets it, so it is redone every run.
	$(XBLOCKS_VENV)/bin/pip install --quiet --force-reinstall --no-deps './xblocks'
	cd xblocks && ../$(XBLOCKS_VENV)/bin/python -m pytest

test-lms: $(BIN)/.installed
	if [ -n "$$TEST_DATABASE_URL" ]; then \
	  env -u TEST_DATABASE_URL $(BIN)/python -m pytest -m "not postgres" && \
	  $(BIN)/python -m pytest -m "not browser"; \
	else \
	  $(BIN)/python -m pytest; \
	fi

## Apply migrations to the configured database.
migrate: $(BIN)/.installed
	$(BIN)/kuza db upgrade

## Re-extract and compile the server's message catalogues.
translations: $(BIN)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k lazy_gettext -o lms/translations/messages.pot .
	$(BIN)/pybabel update -i lms/translations/messages.pot -d lms/translations
	$(BIN)/pybabel compile -d lms/translations

## The style guide's screenshots (docs/style-guide/*.png), from a throwaway server with the sample course.
.PHONY: screenshots
screenshots: $(BIN)/.installed
	$(BIN)/python bench/screenshots.py

clean:
	rm -rf $(VENV) $(XBLOCKS_VENV) .pytest_cache
