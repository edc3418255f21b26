# Flywheel — the targets are the documentation of how to work.
#   make run     set everything up and open the dashboard on the sample workspace
#   make test    set everything up and run every test
#   make test-zh the tests that use the sample company, on the Chinese sample (slow)
#   make test-lake the suites that run on both backends, with their wider set on a lake too,
#                and the DuckLake tests (needs Debian's postgresql; slow)
#   make setup   only the setup (idempotent): .venv, the package, the sample workspace
#   make lint    ruff (lint + format check)
#   make bench   the page and funnel-interaction benchmarks on a large generated workspace
#                (slow: minutes)
#   make soak    the crash suite with 200 SIGKILLs in the middle of imports, plan and campaign
#                saves and compactions (about 15 minutes; KILLS=n to change)
#   make load    10 Chromium sessions at a person's pace against one server for 3 minutes
#                (bench/load.py; ARGS='--sessions 2 --minutes 1' to change)

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
SAMPLE := workspaces/sample.duckdb
PORT   ?= 8501

.PHONY: setup run test test-zh test-lake lint bench soak load screenshots clean

setup: $(STAMP) $(SAMPLE)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

# Rebuilt when the generator changes; order-only on the install so a dependency bump alone
# does not regenerate it.
$(SAMPLE): $(wildcard sample_data/*.py) | $(STAMP)
	$(BIN)/flywheel seed --db $(SAMPLE) --force

run: setup
	@$(BIN)/python -c "import socket,sys; s=socket.socket(); r=s.connect_ex(('127.0.0.1',$(PORT))); \
	sys.exit('Port $(PORT) is in use: is Flywheel already running? Open http://localhost:$(PORT) or stop it (or: make run PORT=8502).' if r==0 else 0)"
	$(BIN)/python -m streamlit run app.py --server.address 127.0.0.1 --server.port $(PORT)

# Two workers (the CI machine has two cores); a test file stays on one worker, so a browser
# per module and module fixtures are made once.
test: setup
	$(BIN)/python -m pytest -n 2 --dist loadfile --no-loadscope-reorder

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: setup
	$(BIN)/python bench/pages.py
	$(BIN)/python bench/interactions.py

KILLS ?= 200
soak: setup
	FLYWHEEL_CRASH_KILLS=$(KILLS) $(BIN)/python -m pytest -q -p no:cacheprovider tests/test_crash.py

load: setup
	$(BIN)/python bench/load.py $(ARGS)

screenshots: setup
	$(BIN)/python bench/screenshots.py

clean:
	rm -rf $(VENV) workspaces/sample.duckdb workspaces/sample.duckdb.wal

# The tests that use the sample company, on the Chinese sample (FLYWHEEL_TEST_SAMPLE=zh builds
# 北辰数智科技 in CNY instead of Northwind for the `sample_path` fixture). Slow: run it alone.
SAMPLE_TESTS = $(shell grep -l sample_path tests/test_*.py tests/*/test_*.py)
test-zh: setup
	FLYWHEEL_TEST_SAMPLE=zh $(BIN)/python -m pytest -n 2 --dist loadfile $(SAMPLE_TESTS)

# Both backends: the tests that name `backend` run on a file and on a lake; CI runs their core,
# FLYWHEEL_TEST_LAKE=1 adds those marked `lake_wide` on a lake (tests/conftest.py).
LAKE_TESTS = tests/lake $(shell grep -l "fresh_ws\|tiny_on\|sample_on\|lake_wide" tests/test_*.py tests/*/test_*.py)
test-lake: setup
	FLYWHEEL_TEST_LAKE=1 $(BIN)/python -m pytest -n 2 --dist loadfile $(LAKE_TESTS)
