# -*- coding: utf-8 -*-
# Copyright: (c) 2026, civo.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""make build: ansible-galaxy builds the collection, the artifact holds no build or test leftovers, it installs, and
ansible-doc renders every module and documented role of the installed copy without an error or a warning."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import glob
import json
import os
import tarfile

import pytest

from collection_facts import NAME, NAMESPACE, documented_roles, fqcn, modules
from collection_under_test import REPO_ROOT

# plugins/ folders that hold no plugin ansible-doc shows, or that have a test of their own (modules; an action plugin is
# documented by its module of the same name, and ansible-doc has no type action).
NOT_DOCUMENTED = ('modules', 'module_utils', 'doc_fragments', 'action', '__pycache__')
# Every other plugin type the collection has (filter, lookup ...), found from its folder under plugins/.
PLUGIN_TYPES = sorted(
    os.path.basename(p)
    for p in glob.glob(os.path.join(REPO_ROOT, 'plugins', '*'))
    if os.path.isdir(p) and os.path.basename(p) not in NOT_DOCUMENTED
)

# What must never end up in the artifact (galaxy.yml build_ignore): top-level folders, and paths under tests/.
FORBIDDEN_TOP = ('.git', '.build', '.ci', '.ansible', '.pytest_cache')
FORBIDDEN_PATHS = ('tests/output', 'tests/integration/inventory', 'tests/integration/integration_config.yml')


def forbidden(member):
    """Whether an artifact member is build or test output."""
    parts = member.split('/')
    return (
        parts[0] in FORBIDDEN_TOP
        or parts[0].startswith('.venv')
        or '__pycache__' in parts
        or member.endswith('.pyc')
        or any(member == path or member.startswith(path + '/') for path in FORBIDDEN_PATHS)
    )


def test_artifact_leaves_out_build_and_test_output(artifact):
    with tarfile.open(artifact.tarball) as tar:
        names = tar.getnames()
    assert 'MANIFEST.json' in names
    assert sorted(name for name in names if forbidden(name)) == []


def doc_problems(stderr):
    """Errors and warnings of ansible-doc (ansible-core 2.21 warns about a collection of its own: not ours to fix)."""
    return [
        line
        for line in stderr.splitlines()
        if ('ERROR' in line or 'WARNING' in line) and '/ansible/_internal/' not in line
    ]


@pytest.mark.parametrize('plugin_type', PLUGIN_TYPES)
def test_ansible_doc_renders_every_other_plugin(artifact, ansible_cli, plugin_type):
    env = ansible_cli.env(artifact.collections_path)
    listed = ansible_cli.run(
        'ansible-doc',
        '-t',
        plugin_type,
        '--list',
        '--json',
        '%s.%s' % (NAMESPACE, NAME),
        env=env,
        cwd=artifact.collections_path,
    )
    assert listed.returncode == 0 and doc_problems(listed.stderr) == [], listed.stderr
    names = sorted(json.loads(listed.stdout))
    assert names, 'ansible-doc lists no %s plugin of the collection: do they have documentation?' % plugin_type
    shown = ansible_cli.run('ansible-doc', '-t', plugin_type, *names, env=env, cwd=artifact.collections_path)
    assert shown.returncode == 0 and doc_problems(shown.stderr) == [], shown.stderr
    assert [name for name in names if name.upper() not in shown.stdout.upper()] == []


@pytest.mark.parametrize(
    'plugin_type,name', [('module', m) for m in modules()] + [('role', r) for r in documented_roles()]
)
def test_ansible_doc_renders_the_installed_copy(artifact, ansible_cli, plugin_type, name):
    done = ansible_cli.run(
        'ansible-doc',
        '-t',
        plugin_type,
        fqcn(name),
        env=ansible_cli.env(artifact.collections_path),
        cwd=artifact.collections_path,
    )
    assert done.returncode == 0, done.stderr
    assert doc_problems(done.stderr) == []
    assert fqcn(name).upper() in done.stdout.upper()
