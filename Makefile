# Two commands set everything up on a fresh machine: `make scan` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: scan test install lint bench package clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

## scan the reference stack and print the verdict
scan: $(STAMP)
	$(BIN)/gateaudit scan stack/terraform

## install what the tests need and run them
test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check .

## build the Lambda deployment zips (stack/build/*.zip), byte for byte the same from the same sources
package: $(BIN)/python
	$(BIN)/python stack/package.py

bench: $(STAMP)
	$(BIN)/python bench/scan.py

clean:
	rm -rf $(VENV) build *.egg-info
