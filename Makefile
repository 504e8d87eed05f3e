# Two commands set everything up on a fresh clone: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# For local use the site runs with DEBUG on (demo users, console email, plain
# static files). The settings' default is off, so a deployment that forgets
# DEBUG never shows debug pages; one that runs these targets sets DEBUG=False.
export DEBUG ?= True

.PHONY: run test lint format check migrate catalog demo bench lighthouse soak messages bootstrap-css clean

$(STAMP): requirements.txt | .env
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $(STAMP)

# For a bare `manage.py` on this machine (settings read it; git-ignored). Never
# copy it to a server: a server sets its variables in the environment.
.env:
	printf '# Local development only, written by make; not for a server.\nDEBUG=True\n' > $@

migrate: $(STAMP)
	$(PY) manage.py migrate --noinput

catalog: migrate
	$(PY) manage.py load_catalog

demo: catalog
	$(PY) manage.py create_demo_users
	$(PY) manage.py seed_demo --submissions 50 --if-empty

# The task worker (emails: urgent alerts, link emails) runs in the background
# next to the development server; Ctrl-C or any exit stops both. The worker
# does not reload on code changes: run `make run` again after changing a task.
PORT ?= 8000
run: demo
	@echo "Serving on http://127.0.0.1:$(PORT)/ with the email worker (Ctrl-C stops both)"
	@$(PY) manage.py db_worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

check: $(STAMP)
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# Two workers, one per core of the CI machine; each gets its own test database.
test: check
	$(VENV)/bin/pytest -n 2

# Benchmarks and the soak test: loopback only, bounded in time; see bench/.
# The load run, then Lighthouse on every patient page (BENCH_LIGHTHOUSE=0: skip it).
bench: $(STAMP)
	$(PY) bench/run_bench.py
	@if [ "$${BENCH_LIGHTHOUSE:-1}" = 1 ]; then $(PY) bench/lighthouse.py; fi

lighthouse: $(STAMP)
	$(PY) bench/lighthouse.py

soak: $(STAMP)
	$(PY) bench/soak.py

# Translations: pull new strings into locale/*/LC_MESSAGES/django.po, then
# compile the .mo files (committed, so running the site needs no gettext).
MESSAGES_IGNORE := --ignore=.venv --ignore=staticfiles --ignore=tests --ignore=bench
messages: $(STAMP)
	@command -v xgettext >/dev/null || { echo "GNU gettext is needed: apt-get install gettext"; exit 1; }
	$(PY) manage.py makemessages -l es -l zh_Hans $(MESSAGES_IGNORE) --no-obsolete
	$(PY) manage.py compilemessages --ignore=.venv

# The part of Bootstrap the pages use (tools/bootstrap_css.py; needs npm).
bootstrap-css: $(STAMP)
	$(PY) tools/bootstrap_css.py

lint: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) staticfiles navigator.sqlite3
