# -*- coding: utf-8 -*-
# Copyright: (c) 2026, civo.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""galaxy-importer (its own virtualenv, GALAXY_IMPORTER_VENV, made by make from tests/requirements-galaxy-importer.txt)
imports the built artifact with no ERROR or WARNING and a result that shows every module, role and the README."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import sys

import pytest

from collection_facts import load_yaml, modules, roles

# run_ansible_test must stay off: it needs a container engine, fails without one, and the importer still reports
# success.
CONFIG = '''[galaxy-importer]
run_ansible_test = False
run_ansible_doc = True
run_ansible_lint = True
offline_ansible_lint = True
check_changelog = True
log_level_main = INFO
'''


def result_problems(result):
    """What importer_result.json must say about this collection."""
    galaxy, meta = load_yaml('galaxy.yml'), result.get('metadata', {})
    problems = [
        'metadata %s is %r, galaxy.yml says %r' % (k, meta.get(k), galaxy.get(k))
        for k in ('namespace', 'name', 'version')
        if str(meta.get(k)) != str(galaxy.get(k))
    ]
    if result.get('requires_ansible') != load_yaml('meta/runtime.yml').get('requires_ansible'):
        problems.append('requires_ansible %r differs from meta/runtime.yml' % result.get('requires_ansible'))
    docs = dict(
        ((c.get('content_type'), c.get('content_name')), c) for c in result.get('docs_blob', {}).get('contents', [])
    )
    for module in modules():
        doc = ((docs.get(('module', module)) or {}).get('doc_strings') or {}).get('doc') or {}
        if not doc.get('options') or not doc.get('short_description'):
            problems.append('Galaxy would show no documentation for the module %s' % module)
    problems.extend('Galaxy would not list the role %s' % role for role in roles() if ('role', role) not in docs)
    if not (result.get('docs_blob', {}).get('collection_readme') or {}).get('html'):
        problems.append('Galaxy would show no README')
    return problems


def test_galaxy_importer_accepts_the_artifact(artifact, ansible_cli, tmp_path):
    venv = os.environ.get('GALAXY_IMPORTER_VENV')
    if not venv:
        pytest.fail('GALAXY_IMPORTER_VENV is not set: run this through make ecosystem, which makes that virtualenv')
    config = tmp_path / 'galaxy-importer.cfg'
    config.write_text(CONFIG)
    # Only the importer's own tools on PATH (it calls ansible-doc and ansible-lint by name), none of our settings.
    env = dict(
        (k, v)
        for k, v in os.environ.items()
        if not k.startswith(('ANSIBLE_', 'GALAXY_IMPORTER_', 'CIVO_', 'PYTHON', 'VIRTUAL_ENV'))
    )
    system_path = [
        p
        for p in env.get('PATH', os.defpath).split(os.pathsep)
        if os.path.abspath(p) != os.path.dirname(sys.executable)
    ]
    env.update(
        PATH=os.pathsep.join([os.path.join(venv, 'bin')] + system_path),
        GALAXY_IMPORTER_CONFIG=str(config),
        GALAXY_IMPORTER_RUN_ANSIBLE_TEST='False',
        ANSIBLE_NOCOLOR='1',
    )
    done = ansible_cli.run(
        os.path.join(venv, 'bin', 'python'), '-m', 'galaxy_importer.main', artifact.tarball, cwd=str(tmp_path), env=env
    )
    out = done.stdout + done.stderr
    assert done.returncode == 0, out
    assert [
        line for line in out.splitlines() if line.startswith(('ERROR', 'WARNING', 'CRITICAL')) or 'Traceback' in line
    ] == []
    assert 'Importer processing completed successfully' in out
    assert 'ansible-test' not in out and 'run_ansible_test' not in out.lower(), (
        'galaxy-importer ran ansible-test, which must stay off'
    )
    with open(str(tmp_path / 'importer_result.json'), encoding='utf-8') as handle:
        assert result_problems(json.load(handle)) == []
