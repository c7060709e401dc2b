# OpenMandato — the two set-up commands are `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1:8000
PG_URL ?= postgres://postgres@127.0.0.1:5432/test

SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: install install-dev system-libs system-deps run test test-sqlite test-postgres lint lock messages screenshot vendor clean bench bench-import bench-ledger

install: $(VENV)/.installed-base ## create .venv and install the runtime from the lock (idempotent)

$(VENV)/.installed-base: requirements/base.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements/base.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

install-dev: install $(VENV)/.installed-dev

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

run: install system-libs ## migrate, load the demo and serve http://$(HOST)
	$(BIN)/openmandato migrate --noinput
	$(BIN)/openmandato load_demo
	@echo "Serving OpenMandato on http://$(HOST)/ (Ctrl+C to stop)"
	@echo "Your own superuser (to add a comune and invite its administrator): $(BIN)/openmandato createsuperuser"
	DEBUG=$${DEBUG:-true} $(BIN)/openmandato runserver $(HOST)

test: install-dev system-deps lint test-sqlite test-postgres ## the whole suite, on SQLite and on PostgreSQL

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test-sqlite:
	@echo "== Test suite on SQLite =="
	DATABASE_URL=sqlite:///$(CURDIR)/var/test.sqlite3 $(BIN)/python -m pytest $(PYTEST_ARGS)

test-postgres:
	@echo "== Test suite on PostgreSQL ($(PG_URL)) =="
	@if DATABASE_URL=$(PG_URL) $(BIN)/python -m openmandato.dbcheck; then \
	  DATABASE_URL=$(PG_URL) $(BIN)/python -m pytest $(PYTEST_ARGS); \
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

bench: install-dev ## parse-time benchmark of a 40-page program (figures in BENCHMARKS.md)
	$(BIN)/python bench/bench_parse.py

bench-ledger: install-dev ## transparency-log costs for a mandate of 10,000 entries (figures in BENCHMARKS.md)
	$(BIN)/python bench/bench_ledger.py

vendor: ## refresh the vendored front-end files from npm (versions pinned in package.json)
	./scripts/vendor-frontend.sh

lock: ## re-pin the dependencies (needs uv)
	uv pip compile pyproject.toml --python-version 3.11 --generate-hashes -o requirements/base.lock
	uv pip compile pyproject.toml --extra dev --python-version 3.11 --generate-hashes -o requirements/dev.lock

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
