# Build and test tooling of the civo.cloud collection: one target per check, each calling its tool directly.
# Needs python3, make, git and the package registries; the Pythons of the ansible-core matrix come from pyenv
# (README.md, "Running the checks"). Every virtualenv is made from a pinned requirements file and remade only when
# that file changes (a .stamp file in the virtualenv).

SHELL := bash
.SHELLFLAGS := -o pipefail -c
.DEFAULT_GOAL := help
# make test runs the checks JOBS at a time (README.md, "Running the checks", says why four).
JOBS ?= 4

# -- the ansible-core matrix ------------------------------------------------------------------------------------------
# One cell per core, each its own virtualenv .venv-<core> from tests/requirements-core-<core>.txt; the Python of a
# cell is the `# python: X.Y` line of that file.
CORES := 2.16 2.17 2.18 2.19 2.20 2.21
SANITY_CORES := 2.16 2.21
PYENV_ROOT ?= $(shell pyenv root 2>/dev/null)
python_of = $(shell sed -n 's/^\# python: //p' $(1))
# The interpreter of Python X.Y: pyenv's, else one on PATH; empty when the machine has none.
find_python = $(firstword $(wildcard $(PYENV_ROOT)/versions/$(1).*/bin/python$(1)) $(shell command -v python$(1) 2>/dev/null))
core_python = $(call python_of,tests/requirements-core-$(1).txt)
core_interpreter = $(call find_python,$(call core_python,$(1)))
AVAILABLE_CORES := $(foreach core,$(CORES),$(if $(call core_interpreter,$(core)),$(core)))
MISSING_CORES := $(filter-out $(AVAILABLE_CORES),$(CORES))
# The default core of make demo and of the single-check targets: 2.21, else the newest cell this machine can run.
DEFAULT_CORE := $(or $(filter 2.21,$(AVAILABLE_CORES)),$(lastword $(AVAILABLE_CORES)),2.21)
ifneq ($(DEFAULT_CORE),2.21)
$(info NOTE: no Python $(call core_python,2.21) here, so the default core is $(DEFAULT_CORE) (Python $(call core_python,$(DEFAULT_CORE))))
endif
cell_venv = $(CURDIR)/.venv-$(1)
CELL_VENV := $(call cell_venv,$(DEFAULT_CORE))

# The tool virtualenv (ansible-lint, molecule, antsibull-*, ansible-builder, with the default core) and galaxy-importer's
# own (it pins libraries older than the tools': attrs<24).
VENV := $(CURDIR)/.venv
TOOLS_PYTHON := $(call find_python,$(call python_of,tests/requirements.txt))
IMPORTER_VENV := $(CURDIR)/.venv-galaxy-importer
IMPORTER_PYTHON := $(call find_python,$(call python_of,tests/requirements-galaxy-importer.txt))

# -- the checks -------------------------------------------------------------------------------------------------------
# In the order make test starts them: the longest first, so that the short ones fill the gaps at the end.
CHECKS := $(foreach core,$(SANITY_CORES),sanity-$(core)) reliability ecosystem $(foreach core,$(CORES),integration-$(core)) \
	bench-quick examples lint lint-python $(foreach core,$(CORES),units-$(core)) simulator build docs changelog
RESULTS := $(CURDIR)/.build/results
# The options of every pytest suite are in pytest.ini.
PYTEST := -m pytest $(PYTEST_ARGS)

# $(call tree,NAME): a fresh copy of the working tree (what git would commit, tracked or not) at
# $(COPIES)/NAME/ansible_collections/civo/cloud. Every check runs in a copy of its own: ansible-test needs that shape, the
# suites find the collection under test by it (tests/ci/collection_under_test.py), and checks running together share no
# file. The copies live outside the checkout: inside it, ansible-test would list the files with git, which ignores them.
COPIES := $(or $(TMPDIR),/tmp)/civo-cloud-checks-$(shell echo '$(CURDIR)' | cksum | cut -d' ' -f1)
copy_of = $(COPIES)/$(1)/ansible_collections/civo/cloud
tree = rm -rf $(COPIES)/$(1) && mkdir -p $(call copy_of,$(1)) && \
	git ls-files -z --cached --others --exclude-standard | tar --null -T - --ignore-failed-read -cf - 2>/dev/null \
	| tar -xf - -C $(call copy_of,$(1))
# $(call check,NAME,COMMANDS): run COMMANDS in the copy $(call tree,NAME); record the exit code and the seconds in
# .build/results/NAME, from which tests/ci/summary.py prints the table of make test.
check = @echo "===== $(1)"; start=$$(date +%s); mkdir -p $(RESULTS); \
	( $(call tree,$(1)) && cd $(call copy_of,$(1)) && $(2) ); code=$$?; \
	echo "$$code $$(( $$(date +%s) - start ))" > $(RESULTS)/$(1); echo "===== $(1): exit code $$code"; exit $$code
# $(call skip,NAME,PYTHON): a cell whose Python this machine lacks: skipped by name, a failure under CI=true.
skip = @mkdir -p $(RESULTS); echo "===== $(1): SKIPPED, no Python $(2) (README.md: Running the checks)"; \
	if [ "$$CI" = true ]; then echo "1 0" > $(RESULTS)/$(1); exit 1; fi; echo "skip 0" > $(RESULTS)/$(1)
# ansible-test sanity must pass without ignore entries on every core.
no_sanity_ignores = ! grep -Hs '^\s*[^\#[:space:]]' tests/sanity/ignore-*.txt
# ansible-core warns on every task when requires_ansible excludes it: the integration output must never say so.
no_requires_warning = ! grep -n 'does not support Ansible version' $(1)

.PHONY: help test demo try-awx-job docs-html bench venv format galaxy-importer clean distclean units integration sanity $(CHECKS)

help:
	@echo "make test         every check below, $(JOBS) at a time, going on past failures; then the table and 'N passed, N failed':"
	@echo "                  the ansible-core matrix $(CORES) (units-<core>: pytest tests/unit; integration-<core>: ansible-test"
	@echo "                  integration against the simulator; sanity-<core> for $(SANITY_CORES): ansible-test sanity), simulator"
	@echo "                  (pytest tests/simulator), examples (pytest tests/examples), reliability (pytest tests/reliability),"
	@echo "                  lint (ansible-lint), lint-python (ruff), changelog (antsibull-changelog lint), docs (antsibull-docs lint-collection-docs),"
	@echo "                  build (pytest tests/ecosystem/test_build.py), ecosystem (pytest tests/ecosystem: docs render, docsite,"
	@echo "                  EE, galaxy-importer, AWX, molecule, the guides' commands run as written), bench-quick"
	@echo "                  (tests/performance/bench.py --quick)"
	@echo "make CHECK        one of those checks alone (PYTEST_ARGS='-k docsite' narrows a pytest one)"
	@echo "make units|integration|sanity   that check on the default core $(DEFAULT_CORE)"
	@echo "Helpers, not checks (make test does not run them):"
	@echo "make demo         build + install the collection, run playbooks/backup.yml twice against the Civo API simulator"
	@echo "make try-awx-job  the AWX nightly job (docs/awx/nightly_snapshots.yml) twice against the simulator"
	@echo "make docs-html    the docsite (modules, role, guides) as HTML, kept in .build/docsite/build/html (prints the path)"
	@echo "make bench        the performance benchmark, about 10 min (docs/performance.md); BENCH_ARGS='--quick', '--plot FILE'"
	@echo "make format       ruff format and ruff check --fix on the Python code (lint-python checks both)"
	@echo "make galaxy-importer TARBALL=FILE   galaxy-importer on a release's tarball (RELEASING.md)"
	@echo "make venv         the tool virtualenv .venv;  make clean | distclean (also removes the virtualenvs)"

test:
	@rm -rf $(RESULTS) && mkdir -p $(RESULTS) && date +%s > $(RESULTS)/.start
	-@$(MAKE) --no-print-directory -k -j$(JOBS) --output-sync=target $(CHECKS)
	@python3 tests/ci/summary.py $(RESULTS) $(CHECKS)

units: units-$(DEFAULT_CORE)
integration: integration-$(DEFAULT_CORE)
sanity: sanity-$(DEFAULT_CORE)

# -- virtualenvs --------------------------------------------------------------------------------------------------------
venv: $(VENV)/.stamp

$(VENV)/.stamp: tests/requirements.txt tests/constraints.txt
	@test -n "$(TOOLS_PYTHON)" || { echo "no Python $(call python_of,tests/requirements.txt) for the tool virtualenv (README.md)"; exit 1; }
	rm -rf $(VENV) && $(TOOLS_PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --disable-pip-version-check -c tests/constraints.txt -r tests/requirements.txt
	touch $@

$(IMPORTER_VENV)/.stamp: tests/requirements-galaxy-importer.txt
	rm -rf $(IMPORTER_VENV) && $(IMPORTER_PYTHON) -m venv $(IMPORTER_VENV)
	$(IMPORTER_VENV)/bin/pip install -q --disable-pip-version-check -c $< -r $<
	touch $@

$(CURDIR)/.venv-%/.stamp: tests/requirements-core-%.txt
	rm -rf $(call cell_venv,$*) && $(call core_interpreter,$*) -m venv $(call cell_venv,$*)
	$(call cell_venv,$*)/bin/pip install -q --disable-pip-version-check -r $<
	touch $@

# -- the matrix cells ---------------------------------------------------------------------------------------------------
# ansible-test finds the venv's tools on PATH; --python-interpreter: the modules run where requests is installed.
define CELL
ifneq ($(call core_interpreter,$(1)),)
units-$(1): $(call cell_venv,$(1))/.stamp
	$$(call check,$$@,$(call cell_venv,$(1))/bin/python $(PYTEST) tests/unit)

integration-$(1): $(call cell_venv,$(1))/.stamp
	$$(call check,$$@,PATH=$(call cell_venv,$(1))/bin:$$$$PATH python tests/ci/with_simulator.py --integration-config -- \
		ansible-test integration --allow-unsupported --color no --python $(call core_python,$(1)) \
		--python-interpreter $(call cell_venv,$(1))/bin/python 2>&1 | tee integration.log && $(call no_requires_warning,integration.log))

sanity-$(1): $(call cell_venv,$(1))/.stamp
	$$(call check,$$@,$(no_sanity_ignores) && PATH=$(call cell_venv,$(1))/bin:$$$$PATH python tests/ci/get_pip_bootstrap.py && \
		PATH=$(call cell_venv,$(1))/bin:$$$$PATH ansible-test sanity --venv --python $(call core_python,$(1)) --color no)
else
units-$(1) integration-$(1) sanity-$(1):
	$$(call skip,$$@,$(call core_python,$(1)))
endif
endef
$(foreach core,$(CORES),$(eval $(call CELL,$(core))))

# -- the other checks (tool virtualenv, default core) ------------------------------------------------------------------
# The tools call ansible, ansible-doc ... by name: the tool virtualenv first on PATH.
TOOLS_PATH := PATH=$(VENV)/bin:$$PATH
simulator: $(CELL_VENV)/.stamp
	$(call check,$@,$(CELL_VENV)/bin/python $(PYTEST) tests/simulator)

examples reliability: $(VENV)/.stamp
	$(call check,$@,$(VENV)/bin/python $(PYTEST) tests/$@)

lint: $(VENV)/.stamp
	$(call check,$@,$(TOOLS_PATH) ANSIBLE_COLLECTIONS_PATH=$(COPIES)/$@ ansible-lint)

# The Python code as ruff formats it, and its linter (ruff.toml: 120 columns); make format applies both.
lint-python: $(VENV)/.stamp
	$(call check,$@,$(VENV)/bin/ruff format --check --diff . && $(VENV)/bin/ruff check .)

changelog: $(VENV)/.stamp
	$(call check,$@,$(TOOLS_PATH) antsibull-changelog lint && $(TOOLS_PATH) antsibull-changelog lint-changelog-yaml changelogs/changelog.yaml)

docs: $(VENV)/.stamp
	$(call check,$@,$(TOOLS_PATH) antsibull-docs lint-collection-docs --plugin-docs .)

build: $(VENV)/.stamp
	$(call check,$@,$(VENV)/bin/python $(PYTEST) tests/ecosystem/test_build.py)

ecosystem: $(VENV)/.stamp $(IMPORTER_VENV)/.stamp
	$(call check,$@,GALAXY_IMPORTER_VENV=$(IMPORTER_VENV) $(VENV)/bin/python $(PYTEST) tests/ecosystem --ignore tests/ecosystem/test_build.py)

# The benchmark in miniature, so that it cannot rot: it fails only when the benchmark breaks, never on its figures.
bench-quick: $(VENV)/.stamp
	$(call check,$@,$(VENV)/bin/python tests/performance/bench.py --quick --output tests/output/performance)

# -- not checks -----------------------------------------------------------------------------------------------------------
format: $(VENV)/.stamp
	$(VENV)/bin/ruff format . && $(VENV)/bin/ruff check --fix .

# A release's tarball (RELEASING.md) through galaxy-importer, as Galaxy and Automation Hub import it.
galaxy-importer: $(VENV)/.stamp $(IMPORTER_VENV)/.stamp
	@test -f "$(TARBALL)" || { echo "usage: make galaxy-importer TARBALL=path/to/civo-cloud-X.Y.Z.tar.gz"; exit 2; }
	$(call check,$@,ARTIFACT_TARBALL=$(abspath $(TARBALL)) GALAXY_IMPORTER_VENV=$(IMPORTER_VENV) \
		$(VENV)/bin/python $(PYTEST) tests/ecosystem/test_galaxy_importer.py)

# Runs from the working tree so that BENCH_ARGS paths (--plot docs/...) are yours; the collection measured is the copy.
bench: $(VENV)/.stamp
	$(call tree,bench)
	$(VENV)/bin/python $(call copy_of,bench)/tests/performance/bench.py --output tests/output/performance $(BENCH_ARGS)

# The collection built from a copy of the tree and installed into .build/demo/collections only, so that a copy in
# ~/.ansible/collections is never used; the simulator is slow on purpose (new 2 s, in-progress 8 s) to show the wait.
# The playbook runs twice against the same simulator: the second run shows that it changes nothing.
# ansible-galaxy warns when -p is not a configured collections path (and, once the folder exists, takes it for the pip
# Ansible package's): the install runs with the collections path the playbooks then run with, so no warning is due.
DEMO := $(CURDIR)/.build/demo
demo_collections_path = ANSIBLE_COLLECTIONS_PATH=$(DEMO)/collections ANSIBLE_COLLECTIONS_SCAN_SYS_PATH=false
install_demo_collection = $(call tree,demo) && cd $(call copy_of,demo) && \
	$(CELL_VENV)/bin/ansible-galaxy collection build --force --output-path $(DEMO) && \
	$(demo_collections_path) $(CELL_VENV)/bin/ansible-galaxy collection install --force -p $(DEMO)/collections \
		$(DEMO)/civo-cloud-*.tar.gz
with_demo_simulator = $(demo_collections_path) \
	ANSIBLE_PYTHON_INTERPRETER=$(CELL_VENV)/bin/python ANSIBLE_LOCALHOST_WARNING=false \
	ANSIBLE_INVENTORY_UNPARSED_WARNING=false $(CELL_VENV)/bin/python tests/ci/with_simulator.py
demo: $(CELL_VENV)/.stamp
	@echo "==> step 1/3: build and install the collection (ansible-core $(DEFAULT_CORE)) into $(DEMO)/collections"
	@$(install_demo_collection)
	@echo "==> steps 2-3/3: start the Civo API simulator, run ansible-playbook playbooks/backup.yml, then once more"
	@$(with_demo_simulator) --new-seconds 2 --progress-seconds 8 --summary --again --explain -- \
		$(CELL_VENV)/bin/ansible-playbook playbooks/backup.yml

# The AWX guide's "Try the job before AWX runs it": the nightly job with the environment its credential injects, twice
# (the second run changes nothing), against a simulator; extra variables in NIGHTLY_VARS.
NIGHTLY_VARS ?= {"nightly_instances": ["web-1", "db-1"]}
try-awx-job: $(CELL_VENV)/.stamp
	@$(install_demo_collection)
	@$(with_demo_simulator) --summary --again -- $(CELL_VENV)/bin/ansible-playbook docs/awx/nightly_snapshots.yml -e '$(NIGHTLY_VARS)'

# The docsite (modules, roles, guides) as HTML, built as the docsite check builds it, kept in .build/docsite.
DOCSITE := $(CURDIR)/.build/docsite
docs-html: $(VENV)/.stamp
	@$(call tree,docs-html) && cd $(call copy_of,docs-html) && $(TOOLS_PATH) ANSIBLE_COLLECTIONS_PATH=$(COPIES)/docs-html \
		$(VENV)/bin/python tests/ecosystem/docsite.py $(DOCSITE)
	@echo "==> the docsite is in $(DOCSITE)/build/html: open $(DOCSITE)/build/html/index.html"

# Keeps tests/integration/integration_config.yml: it may hold your real-API settings (the checks write theirs in a copy).
clean:
	rm -rf .build $(COPIES) tests/output tests/integration/inventory .pytest_cache .ansible changelogs/.plugin-cache.yaml ./*.tar.gz
	find . -path './.venv*' -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +

distclean: clean
	rm -rf .venv .venv-*
