# The two set-up commands: `make site` and `make test`. Both create .venv and
# install the project with pinned dependencies when it is missing or stale.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: site pdf zip lint test test-fast bench serve validate examples clean chromium messages

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test]'
	touch $(STAMP)

# axe-core for the accessibility test (test-only JavaScript, pinned in tests/package-lock.json).
tests/node_modules/.installed: tests/package.json tests/package-lock.json
	@if command -v npm >/dev/null; then npm ci --prefix tests --no-audit --no-fund --silent && touch $@; \
	else echo "npm not found: the accessibility test will be skipped (install Node.js and npm)"; fi

# Debian's Chromium for the browser tests (pages, accessibility, PDF, the wheel's
# smoke test). Installed here when this shell may (root, apt-get); otherwise say
# what to install, and those tests skip (on CI, where CI is set, they fail).
# poppler-utils (pdftoppm, pdfinfo): the PDF tests look at the printed pages as images.
chromium:
	@if { command -v chromium || command -v chromium-browser; } >/dev/null && command -v pdftoppm >/dev/null; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "installing Debian's chromium and poppler-utils for the browser and PDF tests"; \
	  export DEBIAN_FRONTEND=noninteractive; \
	  { apt-get update -qq && apt-get install -y -qq chromium fonts-dejavu-core poppler-utils >/dev/null; } \
	    || echo "could not install chromium: the browser tests will be skipped"; \
	else echo "chromium or pdftoppm not found: the browser tests will be skipped" \
	  "(install them: sudo apt-get install chromium fonts-dejavu-core poppler-utils)"; fi

site: $(STAMP)
	$(BIN)/cxsite build --site-dir site

# ruff over generator/ and tests/ (its rules: [tool.ruff] in pyproject.toml), before any test runs.
lint: $(STAMP)
	$(BIN)/ruff check

test: lint tests/node_modules/.installed chromium
	$(BIN)/python -m pytest

test-fast: lint
	$(BIN)/python -m pytest -m 'not slow'

pdf: $(STAMP)   # the site plus one PDF per engagement (needs Debian's chromium)
	$(BIN)/cxsite build --site-dir site --pdf

zip: $(STAMP)   # a site that opens from disk, and site.zip to hand over
	$(BIN)/cxsite build --site-dir site --zip

bench: $(STAMP)   # the performance benchmark (ten to twenty minutes); writes bench/results*.json and .md
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[bench]'
	$(BIN)/python -m bench.run
	$(BIN)/python -m bench.leaders

examples: $(STAMP)   # regenerate the example engagements' responses (seeded)
	$(BIN)/python -m cxsite.synth

# cxsite's own UI strings: extract site_templates/locale/cxsite.pot (babel.cfg says from where) and
# merge it into each language's catalogue (new strings empty, changed ones fuzzy) for translation.
messages: $(STAMP)
	$(BIN)/python -m cxsite.catalogues

serve: $(STAMP)
	$(BIN)/cxsite serve

validate: $(STAMP)
	$(BIN)/cxsite validate

clean:
	rm -rf site .venv build *.egg-info .pytest_cache .ruff_cache
