# `make run` opens the dashboard; `make test` runs every test. Both create .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test bench mutate lint clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit("Python 3.11 or newer is needed" if sys.version_info < (3, 11) else 0)'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

run: $(STAMP)
	$(BIN)/streamlit run dashboard.py

# Two workers, one test file each at a time (the browser and fault tests of a file
# stay together): the suite takes about half the time on two cores.
test: $(STAMP)
	$(BIN)/python -m pytest -n 2 --dist loadfile

bench: $(STAMP)
	$(BIN)/python bench/rerun.py
	$(BIN)/python bench/startup.py
	$(BIN)/python bench/page.py
	$(BIN)/python bench/forecast.py
	$(BIN)/python bench/cohorts.py

# Mutation testing of the core (about 25 minutes on two cores; not part of `make test`):
# writes bench/results/mutation.md. Judgements of survivors: bench/mutation_judgements.toml.
mutate: $(STAMP)
	rm -rf mutants
	$(BIN)/mutmut run
	$(BIN)/python bench/mutation_report.py

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache mutants
