# Wizyta: `make run` serves the demo on SQLite, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
export FLASK_APP := wsgi

PO_FILES := $(wildcard app/translations/*/LC_MESSAGES/messages.po)
MO_FILES := $(PO_FILES:.po=.mo)

.PHONY: run serve test install translations extract lint format bench screenshots

$(BIN)/flask: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

install: $(BIN)/flask translations

%.mo: %.po $(BIN)/flask
	$(BIN)/pybabel compile --statistics -i $< -o $@

translations: $(MO_FILES)

run: install
	$(BIN)/flask db upgrade
	$(BIN)/flask catalog load --if-empty
	@echo "Demo accounts (fresh passwords each run):"
	$(BIN)/flask users demo
	@echo "Wizyta on http://$(HOST):$(PORT); the scheduler runs beside it. Ctrl+C stops both."
	$(BIN)/flask scheduler run & scheduler=$$!; \
	trap 'kill $$scheduler 2>/dev/null' EXIT INT TERM; \
	$(BIN)/flask run --host $(HOST) --port $(PORT)

# The production shape on loopback: gunicorn's workers and one scheduler, on the PostgreSQL
# database DATABASE_URL names (docs/deploy.md). The schema is migrated first, as on an upgrade.
serve: install
	@test -n "$$DATABASE_URL" || { echo "Set DATABASE_URL=postgresql://user@host/db (docs/deploy.md)."; exit 1; }
	$(BIN)/flask db upgrade
	$(BIN)/flask catalog load --if-empty
	@echo "Wizyta on http://$${GUNICORN_BIND:-127.0.0.1:8000} (gunicorn), with the scheduler. Ctrl+C stops both."
	rm -rf instance/metrics && mkdir -p instance/metrics
	$(BIN)/flask scheduler run & scheduler=$$!; \
	trap 'kill $$scheduler 2>/dev/null' EXIT INT TERM; \
	PROMETHEUS_MULTIPROC_DIR=instance/metrics $(BIN)/gunicorn -c gunicorn.conf.py wsgi:app

test: install
	$(BIN)/pytest

# Refresh the message catalogs after changing user-facing strings.
extract: $(BIN)/flask
	$(BIN)/pybabel extract --no-location --sort-output -F babel.cfg -k _l -o app/translations/messages.pot .
	$(BIN)/pybabel update --no-fuzzy-matching --ignore-obsolete -i app/translations/messages.pot -d app/translations

lint: $(BIN)/flask
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(BIN)/flask
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Screenshots of the main pages (desktop and phone, Polish and Ukrainian) into docs/screenshots/.
screenshots: install
	$(BIN)/python docs/screenshots.py
