# -*- coding: utf-8 -*-
# Copyright: (c) 2026, civo.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""molecule test of every scenario under extensions/molecule/ passes against the simulator, talking to it, with the
collection under test (prerun off: molecule must not install civo.cloud into ~/.ansible/collections)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import glob
import os

import pytest

from collection_facts import NAME, NAMESPACE, load_yaml
from collection_under_test import REPO_ROOT

SCENARIOS = sorted(
    os.path.basename(os.path.dirname(p))
    for p in glob.glob(os.path.join(REPO_ROOT, 'extensions', 'molecule', '*', 'molecule.yml'))
)
INSTALLED_COPY = os.path.join(
    os.path.expanduser('~'), '.ansible', 'collections', 'ansible_collections', NAMESPACE, NAME
)


def installed_copy_mtime():
    """mtime of civo.cloud in ~/.ansible/collections, which molecule's prerun would (re)install; None if absent."""
    return os.path.getmtime(INSTALLED_COPY) if os.path.exists(INSTALLED_COPY) else None


def test_there_is_a_default_scenario():
    assert 'default' in SCENARIOS


@pytest.mark.parametrize('scenario', SCENARIOS)
def test_scenario_passes_against_the_simulator(scenario, simulator, ansible_cli, tmp_path):
    # With prerun on, molecule builds the collection and installs it into ~/.ansible/collections, where later tools
    # would pick it up instead of the copy under test.
    assert (load_yaml('extensions/molecule/%s/molecule.yml' % scenario) or {}).get('prerun') is False, (
        'set prerun: false'
    )
    simulator.reset(new_seconds=0.5, progress_seconds=1.5)
    before = installed_copy_mtime()
    # Molecule keeps a scenario's state under ~/.ansible/tmp/molecule.<hash of the folder name>.<scenario>, the same for
    # every copy of the collection: runs at the same time would share it. Give each run its own.
    env = ansible_cli.env(
        CIVO_API_URL=simulator.url, CIVO_TOKEN=simulator.token, MOLECULE_EPHEMERAL_DIRECTORY=str(tmp_path)
    )
    done = ansible_cli.run('molecule', 'test', '-s', scenario, env=env)
    assert done.returncode == 0, (done.stdout + done.stderr)[-8000:]
    assert simulator.stats().get('total', 0) > 0, (
        'the scenario passed without a single Civo API request: it tests nothing'
    )
    assert installed_copy_mtime() == before, 'molecule installed civo.cloud into ~/.ansible/collections'
