# -*- coding: utf-8 -*-
# Copyright: (c) 2026, civo.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The commands the README and the guides tell a newcomer to run, run as written, and their claims checked: make demo
(two runs against one simulator, changed=1 then changed=0, an explanation at the end) and the AWX guide's
`make try-awx-job`. make runs here with the virtualenv of this test as the demo's, so that it creates none."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import re
import shlex
import shutil
import subprocess
import sys

import pytest

from collection_facts import read_text
from collection_under_test import REPO_ROOT

VENV = os.path.dirname(os.path.dirname(sys.executable))


def recaps(output):
    """The changed= count of every PLAY RECAP in the output, in order."""
    return [int(n) for n in re.findall(r'^localhost\s*:.*\bchanged=(\d+)', output, re.MULTILINE)]


@pytest.fixture(scope='module')
def clone(tmp_path_factory):
    """The tree under test as a git repository of its own (the demo targets copy what git lists), like a fresh clone."""
    path = str(tmp_path_factory.mktemp('clone') / 'cloud')
    shutil.copytree(REPO_ROOT, path, ignore=shutil.ignore_patterns('.build', 'tests/output', '__pycache__'))
    for command in (['git', 'init', '-q'], ['git', 'add', '-A']):
        subprocess.run(command, cwd=path, check=True)
    return path


def run_make(ansible_cli, clone, *args):
    """make ARGS in the clone, the demo's virtualenv being this one; asserts success, returns the output."""
    done = ansible_cli.run('make', '--no-print-directory', 'CELL_VENV=%s' % VENV, *args, cwd=clone, env=ansible_cli.env(), timeout=900)
    assert done.returncode == 0, (done.stdout + done.stderr)[-6000:]
    return done.stdout


def guide_command(guide, starts_with):
    """The one console command of a guide that starts with `starts_with`, as shell words."""
    found = [line.strip()[2:] for line in read_text(guide).splitlines() if line.strip().startswith('$ ' + starts_with)]
    assert len(found) == 1, found
    return shlex.split(found[0])


def test_make_demo_runs_twice_and_says_what_happened(ansible_cli, clone):
    output = run_make(ansible_cli, clone, 'demo')
    assert recaps(output) == [1, 0], 'the first run takes the snapshots in one changed task, the second changes nothing'
    explained = output[output.index('==> What happened'):]
    taken = re.findall(r'^\s+(backup-\S+) of (\S+)$', explained, re.MULTILINE)
    assert sorted(host for _name, host in taken) == ['db-1', 'web-1'], explained
    words = ' '.join(explained.split())
    assert 'The first run took 2 snapshot(s)' in words and 'not a secret' in words and 'changed=0' in words, words
    assert [hint for hint in ('ansible-doc civo.cloud.civo_snapshot', 'civo.cloud.snapshot_backup', 'make docs-html',
                              'Use it in your own playbooks') if hint not in explained] == []
    assert 'Use it in your own playbooks' in read_text('README.md'), 'the section the demo points to'


def test_awx_guide_try_command_runs_the_job_twice(ansible_cli, clone):
    command = guide_command('docs/docsite/rst/guide_awx.rst', 'make try-awx-job')
    output = run_make(ansible_cli, clone, *command[1:])
    assert recaps(output) == [1, 0], output[-4000:]
    held = re.findall(r'^\s+(nightly-(web-1|db-1)-\d{8}T\d{6}Z)\s+complete', output, re.MULTILINE)
    assert sorted(set(host for _name, host in held)) == ['db-1', 'web-1'], output[-4000:]
