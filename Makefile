# Wizyta: `make run` serves the demo on SQLite, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
export FLASK_APP := wsgi

PO_FILES := $(wildcard app/translations/*/LC_MESSAGES/messages.po)
MO_FILES := $(PO_FILES:.po=.mo)

.PHONY: run test install translations extract lint format bench

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
