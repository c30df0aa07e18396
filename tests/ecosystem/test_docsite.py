# -*- coding: utf-8 -*-
# Copyright: (c) 2026, civo.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""antsibull-docs sphinx-init and its build.sh (antsibull-docs collection, sphinx-build -W) build the collection's
docsite to HTML, with a page for every module and every guide of docs/docsite/extra-docs.yml, linked from the index."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import glob
import importlib.metadata
import os
import re
import zlib

from collection_facts import NAME, NAMESPACE, load_yaml, modules

# No network here, so Sphinx cannot fetch intersphinx inventories. The generated pages refer to a few labels of the
# Ansible documentation; this offline inventory holds exactly those, with their real addresses, so that every other
# unresolved reference still fails the build (-W, nitpicky). A new label the pages need shows up as "undefined label".
ANSIBLE_DOCS_URL = 'https://docs.ansible.com/projects/ansible/devel/'
ANSIBLE_DOCS_LABELS = (
    ('common_return_values', 'reference_appendices/common_return_values.html#common-return-values', 'Return Values'),
    ('ansible_configuration_settings', 'reference_appendices/config.html#ansible-configuration-settings', 'Ansible Configuration Settings'),
)


def write_ansible_inventory(path):
    """Write a Sphinx (version 2) object inventory with ANSIBLE_DOCS_LABELS."""
    body = ''.join('%s std:label -1 %s %s\n' % label for label in ANSIBLE_DOCS_LABELS).encode('utf-8')
    header = (b'# Sphinx inventory version 2\n# Project: Ansible\n# Version: devel\n'
              b'# The remainder of this file is compressed using zlib.\n')
    with open(path, 'wb') as handle:
        handle.write(header + zlib.compress(body))


def missing_distributions(requirements_file):
    """Names in a requirements file (as antsibull-docs sphinx-init writes it) that are not installed."""
    missing = []
    with open(requirements_file, encoding='utf-8') as handle:
        for line in handle:
            line = line.split('#', 1)[0].strip()
            if not line:
                continue
            name = re.split(r'[\s<>=!~;\[]', line, maxsplit=1)[0]
            try:
                importlib.metadata.version(name)
            except importlib.metadata.PackageNotFoundError:
                missing.append(name)
    return missing


def test_docsite_builds_with_every_module_and_guide(ansible_cli, tmp_path):
    dest = str(tmp_path / 'docsite')
    os.mkdir(dest)
    init = ansible_cli.run('antsibull-docs', 'sphinx-init', '--use-current', '--squash-hierarchy', '--fail-on-error',
                           '--dest-dir', dest, '%s.%s' % (NAMESPACE, NAME))
    assert init.returncode == 0, init.stdout + init.stderr
    assert missing_distributions(os.path.join(dest, 'requirements.txt')) == [], 'add them to tests/requirements.txt'
    inventory = os.path.join(dest, 'ansible_devel.inv')
    write_ansible_inventory(inventory)
    with open(os.path.join(dest, 'conf.py'), 'a', encoding='utf-8') as handle:
        handle.write('\nintersphinx_mapping = {%r: (%r, %r)}\n' % ('ansible_devel', ANSIBLE_DOCS_URL, inventory))
    build = ansible_cli.run('bash', os.path.join(dest, 'build.sh'), cwd=dest)
    assert build.returncode == 0 and 'build succeeded' in build.stdout, (build.stdout + build.stderr)[-6000:]
    html = os.path.join(dest, 'build', 'html')
    guides = [entry for section in (load_yaml('docs/docsite/extra-docs.yml') or {}).get('sections', []) for entry in section.get('toctree', [])]
    expected = ['index.html'] + ['%s_module.html' % name for name in modules()] + [os.path.join('docsite', '%s.html' % g) for g in guides]
    assert [page for page in expected if not os.path.isfile(os.path.join(html, page))] == []
    with open(os.path.join(html, 'index.html'), encoding='utf-8') as handle:
        index = handle.read()
    assert [g for g in guides if 'docsite/%s.html' % g not in index] == [], 'the collection index does not link these guides'
    assert len(glob.glob(os.path.join(html, '**', '*.html'), recursive=True)) >= len(expected)
