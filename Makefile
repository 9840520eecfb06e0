# Accueil: `make run` serves the app, `make test` runs the suite. Python 3.11 and npm are needed.
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
DSFR := app/static/dsfr
DSFR_DIST := node_modules/@gouvfr/dsfr/dist

.PHONY: install install-dev run test lint translations pot

# `make install` (and `make run`): what running needs, the pinned requirements.txt and the DSFR.
install: $(VENV)/.installed $(DSFR)/.installed

$(VENV)/.installed: requirements.txt
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
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

# The État's design system, pinned in package.json and its lockfile, served from our origin:
# only the files the pages use are copied into $(DSFR), which git ignores.
$(DSFR)/.installed: package.json package-lock.json .dsfr.yml
	@command -v npm >/dev/null 2>&1 || { echo "npm is needed to install the DSFR (apt-get install npm)"; exit 1; }
	npm ci --no-audit --no-fund --silent
	rm -rf $(DSFR) && mkdir -p $(DSFR)/utility/icons
	cd $(DSFR_DIST) && cp -R dsfr.min.css dsfr.module.min.js fonts icons favicon $(CURDIR)/$(DSFR)/
	cp $(DSFR_DIST)/utility/icons/icons.min.css $(DSFR)/utility/icons/
	cp node_modules/@gouvfr/dsfr/LICENSE.md $(DSFR)/
	touch $@

# `make test` and `make lint` also need the test tools: pytest, Playwright, axe, ruff, the
# HTML checker, and Mozilla's ical.js (Thunderbird's parser) that reads our invites.
install-dev: install $(VENV)/.dev-installed

$(VENV)/.dev-installed: $(VENV)/.installed requirements-dev.txt tests/calendar/icaljs/package-lock.json
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
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
	@echo "Serving on http://127.0.0.1:$(PORT)/ with the mail worker beside it (Ctrl-C stops both)"
	@# The worker (docs/worker.md) sends the outbox (.eml files under instance/outbox/ without
	@# MAIL_SERVER) and runs the scheduled jobs; it stops with gunicorn, whatever stops it.
	@$(BIN)/flask mail send --watch & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT INT TERM; \
	$(BIN)/gunicorn --workers $(WORKERS) --bind 127.0.0.1:$(PORT) --access-logfile - wsgi:app

test: install-dev $(COMPILED)
	$(BIN)/python -m pytest

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	# The architecture's dependency rules (pyproject.toml, [tool.importlinter]).
	$(BIN)/lint-imports
