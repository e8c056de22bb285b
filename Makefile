# Tandem — two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export PORT  # the server, the task worker and the e-mail links (SITE_URL) use the same port
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: install demo serve bench migrate test lint clean-db messages openapi

install: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test,dev]"
	@rm -f $(VENV)/.installed-*
	@touch $(STAMP)

migrate: install
	$(BIN)/python manage.py migrate --noinput

# The demo runs as production does, DEBUG off (the real 404/403/500 pages, never Django's
# technical ones) and static files collected for whitenoise; only plain HTTP on 127.0.0.1 is
# allowed for its cookies. test_error_pages.py runs the pages under these variables.
DEMO_ENV := DEBUG=false SECRET_KEY=tandem-demo-only-not-a-secret \
	SESSION_COOKIE_SECURE=false CSRF_COOKIE_SECURE=false SECURE_HSTS_SECONDS=0

demo: migrate
	$(BIN)/python manage.py seed_demo
	$(DEMO_ENV) $(BIN)/python manage.py collectstatic --noinput -v0
	@echo ""
	@echo "Tandem is starting on http://127.0.0.1:$(PORT)/ (the demo logins are listed above)."
	@echo "A background task worker runs alongside it; Ctrl-C stops both."
	@$(DEMO_ENV) $(BIN)/python manage.py db_worker --queue-name '*' --no-reload -v0 & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  $(DEMO_ENV) $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# The domain code that mypy checks: services (split ones too, `services_<topic>.py`, decision
# 074), selectors and permissions of every app, and the core modules they build on.
TYPED := $(wildcard tandem/*/services.py tandem/*/services_*.py tandem/*/selectors.py \
	tandem/*/permissions.py) tandem/core/tenancy.py tandem/core/audit.py tandem/core/lookups.py \
	tandem/portal/benchmarks.py tandem/portal/suppression.py tandem/portal/charts.py

# The rotation solver library, tooling and tests included (decision 078).
TYPED += tandem/residency/scheduling

# Production on one machine: gunicorn and the task worker on the configured database
# (DATABASE_URL, SECRET_KEY, ALLOWED_HOSTS… from the environment, see .env.example), with
# persistent, health-checked connections and compressed, far-future-cached static files
# (whitenoise's manifest storage). WEB_CONCURRENCY sets the worker processes.
SERVE_ENV := DEBUG=$${DEBUG:-false} DATABASE_CONN_MAX_AGE=$${DATABASE_CONN_MAX_AGE:-60}

serve: migrate
	$(SERVE_ENV) $(BIN)/python manage.py collectstatic --noinput -v0
	@echo "Tandem (gunicorn) is starting on http://0.0.0.0:$(PORT)/ with a task worker; Ctrl-C stops both."
	@$(SERVE_ENV) $(BIN)/python manage.py db_worker --queue-name '*' --no-reload -v0 & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  $(SERVE_ENV) $(BIN)/python -m gunicorn config.wsgi --bind 0.0.0.0:$(PORT) \
	    --workers $${WEB_CONCURRENCY:-$$(( $$(nproc) * 2 + 1 ))} --timeout 60 --access-logfile -

# The load benchmark (docs/benchmarks.md): PostgreSQL in DATABASE_URL, 20 people, 2 minutes.
bench: install
	$(BIN)/python benchmarks/load.py $(BENCH_ARGS)

test: install
	$(BIN)/python -m ruff check .
	$(BIN)/python -m ruff format --check .
	$(BIN)/python -m mypy $(TYPED)
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python -m pytest -n auto $(PYTEST_ARGS)

lint: install
	$(BIN)/python -m ruff check .
	$(BIN)/python -m ruff format --check .
	$(BIN)/python -m mypy $(TYPED)

APPS_WITH_CATALOGUES := $(notdir $(patsubst %/locale,%,$(wildcard tandem/*/locale)))

messages: install
	for app in $(APPS_WITH_CATALOGUES); do \
	  (cd tandem/$$app && ../../$(BIN)/python ../../manage.py makemessages -l zh_Hans --no-obsolete) || exit 1; \
	done
	$(BIN)/python manage.py makemessages -l zh_Hans --no-obsolete --ignore ".venv/*" \
	  $(foreach app,$(APPS_WITH_CATALOGUES),--ignore "tandem/$(app)/*") --ignore "tandem/residency/*"
	$(BIN)/python manage.py compilemessages --ignore ".venv/*"

clean-db:
	rm -f db.sqlite3

openapi: install
	$(BIN)/python -c "import django, json, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings'); django.setup(); from config.api import api; schema = json.loads(json.dumps(api.get_openapi_schema(path_prefix='/api/v1/'))); open('docs/openapi.json', 'w').write(json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True) + '\n')"
