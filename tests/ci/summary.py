# -*- coding: utf-8 -*-
# Copyright: (c) 2026, civo.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Print the summary of make test from the results the checks left; it runs nothing.

    summary.py RESULTS_DIR CHECK ...

Each check wrote RESULTS_DIR/<check> as "<exit code or skip> <seconds>" (the Makefile's `check` and `skip`); a check
without one did not run (for example its virtualenv could not be made) and counts as failed. The ansible-core matrix
(units-<core>, integration-<core>, sanity-<core>; Python from tests/requirements-core-<core>.txt) is printed as a table
of its own. The last line is `N passed, N failed`; the exit code is 1 if any check failed.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import glob
import os
import re
import sys
import time

MATRIX_KINDS = ('units', 'integration', 'sanity')


def read_result(results_dir, check):
    """(state, seconds) of one check: state PASS, FAIL, SKIP or 'did not run'."""
    try:
        with open(os.path.join(results_dir, check), encoding='utf-8') as handle:
            code, seconds = handle.read().split()
    except (OSError, ValueError):
        return 'did not run', 0
    return ('SKIP' if code == 'skip' else 'PASS' if code == '0' else 'FAIL'), int(seconds)


def core_pythons():
    """{core: Python version} from the `# python: X.Y` line of each tests/requirements-core-<core>.txt."""
    pythons = {}
    for path in glob.glob(os.path.join('tests', 'requirements-core-*.txt')):
        with open(path, encoding='utf-8') as handle:
            match = re.search(r'^# python: (\S+)', handle.read(), re.MULTILINE)
        pythons[os.path.basename(path)[len('requirements-core-') : -len('.txt')]] = match.group(1) if match else '?'
    return pythons


def print_matrix(results):
    """The table core, Python, units, integration, sanity, seconds."""
    pythons = core_pythons()
    cores = sorted(
        {check.split('-', 1)[1] for check in results if check.split('-', 1)[0] in MATRIX_KINDS},
        key=lambda core: [int(part) for part in core.split('.')],
    )
    print('\nansible-core matrix')
    print('%-6s %-7s %-12s %-12s %-12s %8s' % ('core', 'Python', 'units', 'integration', 'sanity', 'seconds'))
    for core in cores:
        cells = [results.get('%s-%s' % (kind, core), ('-', 0)) for kind in MATRIX_KINDS]
        print(
            '%-6s %-7s %-12s %-12s %-12s %8d'
            % ((core, pythons.get(core, '?')) + tuple(c[0] for c in cells) + (sum(c[1] for c in cells),))
        )


def main(argv):
    """Print the tables and the closing line."""
    results_dir, checks = argv[0], argv[1:]
    results = dict((check, read_result(results_dir, check)) for check in checks)
    print('\n%-20s %-12s %8s' % ('check', 'result', 'seconds'))
    for check in checks:
        print('%-20s %-12s %8d' % ((check,) + results[check]))
    print_matrix(results)
    try:
        with open(os.path.join(results_dir, '.start'), encoding='utf-8') as handle:
            print('\nwall clock: %d s' % (time.time() - int(handle.read())))
    except (OSError, ValueError):
        pass
    skipped = [check for check in checks if results[check][0] == 'SKIP']
    if skipped:
        print('skipped (no Python for the cell): %s' % ', '.join(skipped))
    failed = [check for check in checks if results[check][0] not in ('PASS', 'SKIP')]
    if failed:
        print('failed: %s' % ', '.join(failed))
    print('%d passed, %d failed' % (sum(1 for check in checks if results[check][0] == 'PASS'), len(failed)))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
