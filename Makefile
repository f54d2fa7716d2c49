# The README's commands. `make demo` runs the main job on the bundled seed (no server) in its own
# store, out/demo-store.json, built from the seed only when missing: running it again keeps what
# was loaded into that store, and its map and report replace only their own earlier versions;
# `make test` installs everything from nothing and runs the whole suite.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
OUT    ?= out
STORE  := $(OUT)/demo-store.json

.PHONY: demo test install install-test system-deps neo4j-jars neo4j bench stress lint clean templates

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install -q -e .

install-test: $(BIN)/python
	$(BIN)/pip install -q -e '.[test]'

demo: install
	@mkdir -p $(OUT)
	@if [ -e $(STORE) ]; then echo "keeping $(STORE) and what was loaded into it (igfmap --store $(STORE) init --force starts again from the seed)"; \
	else echo "$(BIN)/igfmap --store $(STORE) init"; $(BIN)/igfmap --store $(STORE) init; fi
	$(BIN)/igfmap --store $(STORE) stats
	$(BIN)/igfmap --store $(STORE) map --out $(OUT)/igf-map.html --highlight-gaps
	$(BIN)/igfmap --store $(STORE) report --out $(OUT)/report

system-deps:
	bash scripts/install_system_deps.sh

neo4j-jars: $(BIN)/python
	$(BIN)/python scripts/neo4jctl.py fetch

test: system-deps install-test neo4j-jars
	$(BIN)/ruff check . && $(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy
	$(BIN)/python -m pytest -q

# The map's template as the Python source Jinja generates from it, shipped beside it
# (exports/templating.py; tests/exports/test_templating.py fails until this is run after an edit).
templates: install
	$(BIN)/python -m exports.templating

neo4j: neo4j-jars
	$(BIN)/python scripts/neo4jctl.py start --port $${NEO4J_PORT:-7687}

# In-process pairs at 500-10,000 entities, then whole commands on the seed and at M (~30k
# relations) and L (~300k relations, a 108 MB store), the 2,000-entity map in headless Chromium
# against pyvis's own page (capped at 2 minutes), then Neo4j at L (push against LOAD CSV, every
# gap rule and query in Cypher, on a server of its own): 9-10 minutes on 2 cores (537 s and 613 s in the last two runs).
bench: install-test neo4j-jars
	$(BIN)/python -m benchmarks.run --commands seed,1k,10k,M,L,intake-L,browser,neo4j-L --neo4j-repeats 2

# Fault loops too long for `make test`; their figures go in RELIABILITY.md.
STRESS_RUNS ?= 5
STRESS_ENTITIES ?= 20000
STRESS_FAULT_RUNS ?= 3
stress: install-test neo4j-jars
	$(BIN)/python scripts/stress.py push-kill --runs $(STRESS_RUNS) --entities $(STRESS_ENTITIES)
	$(BIN)/python scripts/stress_files.py
	$(BIN)/python scripts/stress_faults.py --runs $(STRESS_FAULT_RUNS)

lint: install-test
	$(BIN)/ruff check . && $(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy

clean:
	rm -rf $(OUT) .pytest_cache
