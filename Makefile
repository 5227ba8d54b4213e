# Two commands set up everything: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO_STAMP := $(VENV)/.demo-installed
TEST_STAMP := $(VENV)/.test-installed

.PHONY: demo test bench clean chromium

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(DEMO_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[all]"
	touch $@

$(TEST_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[all,test]"
	touch $@ $(DEMO_STAMP)

# The lecture's worked example, then a real training run on the digits with its plots.
demo: $(DEMO_STAMP)
	$(BIN)/glassnet example
	@echo
	$(BIN)/glassnet train digits --out build/demo/digits.safetensors --plots build/demo/plots
	@echo "The plots of this run are in build/demo/plots/ (glassnet plot build/demo/digits.safetensors redraws them)."

# Two workers on two cores: one BLAS thread each, or they oversubscribe the machine.
test: $(TEST_STAMP) chromium
	OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 $(BIN)/python -m pytest -n 2 -q

# Headless Chromium for the browser tests (SVG → PNG, the playground), from Debian, never a
# browser that a tool downloads by itself.
CHROMIUM := /usr/bin/chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

chromium: $(CHROMIUM)

# Tolerant: without root or sudo the suite still runs, and the browser tests say they skipped.
$(CHROMIUM):
	($(SUDO) apt-get update && $(SUDO) apt-get install -y --no-install-recommends chromium) \
	  || echo "chromium could not be installed here; the browser tests will be skipped"

bench: $(TEST_STAMP)
	env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE $(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) build src/*.egg-info .pytest_cache
