"""Harness of the reliability suite: real ansible-playbook runs against in-process Civo API simulators.

A *cell* is one task of a civo.cloud module with its own arguments, or one run of the role snapshot_backup with its
options, run as one inventory host of playbooks/cells.yml, usually against a simulator of its own (so that faults
queued for one cell never reach another). One ansible-playbook process runs many cells in parallel (forks), always
at -vvvv and in diff mode. Every run is audited on the way out: no API token may appear in stdout, stderr or the
results, and a simulator used only by check-mode cells must not have seen a PUT, a POST or a DELETE.
"""

import concurrent.futures
import json
import os
import re
import resource
import secrets
import shutil
import subprocess
import sys
import time

from collection_under_test import collections_path  # the one rule (tests/ci), on sys.path through tests/conftest.py

HERE = os.path.dirname(os.path.abspath(__file__))
REPO_ROOT = os.path.dirname(os.path.dirname(HERE))
PLAYBOOK = os.path.join(HERE, 'playbooks', 'cells.yml')
OUTPUT_DIR = os.path.join(REPO_ROOT, 'tests', 'output', 'reliability')
SIMULATOR_DIR = os.path.join(REPO_ROOT, 'tests', 'simulator')

# The valid token of every simulator in the session: random, so that finding it in any output is proof of a leak.
SESSION_TOKEN = 'rel-valid-' + secrets.token_hex(16)
# A leak may be truncated (messages are shortened): any 16 characters of a token's start count as the token.
LEAK_PREFIX_LENGTH = 16

WEB_1 = '4b1c5a1e-3c2f-4d1a-9a51-0c6f2a7e1001'
WEB_2 = '4b1c5a1e-3c2f-4d1a-9a51-0c6f2a7e1002'
DB_1 = '4b1c5a1e-3c2f-4d1a-9a51-0c6f2a7e1003'

WRITE_METHODS = ('PUT', 'POST', 'DELETE')
# The role a cell may run instead of a module; its options are host variables snapshot_backup_<option>.
ROLE = 'snapshot_backup'
# A host's line of the PLAY RECAP: "name : ok=3 changed=1 unreachable=0 failed=0 skipped=5 rescued=0 ignored=0".
RECAP_LINE = re.compile(r'^(\S+)\s+:\s+((?:\w+=\d+\s*)+)$')
PLAYBOOK_TIMEOUT = 240


def new_token(label):
    """A fresh random token that is not the simulators' valid one (for rejected-token scenarios)."""
    return 'rel-%s-%s' % (label, secrets.token_hex(16))


class Cell:
    """One task to run: module (or ROLE), arguments, connection settings and the simulator it talks to.

    For the role, args are its options without the snapshot_backup_ prefix; its API URL is the simulator's.
    """

    def __init__(
        self,
        name,
        sim,
        args=None,
        module='civo_snapshot',
        api_timeout=1,
        api_retries=2,
        check_mode=False,
        secret_tokens=(),
        labels=None,
    ):
        self.name = name
        self.sim = sim
        self.args = dict(args or {})
        self.module = module
        self.api_timeout = api_timeout
        self.api_retries = api_retries
        self.check_mode = check_mode
        self.secret_tokens = tuple(secret_tokens)
        self.labels = dict(
            labels or {}
        )  # what the tests need to judge the cell (fault kind, call kind, expectation ...)

    def host_vars(self):
        host_vars = {
            'ansible_connection': 'local',
            'ansible_python_interpreter': sys.executable,
            'cell_module': self.module,
            'cell_args': {} if self.module == ROLE else self.args,
            'cell_api_url': self.sim.url,
            'cell_api_timeout': self.api_timeout,
            'cell_api_retries': self.api_retries,
            'cell_check_mode': self.check_mode,
        }
        if self.module == ROLE:
            options = dict({'api_url': self.sim.url}, **self.args)
            host_vars.update(('%s_%s' % (ROLE, option), value) for option, value in options.items())
        return host_vars


class CellRun:
    """The outcome of one ansible-playbook run: results by cell name, the raw output, and the audit findings.

    recaps: each cell's counts from the PLAY RECAP (ok, changed, failed, rescued, ...), where a role cell's change
    shows.
    """

    def __init__(self, cells, results, stdout, stderr, returncode, elapsed, work_dir):
        self.cells = dict((cell.name, cell) for cell in cells)
        self.results = results
        self.recaps = play_recap(stdout)
        self.stdout = stdout
        self.stderr = stderr
        self.returncode = returncode
        self.elapsed = elapsed
        self.work_dir = work_dir  # inventory, stdout.txt, stderr.txt and results.json of the run, kept for post-mortems
        self.cpu_seconds = None  # CPU time of ansible-playbook and every process it started
        self.leaks = []
        self.check_mode_writes = []

    def result(self, name):
        return self.results.get(name, {})


def play_recap(stdout):
    """{host: {'ok': 3, 'changed': 1, ...}} from the PLAY RECAP at the end of ansible-playbook's output."""
    recaps = {}
    for line in stdout[stdout.rfind('PLAY RECAP') :].splitlines()[1:]:
        match = RECAP_LINE.match(line.strip())
        if match:
            counts = re.findall(r'(\w+)=(\d+)', match.group(2))
            recaps[match.group(1)] = dict((key, int(value)) for key, value in counts)
    return recaps


class Audit:
    """Totals over every run of the session, for the report."""

    def __init__(self):
        self.runs = 0
        self.tasks = 0
        self.check_mode_tasks = 0
        self.bytes_scanned = 0
        self.tokens_checked = set()
        self.leaks = []
        self.check_mode_writes = []
        self.check_mode_requests = 0


AUDIT = Audit()


class Report:
    """Tables and figures of the session, printed at the end of pytest and written under tests/output/reliability/."""

    def __init__(self):
        self.sections = []

    def add(self, key, title, lines):
        self.sections = [section for section in self.sections if section[0] != key]
        self.sections.append((key, title, list(lines)))
        os.makedirs(OUTPUT_DIR, exist_ok=True)
        with open(os.path.join(OUTPUT_DIR, '%s.md' % key), 'w', encoding='utf-8') as handle:
            handle.write('## %s\n\n%s\n' % (title, '\n'.join(lines)))

    def text(self):
        return '\n\n'.join('## %s\n\n%s' % (title, '\n'.join(lines)) for _key, title, lines in self.sections)

    def write(self):
        os.makedirs(OUTPUT_DIR, exist_ok=True)
        path = os.path.join(OUTPUT_DIR, 'report.md')
        with open(path, 'w', encoding='utf-8') as handle:
            handle.write('# civo.cloud reliability report\n\n' + self.text() + '\n')
        return path


REPORT = Report()


def table(header, rows):
    """A Markdown table; every cell is turned into text."""
    lines = ['| %s |' % ' | '.join(header), '|%s|' % '|'.join('---' for dummy in header)]
    lines.extend('| %s |' % ' | '.join(str(value) for value in row) for row in rows)
    return lines


def start_simulators(count, **options):
    """`count` started simulators with the session token (Simulator from tests/simulator)."""
    # Imported here: tests/simulator is put on sys.path by conftest.py.
    from civo_simulator import Simulator  # pylint: disable=import-outside-toplevel

    options.setdefault('token', SESSION_TOKEN)
    return [Simulator(**options).start() for dummy in range(count)]


def stop_simulators(sims):
    """Stop simulators in parallel: each stop waits for its server loop to notice, which adds up when done in turn."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=16) as pool:
        list(pool.map(lambda sim: sim.stop(), sims))


def child_env(**extra):
    """Environment of ansible-playbook: no stray Civo or Ansible settings of the caller; the token as AWX injects it."""
    env = dict((key, value) for key, value in os.environ.items() if not key.startswith(('CIVO_', 'ANSIBLE_')))
    env.update(
        {
            'ANSIBLE_COLLECTIONS_PATH': collections_path(),
            'ANSIBLE_COLLECTIONS_SCAN_SYS_PATH': 'false',
            'ANSIBLE_PYTHON_INTERPRETER': sys.executable,
            'ANSIBLE_NOCOLOR': '1',
            'ANSIBLE_FORCE_COLOR': '0',
            'ANSIBLE_RETRY_FILES_ENABLED': 'false',
            'ANSIBLE_HOST_PATTERN_MISMATCH': 'ignore',
            # The modules' temporary files, and the rate-limit window they share, stay in the test output.
            'ANSIBLE_REMOTE_TMP': os.path.join(OUTPUT_DIR, 'remote_tmp'),
            'CIVO_TOKEN': SESSION_TOKEN,
        }
    )
    env.update(extra)
    return env


def run_cells(label, cells, forks=20, env=None, timeout=PLAYBOOK_TIMEOUT):
    """Run playbooks/cells.yml over the cells (-vvvv, --diff) and audit the outcome. Never raises on task failures.

    Inventory, stdout, stderr and results stay in tests/output/reliability/runs/<label>/ for a post-mortem.
    """
    names = [cell.name for cell in cells]
    if len(set(names)) != len(names):
        raise ValueError('cell names must be unique')
    _check_mode_sims_are_exclusive(cells)
    work = os.path.join(OUTPUT_DIR, 'runs', label)
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    inventory = os.path.join(work, 'inventory.json')
    result_file = os.path.join(work, 'results.json')
    with open(inventory, 'w', encoding='utf-8') as handle:
        json.dump(
            {'all': {'children': {'cells': {'hosts': dict((cell.name, cell.host_vars()) for cell in cells)}}}}, handle
        )
    command = [
        os.path.join(os.path.dirname(sys.executable), 'ansible-playbook'),
        '-vvvv',
        '--diff',
        '-f',
        str(forks),
        '-i',
        inventory,
        '-e',
        json.dumps({'cells_result_file': result_file}),
        PLAYBOOK,
    ]
    started, cpu_before = time.monotonic(), _children_cpu_seconds()
    completed = subprocess.run(
        command,
        cwd=work,
        env=env or child_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        timeout=timeout,
        check=False,
    )
    elapsed = time.monotonic() - started
    cpu_seconds = _children_cpu_seconds() - cpu_before
    stdout = completed.stdout.decode('utf-8', 'replace')
    stderr = completed.stderr.decode('utf-8', 'replace')
    for stream, text in (('stdout', stdout), ('stderr', stderr)):
        with open(os.path.join(work, stream + '.txt'), 'w', encoding='utf-8') as handle:
            handle.write(text)
    results = {}
    if os.path.exists(result_file):
        with open(result_file, encoding='utf-8') as handle:
            results = dict((name, result) for name, result in json.load(handle).items() if result is not None)
    run = CellRun(cells, results, stdout, stderr, completed.returncode, elapsed, work)
    run.cpu_seconds = cpu_seconds
    _audit(run, cells)
    return run


def _children_cpu_seconds():
    """CPU seconds (user + system) of every finished child process of this one so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _check_mode_sims_are_exclusive(cells):
    """The check-mode audit reads a simulator's whole log: it must not share it with cells that may write."""
    modes = {}
    for cell in cells:
        modes.setdefault(id(cell.sim), set()).add(cell.check_mode)
    if any(len(found) > 1 for found in modes.values()):
        raise ValueError(
            'a simulator is shared by check-mode and normal cells: the check-mode audit could not tell them apart'
        )


def leaked_tokens(texts, tokens):
    """The tokens (or the start of them) found in any of the texts."""
    found = []
    for token in tokens:
        needle = token.strip()[:LEAK_PREFIX_LENGTH]
        if any(needle in text for text in texts):
            found.append(token.strip())
    return found


def _audit(run, cells):
    tokens = {SESSION_TOKEN}
    for cell in cells:
        tokens.update(cell.secret_tokens)
    results_text = json.dumps(run.results)
    texts = (run.stdout, run.stderr, results_text)
    run.leaks = leaked_tokens(texts, tokens)
    seen = set()
    for cell in cells:
        if not cell.check_mode or id(cell.sim) in seen:
            continue
        seen.add(id(cell.sim))
        log = cell.sim.log()
        AUDIT.check_mode_requests += len(log)
        run.check_mode_writes.extend(
            '%s: %s %s' % (cell.name, entry['method'], entry['path'])
            for entry in log
            if entry['method'] in WRITE_METHODS
        )
    AUDIT.runs += 1
    AUDIT.tasks += len(cells)
    AUDIT.check_mode_tasks += sum(1 for cell in cells if cell.check_mode)
    AUDIT.bytes_scanned += sum(len(text) for text in texts)
    AUDIT.tokens_checked.update(tokens)
    AUDIT.leaks.extend(run.leaks)
    AUDIT.check_mode_writes.extend(run.check_mode_writes)


def outcome(result):
    """'ok' / 'failed' / 'missing' for a registered task result."""
    if not result:
        return 'missing'
    return 'failed' if result.get('failed') else 'ok'


def write_log(sim):
    """The PUT, POST and DELETE requests a simulator saw, as 'METHOD path' strings."""
    return ['%s %s' % (entry['method'], entry['path']) for entry in sim.log() if entry['method'] in WRITE_METHODS]
