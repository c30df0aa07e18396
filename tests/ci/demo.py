"""`make demo`: build and install civo.cloud, then run playbooks/backup.yml against the Civo API simulator.

Run it with the project's virtualenv python (the Makefile creates it first):  .venv/bin/python tests/ci/demo.py

The collection is built from the working tree and installed into .build/demo/collections, and
ANSIBLE_COLLECTIONS_PATH points there only, so a copy in ~/.ansible/collections is never used.
The simulator is slow on purpose (a snapshot stays "new" 2 s and "in-progress" 8 s) so that the
playbook's wait is visible. The exit code is the playbook's.
"""

from __future__ import annotations

import argparse
import collections
import glob
import json
import os
import secrets
import shutil
import signal
import sys
import tempfile
import urllib.request

import ci_common
from ci_common import REPO_ROOT, log, run, venv_tool

PLAYBOOK = os.path.join('playbooks', 'backup.yml')
DEMO_DIR = os.path.join(REPO_ROOT, '.build', 'demo')


def build_and_install() -> str:
    """Build the collection from a clean copy of the working tree and install it; return the collections path."""
    shutil.rmtree(DEMO_DIR, ignore_errors=True)
    os.makedirs(DEMO_DIR)
    collections_path = os.path.join(DEMO_DIR, 'collections')
    env = ci_common.base_env(ANSIBLE_COLLECTIONS_PATH=collections_path, ANSIBLE_COLLECTIONS_SCAN_SYS_PATH='false')
    with tempfile.TemporaryDirectory(prefix='civo-cloud-demo-') as tmp:
        copy_root = ci_common.copy_collection(tmp)
        if run([venv_tool('ansible-galaxy'), 'collection', 'build', '--force', '--output-path', DEMO_DIR], cwd=copy_root, env=env):
            raise RuntimeError('ansible-galaxy collection build failed')
    tarballs = glob.glob(os.path.join(DEMO_DIR, 'civo-cloud-*.tar.gz'))
    if len(tarballs) != 1:
        raise RuntimeError('expected one collection artifact in %s, found %s' % (DEMO_DIR, tarballs))
    if run([venv_tool('ansible-galaxy'), 'collection', 'install', '--force', '-p', collections_path, tarballs[0]], cwd=DEMO_DIR, env=env):
        raise RuntimeError('ansible-galaxy collection install failed')
    log('installed %s into %s' % (os.path.basename(tarballs[0]), collections_path))
    return collections_path


def api_summary(url: str) -> None:
    """Print what the playbook asked of the (simulated) Civo API."""
    try:
        with urllib.request.urlopen(url + '/_sim/log', timeout=10) as response:
            entries = json.loads(response.read().decode('utf-8'))
    except (OSError, ValueError) as ex:
        log('could not read the simulator request log: %s' % ex)
        return
    entries = [e for e in entries if not str(e.get('path', '')).startswith('/_sim/')]
    counts = collections.Counter('%s %s -> %s' % (e.get('method'), e.get('path'), e.get('status')) for e in entries)
    log('the playbook made %d Civo API request(s):' % len(entries))
    for line, count in sorted(counts.items()):
        print('      %3d x %s' % (count, line))
    try:
        with urllib.request.urlopen(url + '/_sim/snapshots', timeout=10) as response:
            snapshots = json.loads(response.read().decode('utf-8'))
    except (OSError, ValueError):
        return
    log('snapshots now held by the simulated account:')
    for snap in snapshots if isinstance(snapshots, list) else []:
        if isinstance(snap, dict):
            print('      %-30s %-12s instance %s' % (snap.get('name'), snap.get('status'), snap.get('hostname') or snap.get('instance_id')))


def parse_args(argv: list[str]) -> argparse.Namespace:
    """Command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--new-seconds', type=float, default=2.0, help='time a simulated snapshot stays new')
    parser.add_argument('--progress-seconds', type=float, default=8.0, help='time a simulated snapshot stays in-progress')
    parser.add_argument('playbook_args', nargs='*', help='extra ansible-playbook arguments (after --)')
    return parser.parse_args(argv)


def interrupt(_signum: int, _frame: object) -> None:
    """SIGTERM: unwind like Ctrl-C, so that the playbook and the simulator are stopped."""
    raise KeyboardInterrupt


def main(argv: list[str]) -> int:
    """Build, install, start the simulator, run the playbook, stop the simulator."""
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, interrupt)
    if not os.path.isfile(os.path.join(REPO_ROOT, PLAYBOOK)):
        log('%s does not exist (yet): nothing to demonstrate' % PLAYBOOK)
        return 1
    log('step 1/3: build and install the collection')
    try:
        collections_path = build_and_install()
    except RuntimeError as ex:
        log(str(ex))
        return 1
    token = 'demo-' + secrets.token_hex(8)
    sim_log = os.path.join(DEMO_DIR, 'simulator.log')
    sim = ci_common.Simulator(REPO_ROOT, token, new_seconds=args.new_seconds, progress_seconds=args.progress_seconds,
                              quiet=False, log_path=sim_log)
    code = 1
    try:
        log('step 2/3: start the Civo API simulator (snapshots: new %s s, in-progress %s s)' % (args.new_seconds, args.progress_seconds))
        url = sim.start()
        env = ci_common.base_env(CIVO_API_URL=url, CIVO_TOKEN=token, ANSIBLE_COLLECTIONS_PATH=collections_path,
                                 ANSIBLE_COLLECTIONS_SCAN_SYS_PATH='false', ANSIBLE_PYTHON_INTERPRETER=sys.executable,
                                 ANSIBLE_LOCALHOST_WARNING='false', ANSIBLE_INVENTORY_UNPARSED_WARNING='false',
                                 ANSIBLE_NOCOLOR='0' if sys.stdout.isatty() else '1')
        log('step 3/3: ansible-playbook %s  (CIVO_API_URL=%s, ANSIBLE_COLLECTIONS_PATH=%s)' % (PLAYBOOK, url, collections_path))
        code = run([venv_tool('ansible-playbook'), PLAYBOOK] + args.playbook_args, cwd=REPO_ROOT, env=env)
        api_summary(url)
    except RuntimeError as ex:
        log(str(ex))
    except KeyboardInterrupt:
        log('interrupted')
        code = 130
    finally:
        sim.stop()
    log('demo %s: ansible-playbook exited with code %s (simulator access log: %s)'
        % ('succeeded' if code == 0 else 'FAILED', code, os.path.relpath(sim_log, REPO_ROOT)))
    return code


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
