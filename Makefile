# Beslutsspår. `make demo` sets everything up and serves the site; `make test` runs the suite.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: help venv demo serve test lint lint-imports bench prod-check clean

help: ## List the commands
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "} {printf "  make %-12s %s\n", $$1, $$2}'

$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' || { \
	  echo "Beslutsspår needs Python 3.11 or newer; '$(PYTHON)' is $$($(PYTHON) --version 2>&1)."; \
	  echo "Install it (e.g. 'apt install python3.11 python3.11-venv' or from python.org) and run 'make demo PYTHON=python3.11'."; \
	  exit 1; }
	@$(PYTHON) -m venv $(VENV) || { echo "Could not create a virtualenv: install the venv module (Debian: apt install python3-venv)."; exit 1; }
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $@

venv: $(VENV)/.installed ## Create the virtualenv and install

# Where the demo is served: the printed addresses, the demo's sites and the links in its
# e-mails follow it (`make demo PORT=8001`).
WAGTAILADMIN_BASE_URL ?= http://$(HOST):$(PORT)
DEMO_ENV = DEBUG=1 WAGTAILADMIN_BASE_URL=$(WAGTAILADMIN_BASE_URL)

demo: venv ## Install, migrate, load the demo data and serve at http://127.0.0.1:8000 (HOST=, PORT= to change)
	$(DEMO_ENV) $(PY) manage.py migrate --noinput
	$(DEMO_ENV) $(PY) manage.py load_demo --admin
	$(DEMO_ENV) $(PY) manage.py runserver $(HOST):$(PORT)

test: venv ## Run the whole suite (SQLite unless DATABASE_URL is set)
	$(PY) -m pytest $(PYTEST_ARGS)

lint: venv ## Ruff lint and format check, and the import layers
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(VENV)/bin/lint-imports

lint-imports: venv ## Check the layers cms > registers > reporting > workspace > plans > motions > subscriptions (pyproject.toml)
	$(VENV)/bin/lint-imports

bench: venv ## Generate 100,000 motions and measure the public pages (BENCH_ARGS="--motions 5000" for a quick run)
	DJANGO_SETTINGS_MODULE=cms.settings.bench $(PY) manage.py bench $(BENCH_ARGS)

prod-check: venv ## Start the production stack here (Procfile, nginx, PostgreSQL, Redis) and check it from outside
	$(PY) deploy/prod_check.py

clean: ## Remove the virtualenv and the demo database
	rm -rf $(VENV) db.sqlite3 staticfiles
