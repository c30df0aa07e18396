# -*- coding: utf-8 -*-
# Copyright: (c) 2026, civo.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Every module's EXAMPLES runs as a playbook against the simulator, and passes ansible-lint's production profile.

The collection under test and the simulator are the shared ones of tests/conftest.py (make examples).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ast
import glob
import os
import subprocess
import sys

import pytest
import yaml

from collection_under_test import REPO_ROOT as REPO, collections_path

MODULES = sorted(glob.glob(os.path.join(REPO, 'plugins', 'modules', '*.py')))
BIN = os.path.dirname(sys.executable)


def examples_of(path):
    """The EXAMPLES string of a module, read without importing it."""
    with open(path) as source:
        tree = ast.parse(source.read())
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(target, 'id', None) == 'EXAMPLES' for target in node.targets):
            return ast.literal_eval(node.value)
    raise AssertionError('%s has no EXAMPLES' % path)


def write_playbook(module_path, folder):
    """A play whose tasks are the EXAMPLES text as written (indented, not re-serialised), so that lint sees the docs."""
    examples = examples_of(module_path).strip('\n')
    assert isinstance(yaml.safe_load(examples), list)
    tasks = '\n'.join(('    ' + line) if line.strip() else '' for line in examples.splitlines())
    path = os.path.join(folder, os.path.basename(module_path).replace('.py', '.yml'))
    with open(path, 'w') as playbook:
        playbook.write(PLAY_HEADER % os.path.basename(module_path) + tasks + '\n')
    return path


PLAY_HEADER = '''---
- name: EXAMPLES of %s
  hosts: localhost
  connection: local
  gather_facts: false
  tasks:
'''


def env_for(sim=None):
    env = dict(
        os.environ,
        ANSIBLE_COLLECTIONS_PATH=collections_path(),
        ANSIBLE_PYTHON_INTERPRETER=sys.executable,
        ANSIBLE_LOCALHOST_WARNING='false',
        ANSIBLE_NOCOLOR='1',
        PATH=BIN + os.pathsep + os.environ.get('PATH', ''),
    )
    if sim:
        env.update(CIVO_API_URL=sim.url, CIVO_TOKEN=sim.token)
    return env


@pytest.mark.parametrize('module_path', MODULES, ids=os.path.basename)
def test_examples_run_against_the_simulator(module_path, simulator, tmp_path):
    playbook = write_playbook(module_path, str(tmp_path))
    simulator.reset()
    done = subprocess.run(
        [os.path.join(BIN, 'ansible-playbook'), playbook],
        env=env_for(simulator),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert 'failed=0' in done.stdout
    assert simulator.log(), 'the examples sent no request at all'


def test_examples_pass_ansible_lint_production(tmp_path):
    playbooks = [write_playbook(path, str(tmp_path)) for path in MODULES]
    done = subprocess.run(
        [os.path.join(BIN, 'ansible-lint'), '--profile', 'production', '--offline', '--nocolor'] + playbooks,
        cwd=str(tmp_path),
        env=env_for(),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
