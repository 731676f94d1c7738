# Two commands do all the set-up on a machine with only Python 3.11+:
#   make run    start the dashboard on the sample data (http://localhost:8501)
#   make test   run every test (installs Debian's chromium for the browser tests if missing)
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PORT   ?= 8501

.PHONY: run test venv demo bench bench-browser clean

$(BIN)/pmo: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(BIN)/pmo

venv: $(BIN)/pmo

run: venv
	$(BIN)/pmo serve --port $(PORT)

# One pytest worker per core (at most 4; pytest-xdist), each test file kept on one worker so a
# file's module fixtures (stores, servers) are built once; the 15 slowest tests are listed.
test: venv
	@command -v chromium >/dev/null 2>&1 || ./.ci/install-chromium
	$(BIN)/pytest -q -n auto --maxprocesses 4 --dist loadfile --durations=15

bench: venv
	$(BIN)/python benchmarks/run.py

bench-browser: venv
	@command -v chromium >/dev/null 2>&1 || ./.ci/install-chromium
	$(BIN)/python benchmarks/browser_times.py

clean:
	rm -rf $(VENV) data .pytest_cache
