# BİYS — the two quick-start commands are `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
export DJANGO_SETTINGS_MODULE = config.settings

.PHONY: demo test test-only lint venv install install-test messages bench screenshots clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install -q -e .

install-test: $(BIN)/python
	./scripts/system-packages.sh
	$(BIN)/pip install -q -e ".[test]"

## Start BİYS on SQLite with the ankara-bb preset and demo data: http://127.0.0.1:8000/
demo: install
	BIYS_DEBUG=$${BIYS_DEBUG:-true} $(BIN)/biys demo --if-empty --preset $${BIYS_DEMO_PRESET:-ankara-bb}
	BIYS_DEBUG=$${BIYS_DEBUG:-true} $(BIN)/biys serve --host $${BIYS_HOST:-127.0.0.1} --port $${BIYS_PORT:-8000}

## Install the test dependencies and run every test (unit, API, browser) and the lint.
test: install-test test-only

test-only: lint
	BIYS_SECRET_KEY=test-only-secret $(BIN)/pytest -n $${BIYS_TEST_WORKERS:-2} --dist loadgroup -q --durations=25

## Take the README's screenshots again (the browser tests, writing docs/screenshots).
screenshots: install-test
	BIYS_SCREENSHOTS=1 BIYS_SECRET_KEY=test-only-secret $(BIN)/pytest -n $${BIYS_TEST_WORKERS:-2} --dist loadgroup -q -m browser tests/browser

lint:
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/ruff format --check .
	BIYS_SECRET_KEY=lint $(BIN)/python manage.py makemigrations --check --dry-run
	BIYS_SECRET_KEY=lint $(BIN)/python manage.py check --fail-level WARNING

messages:
	for app in biys/*/locale; do (cd $$(dirname $$app) && BIYS_DEBUG=true PYTHONPATH=$(CURDIR) \
	  $(CURDIR)/$(BIN)/django-admin makemessages -l tr --no-obsolete && \
	  BIYS_DEBUG=true PYTHONPATH=$(CURDIR) $(CURDIR)/$(BIN)/django-admin compilemessages); done

bench:
	BIYS_SECRET_KEY=bench $(BIN)/python -m bench org --size $${SIZE:-30000}
