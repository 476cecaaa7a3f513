# Two commands for a newcomer: `make run` and `make test`. Both set up .venv first.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: run test lint bench eval validate clean

$(STAMP): pyproject.toml
	@test -n "$(PYTHON)" || { echo "Python 3.11 is needed (python3.11 or python3 on PATH)"; exit 2; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@rm -f $(VENV)/.installed-*
	@touch $@

run: $(STAMP)  ## talk to Telegram when BOT_TOKEN is set (env or .env), else chat in the terminal
	$(BIN)/technopolis-bot run

test: $(STAMP)  ## lint, then every test
	$(MAKE) --no-print-directory lint
	$(BIN)/technopolis-bot validate
	$(BIN)/pytest

lint: $(STAMP)  ## ruff; radon: no function above complexity 10 in bot/; vulture: no dead code
	$(BIN)/ruff check .
	@out="$$($(BIN)/radon cc -n C bot)"; test -z "$$out" || { echo "radon: too complex (split it):"; echo "$$out"; exit 1; }
	$(BIN)/vulture

# The development question files the repo ships (dev-questions and dev-chat are copies of
# shared/eval/), every file in bench/questions/; QUESTIONS=file for another.
EVAL_FILES := $(sort $(wildcard bench/questions/*.yaml))

eval: $(STAMP)  ## answer quality on the development questions, one report per file
	@for f in $(or $(QUESTIONS),$(EVAL_FILES)); do \
	  echo "== $$f"; $(BIN)/technopolis-bot eval "$$f" || exit $$?; \
	done

bench: $(STAMP)  ## answer quality against baselines, threshold sweep, speed and memory (bench/)
	@test -f $(STAMP).bench || { $(BIN)/python -m pip install --quiet -e '.[bench]' && touch $(STAMP).bench; }
	$(BIN)/python -m bench $(if $(QUESTIONS),--questions $(QUESTIONS)) $(BENCH_FLAGS)
	$(BIN)/python -m bench.watch

validate: $(STAMP)
	$(BIN)/technopolis-bot validate

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .ruff_cache
