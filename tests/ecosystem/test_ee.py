# -*- coding: utf-8 -*-
# Copyright: (c) 2026, civo.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""ansible-builder create makes a build context from every execution environment definition of the tree, as the AWX
guide
runs it (`-f execution-environment.yml` beside it), and a complete one from docs/awx/execution-environment.yml with the
built artifact; the introspection the image build runs next finds the Python libraries the modules document."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import glob
import os
import re
import shutil
import sys

import yaml

from collection_facts import fragment_doc, load_yaml
from collection_under_test import REPO_ROOT


def ee_definitions():
    """Every file of the tree named execution-environment.yml (or .yaml), relative to the tree."""
    found = glob.glob(os.path.join(REPO_ROOT, '**', 'execution-environment.y*ml'), recursive=True)
    return sorted(
        os.path.relpath(p, REPO_ROOT) for p in found if not os.path.relpath(p, REPO_ROOT).startswith(('tests', '.'))
    )


def test_every_ee_definition_builds_a_context_as_the_guide_says(ansible_cli, tmp_path):
    assert 'docs/awx/execution-environment.yml' in ee_definitions()
    for definition in ee_definitions():
        context = str(tmp_path / definition.replace(os.sep, '_'))
        # The guide: cd to the folder of the definition, ansible-builder build -f execution-environment.yml.
        created = ansible_cli.run(
            'ansible-builder',
            'create',
            '-f',
            os.path.basename(definition),
            '-c',
            context,
            '--output-filename',
            'Containerfile',
            cwd=os.path.join(REPO_ROOT, os.path.dirname(definition)),
        )
        assert created.returncode == 0, '%s: %s' % (definition, created.stdout + created.stderr)
        assert os.path.isfile(os.path.join(context, 'Containerfile')), definition


def test_ee_build_context_installs_the_collection_and_its_requirements(artifact, ansible_cli, tmp_path):
    work = str(tmp_path)
    definition = load_yaml('docs/awx/execution-environment.yml')
    # The user-facing definition installs civo.cloud from Galaxy; here it installs the artifact, copied into the
    # build context, so that the context is complete and buildable as it is.
    shutil.copy2(artifact.tarball, work)
    name = os.path.basename(artifact.tarball)
    definition['dependencies']['galaxy'] = {'collections': [{'name': 'collections/%s' % name, 'type': 'file'}]}
    definition['additional_build_files'] = [{'src': name, 'dest': 'collections'}]
    with open(os.path.join(work, 'execution-environment.yml'), 'w', encoding='utf-8') as handle:
        yaml.safe_dump(definition, handle, sort_keys=False)
    context = os.path.join(work, 'context')
    created = ansible_cli.run(
        'ansible-builder',
        'create',
        '-f',
        'execution-environment.yml',
        '-c',
        context,
        '--output-filename',
        'Containerfile',
        cwd=work,
    )
    assert created.returncode == 0, created.stdout + created.stderr
    with open(os.path.join(context, 'Containerfile'), encoding='utf-8') as handle:
        containerfile = handle.read()
    assert [
        n for n in ('ansible-galaxy collection install', 'introspect', 'FROM $EE_BASE_IMAGE') if n not in containerfile
    ] == []
    assert os.path.isfile(os.path.join(context, '_build', 'collections', name))
    # What the image build does next: introspect the installed collections. It must find the documented requirements.
    pip_txt = os.path.join(work, 'pip.txt')
    introspect = ansible_cli.run(
        sys.executable,
        os.path.join(context, '_build', 'scripts', 'introspect.py'),
        'introspect',
        artifact.collections_path,
        '--write-pip',
        pip_txt,
        '--write-bindep',
        os.path.join(work, 'bindep.txt'),
        cwd=work,
    )
    assert introspect.returncode == 0, introspect.stdout + introspect.stderr
    with open(pip_txt, encoding='utf-8') as handle:
        pip_lines = [line.strip() for line in handle if line.strip()]
    documented = [str(r).split()[0] for r in fragment_doc().get('requirements', [])]
    assert documented, 'the doc fragment lists no requirements'
    assert [
        r
        for r in documented
        if not any(re.match(r'^%s\b' % re.escape(r), line) and 'civo.cloud' in line for line in pip_lines)
    ] == [], pip_lines
