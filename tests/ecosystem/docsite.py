# -*- coding: utf-8 -*-
# Copyright: (c) 2026, civo.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Build the collection's docsite to HTML the way the docsite check does (antsibull-docs sphinx-init, then its
build.sh);
used by tests/ecosystem/test_docsite.py and by make docs-html, which keeps the result:

    docsite.py DEST     (run with the tool virtualenv's python, with ANSIBLE_COLLECTIONS_PATH at the collection)
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import importlib.metadata
import os
import re
import subprocess
import sys
import zlib

NAMESPACE, NAME = 'civo', 'cloud'

# No network here, so Sphinx cannot fetch intersphinx inventories. The generated pages refer to a few labels of the
# Ansible documentation; this offline inventory holds exactly those, with their real addresses, so that every other
# unresolved reference still fails the build (-W, nitpicky). A new label the pages need shows up as "undefined label".
ANSIBLE_DOCS_URL = 'https://docs.ansible.com/projects/ansible/devel/'
ANSIBLE_DOCS_LABELS = (
    ('common_return_values', 'reference_appendices/common_return_values.html#common-return-values', 'Return Values'),
    (
        'ansible_configuration_settings',
        'reference_appendices/config.html#ansible-configuration-settings',
        'Ansible Configuration Settings',
    ),
    # antsibull-docs names a module's action plugin (civo_snapshot_backup has one) with a link to this page.
    ('action_plugins', 'plugins/action.html#action-plugins', 'Action plugins'),
    (
        'ansible_collections.ansible.builtin.command_module',
        'collections/ansible/builtin/command_module.html#ansible-collections-ansible-builtin-command-module',
        'ansible.builtin.command module',
    ),
)


def write_ansible_inventory(path):
    """Write a Sphinx (version 2) object inventory with ANSIBLE_DOCS_LABELS."""
    body = ''.join('%s std:label -1 %s %s\n' % label for label in ANSIBLE_DOCS_LABELS).encode('utf-8')
    header = (
        b'# Sphinx inventory version 2\n# Project: Ansible\n# Version: devel\n'
        b'# The remainder of this file is compressed using zlib.\n'
    )
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


def run_tool(*args, **kwargs):
    """Run a tool of this interpreter's virtualenv (else from PATH), output captured as text."""
    path = os.path.join(os.path.dirname(sys.executable), args[0])
    return subprocess.run(
        [path if os.path.exists(path) else args[0]] + list(args[1:]),
        capture_output=True,
        text=True,
        check=False,
        **kwargs,
    )


def build_docsite(dest, run=run_tool):
    """Build the docsite of civo.cloud (found on ANSIBLE_COLLECTIONS_PATH) into the empty folder `dest`, HTML in
    dest/build/html. `run(*args, cwd=...)` runs a tool. Returns the failure as text, or None when it built."""
    init = run(
        'antsibull-docs',
        'sphinx-init',
        '--use-current',
        '--squash-hierarchy',
        '--fail-on-error',
        '--dest-dir',
        dest,
        '%s.%s' % (NAMESPACE, NAME),
    )
    if init.returncode != 0:
        return init.stdout + init.stderr
    missing = missing_distributions(os.path.join(dest, 'requirements.txt'))
    if missing:
        return 'not installed (add them to tests/requirements.txt): %s' % ', '.join(missing)
    inventory = os.path.join(dest, 'ansible_devel.inv')
    write_ansible_inventory(inventory)
    with open(os.path.join(dest, 'conf.py'), 'a', encoding='utf-8') as handle:
        handle.write('\nintersphinx_mapping = {%r: (%r, %r)}\n' % ('ansible_devel', ANSIBLE_DOCS_URL, inventory))
    build = run('bash', os.path.join(dest, 'build.sh'), cwd=dest)
    if build.returncode != 0 or 'build succeeded' not in build.stdout:
        return (build.stdout + build.stderr)[-6000:]
    return None


def main(argv):
    """make docs-html: build into argv[0], replacing what an earlier build left there."""
    dest = os.path.abspath(argv[0])
    subprocess.call(['rm', '-rf', dest])
    os.makedirs(dest)
    failure = build_docsite(dest)
    if failure:
        print(failure)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
