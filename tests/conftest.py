# -*- coding: utf-8 -*-
# Copyright: (c) 2026, civo.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""What every pytest suite under tests/ shares: the collection under test on sys.path, the running simulator and the
built and installed artifact (one session-scoped fixture each: no suite starts or builds its own).

The suites run through make (make units-<core>, make examples, make ecosystem ...); pytest.ini at the root makes the
root the rootdir, so that this file applies to all of them.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import collections
import glob
import os
import secrets
import subprocess
import sys

import pytest

TESTS = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(TESTS, 'ci'))
sys.path.insert(0, os.path.join(TESTS, 'simulator'))

from collection_under_test import REPO_ROOT, collections_path  # noqa: E402  pylint: disable=wrong-import-position
from civo_simulator import Simulator  # noqa: E402  pylint: disable=wrong-import-position

try:
    COLLECTIONS_PATH = collections_path()
except RuntimeError as ex:
    pytest.exit(str(ex), returncode=4)
# `import ansible_collections.civo.cloud...` resolves to the collection under test (a plain sys.path entry is what the
# unit tests need: ANSIBLE_COLLECTIONS_PATH alone does not make the package importable).
sys.path.insert(0, COLLECTIONS_PATH)

BIN = os.path.dirname(sys.executable)
Artifact = collections.namedtuple('Artifact', 'tarball collections_path')


class AnsibleCLI:
    """The ansible-* commands (and the other tools) of the virtualenv running the tests, aimed at one collections
    path."""

    def env(self, collections=COLLECTIONS_PATH, **extra):
        """civo.cloud from `collections` only, this interpreter, no CIVO_* settings of the caller, no colours."""
        env = dict((key, value) for key, value in os.environ.items() if not key.startswith('CIVO_'))
        env.update(
            ANSIBLE_COLLECTIONS_PATH=collections,
            ANSIBLE_COLLECTIONS_SCAN_SYS_PATH='false',
            ANSIBLE_NOCOLOR='1',
            ANSIBLE_FORCE_COLOR='0',
            ANSIBLE_PYTHON_INTERPRETER=sys.executable,
            ANSIBLE_LOCALHOST_WARNING='false',
            ANSIBLE_INVENTORY_UNPARSED_WARNING='false',
            NO_COLOR='1',
            PY_COLORS='0',
            PATH=BIN + os.pathsep + os.environ.get('PATH', ''),
        )
        env.update(extra)
        return env

    def run(self, name, *args, **kwargs):
        """Run tool `name` of this virtualenv (else from PATH) to completion, output captured as text; the test judges
        it."""
        path = os.path.join(BIN, name)
        kwargs.setdefault('env', self.env())
        kwargs.setdefault('cwd', REPO_ROOT)
        kwargs.setdefault('timeout', 600)
        return subprocess.run(
            [path if os.path.exists(path) else name] + list(args), capture_output=True, text=True, check=False, **kwargs
        )


@pytest.fixture(scope='session')
def ansible_cli():
    """AnsibleCLI: run ansible-galaxy, ansible-doc, ansible-playbook ... against the collection under test or the
    artifact."""
    return AnsibleCLI()


@pytest.fixture(scope='session')
def simulator():
    """The Civo API simulator of tests/simulator, running for the whole session; a test calls simulator.reset(...)
    first."""
    with Simulator(token='pytest-' + secrets.token_hex(8), new_seconds=0.2, progress_seconds=0.6) as sim:
        yield sim


@pytest.fixture(scope='session')
def artifact(tmp_path_factory, ansible_cli):
    """The collection under test built with ansible-galaxy and installed from that tarball into a collections path of
    its own.

    ARTIFACT_TARBALL names a tarball built already (make galaxy-importer TARBALL=...: a release's, RELEASING.md).
    """
    folder = str(tmp_path_factory.mktemp('artifact'))
    collections_dir = os.path.join(folder, 'collections')
    env = ansible_cli.env(collections_dir)
    tarballs = [os.environ['ARTIFACT_TARBALL']] if os.environ.get('ARTIFACT_TARBALL') else []
    if not tarballs:
        built = ansible_cli.run('ansible-galaxy', 'collection', 'build', '--force', '--output-path', folder, env=env)
        assert built.returncode == 0, built.stdout + built.stderr
        tarballs = glob.glob(os.path.join(folder, 'civo-cloud-*.tar.gz'))
    assert len(tarballs) == 1, tarballs
    installed = ansible_cli.run(
        'ansible-galaxy', 'collection', 'install', '--force', '-p', collections_dir, tarballs[0], cwd=folder, env=env
    )
    assert installed.returncode == 0, installed.stdout + installed.stderr
    return Artifact(tarballs[0], collections_dir)
