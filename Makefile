# newsstream: `make run` (the demo) and `make test` need only Python 3.11 on a fresh machine;
# with Java 17+ and Maven the broker is Apache Kafka, otherwise the pip-installed tansu.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test unit integration lint typecheck schemas eval bench bench-enrich soak clean help

help:
	@echo "make run    - demo: local broker, worker, sample articles, live output (Ctrl-C stops)"
	@echo "make test   - lint, type check, unit and integration tests (real broker)"
	@echo "make eval   - score the offline pipeline on the labelled dev corpus"
	@echo "make bench-enrich - tagging and split+tag throughput on one core, worker RSS"
	@echo "make bench  - throughput, latency and scale-out against a plain-aiokafka ceiling"
	@echo "make soak   - one worker at half load for 10 minutes: RSS over time"

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "error: $(PYTHON) not found; install Python 3.11 (or make PYTHON=python3)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet -e ".[dev,local]"
	@touch $(STAMP)

run: $(STAMP)
	$(BIN)/newsstream demo

test: $(STAMP) lint typecheck
	$(BIN)/python -m pytest tests streams schemas --doctest-modules

unit: $(STAMP)
	$(BIN)/python -m pytest tests/unit streams schemas --doctest-modules

integration: $(STAMP)
	$(BIN)/python -m pytest tests/integration

lint: $(STAMP)
	$(BIN)/ruff check streams schemas tests
	$(BIN)/ruff format --check streams schemas tests

typecheck: $(STAMP)
	$(BIN)/mypy

schemas: $(STAMP)
	$(BIN)/python -m schemas.export

eval: $(STAMP)
	$(BIN)/python ../shared/tools/score_corpus.py --gold ../shared/corpus/dev/gold.json --cmd '$(BIN)/newsstream process {file}'

bench: $(STAMP)
	$(BIN)/python -m bench.pipeline

soak: $(STAMP)
	$(BIN)/python -m bench.soak --minutes 10

bench-enrich: $(STAMP)
	$(BIN)/python -m bench.enrich

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
