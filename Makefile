# sergel-eval: every target sets up .venv first when needed.
# `make help` lists the targets.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
RUNTIME_STAMP := $(VENV)/.runtime-stamp
STAMP := $(VENV)/.installed-stamp
EVAL := $(VENV)/bin/evaluation
# setuptools reports every editable install as a warning ("Editable installation. Please
# be careful with folders ..."); it is information, not a problem: keep make's output clean
PIP := PYTHONWARNINGS='ignore:Editable installation:UserWarning' $(PY) -m pip

.DEFAULT_GOAL := help

.PHONY: help setup runtime report test lab notebooks example-data validate lint format bench clean

help: ## list the targets
	@grep -E '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

# Two layers: the runtime dependencies (all that `make report`, `make lab` and the other
# run targets need), and the dev extra on top (pytest, nbval, ruff, playwright, ...) for
# `make setup`, `make test`, `make lint`, `make format` and `make bench`.
$(RUNTIME_STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "sergel-eval needs Python >= 3.11 (set PYTHON=python3.11)")'
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -e .
	@touch $(RUNTIME_STAMP)

$(STAMP): $(RUNTIME_STAMP)
	$(PIP) install --quiet -e '.[dev]'
	@touch $(STAMP)

runtime: $(RUNTIME_STAMP) ## create .venv with the runtime dependencies only (only when needed)

setup: $(STAMP) ## create .venv for development: runtime dependencies and test tools

report: runtime ## run every notebook on the example data and write the HTML report
	$(EVAL) run

test: setup ## the import layers, unit tests, doctests and nbval checks of every notebook
	$(VENV)/bin/lint-imports
	$(PY) -m pytest

lab: runtime ## JupyterLab at the project root, the venv on PATH in its terminals
	$(EVAL) lab

notebooks: runtime ## re-execute the committed notebooks on data/example (refreshes their outputs)
	$(EVAL) refresh-notebooks

example-data: runtime ## regenerate data/example from the default seed
	$(EVAL) make-example-data --out data/example --force

validate: runtime ## validate the example data set
	$(EVAL) validate --data data/example

lint: setup ## ruff (lint, complexity, format), the import layers and mypy
	$(VENV)/bin/ruff check evaluation tests benchmarks notebooks
	$(VENV)/bin/ruff format --check evaluation tests benchmarks
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy

format: setup ## ruff format
	$(VENV)/bin/ruff format evaluation tests benchmarks
	$(VENV)/bin/ruff check --fix evaluation tests benchmarks

bench: setup ## benchmarks (not part of make test); writes benchmarks/results.md
	$(PY) benchmarks/run.py $(BENCH_ARGS)

clean: ## remove generated output (reports/, caches); keeps .venv
	rm -rf reports .pytest_cache .benchmarks .hypothesis
