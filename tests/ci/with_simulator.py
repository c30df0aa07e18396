# -*- coding: utf-8 -*-
# Copyright: (c) 2026, civo.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Run one command against a Civo API simulator started for it: ansible-test integration (make integration-<core>) and
the demo playbook (make demo). pytest suites use the `simulator` fixture of tests/conftest.py instead.

    with_simulator.py [--new-seconds S] [--progress-seconds S] [--integration-config] [--summary] [--again] [--explain]
                      -- COMMAND ...

The command gets CIVO_API_URL and CIVO_TOKEN (and no other CIVO_* variable). --integration-config writes
tests/integration/integration_config.yml in the current folder (a copy of the tree: it may hold real-API settings in
yours), which is how ansible-test integration hands the simulator to the targets. --summary prints the API requests the
command made and the snapshots the account holds afterwards. --again runs the command a second time against the same
simulator (the second run of an idempotent playbook changes nothing). --explain ends with what happened, in plain words,
and what to try next (make demo). The exit code is the command's (the first failing run's).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import argparse
import collections
import os
import secrets
import shlex
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), 'simulator'))

from civo_simulator import Simulator  # noqa: E402  pylint: disable=wrong-import-position

INTEGRATION_CONFIG = '''---
# Written by tests/ci/with_simulator.py for the local Civo API simulator.
civo_api_url: "%s"
civo_api_token: "%s"
civo_simulator: true
'''


def parse_args(argv):
    """Command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--new-seconds', type=float, default=0.2, help='time a simulated snapshot stays new')
    parser.add_argument(
        '--progress-seconds', type=float, default=0.6, help='time a simulated snapshot stays in-progress'
    )
    parser.add_argument(
        '--integration-config', action='store_true', help='write tests/integration/integration_config.yml'
    )
    parser.add_argument(
        '--summary', action='store_true', help='print the requests made and the snapshots held afterwards'
    )
    parser.add_argument('--again', action='store_true', help='run the command a second time against the same simulator')
    parser.add_argument('--explain', action='store_true', help='end with what happened and what to try next')
    parser.add_argument('command', nargs='+', help='the command to run (after --)')
    return parser.parse_args(argv)


def print_summary(sim, title):
    """What the command asked of the (simulated) Civo API since the last summary, and what the account holds now."""
    entries = [entry for entry in sim.log() if not str(entry.get('path', '')).startswith('/_sim/')]
    sim.clear_log()
    counts = collections.Counter('%s %s -> %s' % (e.get('method'), e.get('path'), e.get('status')) for e in entries)
    print('==> %s made %d Civo API request(s):' % (title, len(entries)))
    for line, count in sorted(counts.items()):
        print('      %3d x %s' % (count, line))
    print('==> snapshots now held by the simulated account:')
    for snap in sim.snapshots():
        print(
            '      %-36s %-12s instance %s'
            % (snap.get('name'), snap.get('status'), snap.get('hostname') or snap.get('instance_id'))
        )


EXPLANATION = """
==> What happened
    ansible-playbook ran against a Civo API simulator on your machine, {url}, not against Civo: nothing was
    created anywhere and nothing cost money. The token it used, {token}, is the simulator's own, made up for
    this run: not a secret, and no Civo account's.
    The first run took {count} snapshot(s) and waited until each was complete (the simulator is slow on purpose):
      {taken}
    The PLAY RECAP counts tasks, not snapshots: changed=1 is the one task (civo.cloud.civo_snapshot_backup, which
    the role runs) that took every snapshot; its "snapshot_backup:" line counts them. The second run found a recent
    complete backup of every instance and changed nothing (changed=0): running it again is safe.
==> Try next, in this folder; the first line gives your shell make demo's Ansible (a virtualenv) and collection:
    {export}
    ansible-doc civo.cloud.civo_snapshot              every option of the module
    ansible-doc -t role civo.cloud.snapshot_backup    the role the playbook uses: unique names, rotation, min_interval
    make docs-html                                    the guides (runbooks, AWX, the simulator), rendered
==> Your own playbooks: README.md, "Use it in your own playbooks" (what to install, and a playbook to start from)
"""


def print_explanation(sim, token, command):
    """make demo's last words: what ran against what, what was taken, what to read next."""
    snaps = sim.snapshots()
    taken = (
        '\n      '.join('%s of %s' % (s.get('name'), s.get('hostname') or s.get('instance_id')) for s in snaps)
        or 'none'
    )
    print(EXPLANATION.format(url=sim.url, token=token, count=len(snaps), taken=taken, export=export_line(command)))


def export_line(command):
    """The shell line that puts the Ansible of `command` (make demo's ansible-playbook, in a virtualenv) first on PATH
    and points ANSIBLE_COLLECTIONS_PATH at the collections make demo installed, both as absolute paths: the commands
    printed after it then work as printed in any shell."""
    ansible_bin = os.path.dirname(os.path.abspath(shutil.which(command[0]) or command[0]))
    line = 'export PATH=%s:"$PATH"' % shlex.quote(ansible_bin)
    collections_path = os.environ.get('ANSIBLE_COLLECTIONS_PATH')
    if collections_path:
        line += ' ANSIBLE_COLLECTIONS_PATH=%s' % shlex.quote(os.path.abspath(collections_path))
    return line


def main(argv):
    """Start the simulator, run the command, stop the simulator."""
    args = parse_args(argv)
    token = 'sim-' + secrets.token_hex(8)
    with Simulator(token=token, new_seconds=args.new_seconds, progress_seconds=args.progress_seconds) as sim:
        print(
            '==> Civo API simulator at %s (snapshots: new %s s, in-progress %s s)'
            % (sim.url, args.new_seconds, args.progress_seconds)
        )
        if args.integration_config:
            with open(os.path.join('tests', 'integration', 'integration_config.yml'), 'w', encoding='utf-8') as handle:
                handle.write(INTEGRATION_CONFIG % (sim.url, token))
        env = dict((key, value) for key, value in os.environ.items() if not key.startswith('CIVO_'))
        env.update(CIVO_API_URL=sim.url, CIVO_TOKEN=token)
        runs = ['the command'] + (['the same command, run again against the same simulator,'] if args.again else [])
        code = 0
        for title in runs:
            if title != runs[0]:
                print('==> The second run, against the same simulator')
            sys.stdout.flush()
            code = code or subprocess.call(args.command, env=env)
            if args.summary:
                print_summary(sim, title)
        if args.explain and code == 0:
            print_explanation(sim, token, args.command)
    print('==> %s exited with code %s' % (os.path.basename(args.command[0]), code))
    return code


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
