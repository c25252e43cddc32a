# Two commands for a new machine: `make run` and `make test`. Everything else is set up by them.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
export FLASK_APP := run
# Development keys and plain-HTTP cookies are refused unless DESK_ENV says development (desk/__init__.py);
# every target here, and the servers the tests and benchmarks start, run as development.
export DESK_ENV ?= development

.PHONY: run test test-dates bench translations setup setup-dev system-deps browser pgclient db clean serve

run: setup system-deps translations-compile db
	@echo ""
	@echo "  Petition desk: http://127.0.0.1:$(PORT)/"
	@echo "  Demo logins (password demo12345): reception, mediator, mediator2, lawyer, commander,"
	@echo "  officer, callback, official, cityofficial, admin, townreception, grid, grid2"
	@echo ""
	SCHEDULER=1 PORT=$(PORT) $(BIN)/python run.py

test: setup-dev system-deps browser pgclient translations-compile
	$(BIN)/python -m pytest -n 2 --dist loadgroup $(PYTEST_ARGS)

# The suite (browser journeys left out) at four awkward dates under libfaketime, on SQLite and PostgreSQL.
test-dates: setup-dev system-deps pgclient translations-compile
	@bash .ci/system-deps dates
	bash .ci/test-dates $(PYTEST_ARGS)

bench: setup-dev system-deps pgclient translations-compile
	$(BIN)/python tests/bench/run_all.py

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

setup: $(VENV)/.installed
setup-dev: $(VENV)/.installed-dev

system-deps:
	@bash .ci/system-deps fonts

browser:
	@bash .ci/system-deps browser

pgclient:
	@bash .ci/system-deps pgclient

db: setup
	$(BIN)/flask desk init --size $${DEMO_SIZE:-small}

translations-compile: setup
	@$(BIN)/pybabel compile -f -d desk/translations > /dev/null

translations: setup
	$(BIN)/python -m desk.catalogs $(TSV)

clean:
	rm -rf $(VENV) instance
