# -*- coding: utf-8 -*-
# Copyright: (c) 2026, civo.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Let `ansible-test sanity --venv` make its virtualenvs on a machine that reaches only the package registries.

ansible-test creates each virtualenv without pip and then runs ~/.ansible/test/cache/get_pip_<pip version>.py, which it
downloads from a host this network cannot reach. This writes that file for the running ansible-test (the pip version
differs by core: 23.1.2 for 2.16/2.17, 24.2 for 2.18/2.19, 25.2 for 2.20/2.21): it installs pip with the standard
library's ensurepip, then the pip version asked for. A real downloaded script is left alone.

Run it with the Python of the ansible-test in question:  .venv-2.16/bin/python tests/ci/get_pip_bootstrap.py
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import sys

from ansible_test._internal.host_configs import NativePythonConfig
from ansible_test._internal.python_requirements import get_venv_packages

MARKER = 'civo.cloud offline get-pip replacement'
SCRIPT = (
    '''"""%s: ensurepip, then pip install the requested packages."""
import subprocess
import sys

ARGS = [arg for arg in sys.argv[1:] if arg not in ('--no-setuptools', '--no-wheel')]
subprocess.check_call([sys.executable, '-m', 'ensurepip', '--default-pip'])
sys.exit(subprocess.call([sys.executable, '-m', 'pip', 'install', '--upgrade'] + ARGS))
'''
    % MARKER
)


def main():
    """Write the bootstrap for this ansible-test's pip version, unless a real one is there."""
    version = get_venv_packages(NativePythonConfig(version='%d.%d' % sys.version_info[:2]))['pip']
    path = os.path.expanduser('~/.ansible/test/cache/get_pip_%s.py' % version.replace('.', '_'))
    if os.path.exists(path):
        with open(path, encoding='utf-8') as handle:
            if MARKER not in handle.read():
                return
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'w', encoding='utf-8') as handle:
        handle.write(SCRIPT)
    print('wrote the offline pip bootstrap %s' % path)


if __name__ == '__main__':
    main()
