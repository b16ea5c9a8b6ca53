# Puente: `make run` serves the demo, `make test` runs the whole suite.
PYTHON ?= python3
PORT ?= 8000
UV_VERSION := 0.13.9
VENV := .venv
PY := $(VENV)/bin/python
UV := .tools/bin/uv
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)
# Compile every installed module once, at install: a process that may not write .pyc files
# (read-only image, another user) would otherwise compile numpy and scipy at each start.
# Puente's own modules are compiled at each install (quick when nothing changed).
export UV_COMPILE_BYTECODE := 1

.PHONY: install run test check lint types messages compile-messages serve-scaled worker beat clean api-fuzz

$(UV):
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"

$(VENV)/.installed: pyproject.toml uv.lock Makefile | $(UV)
	$(UV) sync --frozen --python "$$($(PYTHON) -c 'import sys; print(sys.executable)')"
	touch $@

install: $(VENV)/.installed compile-messages
	$(PY) -m compileall -q -j 0 puente bench

compile-messages: $(VENV)/.installed
	DEBUG=1 $(PY) manage.py translations_compile

# `make run` serves with DEBUG off, so that a missing page or an error shows the site's own 404
# and 500 pages (DEBUG's pages list every URL); plain HTTP on this machine only, a key that is
# good for nothing else, static files from the apps' folders (runserver --insecure).
RUN_ENV := DEBUG=0 HTTPS=0 STATIC_MANIFEST=0 ALLOWED_HOSTS=127.0.0.1,localhost SECRET_KEY=local-make-run-only-not-a-secret-0123456789abcdef

run: install
	DEBUG=1 $(PY) manage.py migrate --noinput
	DEBUG=1 $(PY) manage.py demo_load
	$(RUN_ENV) $(PY) manage.py runserver --insecure 127.0.0.1:$(PORT)

test: install
	$(PY) -m pytest -n 2 $(PYTEST_ARGS)

lint: $(VENV)/.installed
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .

types: $(VENV)/.installed
	DEBUG=1 $(VENV)/bin/mypy puente tests $(wildcard bench/*.py)

check: install lint types
	DEBUG=1 $(PY) manage.py makemigrations --check --dry-run
	DEBUG=1 $(PY) manage.py translations_check
	$(PY) -m pytest -n 2 $(PYTEST_ARGS)

# Fuzz the API against its OpenAPI schema on a throwaway database (a few minutes).
api-fuzz: install
	.ci/api-fuzz

# Developers only: needs GNU gettext (apt-get install gettext).
messages: $(VENV)/.installed
	cd puente && DEBUG=1 ../$(PY) ../manage.py makemessages -l es -l pt -l pt_BR -l fr --no-obsolete --no-location

# Scale-out mode: PostgreSQL + Redis + several gunicorn processes (see README).
serve-scaled: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput -v0
	$(VENV)/bin/gunicorn puente.wsgi --workers $${WEB_CONCURRENCY:-4} --threads $${WEB_THREADS:-4} --bind 0.0.0.0:$(PORT) --access-logfile -

# Scale-out mode: a Celery worker for background work (BACKGROUND_WORKER=celery, REDIS_URL).
worker: install
	$(VENV)/bin/celery -A puente.celery worker --concurrency $${WORKER_CONCURRENCY:-2} --loglevel INFO

# Scale-out mode: exactly one Celery beat for the schedules (notification digests, retries).
beat: install
	$(VENV)/bin/celery -A puente.celery beat --loglevel INFO --schedule $${CELERY_BEAT_SCHEDULE_FILE:-/tmp/puente-celerybeat-schedule}

clean:
	rm -rf $(VENV) .tools staticfiles
