# sergel-eval: every target sets up .venv first when needed.
# `make help` lists the targets.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
EVAL := $(VENV)/bin/evaluation

.DEFAULT_GOAL := help

.PHONY: help setup report test lab notebooks example-data validate lint format bench clean

help: ## list the targets
	@grep -E '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "sergel-eval needs Python >= 3.11 (set PYTHON=python3.11)")'
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

setup: $(STAMP) ## create .venv and install the project (only when needed)

report: setup ## run every notebook on the example data and write the HTML report
	$(EVAL) run

test: setup ## unit tests, doctests and nbval checks of every notebook
	$(PY) -m pytest

lab: setup ## open JupyterLab on notebooks/
	$(VENV)/bin/jupyter lab notebooks/

notebooks: setup ## re-execute the committed notebooks on data/example (refreshes their outputs)
	$(EVAL) refresh-notebooks

example-data: setup ## regenerate data/example from the default seed
	$(EVAL) make-example-data --out data/example --force

validate: setup ## validate the example data set
	$(EVAL) validate --data data/example

lint: setup ## ruff lint and format check
	$(VENV)/bin/ruff check evaluation tests benchmarks
	$(VENV)/bin/ruff format --check evaluation tests benchmarks

format: setup ## ruff format
	$(VENV)/bin/ruff format evaluation tests benchmarks
	$(VENV)/bin/ruff check --fix evaluation tests benchmarks

bench: setup ## benchmarks (not part of make test); writes benchmarks/results.md
	$(PY) benchmarks/run.py $(BENCH_ARGS)

clean: ## remove generated output (reports/, caches); keeps .venv
	rm -rf reports .pytest_cache .benchmarks .hypothesis
