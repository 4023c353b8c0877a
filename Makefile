# The two set-up commands are `make run` and `make test`; both create .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP_RUN := $(VENV)/.installed-run
STAMP_DEV := $(VENV)/.installed-dev

.PHONY: run test lint typecheck pytest check clean bench soak

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24,<27"

$(STAMP_RUN): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(STAMP_DEV): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@ $(STAMP_RUN)

run: $(STAMP_RUN)
	$(BIN)/python -m bot migrate
	$(BIN)/python -m bot run

test: $(STAMP_DEV) lint typecheck pytest

lint: $(STAMP_DEV)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP_DEV)
	$(BIN)/mypy

pytest: $(STAMP_DEV)
	$(BIN)/python -m pytest -q

# 100 crash rounds: the bot as its own process, SIGKILLed at random moments (README "Reliability").
soak: $(STAMP_DEV)
	$(BIN)/python -m tests.reliability.crash --rounds 100

# Benchmarks at the issue's sizes on SQLite, then PostgreSQL (a throwaway server, or the admin URL
# in BENCH_DATABASE_URL); rewrites BENCHMARKS.md (about 30 minutes). Not part of `test`. The seeded
# database is built afresh (--fresh), so the seeding figure is this run's too.
bench: $(STAMP_DEV)
	$(BIN)/python -m bench --fresh

check: $(STAMP_RUN)
	$(BIN)/python -m bot check

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
