# OpenMandato — the two set-up commands are `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1:8000
PG_URL ?= postgres://postgres@127.0.0.1:5432/test

SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: install install-dev system-libs system-deps run dev test test-sqlite test-postgres lint lock messages screenshot vendor clean bench bench-parse bench-import bench-ledger bench-notify wheel-check bench-search

install: $(VENV)/.installed-base ## create .venv and install the runtime from the lock (idempotent)

$(VENV)/.installed-base: requirements/base.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements/base.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

install-dev: install $(VENV)/.installed-dev .venv-federation/.installed

# The local SPID/CIE federation the tests start (spid-cie-oidc needs Django<5 and pydantic<2: its own venv).
.venv-federation/.installed: requirements/federation.lock
	test -x .venv-federation/bin/python || $(PYTHON) -m venv .venv-federation
	.venv-federation/bin/python -m pip install --quiet --disable-pip-version-check --no-deps --require-hashes -r requirements/federation.lock
	touch $@

$(VENV)/.installed-dev: requirements/dev.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements/dev.lock
	touch $@

REPORT_LIBS := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core

system-libs: ## WeasyPrint's system libraries (PDF report), installed only when missing
	@missing=$$(for p in $(REPORT_LIBS); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "Installing $$missing for the PDF report"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing >/dev/null; \
	fi

system-deps: system-libs ## plus Debian's Chromium for the browser tests, installed only when missing
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium >/dev/null; }

run: install system-libs ## migrate, load the demo and serve http://$(HOST) with the production stack
	$(BIN)/openmandato migrate --noinput
	$(BIN)/openmandato load_demo
	@echo "Your own superuser (to add a comune and invite its administrator): $(BIN)/openmandato createsuperuser"
	DEBUG=$${DEBUG:-false} $(BIN)/openmandato serve --bind $(HOST)

dev: install system-libs ## Django's autoreloading development server (DEBUG on) with the task worker beside it
	$(BIN)/openmandato migrate --noinput
	$(BIN)/openmandato load_demo
	@echo "Serving OpenMandato (development) on http://$(HOST)/ (Ctrl+C to stop)"
	$(BIN)/openmandato db_worker --queue-name '*' & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	DEBUG=$${DEBUG:-true} $(BIN)/openmandato runserver $(HOST)

test: install-dev system-deps lint ## the whole suite, on SQLite and on PostgreSQL (side by side; each one's output when it ends)
	$(MAKE) --no-print-directory -j2 --output-sync=target test-sqlite test-postgres

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test-sqlite:
	@echo "== Test suite on SQLite =="
	DATABASE_URL=sqlite:///$(CURDIR)/var/test.sqlite3 $(BIN)/python -m pytest $(PYTEST_ARGS)

test-postgres:
	@echo "== Test suite on PostgreSQL ($(PG_URL)) =="
	@if DATABASE_URL=$(PG_URL) $(BIN)/python -m openmandato.dbcheck; then \
	  DATABASE_URL=$(PG_URL) $(BIN)/python -m pytest -m "not single_run" $(PYTEST_ARGS); \
	elif [ "$$CI" = "true" ]; then \
	  echo "PostgreSQL is not reachable at $(PG_URL): with CI=true this is a failure." >&2; exit 1; \
	else \
	  echo "PostgreSQL is not reachable at $(PG_URL): PostgreSQL run SKIPPED (set CI=true to make this fail)."; \
	fi

messages: install-dev ## refresh and compile the translation catalogues
	cd openmandato && ../$(BIN)/openmandato makemessages -l en -l it --no-obsolete
	cd openmandato && ../$(BIN)/openmandato compilemessages

screenshot: install-dev system-deps ## refresh the README screenshot (docs/screenshot-valenza.png)
	OPENMANDATO_SCREENSHOT=$(CURDIR)/docs/screenshot-valenza.png DATABASE_URL=sqlite:///$(CURDIR)/var/test.sqlite3 \
	  $(BIN)/python -m pytest -q openmandato/portal/tests/test_browser.py -k screenshot

bench-import: ## importer accuracy on the real corpus in ../shared/corpus (table in BENCHMARKS.md)
	$(BIN)/python bench/bench_import.py

BENCH_PG_URL ?= postgres://postgres@127.0.0.1:5432/om_bench
BENCH_SIZES  ?= 2,80,800

bench: install-dev ## pages under gunicorn + wrk: the demo on SQLite and (unless QUICK=1) national data sets on PostgreSQL and a read replica
	@command -v wrk >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq wrk >/dev/null; }
ifdef QUICK
	$(BIN)/python bench/bench_pages.py --quick
else
	createdb $$(echo "$(BENCH_PG_URL)" | sed -E 's#^postgres(ql)?://([^@]+)@([^:/]+):?([0-9]*)/(.*)$$#-U \2 -h \3 \5#') 2>/dev/null || true
	$(BIN)/python bench/bench_pages.py --pg $(BENCH_PG_URL) --sizes $(BENCH_SIZES)
endif

bench-parse: install-dev ## parse-time benchmark of a 40-page program (figures in BENCHMARKS.md)
	$(BIN)/python bench/bench_parse.py

wheel-check: ## build the wheel, install it with the locked dependencies in a clean venv, serve a page from it
	./scripts/wheel-check.sh

bench-ledger: install-dev ## transparency-log costs for a mandate of 10,000 entries (figures in BENCHMARKS.md)
	$(BIN)/python bench/bench_ledger.py

bench-notify: install-dev ## fan-out of one update to 10,000 followers and e-mail throughput (figures in BENCHMARKS.md)
	$(BIN)/python bench/bench_notify.py

vendor: ## refresh the vendored front-end files from npm (versions pinned in package.json)
	./scripts/vendor-frontend.sh

lock: ## re-pin the dependencies (needs uv)
	uv pip compile pyproject.toml --python-version 3.11 --generate-hashes -o requirements/base.lock
	uv pip compile pyproject.toml --extra dev --python-version 3.11 --generate-hashes -o requirements/dev.lock
	uv pip compile requirements/federation.in --python-version 3.11 --generate-hashes -o requirements/federation.lock

clean:
	rm -rf $(VENV) .venv-federation .pytest_cache .ruff_cache

bench-search: install-dev ## search nDCG@10/recall@10/MRR and compare precision/recall on SQLite and PostgreSQL (BENCHMARKS.md)
	$(BIN)/python bench/bench_search.py
