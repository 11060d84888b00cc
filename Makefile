# The two commands a new user runs: `make run` and `make test`. Everything else is a helper.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | sha1sum | cut -c1-12)
PYTHON ?= python3
PORT ?= 8501

.PHONY: run test bench install lint chromium lock clean

install: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	rm -f $(VENV)/.installed-* && touch $(STAMP)

run: install
	$(BIN)/tracker init
	$(BIN)/tracker load seeds/*.yaml
	$(BIN)/tracker up --port $(PORT)

lint: install
	$(BIN)/ruff check tracker dashboard tests bench alembic
	$(BIN)/mypy

test: install lint chromium
	$(BIN)/pytest -n 2 --dist loadfile -q

# The browser test's browser: Debian's chromium (Playwright never downloads one).
chromium:
	test -x /usr/bin/chromium || (apt-get update && apt-get install -y chromium)

bench: install
	$(BIN)/python -m bench --pg

# Rewrite the lock from pyproject's loose requirements (run after changing them).
lock:
	rm -rf /tmp/tracker-lock && $(PYTHON) -m venv /tmp/tracker-lock
	/tmp/tracker-lock/bin/pip install --quiet -e '.[dev]'
	/tmp/tracker-lock/bin/pip freeze --exclude-editable > requirements.lock

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
