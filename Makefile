# Two commands for a newcomer: `make demo` and `make test`. Both set up .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: demo test bench lint typecheck format clean

$(STAMP): pyproject.toml package-lock.json scripts/system-deps.sh scripts/web-assets.sh
	bash scripts/system-deps.sh
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[dev]'
	bash scripts/web-assets.sh
	touch $(STAMP)

demo: $(STAMP)
	bash scripts/demo.sh

test: $(STAMP) lint
	$(BIN)/cgc rulesets lint
	$(BIN)/cgc rulesets test
	$(BIN)/python -m pytest -n auto --dist loadfile
	bash scripts/check-wheel.sh

lint: $(STAMP) typecheck
	$(BIN)/ruff check cgc_rules tests bench scripts examples
	$(BIN)/ruff format --check cgc_rules tests bench scripts examples

typecheck: $(STAMP)
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff check --fix cgc_rules tests bench scripts examples
	$(BIN)/ruff format cgc_rules tests bench scripts examples

bench: $(STAMP)
	$(BIN)/python bench/evaluate_bench.py

clean:
	rm -rf $(VENV) build *.egg-info
