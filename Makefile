# The two commands a newcomer needs: `make demo` and `make test`.
# Only python3 (3.11+) and make are assumed; everything else is installed here.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_DIR ?= demo-output
MUTATION_JOBS ?= 2

.PHONY: demo test lint typecheck unit office browser postgresql bench golden schemas mutation floors clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

## demo: set up, then run the whole planning cycle on the built-in framework
demo: $(STAMP)
	$(BIN)/missionplan demo --out $(DEMO_DIR) --force

## test: set up (LibreOffice, Chromium and PostgreSQL too, where the machine allows), lint, type-check, run every test
## (the register tests start a throwaway PostgreSQL server themselves and stop it afterwards)
test: $(STAMP) office browser postgresql lint typecheck unit

office:
	@bash scripts/ensure-libreoffice.sh

browser:
	@bash scripts/ensure-chromium.sh

postgresql:
	@bash scripts/ensure-postgresql.sh

lint: $(STAMP)
	$(BIN)/ruff check missionplan tests benchmarks
	$(BIN)/ruff format --check missionplan tests benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/pytest

## bench: the benchmarks (not part of the tests); medians and ratios to a bare baseline
bench: $(STAMP)
	$(BIN)/python -m benchmarks.run

## golden: rewrite the golden workbooks in tests/golden/ from the current writer (review, then commit)
golden: $(STAMP)
	MISSIONPLAN_REGENERATE_GOLDEN=1 $(BIN)/pytest -q tests/export/test_golden.py tests/merge/test_golden.py

## schemas: rewrite the JSON Schemas in docs/schemas/ from the plan and framework models (review, then commit)
schemas: $(STAMP)
	$(BIN)/python -m missionplan.planning.schemas docs/schemas

## mutation: mutation testing of the pure rule modules (mutmut; slow, not part of `make test`)
mutation: $(STAMP)
	rm -rf mutants  # a fresh run: mutmut keeps old verdicts when only the tests change
	nice -n 10 $(BIN)/mutmut run --max-children $(MUTATION_JOBS)
	$(BIN)/mutmut export-cicd-stats
	@cat mutants/mutmut-cicd-stats.json
	@echo "Surviving mutants (inspect one with: $(BIN)/mutmut show NAME):"
	@$(BIN)/mutmut results

## floors: the tests on exactly the lowest versions pyproject.toml allows (not part of `make test`)
floors:
	$(PYTHON) -m venv .venv-floors
	$(PYTHON) scripts/floors.py > .venv-floors/constraints.txt
	.venv-floors/bin/python -m pip install --quiet --upgrade pip
	.venv-floors/bin/python -m pip install --quiet -c .venv-floors/constraints.txt -e '.[dev]'
	.venv-floors/bin/python -m pytest -q

clean:
	rm -rf $(VENV) .venv-floors build dist *.egg-info $(DEMO_DIR) mutants
