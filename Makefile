# Two commands for a newcomer: `make demo` and `make test`. Both set up .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: demo test bench lint clean

$(STAMP): pyproject.toml scripts/system-deps.sh
	bash scripts/system-deps.sh
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	bash scripts/demo.sh

test: $(STAMP)
	$(BIN)/cgc rulesets lint
	$(BIN)/cgc rulesets test
	$(BIN)/python -m pytest
	bash scripts/check-wheel.sh

bench: $(STAMP)
	$(BIN)/python bench/evaluate_bench.py

clean:
	rm -rf $(VENV) build *.egg-info
