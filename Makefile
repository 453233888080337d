# Dasbor Desa Kalteng. `make run` and `make test` work on a fresh machine: both set up first.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
export DASBOR_DATA_DIR ?= $(CURDIR)/data
export DAGSTER_HOME ?= $(CURDIR)/.dagster_home
STAMP := $(VENV)/.installed

.PHONY: setup debian-packages chromium sample seed materialize run serve test test-fast lint fmt bench cadangan clean

# Bytecode is compiled at install: uv does not by default, and where PYTHONDONTWRITEBYTECODE is
# set (this machine) Python never caches it, so every process (each run, worker, code server)
# compiled dagster, polars and streamlit again: 3 s of a 5 s definitions import.
setup: $(STAMP)
	@$(BIN)/python -m compileall -q -j 0 pipelines dashboards laporan pengguna benchmarks tests >/dev/null

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is required"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==0.13.9
	$(BIN)/uv pip install --quiet --compile-bytecode --python $(BIN)/python -e '.[dev]'
	touch $(STAMP)

# Debian's chromium prints the briefing PDF and drives the browser tests (never
# `playwright install`: no downloads here); poppler-utils turns PDFs into text and PNG pages;
# caddy is the dashboard's front door (pipelines.serve), in front of the Streamlit workers.
DEBIAN_PACKAGES := chromium poppler-utils caddy
debian-packages:
	@if ! command -v chromium >/dev/null || ! command -v pdftoppm >/dev/null \
		|| ! test -x /usr/bin/caddy; then \
		SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $(DEBIAN_PACKAGES) >/dev/null; \
	fi
# The old name, kept for anyone who types it.
chromium: debian-packages

# Regenerate the built-in sample (real figures where they exist, synthetic elsewhere).
sample: setup
	$(BIN)/python -m pipelines.sample_data --out $(DASBOR_DATA_DIR)/inbox

# First run only: put the sample into the inbox. Later runs take only what officers drop.
seed: setup
	@if [ ! -f "$(DASBOR_DATA_DIR)/warehouse/dasbor.duckdb" ]; then \
		echo "Mengisi inbox dengan data contoh"; \
		$(BIN)/python -m pipelines.sample_data --out $(DASBOR_DATA_DIR)/inbox; fi

materialize: setup
	@mkdir -p "$(DAGSTER_HOME)"
	$(BIN)/dagster asset materialize -m pipelines.definitions --select '*'

# Main job: set up, load the sample, run the pipeline, serve Dagster (3000, loopback only) and
# the dashboard through its front door (8501: Caddy in front of the Streamlit workers).
run: setup debian-packages seed materialize serve

serve: setup
	$(BIN)/python -m pipelines.serve

# Every test on both cores (pytest-xdist) in one run. --dist loadfile keeps a module's tests on
# one worker (its served dashboard, ports and run directory are its own); tests/conftest.py puts
# the modules with browser and end-to-end tests first, and the unit tests fill their waits.
test: setup debian-packages
	$(BIN)/pytest -n 2 --dist loadfile --no-loadscope-reorder --durations=20

test-fast: setup
	$(BIN)/pytest -n 2 -m "not browser and not e2e"

lint: setup
	$(BIN)/ruff check pipelines dashboards pengguna laporan tests benchmarks
	$(BIN)/ruff format --check pipelines dashboards pengguna laporan tests benchmarks

fmt: setup
	$(BIN)/ruff check --fix pipelines dashboards pengguna laporan tests benchmarks
	$(BIN)/ruff format pipelines dashboards pengguna laporan tests benchmarks

bench: setup debian-packages
	$(BIN)/python -m benchmarks.run_all

# One backup file of what cannot be rebuilt (archive/, rejected/, akun/ with the signing key,
# ingest_log and notifikasi_log, the snapshot) into CADANGAN_KE, taken while runs go on:
# `make cadangan CADANGAN_KE=/mnt/cadangan`. Copy it off this machine (docs/operations.md).
# Then the older backups there are pruned: the newest per day for 7 days, per week for 13 weeks.
CADANGAN_KE ?= $(CURDIR)/cadangan
cadangan: setup
	$(BIN)/python -m pipelines.cadangan buat --ke "$(CADANGAN_KE)"
	$(BIN)/python -m pipelines.cadangan pangkas "$(CADANGAN_KE)"

clean:
	rm -rf $(VENV) .dagster_home data/inbox data/archive data/rejected data/warehouse data/published data/run
