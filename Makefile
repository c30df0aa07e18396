# Build and test tooling of the civo.cloud collection. Needs only python3 (with venv) and make:
# everything else is installed into .venv from tests/requirements.txt + tests/constraints.txt.

PYTHON ?= python3
VENV := .venv
VENV_PY := $(VENV)/bin/python
STAMP := $(VENV)/.requirements.stamp
REQUIREMENTS := tests/requirements.txt tests/constraints.txt tests/requirements-ecosystem.txt
RUN_TESTS := $(VENV_PY) tests/ci/run_tests.py

.DEFAULT_GOAL := help
.PHONY: help venv demo test sanity units integration lint changelog docs build docs_render docsite ee galaxy_importer awx molecule bench clean distclean

help:
	@echo "make demo         build + install the collection, run playbooks/backup.yml against the Civo API simulator"
	@echo "make test         run every check (sanity, units, integration, lint, changelog, docs, build, quick benchmark, ...)"
	@echo "make sanity|units|integration|lint|changelog|docs|build   run one check"
	@echo "make bench        the performance benchmark against the simulator, about 10 min (docs/performance.md);"
	@echo "                  BENCH_ARGS='--quick' for a miniature run, '--plot docs/performance-wait.svg' to refresh the plot"
	@echo "make venv         create $(VENV) with the pinned requirements"
	@echo "make clean        remove build and test output (make distclean also removes $(VENV))"

venv: $(STAMP)

# Re-runs only when the requirement files change.
$(STAMP): $(REQUIREMENTS)
	$(PYTHON) -m venv $(VENV)
	$(VENV_PY) -m pip install --disable-pip-version-check -c tests/constraints.txt -r tests/requirements.txt -r tests/requirements-ecosystem.txt
	touch $(STAMP)

demo: $(STAMP)
	$(VENV_PY) tests/ci/demo.py

test: $(STAMP)
	$(RUN_TESTS)

sanity units integration lint changelog docs build docs_render docsite ee galaxy_importer awx molecule: $(STAMP)
	$(RUN_TESTS) --only $@

# Not part of make test's pass/fail (make test runs its --quick mode so that it cannot rot): it prints figures.
bench: $(STAMP)
	$(VENV_PY) tests/performance/bench.py $(BENCH_ARGS)

# Keeps tests/integration/integration_config.yml: it may hold your real-API settings (the runner writes its own in a copy).
clean:
	rm -rf .build tests/output tests/integration/inventory .pytest_cache .ansible changelogs/.plugin-cache.yaml ./*.tar.gz
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV)
