# Doorstep: `make demo` runs the product, `make test` runs every check. Both start from a
# fresh machine with Python 3.11+ and make; as root on Debian/Ubuntu they apt-install
# Chromium and PostgreSQL for the browser and database tests.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
DEMO_DIR ?= .demo-data
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: demo test install system-deps lint typecheck pytest phone-check bench screenshots clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[server,dev]'
	touch $(STAMP)

install: $(STAMP)

# Browser and PostgreSQL tests need Debian packages; install them when we can (root + apt).
system-deps:
	@if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
	  missing=""; \
	  command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	  [ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing="$$missing fonts-dejavu-core"; \
	  command -v faketime >/dev/null 2>&1 || missing="$$missing faketime"; \
	  if [ -n "$$missing" ]; then \
	    echo "apt-get install:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  fi; \
	else \
	  echo "not root or no apt-get: browser/PostgreSQL/machine-date tests need chromium, postgresql, faketime"; \
	fi

demo: install
	$(BIN)/doorstep demo --data-dir $(DEMO_DIR) --host $(HOST) --port $(PORT)

lint: install
	$(BIN)/ruff check .

typecheck: install
	$(BIN)/mypy api_client backend mobile

# Tests run in parallel, one worker per core; idle workers steal queued tests (the browser tests
# take a minute each, most others well under a second).
PYTEST_WORKERS ?= auto
pytest: install system-deps
	$(BIN)/pytest -n $(PYTEST_WORKERS) --dist worksteal --durations=15

test: lint typecheck pytest

# the phone app starts with [project].dependencies alone (also part of `make test`)
phone-check: install
	$(BIN)/pytest -m phone_build

screenshots: install system-deps
	DOORSTEP_UPDATE_SCREENSHOTS=1 $(BIN)/pytest tests/e2e

bench: install
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) $(DEMO_DIR) .pytest_cache .mypy_cache .ruff_cache
