# One entry point for contributors and CI. Every target installs what it needs
# on first use: `make serve` to preview, `make test` to check everything.

VENV    := .venv
BIN     := $(VENV)/bin
PYTHON  ?= python3
STAMP   := $(VENV)/.installed
# HashiCorp's HCL parser and formatter (what `nomad fmt` runs), for the example jobs.
HCLFMT  := .cache/bin/hclfmt
ADDR    ?= 127.0.0.1:8000
# Both engines read NO_MKDOCS_2_WARNING; it silences Material's banner about MkDocs 2.
export NO_MKDOCS_2_WARNING := 1

.PHONY: serve build test test-examples system-deps clean

serve: $(STAMP) ## Live preview of both languages on http://127.0.0.1:8000/
	$(BIN)/mkdocs serve --strict -a $(ADDR)

build: $(STAMP) ## Strict build of the site into site/
	$(BIN)/mkdocs build --strict

test: $(STAMP) system-deps $(HCLFMT) ## Every test: site, examples, translations, browser
	$(BIN)/pytest

test-examples: $(STAMP) system-deps $(HCLFMT) ## Only the examples and the book's claims, in seconds
	$(BIN)/pytest -n 2 tests/test_examples*.py tests/test_claims*.py

system-deps: ## Debian tools the tests drive (curl, jq, chromium), installed when missing
	@scripts/system-deps.sh

$(HCLFMT): scripts/build-hclfmt.sh
	@scripts/build-hclfmt.sh $@

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e '.[test]'
	touch $@

clean:
	rm -rf site .pytest_cache
