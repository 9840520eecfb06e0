# Accueil: `make run` serves the app, `make test` runs the suite. Only Python 3.11 is needed.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
WORKERS ?= 2
export FLASK_APP := wsgi.py

TRANSLATIONS := app/translations
CATALOGUES := $(wildcard $(TRANSLATIONS)/*/LC_MESSAGES/messages.po)
COMPILED := $(CATALOGUES:.po=.mo)
POT ?= $(TRANSLATIONS)/messages.pot

.PHONY: install run test lint translations pot

install: $(VENV)/.installed

$(VENV)/.installed: requirements.txt requirements-dev.txt tests/calendar/icaljs/package-lock.json
	# The printed sheets' fonts for every script beyond Latin, Greek and Cyrillic (Debian).
	@if [ ! -f /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc ] || \
	    [ ! -f /usr/share/fonts/truetype/noto/NotoSansArabic-Regular.ttf ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get install -y -qq fonts-noto-core fonts-noto-cjk >/dev/null || \
	      { apt-get update -qq && apt-get install -y -qq fonts-noto-core fonts-noto-cjk >/dev/null; }; \
	  else echo "Install Debian's fonts-noto-core and fonts-noto-cjk (sudo apt-get install" \
	    "fonts-noto-core fonts-noto-cjk): without them Arabic, Hebrew, Chinese, Japanese" \
	    "and Korean names print as a replacement mark." >&2; fi; fi
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	# Mozilla's ical.js (Thunderbird's parser) reads our invites in the tests, where node exists.
	if command -v npm >/dev/null 2>&1; then \
	  npm ci --prefix tests/calendar/icaljs --no-audit --no-fund --silent; fi
	touch $@

# Compiled catalogues (.mo) are built from the .po files, never committed.
$(TRANSLATIONS)/%/LC_MESSAGES/messages.mo: $(TRANSLATIONS)/%/LC_MESSAGES/messages.po | install
	$(BIN)/pybabel compile -l $* -i $< -o $@

# Extract every string (Python, pages, mail subjects and bodies) into $(POT); the tests run it too.
pot:
	$(BIN)/pybabel -q extract -F $(TRANSLATIONS)/babel.cfg \
	  -k _l -k lazy_gettext -k lazy_ngettext:1,2 -k lazy_pgettext:1c,2 -c "Translators:" --strip-comment-tags \
	  --add-location=file --sort-by-file --no-wrap --project=Accueil --copyright-holder="" \
	  --ignore-dirs=".* ._ node_modules instance tests benchmarks migrations" -o $(POT) .

# Extract, update the catalogues (new strings to translate, changed ones marked fuzzy), compile.
translations: install pot
	$(BIN)/pybabel update -i $(TRANSLATIONS)/messages.pot -d $(TRANSLATIONS) --no-wrap \
	  --ignore-obsolete
	$(BIN)/pybabel compile -d $(TRANSLATIONS) --statistics

run: install $(COMPILED)
	$(BIN)/flask db upgrade
	$(BIN)/flask events seed
	@$(BIN)/flask users demo
	@echo "Log in at http://127.0.0.1:$(PORT)/staff/login with the account above."
	@echo "Serving on http://127.0.0.1:$(PORT)/ (Ctrl-C to stop)"
	exec $(BIN)/gunicorn --workers $(WORKERS) --bind 127.0.0.1:$(PORT) --access-logfile - wsgi:app

test: install $(COMPILED)
	$(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	# The architecture's dependency rules (pyproject.toml, [tool.importlinter]).
	$(BIN)/lint-imports
