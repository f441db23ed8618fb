# One entry point for contributors and CI. Every target installs what it needs
# on first use: `make serve` to preview, `make test` to check everything.

VENV    := .venv
BIN     := $(VENV)/bin
PYTHON  ?= python3
STAMP   := $(VENV)/.installed
# HashiCorp's HCL parser and formatter (what `nomad fmt` runs), for the example jobs.
HCLFMT  := .cache/bin/hclfmt
# The jobspec reader of the job checks (tools/hcljob), on the same HCL sources.
HCLJOB  := .cache/bin/hcljob
AXE     := node_modules/axe-core/axe.min.js
LIGHTHOUSE := node_modules/.bin/lighthouse
ADDR    ?= 127.0.0.1:8000
# Both engines read NO_MKDOCS_2_WARNING; it silences Material's banner about MkDocs 2.
export NO_MKDOCS_2_WARNING := 1

.PHONY: serve build test test-slow test-examples mutants bench i18n-status i18n-update linkcheck new-section new-example remove-section hooks audit system-deps clean

serve: $(STAMP) ## Live preview of both languages on http://127.0.0.1:8000/
	$(BIN)/mkdocs serve --strict -a $(ADDR)

build: $(STAMP) ## Strict build of the site into site/
	$(BIN)/mkdocs build --strict

test: $(STAMP) system-deps $(HCLFMT) $(HCLJOB) $(AXE) ## Every test: site, examples, translations, browser (not the slow ones: make test-slow)
	$(BIN)/pytest -n 2 -m "not slow"

test-slow: $(STAMP) system-deps $(HCLFMT) $(HCLJOB) $(AXE) ## The slow tests (the bench's own run), out of make test; their own CI job
	$(BIN)/pytest -n 2 -m slow

test-examples: $(STAMP) system-deps $(HCLFMT) $(HCLJOB) ## Only the examples and the book's claims, in seconds
	$(BIN)/pytest -n 2 tests/test_examples*.py tests/test_claims*.py

mutants: $(STAMP) system-deps $(HCLJOB) ## Mutation gate: realistic edits of every example script must turn a behaviour check red (minutes; not in make test)
	$(BIN)/python tests/mutants.py

bench: $(STAMP) system-deps $(HCLFMT) $(HCLJOB) $(AXE) ## Build and test times of a synthetic 100-section book, with and without the hooks (JSON in .cache/)
	$(BIN)/publishing-bench $(BENCH_ARGS)

i18n-status: $(STAMP) ## Each English page and section: up to date, stale (with the French diff) or missing; STRICT=1 fails unless all up to date
	$(BIN)/publishing-i18n status $(if $(STRICT),--strict)

i18n-update: $(STAMP) ## Record that PAGE (e.g. PAGE=docs/chapitre-3/3.1-constat.en.md) translates the French text as it is now
	@test -n "$(PAGE)" || { echo "usage: make i18n-update PAGE=docs/chapitre-3/3.1-constat.en.md" >&2; exit 2; }
	$(BIN)/publishing-i18n update $(PAGE)

linkcheck: build ## Every link and anchor between the site's pages, offline, with lychee (CI also checks other hosts)
	$(BIN)/publishing-linkcheck site

new-section: $(STAMP) ## Start a section: make new-section CHAPTER=3 SECTION=3.2 SLUG=analyse TITLE="3.2 Analyse post-mortem"
	@test -n "$(CHAPTER)" -a -n "$(SECTION)" -a -n "$(SLUG)" || { echo 'usage: make new-section CHAPTER=3 SECTION=3.2 SLUG=analyse TITLE="3.2 Analyse post-mortem"' >&2; exit 2; }
	$(BIN)/publishing-new-section --chapter "$(CHAPTER)" --section "$(SECTION)" --slug "$(SLUG)" $(if $(TITLE),--title "$(TITLE)")

hooks: $(STAMP) ## Run the checks of make test's linters before each commit (pre-commit, from .venv)
	$(BIN)/pre-commit install

new-example: $(STAMP) ## Add an example to a section: make new-example PAGE=docs/chapitre-3/3.3-remedes.md FILE=examples/chapitre-3/scripts/healthcheck.sh [QUOTE="..."]
	@test -n "$(PAGE)" -a -n "$(FILE)" || { echo 'usage: make new-example PAGE=docs/chapitre-3/3.3-remedes.md FILE=examples/chapitre-3/scripts/healthcheck.sh [QUOTE="..."]' >&2; exit 2; }
	$(BIN)/publishing-new-example --page "$(PAGE)" --file "$(FILE)" $(if $(QUOTE),--quote "$(QUOTE)")

remove-section: $(STAMP) ## Remove a written section (pages, nav, contents): make remove-section CHAPTER=3 SECTION=3.3 SLUG=remedes
	@test -n "$(CHAPTER)" -a -n "$(SECTION)" -a -n "$(SLUG)" || { echo 'usage: make remove-section CHAPTER=3 SECTION=3.3 SLUG=remedes' >&2; exit 2; }
	$(BIN)/publishing-new-section --remove --chapter "$(CHAPTER)" --section "$(SECTION)" --slug "$(SLUG)"

audit: $(STAMP) system-deps $(LIGHTHOUSE) ## Lighthouse (mobile, desktop) and first-visit weight of the home page and 3.1, both languages; a few minutes
	CHROME_PATH=/usr/bin/chromium $(BIN)/publishing-audit

# npm's tools pinned in package-lock.json: axe-core for the browser tests (a dependency: the
# tests install only it, in a second), Lighthouse for make audit (a dev dependency, 200 packages).
$(AXE): package.json package-lock.json
	npm ci --omit=dev --no-audit --no-fund
	@touch $@  # npm gives every file the same old date: make would install again each time

$(LIGHTHOUSE): package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

system-deps: ## Debian tools the tests drive (curl, jq, chromium), installed when missing
	@scripts/system-deps.sh

$(HCLFMT): scripts/build-hcl-tool.sh
	@scripts/build-hcl-tool.sh $@ github.com/hashicorp/hcl/v2/cmd/hclfmt

$(HCLJOB): scripts/build-hcl-tool.sh tools/hcljob/main.go
	@scripts/build-hcl-tool.sh $@ ./tools/hcljob

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e '.[test]'
	touch $@

clean:
	rm -rf site .pytest_cache
