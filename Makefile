# One command runs the system, one runs the tests. See README.md.
SHELL := /bin/bash
PYTHON ?= python3
UV_VERSION := 0.13.8
VENV := .venv
BIN := $(VENV)/bin
export UV_PROJECT_ENVIRONMENT := $(VENV)
export UV_PYTHON_DOWNLOADS := never

.PHONY: install run test chromium gettext messages translations lint format bench bench-signup bench-leads faults load soak migrations backup restore clean help

help:
	@echo "make run    - the whole system on http://127.0.0.1:8000 (embedded services unless DATABASE_URL/REDIS_URL)"
	@echo "make test   - lint and the whole test suite against real PostgreSQL and Redis (installs Chromium when root)"
	@echo "make lint   - ruff and djLint only"
	@echo "make messages - collect the translatable strings into locale/es/LC_MESSAGES/django.po"
	@echo "make translations - compile the .po catalogues into the .mo files Django reads"
	@echo "make backup - a compressed pg_dump of the application database under var/backups/"
	@echo "make restore FILE=var/backups/<file>.dump [DB=name] - restore it into a new database"
	@echo "make format - apply ruff's formatting"
	@echo "make bench  - dashboard (every period), candidate list and signup timings at 1,000, 100,000 and 1,000,000 candidates"
	@echo "make bench-signup - signups/s, latency and CPU of /signup/ under load, against a bare view"
	@echo "make bench-leads - partner leads: the accept path against a bare view, a 250,000-lead day"
	@echo "make faults - fault scenarios (Redis, workers, PostgreSQL, SMTP down or killed), each reconciled"
	@echo "make load   - a press spike (50 signups/s for 10 minutes) with staff and screeners, then its email backlog"
	@echo "make soak   - 5 signups/s for 30 minutes: memory of gunicorn and the worker at start and end"

install: $(VENV)/.installed node_modules/.installed

# The virtual environment, with exactly the locked dependencies.
$(VENV)/.installed: pyproject.toml uv.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	test -x $(BIN)/uv || $(BIN)/python -m pip install --quiet uv==$(UV_VERSION)
	$(BIN)/uv sync --frozen --inexact --python $(BIN)/python
	touch $@

# Front-end packages (Bootstrap, htmx; axe-core for the browser tests), exactly as
# package-lock.json pins them: the devDependencies too, whatever NODE_ENV says.
node_modules/.installed: package.json package-lock.json
	npm ci --include=dev --no-audit --no-fund --loglevel=error
	touch $@

run: install translations
	exec $(BIN)/python -m rfs.devstack run

# Chromium first, so a machine without it stops before anything runs; then the suite, on
# throwaway embedded servers of its own (unless DATABASE_URL/REDIS_URL), beside any make run.
test: chromium install lint translations
	$(BIN)/python -m rfs.devstack test -- $(BIN)/python -m pytest $(PYTEST_ARGS)

# GNU gettext for makemessages and compilemessages: installed with apt when root, else one line.
gettext:
	@bin/ensure-gettext

# The project's own strings into the Spanish catalogue, without line numbers or wrapping so a
# change shows as the strings that changed. Then write their msgstr and `make translations`.
messages: gettext install
	$(BIN)/python manage.py makemessages -l es --no-location --no-wrap --ignore=.venv --ignore=node_modules --ignore=var --ignore=tests

# The compiled catalogues (.mo, not kept in git) that the site reads.
translations: gettext install
	$(BIN)/python manage.py compilemessages --ignore=.venv

# Debian's Chromium for the browser tests: installed with apt when root, else one line says how.
chromium:
	@bin/ensure-chromium

# Server time of the dashboard, candidate list and signup at 1,000 and 100,000 candidates,
# each size on its own database (rfs_bench_<size>), never the development one.
bench: install
	$(BIN)/python -m rfs.devstack exec -- $(BIN)/python -m bench.run
	$(MAKE) --no-print-directory bench-signup
	$(MAKE) --no-print-directory bench-leads

# /signup/ under gunicorn, 16 clients for 15 s, against a bare one-INSERT view in the same run,
# each on its own database (<name>_bench_signup, <name>_bench_baseline). See bench/signup.py.
bench-signup: install
	$(BIN)/python -m rfs.devstack exec -- $(BIN)/python -m bench.signup

# Partner leads over HTTP: the accept path against the bare view, then a 250,000-lead day
# resolved by one worker, reconciled. See bench/leads.py.
bench-leads: install
	$(BIN)/python -m rfs.devstack exec -- $(BIN)/python -m bench.leads

# Fault scenarios, each on a PostgreSQL, Redis and SMTP sink of its own (never DATABASE_URL's
# or REDIS_URL's), with gunicorn, workers and beat; one reconciliation line each. Durations:
# FAULT_*_SECONDS (see faults/scenarios/). Names run only those: make faults SCENARIOS=redis-down
faults: install
	$(BIN)/python -m faults $(SCENARIOS)

# A press spike then its email backlog drained, with locust, on servers of its own. See bench/load.py.
load: install
	$(BIN)/python -m bench.load

# 5 signups/s for 30 minutes: memory growth of gunicorn and the worker.
soak: install
	$(BIN)/python -m bench.load soak

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djlint templates --lint

format: $(VENV)/.installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# pg_dump -Fc of the application database (embedded unless DATABASE_URL) to var/backups/,
# by the pg_dump of the server's own version. See rfs/backup.py.
backup: install
	$(BIN)/python -m rfs.devstack exec -- $(BIN)/python -m rfs.backup backup

# Into a new database (DB=name, or one named after the file); an existing one is refused.
restore: install
	@test -n "$(FILE)" || { echo "make restore FILE=var/backups/<file>.dump [DB=name]"; exit 2; }
	$(BIN)/python -m rfs.devstack exec -- $(BIN)/python -m rfs.backup restore "$(FILE)" $(if $(DB),--name "$(DB)")

migrations: install
	$(BIN)/python -m rfs.devstack exec -- $(BIN)/python manage.py makemigrations

clean:
	rm -rf $(VENV) node_modules staticfiles
