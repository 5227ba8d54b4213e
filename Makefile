# Two commands set up everything: `make demo` and `make test`; `make notebook` opens the course.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO_STAMP := $(VENV)/.demo-installed
TEST_STAMP := $(VENV)/.test-installed
NOTEBOOK_STAMP := $(VENV)/.notebook-installed
NOTEBOOK := notebooks/ann_intro_companion.ipynb

.PHONY: demo test test-tools notebook bench clean

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

# The lecture's companion notebook in JupyterLab. JupyterLab comes from the `notebook` extra,
# installed into .venv here only: `make test` runs the notebook through nbclient and needs no
# Jupyter front end.
$(NOTEBOOK_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[notebook]"
	touch $@ $(DEMO_STAMP)

notebook: $(NOTEBOOK_STAMP)
	$(BIN)/jupyter lab $(NOTEBOOK)

# Two workers on two cores: one BLAS thread each, or they oversubscribe the machine.
test: $(TEST_STAMP) test-tools
	OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 $(BIN)/python -m pytest -n 2 -q

# The programs the browser and LaTeX tests drive, from Debian's packages, never a browser
# that a tool downloads by itself:
#   chromium            /usr/bin/chromium, through Playwright: SVG → PNG, the playground
#   texlive-latex-base  /usr/bin/pdflatex: the trace, the worked example and the sheets as PDF;
#                       it carries article, amsmath, geometry and longtable, and its
#                       dependency texlive-base carries amssymb (all the documents \usepackage)
# A missing one is installed with apt-get (through sudo when not root). Under CI=true a tool
# still missing afterwards fails `make test`, so those tests cannot pass by skipping;
# elsewhere it is a warning, and its tests say they skipped.
CHROMIUM := /usr/bin/chromium
PDFLATEX := /usr/bin/pdflatex
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

test-tools:
	@missing() { \
	  [ -x $(CHROMIUM) ] || printf ' chromium'; \
	  [ -x $(PDFLATEX) ] || printf ' texlive-latex-base'; \
	}; \
	packages="$$(missing)"; \
	if [ -n "$$packages" ]; then \
	  echo "test-tools: installing$$packages from Debian with apt-get"; \
	  $(SUDO) apt-get update -q && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive \
	    apt-get install -y -q --no-install-recommends $$packages; \
	  packages="$$(missing)"; \
	fi; \
	if [ -n "$$packages" ]; then \
	  case "$$(printf '%s' "$${CI:-}" | tr '[:upper:]' '[:lower:]')" in \
	    true|1) echo "test-tools: error: still missing after apt-get:$$packages. CI=true runs" \
	                 "every browser and LaTeX test, so install them (apt-get install$$packages," \
	                 "as root or with sudo) and run make test again." >&2; \
	            exit 1;; \
	    *) echo "test-tools: warning: not installed here:$$packages; the browser or LaTeX tests" \
	            "that need them will skip (under CI=true this is an error)." >&2;; \
	  esac; \
	fi

bench: $(TEST_STAMP)
	env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE $(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) build src/*.egg-info .pytest_cache
