# LgNet — the commands a newcomer needs. `make` alone lists them.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8000
STAMP  := $(VENV)/.installed

.DEFAULT_GOAL := help
.PHONY: help setup run serve test test-fast lint seed messages db-stop clean

help:   ## list the commands
	@grep -E '^[a-z-]+:.*##' Makefile | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

.env:
	cp .env.example .env

setup: $(STAMP) .env  ## virtualenv, dependencies, .env, embedded database, migrations
	$(BIN)/lgnet migrate --no-input

run: setup  ## everything a fresh machine needs, demo data, then the server on :$(PORT)
	LGNET_DEMO=1 $(BIN)/lgnet seed_demo
	LGNET_DEMO=1 $(BIN)/lgnet runserver 127.0.0.1:$(PORT)

serve: $(STAMP)  ## production processes (gunicorn + task worker) against DATABASE_URL
	@test -n "$$DATABASE_URL" || (echo "DATABASE_URL is required for make serve" && exit 2)
	$(BIN)/lgnet migrate --no-input
	$(BIN)/lgnet collectstatic --no-input
	$(BIN)/lgnet db_worker & \
	$(BIN)/gunicorn config.wsgi:application --bind 127.0.0.1:$(PORT) --workers 3 --access-logfile - \
		--access-logformat '%(t)s "%(m)s %(U)s" %(s)s %(b)s %(M)sms'  # no query strings: ids only

test: $(STAMP)  ## the whole suite (embedded PostgreSQL unless DATABASE_URL is set)
	$(BIN)/pytest -n 2 --dist loadfile

test-fast: $(STAMP)  ## the suite without the browser tests
	$(BIN)/pytest -n 2 --dist loadfile -m "not browser"

lint: $(STAMP)  ## ruff check + format --check, makemigrations --check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lgnet makemigrations --check --dry-run

seed: setup  ## demo data: the three editions, their cities, every demo login
	LGNET_DEMO=1 $(BIN)/lgnet seed_demo

messages: $(STAMP)  ## refresh and compile the translations (it, en)
	$(BIN)/lgnet makemessages -l it -l en --ignore=.venv --ignore=var
	$(BIN)/lgnet compilemessages --ignore=.venv

db-stop:  ## stop the embedded PostgreSQL server
	$(BIN)/lgnet embedded_db stop

clean:  ## remove the virtualenv and local data (the embedded database too)
	-$(MAKE) db-stop
	rm -rf $(VENV) var
