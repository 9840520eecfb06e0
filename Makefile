# Accueil: `make run` serves the app, `make test` runs the suite. Only Python 3.11 is needed.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
WORKERS ?= 2
export FLASK_APP := wsgi.py

.PHONY: install run test lint

install: $(VENV)/.installed

$(VENV)/.installed: requirements.txt requirements-dev.txt tests/calendar/icaljs/package-lock.json
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	# Mozilla's ical.js (Thunderbird's parser) reads our invites in the tests, where node exists.
	if command -v npm >/dev/null 2>&1; then \
	  npm ci --prefix tests/calendar/icaljs --no-audit --no-fund --silent; fi
	touch $@

run: install
	$(BIN)/flask db upgrade
	$(BIN)/flask events seed
	@$(BIN)/flask users demo
	@echo "Log in at http://127.0.0.1:$(PORT)/staff/login with the account above."
	@echo "Serving on http://127.0.0.1:$(PORT)/ (Ctrl-C to stop)"
	exec $(BIN)/gunicorn --workers $(WORKERS) --bind 127.0.0.1:$(PORT) --access-logfile - wsgi:app

test: install
	$(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	# The architecture's dependency rules (pyproject.toml, [tool.importlinter]).
	$(BIN)/lint-imports
