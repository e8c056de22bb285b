# Tandem — two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export PORT  # the server, the task worker and the e-mail links (SITE_URL) use the same port
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: install demo migrate test lint clean-db messages openapi

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

# The domain code that mypy checks: services, selectors and permissions of every app.
TYPED := $(wildcard tandem/*/services.py tandem/*/selectors.py tandem/*/permissions.py) \
	tandem/core/tenancy.py tandem/core/audit.py tandem/core/lookups.py

test: install
	$(BIN)/python -m ruff check .
	$(BIN)/python -m mypy $(TYPED)
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python -m pytest -n auto $(PYTEST_ARGS)

lint: install
	$(BIN)/python -m ruff check .
	$(BIN)/python -m ruff format --check .
	$(BIN)/python -m mypy $(TYPED) tandem/residency/scheduling

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
