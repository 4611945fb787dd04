# newsstream: `make run` (the demo) and `make test` need only Python 3.11 on a fresh machine;
# with Java 17+ and Maven the broker is Apache Kafka, otherwise the pip-installed tansu.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test unit integration lint typecheck schemas eval eval-ner eval-html eval-topics eval-desks eval-calibration eval-stories bench bench-eos bench-enrich bench-html soak clean help

help:
	@echo "make run    - demo: local broker, worker, sample articles, live output (Ctrl-C stops)"
	@echo "make test   - lint, type check, unit and integration tests (real broker)"
	@echo "make eval   - score the offline pipeline on the labelled dev corpus"
	@echo "make eval-ner / eval-html / eval-topics - real labelled data, beside the off-the-shelf baseline"
	@echo "make eval-desks - topics of 65 real whole articles against their desk"
	@echo "make eval-calibration - whether topic scores are right as often as they say (AG News)"
	@echo "make eval-stories - copies and same-story clustering on a labelled set of our own texts"
	@echo "make bench-enrich - tagging and split+tag throughput on one core, worker RSS"
	@echo "make bench-html - reading real-sized HTML pages on one core, beside trafilatura alone"
	@echo "make bench  - throughput, latency and scale-out against a plain-aiokafka ceiling (GUARANTEE=exactly_once)"
	@echo "make bench-eos - exactly-once beside at-least-once, at commit intervals 0.2, 1 and 5 s"
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
	$(BIN)/ruff check streams schemas tests bench
	$(BIN)/ruff format --check streams schemas tests bench

typecheck: $(STAMP)
	$(BIN)/mypy

schemas: $(STAMP)
	$(BIN)/python -m schemas.export

eval: $(STAMP)
	$(BIN)/python $(TOOLS)/score_corpus.py --gold ../shared/corpus/dev/gold.json --cmd '$(BIN)/newsstream process {file}'

# Real, labelled, public data (never in the repo): bench/evaldata.py says how to get it.
EVAL_DIR ?= $(HOME)/.cache/newsstream-eval
TOOLS ?= ../shared/tools
need = @test -e $(EVAL_DIR)/$(1) || { echo "no $(EVAL_DIR)/$(1): clone $(2) and run \
	'$(BIN)/python -m bench.evaldata $(3) --git-dir CLONE/.git' (see bench/evaldata.py)"; exit 2; }

eval-ner: $(STAMP)
	$(call need,eng.testa,https://github.com/ZhixiuYe/HSCRF-pytorch,ner)
	@echo "newsstream, accurate tagger (default):"
	@$(BIN)/python $(TOOLS)/score_ner.py --data $(EVAL_DIR)/eng.testa --cmd '$(BIN)/newsstream process --no-split {files}'
	@echo "newsstream, fast tagger (NEWSSTREAM_TAGGER=fast):"
	@NEWSSTREAM_TAGGER=fast $(BIN)/python $(TOOLS)/score_ner.py --data $(EVAL_DIR)/eng.testa --cmd '$(BIN)/newsstream process --no-split {files}'
	@echo "spaCy en_core_web_sm 3.8 alone:"
	@$(BIN)/python $(TOOLS)/score_ner.py --data $(EVAL_DIR)/eng.testa --cmd '$(BIN)/python $(TOOLS)/spacy_baseline.py {files}'

eval-html: $(STAMP)
	$(call need,aeb/ground-truth.json,https://github.com/scrapinghub/article-extraction-benchmark,html)
	@echo "newsstream:"
	@$(BIN)/python $(TOOLS)/score_html.py --data $(EVAL_DIR)/aeb --split dev --cmd '$(BIN)/newsstream process {files}' | tail -1
	@echo "trafilatura alone:"
	@$(BIN)/python $(TOOLS)/score_html.py --data $(EVAL_DIR)/aeb --split dev --batch 100 \
		--cmd '$(BIN)/python $(TOOLS)/trafilatura_baseline.py --no-comments {files}' | tail -1

eval-topics: $(STAMP)
	$(call need,agnews/labels.json,https://github.com/suuuch/TransformerClassification,topics)
	@$(BIN)/python $(TOOLS)/score_topics.py --data $(EVAL_DIR)/agnews --cmd '$(BIN)/newsstream process --no-split {files}'

eval-desks: $(STAMP)
	$(call need,aeb/ground-truth.json,https://github.com/scrapinghub/article-extraction-benchmark,html)
	@$(BIN)/python -m bench.desks_eval

eval-calibration: $(STAMP)
	$(call need,agnews/labels.json,https://github.com/suuuch/TransformerClassification,topics)
	@$(BIN)/python -m bench.topic_calibration

eval-stories: $(STAMP)
	$(BIN)/python -m bench.stories_eval

bench: $(STAMP)
	$(BIN)/python -m bench.pipeline $(if $(TAGGER),--tagger $(TAGGER)) $(if $(GUARANTEE),--guarantee $(GUARANTEE))

bench-eos: $(STAMP)
	$(BIN)/python -m bench.guarantees

soak: $(STAMP)
	$(BIN)/python -m bench.soak --minutes 10

bench-enrich: $(STAMP)
	$(BIN)/python -m bench.enrich

bench-html: $(STAMP)
	$(BIN)/python -m bench.reading

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
