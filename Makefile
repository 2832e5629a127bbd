# Two commands for a newcomer: `make run` and `make test`. Everything installs into .venv.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
# The address `make run` serves on: the seeded orders' emails and one-tap links are written
# before the server starts, so the seeding gets it too.
RUN_SITE_URL = http://$(HOST):$(PORT)
MIDTRANS_FAKE_PORT ?= 8001
WHATSAPP_FAKE_PORT ?= 8002

# Without real Midtrans keys, `make run` starts the local fake Midtrans (Procfile.dev's
# `payments`) and points the site at it, so QRIS and virtual accounts work on a fresh machine.
ifeq ($(strip $(MIDTRANS_SERVER_KEY)),)
RUN_PAYMENTS_ENV := MIDTRANS_SERVER_KEY=SB-Mid-server-demo MIDTRANS_CLIENT_KEY=SB-Mid-client-demo \
	MIDTRANS_API_BASE=http://127.0.0.1:$(MIDTRANS_FAKE_PORT) MIDTRANS_FAKE_PORT=$(MIDTRANS_FAKE_PORT) \
	MIDTRANS_NOTIFICATION_URL=http://$(HOST):$(PORT)/midtrans/notification/ \
	MIDTRANS_SIMULATOR_URL=http://127.0.0.1:$(MIDTRANS_FAKE_PORT)/simulator/
RUN_PAYMENTS := payments
else
RUN_PAYMENTS_ENV :=
RUN_PAYMENTS :=
endif
# Likewise without a WhatsApp token: the local fake Cloud API (Procfile.dev's `whatsapp`), whose
# "Pesan WhatsApp (demo)" page shows the makers' new-order messages and their one-tap links.
ifeq ($(strip $(WHATSAPP_TOKEN)),)
RUN_WHATSAPP_ENV := WHATSAPP_TOKEN=demo-whatsapp-token WHATSAPP_PHONE_NUMBER_ID=100000000000001 \
	WHATSAPP_API_BASE=http://127.0.0.1:$(WHATSAPP_FAKE_PORT) WHATSAPP_FAKE_PORT=$(WHATSAPP_FAKE_PORT) \
	WHATSAPP_TEMPLATE_NEW_ORDER=pesanan_baru WHATSAPP_TEMPLATE_PAYMENT=pembayaran \
	WHATSAPP_TEMPLATE_REMINDER=pengingat
RUN_WHATSAPP := whatsapp
else
RUN_WHATSAPP_ENV :=
RUN_WHATSAPP :=
endif
# With real keys for both, only the three processes; else each fake that stands in for one.
RUN_PROCESSES := web worker beat $(RUN_PAYMENTS) $(RUN_WHATSAPP)

# The newest Python >= 3.12: on PATH first, then pyenv's installed versions.
PYTHON ?= $(shell for p in python3.14 python3.13 python3.12 python3 \
	$$(ls -d $${PYENV_ROOT:-$$HOME/.pyenv}/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -rV); do \
	command -v $$p >/dev/null 2>&1 || [ -x "$$p" ] || continue; \
	$$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1 && { echo $$p; break; }; \
	done)

.PHONY: help install run test lint format messages bench bench-catalog bench-orders bench-weight clean

help:
	@echo "make run    install, migrate, load demo data, start web + worker + beat"
	@echo "make test   install and run the whole test suite"
	@echo "make lint   ruff check, format check and the app layers (import-linter)"
	@echo "make bench  run every benchmark (PostgreSQL + Redis, wrk) and print one table with targets"
	@echo "            (BENCH_ARGS=--quick for 2-s slices while developing)"

$(STAMP): pyproject.toml requirements.lock
	@if [ -z "$(PYTHON)" ]; then \
		echo "Python 3.12 or newer is needed and none was found on PATH or under pyenv."; \
		echo "Install one (e.g. 'pyenv install 3.13' or 'apt-get install python3.13') and retry,"; \
		echo "or point to it: make run PYTHON=/path/to/python3.13"; exit 1; fi
	@[ -x $(PY) ] && $(PY) -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null || \
		{ rm -rf $(VENV); echo "Creating $(VENV) with $(PYTHON)"; $(PYTHON) -m venv $(VENV); }
	@$(PIP) install --quiet --disable-pip-version-check --upgrade pip 2>&1 | grep -v "^WARNING: Location" || true
	@echo "Installing dependencies (pinned by requirements.lock)"
	@set -o pipefail; $(PIP) install --quiet --disable-pip-version-check -c requirements.lock -e '.[dev]' 2>&1 \
		| { grep -v "^WARNING: Location" || true; }
	@touch $(STAMP)

install: $(STAMP)

# Procfile.dev names web, worker and beat; honcho starts them with the virtualenv first on PATH
# and stops them all on Ctrl-C. `--env /dev/null`: a .env file holds the production settings for
# docker compose, and `make run` keeps to the development defaults.
run: install
	@mkdir -p var
	$(PY) manage.py compilemessages --ignore=.venv -v0
	$(PY) manage.py migrate --no-input -v1
	SITE_URL=$(RUN_SITE_URL) $(PY) manage.py seed_demo
	SITE_URL=$(RUN_SITE_URL) $(PY) manage.py seed_demo_orders
	@echo ""
	@echo "  Batik Kutim runs at http://$(HOST):$(PORT)/ (Django admin at /admin/), with the logins above."
	@echo "  Emails are written to var/emails/. Ctrl-C stops the web server, the worker and beat."
	@$(if $(RUN_PAYMENTS),echo "  Payments go to a local fake Midtrans: pay them at http://127.0.0.1:$(MIDTRANS_FAKE_PORT)/simulator/ (Simulator pembayaran).")
	@$(if $(RUN_WHATSAPP),echo "  Makers' WhatsApp messages go to a local fake: read them at http://127.0.0.1:$(WHATSAPP_FAKE_PORT)/ (Pesan WhatsApp).")
	@echo ""
	@PATH="$(CURDIR)/$(VENV)/bin:$$PATH" HOST=$(HOST) SITE_URL=$(RUN_SITE_URL) \
		$(RUN_PAYMENTS_ENV) $(RUN_WHATSAPP_ENV) PYTHONUNBUFFERED=1 \
		exec $(VENV)/bin/honcho start --env /dev/null -f Procfile.dev -p $(PORT) $(RUN_PROCESSES)

test: install
	@bash scripts/test.sh $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

messages: install
	$(PY) manage.py makemessages -l id -l en --ignore=.venv --ignore=var --no-obsolete
	$(PY) manage.py compilemessages --ignore=.venv

bench: install
	$(PY) bench/run.py $(BENCH_ARGS)

bench-catalog: install
	$(PY) bench/catalog.py

bench-orders: install
	$(PY) bench/orders.py

bench-weight: install
	$(PY) bench/pageweight.py

clean:
	rm -rf var .pytest_cache
