# -*- coding: utf-8 -*-
# Copyright: (c) 2026, civo.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The commands the README and the guides tell a newcomer to run, run as written, and their claims checked: make demo
(two runs against one simulator, changed=1 then changed=0, an explanation at the end, no warning, and the commands it
prints run as printed), the README's install steps and playbooks, the AWX guide's `make try-awx-job` and the EE
definition's word on what ansible-builder reads, the simulator guide's commands (Molecule's included).

make runs here with the virtualenv of this test as the demo's, so that it creates none, and the clones have it as their
tool virtualenv .venv (a symlink, as after `make venv`). The commands a newcomer types run in a newcomer's shell
(newcomer_env): no Ansible, no Molecule on PATH, nothing of this test's environment."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import glob
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
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet

import ansible_builder

from collection_facts import load_yaml, read_text
from guide_text import Shell, code_blocks, console_commands, guide_command, guide_commands
from collection_under_test import REPO_ROOT

VENV = os.path.dirname(os.path.dirname(sys.executable))


# ansible-doc -t role of ansible-core 2.20 and 2.21 warns about a collection of its own, whatever the collections:
# "Collection at '.../ansible/_internal/ansible_collections/ansible/_protomatter' does not have a MANIFEST.json file"
# (https://github.com/ansible/ansible/issues/85689). Not ours to fix; any other warning is.
ANSIBLE_CORE_OWN_WARNING = '/ansible/_internal/ansible_collections/ansible/_protomatter'


def warnings(output):
    """The lines of an output that warn: Ansible's [WARNING] and [DEPRECATION WARNING], pip's and Molecule's WARNING."""
    return [line for line in output.splitlines() if 'WARNING' in line and ANSIBLE_CORE_OWN_WARNING not in line]


def recaps(output):
    """The changed= count of every PLAY RECAP in the output, in order."""
    return [int(n) for n in re.findall(r'^localhost\s*:.*\bchanged=(\d+)', output, re.MULTILINE)]


def make_clone(path):
    """The tree under test at `path` as a git repository of its own (the demo targets copy what git lists), like a fresh
    clone, with the repository's setup done: its tool virtualenv .venv is this test's (make venv finds it up to
    date)."""
    shutil.copytree(REPO_ROOT, path, ignore=shutil.ignore_patterns('.build', 'tests/output', '__pycache__'))
    for command in (['git', 'init', '-q'], ['git', 'add', '-A']):
        subprocess.run(command, cwd=path, check=True)
    os.symlink(VENV, os.path.join(path, '.venv'))
    return path


@pytest.fixture(scope='module')
def clone(tmp_path_factory):
    """A clone as `git clone` makes it, in a folder named after the repository: where make demo runs. (Not below an
    ansible_collections folder: ansible-doc -t role finds no role of a collection installed in a path that holds
    ansible_collections twice, as .build/demo/collections of such a clone would.)"""
    return make_clone(str(tmp_path_factory.mktemp('clone') / 'ansible-collection-civo'))


@pytest.fixture(scope='module')
def collection_clone(tmp_path_factory):
    """A clone at a path ending in ansible_collections/civo/cloud, as the simulator guide's Molecule section says."""
    return make_clone(str(tmp_path_factory.mktemp('collection_clone') / 'ansible_collections' / 'civo' / 'cloud'))


# The commands of ansible-core: a reader who installed it (README.md) has them, and nothing else of this virtualenv.
ANSIBLE_CORE_COMMANDS = (
    'ansible',
    'ansible-config',
    'ansible-doc',
    'ansible-galaxy',
    'ansible-inventory',
    'ansible-playbook',
    'ansible-vault',
)


def newcomer_env(home=None, ansible_bin=None, **extra):
    """The environment of a newcomer's shell: this machine's, without Ansible, Molecule, this test's ANSIBLE_* or
    CIVO_* settings or virtualenv; with `ansible_bin` (a folder of ansible-core's commands) on PATH, and a HOME of its
    own (no collection installed in ~/.ansible) when `home` is given."""
    env = dict(
        (key, value)
        for key, value in os.environ.items()
        if not key.startswith(('ANSIBLE_', 'CIVO_', 'MOLECULE_', 'VIRTUAL_ENV', 'PYTHON'))
    )
    path = [
        folder
        for folder in env.get('PATH', '').split(os.pathsep)
        if folder and not any(os.path.exists(os.path.join(folder, tool)) for tool in ('ansible-doc', 'molecule'))
    ]
    env.update(
        PATH=os.pathsep.join(([ansible_bin] if ansible_bin else []) + path),
        NO_COLOR='1',
        ANSIBLE_NOCOLOR='1',
        ANSIBLE_FORCE_COLOR='0',
        PY_COLORS='0',
    )
    if home:
        # The Makefile finds its Pythons under `pyenv root`, which follows HOME unless PYENV_ROOT says otherwise.
        if shutil.which('pyenv'):
            pyenv_root = subprocess.run(['pyenv', 'root'], capture_output=True, text=True, check=False)
            env['PYENV_ROOT'] = pyenv_root.stdout.strip() if pyenv_root.returncode == 0 else ''
        env['HOME'] = str(home)
    env.update(extra)
    return env


def ansible_core_bin(folder):
    """A folder holding ansible-core's commands of this virtualenv only: what installing ansible-core puts on PATH."""
    os.makedirs(folder, exist_ok=True)
    for tool in ANSIBLE_CORE_COMMANDS:
        os.symlink(os.path.join(VENV, 'bin', tool), os.path.join(folder, tool))
    return folder


def run_make(ansible_cli, clone, *args):
    """make ARGS in the clone, the demo's virtualenv being this one; asserts success, returns what a terminal would show
    (stdout and stderr, where Ansible writes its warnings, in the order written). make runs as a person's shell runs it,
    not as a child of the make that runs this test (whose jobserver it would otherwise warn about)."""
    env = dict(
        (key, value) for key, value in ansible_cli.env().items() if key not in ('MAKEFLAGS', 'MFLAGS', 'MAKELEVEL')
    )
    done = subprocess.run(
        ['make', '--no-print-directory', 'CELL_VENV=%s' % VENV] + list(args),
        cwd=clone,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=900,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-6000:]
    return done.stdout


@pytest.fixture(scope='module')
def demo(ansible_cli, clone):
    """The output of make demo in the clone (which leaves the collection built and installed under .build/demo)."""
    return run_make(ansible_cli, clone, 'demo')


def test_make_demo_runs_twice_and_says_what_happened(demo):
    output = demo
    assert recaps(output) == [1, 0], 'the first run takes the snapshots in one changed task, the second changes nothing'
    explained = output[output.index('==> What happened') :]
    taken = re.findall(r'^\s+(backup-\S+) of (\S+)$', explained, re.MULTILINE)
    assert sorted(host for _name, host in taken) == ['db-1', 'web-1'], explained
    words = ' '.join(explained.split())
    assert 'The first run took 2 snapshot(s)' in words and 'not a secret' in words and 'changed=0' in words, words
    assert [
        hint
        for hint in (
            'ansible-doc civo.cloud.civo_snapshot',
            'civo.cloud.snapshot_backup',
            'make docs-html',
            'Use it in your own playbooks',
        )
        if hint not in explained
    ] == []
    assert 'Use it in your own playbooks' in read_text('README.md'), 'the section the demo points to'


def test_make_demo_prints_no_warning(demo):
    # ansible-galaxy's about the collections path, Ansible's, the simulator's: a newcomer must meet none, nor the word.
    assert (
        warnings(demo) == [] and [line for line in demo.splitlines() if re.search(r'warn', line, re.IGNORECASE)] == []
    )


def try_next_commands(output):
    """The commands of make demo's "Try next": each indented line after that heading, up to two spaces and its
    description."""
    lines = output[output.index('==> Try next') :].splitlines()[1:]
    commands = []
    for line in lines:
        if not line.startswith('    '):
            break
        commands.append(re.split(r'\s{2,}', line.strip())[0])
    return commands


def test_make_demo_try_next_commands_work_as_printed(demo, clone, tmp_path):
    commands = try_next_commands(demo)
    (tmp_path / 'home').mkdir()
    shell = Shell(clone, newcomer_env(home=tmp_path / 'home'), str(tmp_path / 'session.log'))
    try:
        status, output, _seconds = shell.run('command -v ansible-doc')
        assert status != 0, 'the test shell must have no Ansible of its own, as on a fresh machine: %s' % output
        for command in commands:
            output, _seconds = run_ok(shell, command)
            assert warnings(output) == [], '%s\n%s' % (command, output)
            if command.startswith('ansible-doc'):
                name = command.split()[-1]
                assert '> ' in output and name.upper() in output.upper(), '%s\n%s' % (command, output[:2000])
            if command == 'make docs-html':
                html = re.search(r'open (\S+index\.html)', output).group(1)
                assert os.path.isfile(html) and html.startswith(clone), output
    finally:
        shell.close()
    assert 'ansible-doc civo.cloud.civo_snapshot' in commands and 'make docs-html' in commands, commands


def readme_section(title):
    """One `## ` section of README.md."""
    text = read_text('README.md')
    start = text.index('## %s\n' % title)
    end = text.find('\n## ', start + 1)
    return text[start : end if end >= 0 else len(text)]


def requirement_lines(relpath):
    """The requirements of a pip requirements file of the tree, without comments and blank lines."""
    lines = [line.split('#')[0].strip() for line in read_text(relpath).splitlines()]
    return [line for line in lines if line]


def markdown_blocks(text, language):
    """The ```LANGUAGE fenced blocks of a Markdown text."""
    return re.findall(r'^```%s\n(.*?)^```$' % language, text, re.MULTILINE | re.DOTALL)


def test_readme_says_what_to_install_and_its_steps_work(demo, clone, simulator, tmp_path):
    section = readme_section('Use it in your own playbooks')
    commands = [line.split('  #')[0].strip() for block in markdown_blocks(section, 'sh') for line in block.splitlines()]
    # What to install: what the collection itself requires, ansible-core (meta/runtime.yml) and its Python libraries
    # (requirements.txt, which ansible-builder reads too).
    pip = [c for c in commands if re.match(r'^(python3 -m )?pip install ', c)]
    assert len(pip) == 1, commands
    words = shlex.split(pip[0])
    wanted = dict((r.name, r.specifier) for r in map(Requirement, words[words.index('install') + 1 :]))
    declared = [Requirement(line) for line in requirement_lines('requirements.txt')]
    assert wanted == dict(
        [('ansible-core', SpecifierSet(load_yaml('meta/runtime.yml')['requires_ansible']))]
        + [(r.name, r.specifier) for r in declared]
    ), pip[0]
    assert 'virtualenv' in section and 'export PATH=' in section, 'the repository\'s virtualenv offered as one way'

    # The repository's virtualenv has all of it: the README's pip command finds nothing to install there (no index).
    (tmp_path / 'home').mkdir()
    env = newcomer_env(
        home=tmp_path / 'home',
        ansible_bin=os.path.join(VENV, 'bin'),
        CIVO_API_URL=simulator.url,
        CIVO_TOKEN=simulator.token,
    )
    shell = Shell(clone, env, str(tmp_path / 'session.log'))
    try:
        output, _seconds = run_ok(shell, pip[0] + ' --dry-run --no-index')
        assert 'Would install' not in output, output

        # The tarball make demo built, installed as the README says, lands in ~/.ansible/collections, without a warning.
        install = [c for c in commands if c.startswith('ansible-galaxy collection install .build/demo/')]
        assert len(install) == 1, commands
        output, _seconds = run_ok(shell, install[0])
        assert warnings(output) == [], output
        listed, _seconds = run_ok(shell, 'ansible-galaxy collection list civo.cloud')
        assert '# %s' % (tmp_path / 'home' / '.ansible' / 'collections' / 'ansible_collections') in listed, listed

        # The README's playbook (twice: with min_interval the second run changes nothing), then the role README's
        # example, as a reader runs them: in a file of their own, with the token exported.
        simulator.reset()
        playbooks = [
            ('readme.yml', markdown_blocks(section, 'yaml'), 2),
            ('role_readme.yml', markdown_blocks(read_text('roles/snapshot_backup/README.md'), 'yaml'), 1),
        ]
        recap_of = {}
        for name, blocks, runs in playbooks:
            assert len(blocks) == 1, (name, blocks)
            with open(os.path.join(clone, name), 'w', encoding='utf-8') as handle:
                handle.write(blocks[0])
            recap_of[name] = [recaps(run_ok(shell, 'ansible-playbook %s' % name)[0]) for _run in range(runs)]
    finally:
        shell.close()
    assert recap_of == {'readme.yml': [[1], [0]], 'role_readme.yml': [[1]]}, recap_of
    held = sorted((s['name'].rsplit('-', 1)[0], s['status']) for s in simulator.snapshots())
    backups = ('nightly-db-1', 'nightly-web-1', 'pre-upgrade-web-1', 'pre-upgrade-web-2')
    assert held == [(name, 'complete') for name in backups], held


def test_readme_layout_names_only_what_is_there():
    table = [line for line in readme_section('Layout').splitlines() if line.startswith('| `')]
    assert table, 'the Layout table'
    missing = []
    for row in table:
        paths, contents = [re.findall(r'`([^`]+)`', cell) for cell in row.strip('|').split(' | ', 1)]
        missing += [path for path in paths if not glob.glob(os.path.join(REPO_ROOT, path))]
        # The files and folders a folder's row names in it: `runtime.yml` of `meta/`.
        named = (
            [n for n in contents if re.match(r'^[\w.-]+(/|\.(ya?ml|py|txt|md))$', n)] if paths[0].endswith('/') else []
        )
        missing += [paths[0] + name for name in named if not os.path.exists(os.path.join(REPO_ROOT, paths[0], name))]
    assert missing == []


def test_awx_guide_try_command_runs_the_job_twice(ansible_cli, clone):
    command = shlex.split(guide_command('docs/docsite/rst/guide_awx.rst', 'make try-awx-job').text)
    output = run_make(ansible_cli, clone, *command[1:])
    assert recaps(output) == [1, 0], output[-4000:]
    assert warnings(output) == [], 'ansible-galaxy installs where no warning is due'
    held = re.findall(r'^\s+(nightly-(web-1|db-1)-\d{8}T\d{6}Z)\s+complete', output, re.MULTILINE)
    assert sorted(set(host for _name, host in held)) == ['db-1', 'web-1'], output[-4000:]


SIMULATOR_GUIDE = 'docs/docsite/rst/guide_simulator.rst'
URL_LINE = r'^CIVO_API_URL=(http://127\.0\.0\.1:\d+)$'


def api(url, path, token=None, body=None):
    """One request to the simulator: (HTTP status, headers, parsed JSON body)."""
    request = urllib.request.Request(
        url + path, data=None if body is None else json.dumps(body).encode(), method='GET' if body is None else 'POST'
    )
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
    table = text[text.index('.. list-table::') : text.index('``--seed FILE``')]
    rows = re.findall(r'^  \* - (.+)\n    - ``(\w+)``\n    - (\d+) GB$', table, re.MULTILINE)
    return dict(
        (host, (region, int(disk))) for hosts, region, disk in rows for host in re.findall(r'``([^`]+)``', hosts)
    )


def run_ok(shell, command, **kwargs):
    """Run a command in the guide's shell; asserts exit status 0, returns (output, seconds)."""
    status, output, seconds = shell.run(command, **kwargs)
    assert status == 0, '%s\n%s' % (command, output[-6000:])
    return output, seconds


@pytest.fixture
def guide_shell(collection_clone, artifact, tmp_path):
    """A newcomer's bash session in the clone, with ansible-core installed (its commands on PATH: no Molecule) and
    the collection as a reader installs it (the artifact's collections path), TMPDIR of its own (the guide's URL
    file). Molecule keeps a scenario's state under ~/.ansible/tmp, keyed by the folder's name, the same for every copy
    of the collection: MOLECULE_EPHEMERAL_DIRECTORY keeps this run's apart from a run at the same time."""
    tmpdir = tmp_path / 'tmp'
    tmpdir.mkdir()
    env = newcomer_env(
        ansible_bin=ansible_core_bin(str(tmp_path / 'bin')),
        TMPDIR=str(tmpdir),
        ANSIBLE_COLLECTIONS_PATH=artifact.collections_path,
        MOLECULE_EPHEMERAL_DIRECTORY=str(tmp_path / 'molecule'),
        ANSIBLE_LOCALHOST_WARNING='false',
        ANSIBLE_INVENTORY_UNPARSED_WARNING='false',
    )
    shell = Shell(collection_clone, env, str(tmp_path / 'session.log'))
    yield shell
    shell.close()


def test_simulator_guide_commands_do_what_it_says(guide_shell, collection_clone):
    commands = guide_commands(SIMULATOR_GUIDE)
    starting = [c for c in commands if c.text.endswith('&')]
    assert len(starting) == 1 and commands.index(starting[0]) == 1, (
        'the guide starts the simulator in its second command'
    )
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
    assert os.path.isfile(os.path.join(collections_path, 'civo', 'cloud', 'tests', 'simulator', 'civo_simulator.py')), (
        listed
    )

    # The simulated account and its timing are the guide's.
    status, _headers, instances = api(url, '/v2/instances?per_page=100', token='sim-token')
    assert status == 200
    assert dict((i['hostname'], (i['region'], i['disk_gb'])) for i in instances['items']) == guide_instance_table(
        SIMULATOR_GUIDE
    )
    config = api(url, '/_sim/config')[2]
    assert (config['new_seconds'], config['progress_seconds']) == (1.0, 3.0), config

    # try.yml: the playbook block before the command, run twice.
    blocks = code_blocks(SIMULATOR_GUIDE)
    playbook_command = guide_command(SIMULATOR_GUIDE, 'ansible-playbook try.yml')
    at = [i for i, block in enumerate(blocks) if block.language == 'console' and playbook_command.text in block.text][0]
    assert blocks[at - 1].language.startswith('yaml') and 'try-' in blocks[at - 1].text
    with open(os.path.join(collection_clone, 'try.yml'), 'w', encoding='utf-8') as handle:
        handle.write(blocks[at - 1].text)
    first, first_seconds = run_ok(guide_shell, playbook_command.text)
    second, second_seconds = run_ok(guide_shell, playbook_command.text)
    assert recaps(first) == [1] and recaps(second) == [0], first + second
    snapshots = api(url, '/v2/snapshots', token='sim-token')[2]
    assert sorted((s['name'], s['status']) for s in snapshots) == [('try-db-1', 'complete'), ('try-web-1', 'complete')]
    # Each snapshot is waited for until the poll after 4.75 s (the one after 4 s of simulated work), one after the
    # other.
    log = api(url, '/_sim/log')[2]
    started = [
        entry['time'] for entry in log if entry['method'] == 'PUT' and entry['path'].startswith('/v2/snapshots/try-')
    ]
    assert len(started) == 2 and started[1] - started[0] >= 4.75, started
    assert first_seconds - second_seconds >= 8, 'the guide: about 10 s more than the second run (%.1f s, %.1f s)' % (
        first_seconds,
        second_seconds,
    )

    # A Molecule scenario by hand, as the guide runs it in that shell: ansible-core is installed, Molecule is not.
    assert guide_shell.run('command -v molecule')[0] != 0, 'the reader has no Molecule of their own'
    molecule = [console_commands(b.text) for b in blocks if b.language == 'console' and '$ molecule ' in b.text]
    assert len(molecule) == 1, 'one block runs Molecule'
    for command in molecule[0]:
        output, _seconds = run_ok(guide_shell, command.text, timeout=600)
    assert 'molecule-before-change-web-1' in output and warnings(output) == [], output[-4000:]
    requests_made = [e['path'] for e in api(url, '/_sim/log')[2] if e['path'].startswith('/v2/snapshots/molecule-')]
    assert requests_made, 'the scenario ran against the guide\'s simulator'

    # Rehearse failures: each control request, then what the guide says it does.
    def control(fragment):
        output, _seconds = run_ok(guide_shell, guide_command(SIMULATOR_GUIDE, 'curl', containing=fragment).text)
        return output

    control('"status": 503')
    retried = run_ok(
        guide_shell, "ansible localhost -m civo.cloud.civo_snapshot -a 'name=rehearse-503 instance=web-2 wait=false'"
    )[0]
    assert 'CHANGED' in retried and '"retried_requests"' in retried, retried
    statuses = [
        e['status']
        for e in api(url, '/_sim/log')[2]
        if e['method'] == 'PUT' and e['path'] == '/v2/snapshots/rehearse-503'
    ]
    assert statuses[:3] == [503, 503, 200], statuses

    control('fail_names')
    failed = guide_shell.run("ansible localhost -m civo.cloud.civo_snapshot -a 'name=doomed-1 instance=web-2'")
    assert failed[0] != 0 and 'FAILED' in failed[1], failed[1]
    assert [s['status'] for s in api(url, '/v2/snapshots', token='sim-token')[2] if s['name'] == 'doomed-1'] == [
        'failed'
    ]

    control('rate_limit')
    answers = [api(url, '/v2/instances', token='sim-token') for _request in range(51)]
    assert [a[0] for a in answers] == [200] * 50 + [429] and answers[-1][1].get('Retry-After'), [a[0] for a in answers]

    request_log = control('/_sim/log"')
    assert '/v2/snapshots/rehearse-503' in request_log and 'sim-token' not in request_log, request_log[-2000:]
    control('/_sim/reset')
    assert (
        api(url, '/v2/snapshots', token='sim-token')[:1] == (200,)
        and api(url, '/v2/snapshots', token='sim-token')[2] == []
    )

    # Stop the simulator with kill: it is gone.
    run_ok(guide_shell, 'kill %1 && wait')
    with pytest.raises(urllib.error.URLError):
        api(url, '/_sim/health')


def test_runbook_guide_shows_the_restore_playbook_the_integration_tests_run():
    tested = read_text('tests/integration/targets/civo_snapshot_restore/files/upgrade_with_restore.yml')
    assert tested in [block.text for block in code_blocks('docs/docsite/rst/guide_runbooks.rst')], (
        'the guide must show this playbook exactly (antsibull-docs copies only the guides, so no literalinclude)'
    )


EE_DEFINITION = 'docs/awx/execution-environment.yml'


def test_ee_definition_says_where_ansible_builder_finds_the_requirements(artifact, ansible_cli, tmp_path):
    lines = read_text(EE_DEFINITION).splitlines()
    comments = ' '.join(line.lstrip('#').strip() for line in lines if line.startswith('#'))
    # Every file the comments name is there: beside the definition or in the collection.
    named = set(re.findall(r'(?<![\w/.-])((?:[\w-]+/)*[\w-]+\.(?:txt|ya?ml))\b', comments))
    named.discard(os.path.basename(EE_DEFINITION))
    assert (
        named
        and [
            f
            for f in named
            if not any(
                os.path.isfile(os.path.join(REPO_ROOT, folder, f)) for folder in ('', os.path.dirname(EE_DEFINITION))
            )
        ]
        == []
    ), named
    # The requirements file they name is the one ansible-builder's introspection reads from the installed collection,
    # and they name what it lists.
    assert 'requirements.txt' in named, named
    declared = requirement_lines('requirements.txt')
    assert [r for r in declared if Requirement(r).name not in comments] == [], (declared, comments)
    introspect = os.path.join(os.path.dirname(ansible_builder.__file__), '_target_scripts', 'introspect.py')
    pip_txt = str(tmp_path / 'pip.txt')
    done = ansible_cli.run(
        sys.executable,
        introspect,
        'introspect',
        artifact.collections_path,
        '--write-pip',
        pip_txt,
        '--write-bindep',
        str(tmp_path / 'bindep.txt'),
    )
    assert done.returncode == 0, done.stdout + done.stderr
    with open(pip_txt, encoding='utf-8') as handle:
        found = [line.strip() for line in handle if 'civo.cloud' in line]
    assert sorted(line.split('#')[0].strip() for line in found) == sorted(declared), found
