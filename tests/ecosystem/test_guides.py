# -*- coding: utf-8 -*-
# Copyright: (c) 2026, civo.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The commands the README and the guides tell a newcomer to run, run as written, and their claims checked: make demo
(two runs against one simulator, changed=1 then changed=0, an explanation at the end) and the AWX guide's
`make try-awx-job`. make runs here with the virtualenv of this test as the demo's, so that it creates none."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import urllib.error
import urllib.request

import pytest

from collection_facts import read_text
from guide_text import Shell, code_blocks, guide_command, guide_commands
from collection_under_test import REPO_ROOT

VENV = os.path.dirname(os.path.dirname(sys.executable))


def recaps(output):
    """The changed= count of every PLAY RECAP in the output, in order."""
    return [int(n) for n in re.findall(r'^localhost\s*:.*\bchanged=(\d+)', output, re.MULTILINE)]


@pytest.fixture(scope='module')
def clone(tmp_path_factory):
    """The tree under test as a git repository of its own (the demo targets copy what git lists), like a fresh clone,
    at a path ending in ansible_collections/civo/cloud (the simulator guide runs molecule there)."""
    path = str(tmp_path_factory.mktemp('clone') / 'ansible_collections' / 'civo' / 'cloud')
    shutil.copytree(REPO_ROOT, path, ignore=shutil.ignore_patterns('.build', 'tests/output', '__pycache__'))
    for command in (['git', 'init', '-q'], ['git', 'add', '-A']):
        subprocess.run(command, cwd=path, check=True)
    return path


def run_make(ansible_cli, clone, *args):
    """make ARGS in the clone, the demo's virtualenv being this one; asserts success, returns the output."""
    done = ansible_cli.run('make', '--no-print-directory', 'CELL_VENV=%s' % VENV, *args, cwd=clone, env=ansible_cli.env(), timeout=900)
    assert done.returncode == 0, (done.stdout + done.stderr)[-6000:]
    return done.stdout


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
    command = shlex.split(guide_command('docs/docsite/rst/guide_awx.rst', 'make try-awx-job').text)
    output = run_make(ansible_cli, clone, *command[1:])
    assert recaps(output) == [1, 0], output[-4000:]
    held = re.findall(r'^\s+(nightly-(web-1|db-1)-\d{8}T\d{6}Z)\s+complete', output, re.MULTILINE)
    assert sorted(set(host for _name, host in held)) == ['db-1', 'web-1'], output[-4000:]


SIMULATOR_GUIDE = 'docs/docsite/rst/guide_simulator.rst'
URL_LINE = r'^CIVO_API_URL=(http://127\.0\.0\.1:\d+)$'


def api(url, path, token=None, body=None):
    """One request to the simulator: (HTTP status, headers, parsed JSON body)."""
    request = urllib.request.Request(url + path, data=None if body is None else json.dumps(body).encode(), method='GET' if body is None else 'POST')
    if token:
        request.add_header('Authorization', 'bearer ' + token)
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status, answer.headers, json.loads(answer.read() or b'null')
    except urllib.error.HTTPError as error:
        return error.code, error.headers, json.loads(error.read() or b'null')


def guide_instance_table(guide):
    """The guide's table of the simulated account as {hostname: (region, disk in GB)}."""
    text = read_text(guide)
    table = text[text.index('.. list-table::'):text.index('``--seed FILE``')]
    rows = re.findall(r'^  \* - (.+)\n    - ``(\w+)``\n    - (\d+) GB$', table, re.MULTILINE)
    return dict((host, (region, int(disk))) for hosts, region, disk in rows for host in re.findall(r'``([^`]+)``', hosts))


def run_ok(shell, command, **kwargs):
    """Run a command in the guide's shell; asserts exit status 0, returns (output, seconds)."""
    status, output, seconds = shell.run(command, **kwargs)
    assert status == 0, '%s\n%s' % (command, output[-6000:])
    return output, seconds


@pytest.fixture
def guide_shell(clone, artifact, ansible_cli, tmp_path):
    """A bash session in the clone, the collection installed as a reader installs it (the artifact's collections path),
    TMPDIR of its own (the guide's URL file)."""
    tmpdir = tmp_path / 'tmp'
    tmpdir.mkdir()
    shell = Shell(clone, ansible_cli.env(artifact.collections_path, TMPDIR=str(tmpdir), MOLECULE_EPHEMERAL_DIRECTORY=str(tmp_path / 'molecule')),
                  str(tmp_path / 'session.log'))
    yield shell
    shell.close()


def test_simulator_guide_commands_do_what_it_says(guide_shell, clone):
    commands = guide_commands(SIMULATOR_GUIDE)
    starting = [c for c in commands if c.text.endswith('&')]
    assert len(starting) == 1 and commands.index(starting[0]) == 1, 'the guide starts the simulator in its second command'
    start, export = commands[:2], commands[2]

    # Start the simulator: it prints the URL (as the guide shows it, another port) and writes it to the URL file.
    run_ok(guide_shell, start[0].text)
    assert [c.text for c in start] and start[1].output and re.match(URL_LINE, start[1].output[0]), start[1].output
    run_ok(guide_shell, start[1].text)
    url = guide_shell.wait_for(URL_LINE, timeout=30).group(1)
    output, _seconds = run_ok(guide_shell, export.text + ' && echo "api=$CIVO_API_URL token=$CIVO_TOKEN"')
    assert 'api=%s token=sim-token' % url in output

    # The simulator is in every installed copy, under the path ansible-galaxy collection list prints.
    listed, _seconds = run_ok(guide_shell, 'ansible-galaxy collection list civo.cloud')
    collections_path = re.search(r'^# (/\S+)$', listed, re.MULTILINE).group(1)
    assert os.path.isfile(os.path.join(collections_path, 'civo', 'cloud', 'tests', 'simulator', 'civo_simulator.py')), listed

    # The simulated account and its timing are the guide's.
    status, _headers, instances = api(url, '/v2/instances?per_page=100', token='sim-token')
    assert status == 200
    assert dict((i['hostname'], (i['region'], i['disk_gb'])) for i in instances['items']) == guide_instance_table(SIMULATOR_GUIDE)
    config = api(url, '/_sim/config')[2]
    assert (config['new_seconds'], config['progress_seconds']) == (1.0, 3.0), config

    # try.yml: the playbook block before the command, run twice.
    blocks = code_blocks(SIMULATOR_GUIDE)
    playbook_command = guide_command(SIMULATOR_GUIDE, 'ansible-playbook try.yml')
    at = [i for i, block in enumerate(blocks) if block.language == 'console' and playbook_command.text in block.text][0]
    assert blocks[at - 1].language.startswith('yaml') and 'try-' in blocks[at - 1].text
    with open(os.path.join(clone, 'try.yml'), 'w', encoding='utf-8') as handle:
        handle.write(blocks[at - 1].text)
    first, first_seconds = run_ok(guide_shell, playbook_command.text)
    second, second_seconds = run_ok(guide_shell, playbook_command.text)
    assert recaps(first) == [1] and recaps(second) == [0], first + second
    snapshots = api(url, '/v2/snapshots', token='sim-token')[2]
    assert sorted((s['name'], s['status']) for s in snapshots) == [('try-db-1', 'complete'), ('try-web-1', 'complete')]
    # Each snapshot is waited for until the poll after 4.75 s (the one after 4 s of simulated work), one after the other.
    log = api(url, '/_sim/log')[2]
    started = [entry['time'] for entry in log if entry['method'] == 'PUT' and entry['path'].startswith('/v2/snapshots/try-')]
    assert len(started) == 2 and started[1] - started[0] >= 4.75, started
    assert first_seconds - second_seconds >= 8, 'the guide: about 10 s more than the second run (%.1f s, %.1f s)' % (
        first_seconds, second_seconds)

    # Rehearse failures: each control request, then what the guide says it does.
    def control(fragment):
        output, _seconds = run_ok(guide_shell, guide_command(SIMULATOR_GUIDE, 'curl', containing=fragment).text)
        return output

    control('"status": 503')
    retried = run_ok(guide_shell, "ansible localhost -m civo.cloud.civo_snapshot -a 'name=rehearse-503 instance=web-2 wait=false'")[0]
    assert 'CHANGED' in retried and '"retried_requests"' in retried, retried
    statuses = [e['status'] for e in api(url, '/_sim/log')[2] if e['method'] == 'PUT' and e['path'] == '/v2/snapshots/rehearse-503']
    assert statuses[:3] == [503, 503, 200], statuses

    control('fail_names')
    failed = guide_shell.run("ansible localhost -m civo.cloud.civo_snapshot -a 'name=doomed-1 instance=web-2'")
    assert failed[0] != 0 and 'FAILED' in failed[1], failed[1]
    assert [s['status'] for s in api(url, '/v2/snapshots', token='sim-token')[2] if s['name'] == 'doomed-1'] == ['failed']

    control('rate_limit')
    answers = [api(url, '/v2/instances', token='sim-token') for _request in range(51)]
    assert [a[0] for a in answers] == [200] * 50 + [429] and answers[-1][1].get('Retry-After'), [a[0] for a in answers]

    request_log = control('/_sim/log"')
    assert '/v2/snapshots/rehearse-503' in request_log and 'sim-token' not in request_log, request_log[-2000:]
    control('/_sim/reset')
    assert api(url, '/v2/snapshots', token='sim-token')[:1] == (200,) and api(url, '/v2/snapshots', token='sim-token')[2] == []

    # Stop the simulator with kill: it is gone.
    run_ok(guide_shell, 'kill %1 && wait')
    with pytest.raises(urllib.error.URLError):
        api(url, '/_sim/health')


def test_runbook_guide_shows_the_restore_playbook_the_integration_tests_run():
    tested = read_text('tests/integration/targets/civo_snapshot_restore/files/upgrade_with_restore.yml')
    assert tested in [block.text for block in code_blocks('docs/docsite/rst/guide_runbooks.rst')], \
        'the guide must show this playbook exactly (antsibull-docs copies only the guides, so no literalinclude)'
