# Two commands from a fresh clone: `make demo` and `make test`. Both build .venv first.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: demo test lint format venv clean catalogs

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,postgres]'
	touch $(STAMP)

venv: $(STAMP)

demo: $(STAMP)
	$(BIN)/staffroom demo

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

# One pytest worker per core; a plain `pytest` (one file, one test) stays in a single process.
# Bytecode is cached even where the machine turns that off: each worker and each server the tests
# start would otherwise compile every module again.
test: lint
	PYTHONDONTWRITEBYTECODE= $(BIN)/pytest -n auto

# After changing any user-facing text: extract it, bring each language's catalog up to date (new
# strings arrive untranslated, and the catalog test says which), translate, then run this again to
# compile. The compiled .mo files are committed so a fresh clone speaks every language at once.
KEYWORDS := -k _ -k N_ -k ngettext:1,2 -k pgettext:1c,2 --no-default-keywords --add-comments=Translators:
catalogs: $(STAMP)
	$(BIN)/pybabel -q extract -F babel.cfg $(KEYWORDS) --sort-by-file --omit-header --add-location=file -w 100 -o bot/locale/staffroom.pot bot adapters
	$(BIN)/pybabel -q update -D staffroom -i bot/locale/staffroom.pot -d bot/locale -w 100 --no-fuzzy-matching --ignore-obsolete
	$(BIN)/pybabel compile -D staffroom -d bot/locale --statistics

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
