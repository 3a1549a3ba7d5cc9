# make run    start the app (runtime requirements only)
# make test   unit, page and browser tests (installs requirements-dev.txt)
# make bench  benchmarks against the anchors; writes bench/RESULTS.md (builds bench/.venv-anchors too)
# make clean  remove the virtual environment and generated files

PYTHON ?= python3
VENV   := .venv
ANCHORS := bench/.venv-anchors
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip install --disable-pip-version-check --quiet

.PHONY: run test bench clean

run: $(VENV)/.deps
	$(PY) -m streamlit run app.py

test: $(VENV)/.deps-dev
	$(PY) -m pytest -m "e2e or not e2e"

bench: $(VENV)/.deps-bench $(ANCHORS)/.deps
	$(PY) -m bench.run

clean:
	rm -rf $(VENV) $(ANCHORS) test-artifacts bench/out .pytest_cache
	find . -name __pycache__ -type d -prune -exec rm -rf {} +

$(PY):
	$(PYTHON) -m venv $(VENV)

# One stamp per requirements layer, so `make run` never installs test or bench packages.
$(VENV)/.deps: requirements.txt | $(PY)
	$(PIP) -r requirements.txt
	touch $@

$(VENV)/.deps-dev: requirements-dev.txt requirements-mlflow.txt $(VENV)/.deps
	$(PIP) -r requirements-dev.txt
	touch $@

$(VENV)/.deps-bench: bench/requirements.txt $(VENV)/.deps-dev
	$(PIP) -r bench/requirements.txt
	touch $@

# Evidently and NannyML need pandas < 3 and plotly < 6: a second environment, run as a subprocess.
$(ANCHORS)/.deps: bench/requirements-anchors.txt
	$(PYTHON) -m venv $(ANCHORS)
	$(ANCHORS)/bin/python -m pip install --disable-pip-version-check --quiet -r bench/requirements-anchors.txt
	touch $@
