"""Performance benchmark of the civo.cloud modules against ansible.builtin.uri (issue 8).

    make bench                             # full run: the tables of docs/performance.md (< 10 min)
    make bench BENCH_ARGS=--quick          # every case in miniature (< 60 s), so that it cannot rot (make bench-quick)

Everything runs against the Civo API simulator, started in this process (tests/simulator). The collection measured is
the tree this file is part of (tests/ci/collection_under_test.py: make copies the tree into the shape
ansible_collections/civo/cloud); --compare LABEL=PATH times further copies in the same rounds (before/after figures
under the same load). Results go to tests/output/performance/
(results.json with every sample, results.md with the tables, performance-wait.svg with the wait plot).

Cases (numbers as in the issue):
  1. per task: N civo_snapshot tasks that find the snapshot present vs N uri GET /v2/snapshots, with N ping as the floor
  2. per task: civo_snapshot_info vs uri GET of the same list, 10 and 10,000 snapshots; peak memory of the module
  process 3. requests per operation, from the simulator's request log
  4. wait: from the snapshot turning complete to the task returning, and polls, for 5 s, 60 s and 10 min snapshots
  5. start-up: what the module's imports cost over a bare AnsibleModule (ansible.builtin.ping)
  6. fleet: the role snapshot_backup over N instances, requests, module runs and wall time against the floor, with and
     without the rate limit (bench_fleet.py; issue 22)
Timed playbooks run in rounds, each round in a rotated order, so that drifting machine load hits every side alike.
The exit code is non-zero only when the benchmark itself breaks (a playbook fails, a check shows that a run did not do
what it is timed for), never because a goal is missed.
"""

import argparse
import datetime
import glob
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

import bench_fleet
import bench_playbooks as pb
import bench_report

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(REPO, 'tests', 'simulator'))
sys.path.insert(0, os.path.join(REPO, 'tests', 'ci'))
from civo_simulator import Simulator  # noqa: E402 pylint: disable=wrong-import-position
import collection_under_test  # noqa: E402 pylint: disable=wrong-import-position

TOKEN = 'sim-token'
PRESENT_NAME = 'bench-present'
OUTPUT_DIR = os.path.join(REPO, 'tests', 'output', 'performance')
PLAYBOOK_TIMEOUT = 600
LOG_TIME_SLACK = 0.1  # wall seconds between a request's arrival (its log time) and its handling that case 4 tolerates

# Runs a command and reports its resource usage as JSON: a fresh parent, so that RUSAGE_CHILDREN is that one process
# (the module) and nothing else. ru_maxrss is in KiB on Linux.
RUSAGE_WRAPPER = '''
import json, resource, subprocess, sys, time
start = time.perf_counter()
done = subprocess.run(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=False)
wall = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
json.dump({"rc": done.returncode, "wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "maxrss_kb": usage.ru_maxrss,
           "stdout": done.stdout.decode("utf-8", "replace"), "stderr": done.stderr.decode("utf-8", "replace")},
           sys.stdout)
'''


class BenchError(Exception):
    """The benchmark itself broke: a playbook failed or a run did not do what it was meant to."""


class Settings:
    """Sizes of a run. Quick mode keeps every case but shrinks it."""

    def __init__(self, quick):
        self.quick = quick
        self.tasks = 2 if quick else 10  # N of cases 1 and 2 (small account)
        self.rounds = 1 if quick else 5  # timed rounds per scenario
        self.warmup = not quick  # one untimed round first (disk and bytecode caches)
        self.small_account = 10
        self.big_account = 1000 if quick else 10000
        self.big_tasks = 1 if quick else 2  # N at 10,000 snapshots: each task moves 4 MB
        self.payload_runs = 1 if quick else 7  # module processes run alone (case 5, memory)
        self.importtime_runs = 1 if quick else 5
        # (simulated snapshot duration s, time scale): the module's clock runs at the same scale (scaled_clock/).
        # Quick mode: 6 s, so that the completion falls mid-way between two polls (at 4.75 s and 8.1 s) on any machine.
        self.wait_cases = [(6, 5)] if quick else [(5, 1), (60, 1), (600, 10)]


# ----------------------------------------------------------------------------------------------- running things


class Bench:
    """The simulator, a work folder and the means to run playbooks and module payloads against them."""

    def __init__(self, collections_path, work_dir, compare=()):
        self.collections_path = collections_path
        # Other copies of the collection timed in the same rounds ('label' -> collections path), for before/after
        # figures
        # that share the machine's load: kinds and payloads of a copy are suffixed '@label'.
        self.variants = dict(compare)
        self.work = work_dir
        self.sim = Simulator(new_seconds=0.3, progress_seconds=1.2).start()
        self.url = self.sim.url
        self.token = TOKEN
        self.python = sys.executable
        self.ansible_playbook = os.path.join(os.path.dirname(sys.executable), 'ansible-playbook')
        if not os.path.exists(self.ansible_playbook):
            self.ansible_playbook = shutil.which('ansible-playbook') or 'ansible-playbook'
        self.inventory = os.path.join(work_dir, 'inventory.ini')
        with open(self.inventory, 'w', encoding='utf-8') as inventory:
            inventory.write('localhost ansible_connection=local ansible_python_interpreter=%s\n' % self.python)
        self.instance_id = self._instance_id('web-1')
        self.counter = 0

    def close(self):
        self.sim.stop()

    def _instance_id(self, hostname):
        request = urllib.request.Request(
            self.url + '/v2/instances?per_page=100', headers={'Authorization': 'bearer %s' % TOKEN}
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            items = json.loads(response.read().decode('utf-8'))['items']
        self.sim.clear_log()
        return next(item['id'] for item in items if item['hostname'] == hostname)

    def env(self, **extra):
        """The environment of every ansible-playbook run: this collection, this interpreter, no stray Civo settings."""
        env = {key: value for key, value in os.environ.items() if not key.startswith(('CIVO_', 'ANSIBLE_'))}
        env.update(
            {
                'ANSIBLE_COLLECTIONS_PATH': self.collections_path,
                'ANSIBLE_NOCOLOR': '1',
                'ANSIBLE_FORCE_COLOR': '0',
                'ANSIBLE_RETRY_FILES_ENABLED': '0',
                'ANSIBLE_LOCALHOST_WARNING': '0',
                'ANSIBLE_REMOTE_TMP': os.path.join(self.work, 'remote-tmp'),
                'ANSIBLE_LOCAL_TEMP': os.path.join(self.work, 'local-tmp'),
            }
        )
        env.update(extra)
        return env

    def reset_account(self, snapshot_count, **config):
        """A fresh account with `snapshot_count` complete snapshots, one of them PRESENT_NAME on web-1."""
        self.sim.reset(**config)
        base = time.time() - 86400
        snapshots = [
            {'name': PRESENT_NAME, 'instance_id': self.instance_id, 'status': 'complete', 'requested_at': base}
        ]
        snapshots += [
            {
                'name': 'bench-fill-%05d' % i,
                'instance_id': self.instance_id,
                'status': 'complete',
                'requested_at': base - 60 * (i + 1),
            }
            for i in range(snapshot_count - 1)
        ]
        self.sim.add_snapshots(snapshots)
        self.sim.clear_log()

    def variant_env(self, kind):
        """ANSIBLE_COLLECTIONS_PATH for a kind suffixed '@label' (a compared copy of the collection), else nothing."""
        _base, _sep, variant = kind.partition('@')
        return {'ANSIBLE_COLLECTIONS_PATH': self.variants[variant]} if variant else {}

    def run_playbook(self, label, text, env=None, clock=False, timeout=PLAYBOOK_TIMEOUT):
        """Run one playbook; returns wall and CPU seconds (every process it started) and, with clock, task events."""
        self.counter += 1
        path = os.path.join(self.work, '%03d-%s.yml' % (self.counter, label.replace('@', '-')))
        log_path = path[:-4] + '.log'
        with open(path, 'w', encoding='utf-8') as playbook_file:
            playbook_file.write(text)
        extra = dict(env or {})
        clock_path = None
        if clock:
            clock_path = path[:-4] + '.clock.jsonl'
            extra.update(
                ANSIBLE_CALLBACK_PLUGINS=os.path.join(HERE, 'callback_plugins'),
                ANSIBLE_CALLBACKS_ENABLED='task_clock',
                BENCH_TASK_CLOCK_FILE=clock_path,
            )
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        with open(log_path, 'w', encoding='utf-8') as log_file:
            try:
                code = subprocess.run(
                    [self.ansible_playbook, '-i', self.inventory, path],
                    stdout=log_file,
                    stderr=subprocess.STDOUT,
                    env=self.env(**extra),
                    cwd=self.work,
                    timeout=timeout,
                    check=False,
                ).returncode
            except subprocess.TimeoutExpired as e:
                raise BenchError('%s: no end after %d s (see %s)' % (label, timeout, log_path)) from e
        end_epoch = time.time()
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if code != 0:
            with open(log_path, encoding='utf-8') as log_file:
                tail = ''.join(log_file.readlines()[-25:])
            raise BenchError('playbook %s failed (exit %d), %s:\n%s' % (label, code, log_path, tail))
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        events = []
        if clock_path and os.path.exists(clock_path):
            with open(clock_path, encoding='utf-8') as clock_file:
                events = [json.loads(line) for line in clock_file if line.strip()]
        return {'wall': wall, 'cpu': cpu, 'end': end_epoch, 'events': events}

    def run_payload(self, path, flags=()):
        """Run a kept AnsiballZ payload as ansible would on the target, alone: wall, CPU, peak RSS, output."""
        command = [self.python, '-c', RUSAGE_WRAPPER, self.python] + list(flags) + [path]
        done = subprocess.run(
            command, stdout=subprocess.PIPE, cwd=self.work, env=self.env(), timeout=PLAYBOOK_TIMEOUT, check=False
        )
        report = json.loads(done.stdout.decode('utf-8'))
        try:
            result = json.loads(report['stdout'])
        except ValueError:
            result = {'failed': True, 'msg': report['stdout'][-500:] + report['stderr'][-500:]}
        if report['rc'] != 0 or result.get('failed'):
            raise BenchError('payload %s failed: %s' % (os.path.basename(path), result.get('msg')))
        report['output_bytes'] = len(report.pop('stdout'))
        return report


# --------------------------------------------------------------------------------------------- cases 1 and 2


def requests_by_kind(log):
    return sorted('%s %s' % (entry['method'], entry['path']) for entry in log)


def timed_rounds(bench, settings, kinds, count, scenario, checks):
    """Time playbooks of `count` tasks of each kind, in rounds with a rotated order; check each run's requests."""
    samples = {kind: {'wall': [], 'cpu': []} for kind in kinds}
    expected = {
        'ping': [],
        'uri': ['GET /v2/snapshots'] * count,
        'snapshot': ['GET /v2/snapshots'] * count,
        'info': ['GET /v2/snapshots'] * count,
    }
    expected.update((kind, expected[kind.partition('@')[0]]) for kind in kinds)
    rounds = [(False, r) for r in range(settings.rounds)]
    if settings.warmup:
        rounds.insert(0, (True, -1))
    for warmup, number in rounds:
        order = kinds[number % len(kinds) :] + kinds[: number % len(kinds)] if number >= 0 else list(kinds)
        for kind in order:
            text = pb.repeated(kind.partition('@')[0], count, bench.url, TOKEN, PRESENT_NAME, bench.instance_id)
            bench.sim.clear_log()
            run = bench.run_playbook('%s-%s' % (scenario, kind), text, env=bench.variant_env(kind))
            seen = bench.sim.log()
            if requests_by_kind(seen) != expected[kind] or any(entry['status'] != 200 for entry in seen):
                checks.append(
                    '%s %s: expected %d x GET /v2/snapshots answered 200, the simulator saw %s'
                    % (scenario, kind, len(expected[kind]), requests_by_kind(seen)[:5])
                )
            if not warmup:
                samples[kind]['wall'].append(run['wall'])
                samples[kind]['cpu'].append(run['cpu'])
        progress('  %s round %s done' % (scenario, 'warm-up' if warmup else number + 1))
    return samples


def with_variants(bench, kinds):
    """The kinds, then the same kinds for every compared copy of the collection ('snapshot@after', ...)."""
    return list(kinds) + ['%s@%s' % (kind, label) for label in bench.variants for kind in kinds]


def summarise_timed(samples, count):
    """Medians, and the per-task cost above the floor (ping) of each side."""
    summary = {}
    floor = samples.get('ping')
    for kind, values in samples.items():
        entry = {'tasks': count}
        for measure in ('wall', 'cpu'):
            entry[measure] = statistics.median(values[measure])
            entry[measure + '_min'] = min(values[measure])
            entry[measure + '_max'] = max(values[measure])
            if floor and kind != 'ping':
                entry[measure + '_per_task_above_floor'] = (entry[measure] - statistics.median(floor[measure])) / count
        summary[kind] = entry
    return summary


def case_per_task(bench, settings, results, checks):
    """Cases 1 and 2: per-task cost of the modules and of uri, whole playbooks timed."""
    bench.reset_account(settings.small_account)
    progress(
        'case 1+2: %d snapshots, playbooks of %d tasks, %d rounds'
        % (settings.small_account, settings.tasks, settings.rounds)
    )
    small = timed_rounds(
        bench, settings, ['ping', 'uri'] + with_variants(bench, ['snapshot', 'info']), settings.tasks, 'small', checks
    )
    results['per_task_small'] = {
        'snapshots': settings.small_account,
        'samples': small,
        'summary': summarise_timed(small, settings.tasks),
    }

    bench.reset_account(settings.big_account)
    progress(
        'case 2: %d snapshots, playbooks of %d tasks, %d rounds'
        % (settings.big_account, settings.big_tasks, settings.rounds)
    )
    big_settings = argparse.Namespace(rounds=settings.rounds, warmup=False)
    big = timed_rounds(
        bench, big_settings, ['ping', 'uri'] + with_variants(bench, ['info']), settings.big_tasks, 'big', checks
    )
    results['per_task_big'] = {
        'snapshots': settings.big_account,
        'samples': big,
        'summary': summarise_timed(big, settings.big_tasks),
    }


# --------------------------------------------------------------------------------- case 5 and memory (payloads)


def keep_payloads(bench, variant=''):
    """Let ansible build and keep the AnsiballZ payload of each module (the exact file it runs on the target)."""
    keep_dir = os.path.join(bench.work, 'kept-payloads' + ('-' + variant if variant else ''))
    tasks = [
        pb.task('Ping', pb.PING),
        pb.task(
            'List snapshots with uri',
            pb.URI,
            {'url': bench.url + '/v2/snapshots', 'headers': {'Authorization': 'bearer %s' % TOKEN}},
        ),
        pb.task(
            'Ensure the snapshot is present', pb.SNAPSHOT, {'name': PRESENT_NAME, 'instance_id': bench.instance_id}
        ),
        pb.task('List snapshots', pb.SNAPSHOT_INFO),
    ]
    text = pb.playbook('Keep the module payloads', tasks, pb.civo_defaults(bench.url, TOKEN))
    env = {'ANSIBLE_KEEP_REMOTE_FILES': '1', 'ANSIBLE_REMOTE_TMP': keep_dir}
    env.update(bench.variant_env('@' + variant if variant else ''))
    bench.run_playbook('keep-payloads', text, env=env)
    payloads = {}
    for path in glob.glob(os.path.join(keep_dir, '*', 'AnsiballZ_*.py')):
        payloads[os.path.basename(path)[len('AnsiballZ_') : -len('.py')]] = path
    missing = {'ping', 'uri', 'civo_snapshot', 'civo_snapshot_info'} - set(payloads)
    if missing:
        raise BenchError('ansible kept no payload for %s in %s' % (', '.join(sorted(missing)), keep_dir))
    return payloads


def payload_rounds(bench, payloads, names, runs):
    """Run each payload `runs` times, rotating the order; medians of wall, CPU and peak RSS."""
    samples = {name: [] for name in names}
    for number in range(runs):
        for name in names[number % len(names) :] + names[: number % len(names)]:
            samples[name].append(bench.run_payload(payloads[name]))
    summary = {}
    for name, reports in samples.items():
        summary[name] = {
            'wall': statistics.median(r['wall'] for r in reports),
            'cpu': statistics.median(r['cpu'] for r in reports),
            'maxrss_mb': statistics.median(r['maxrss_kb'] for r in reports) / 1024.0,
            'maxrss_mb_max': max(r['maxrss_kb'] for r in reports) / 1024.0,
            'output_bytes': reports[0]['output_bytes'],
            'runs': len(reports),
        }
    return summary


def parse_importtime(text):
    """`python -X importtime` output -> list of (module, self us, cumulative us, depth) in import order."""
    rows = []
    for line in text.splitlines():
        if not line.startswith('import time:') or 'self [us]' in line:
            continue
        own, cumulative, name = line[len('import time:') :].split('|', 2)
        rows.append((name.strip(), int(own), int(cumulative), (len(name) - len(name.lstrip())) // 2))
    return rows


def import_group(module):
    """The package an imported module belongs to, with the standard library as one group."""
    top = module.split('.')[0]
    if top == 'ansible_collections':
        return 'civo.cloud'
    if module.startswith('ansible.module_utils') or top == 'ansible':
        return 'ansible.module_utils'
    if top in sys.stdlib_module_names:
        return 'standard library'
    return top


KEY_IMPORTS = (
    'ansible.module_utils.basic',
    'requests',
    'ansible_collections.civo.cloud.plugins.module_utils.client',
    'ansible_collections.civo.cloud.plugins.module_utils.account_snapshots',
    'ansible.module_utils.urls',
)


def import_profile(bench, payloads, names, runs):
    """Case 5: what each module imports, in milliseconds (medians), and what it imports beyond ping's bare
    AnsibleModule."""
    tables = {name: [] for name in names}
    for _number in range(runs):
        for name in names:
            report = bench.run_payload(payloads[name], flags=('-X', 'importtime'))
            tables[name].append(parse_importtime(report['stderr']))
    floor_modules = {row[0] for run in tables['ping'] for row in run}
    profile = {}
    for name, runs_rows in tables.items():
        totals, keys, extra_groups, extra_modules = [], {key: [] for key in KEY_IMPORTS}, {}, {}
        for rows in runs_rows:
            totals.append(sum(row[1] for row in rows))
            first = {}
            for module, _own, cumulative, _depth in rows:
                first.setdefault(module, cumulative)
            for key in KEY_IMPORTS:
                if key in first:
                    keys[key].append(first[key])
            groups = {}
            for module, own, _cumulative, _depth in rows:
                if module not in floor_modules:
                    groups[import_group(module)] = groups.get(import_group(module), 0) + own
                    extra_modules.setdefault(module, []).append(own)
            for group, own in groups.items():
                extra_groups.setdefault(group, []).append(own)
        profile[name] = {
            'imports_ms': statistics.median(totals) / 1000.0,
            'key_imports_ms': {key: statistics.median(values) / 1000.0 for key, values in keys.items() if values},
            'beyond_ping_ms': {
                group: statistics.median(values + [0] * (len(runs_rows) - len(values))) / 1000.0
                for group, values in extra_groups.items()
            },
            'beyond_ping_modules': len(extra_modules),
            'heaviest_beyond_ping': sorted(
                ((module, statistics.median(values) / 1000.0) for module, values in extra_modules.items()),
                key=lambda item: -item[1],
            )[:8],
        }
    return profile


def case_startup_and_memory(bench, settings, results, checks):
    """Case 5 (start-up) and the memory part of case 2, from the payloads ansible really runs, run alone."""
    bench.reset_account(settings.small_account)
    progress('case 5: keeping the module payloads')
    payloads = keep_payloads(bench)
    for variant in bench.variants:
        kept = keep_payloads(bench, variant)
        payloads.update(('%s@%s' % (name, variant), kept[name]) for name in ('civo_snapshot', 'civo_snapshot_info'))
    names = ['ping', 'uri'] + with_variants(bench, ['civo_snapshot', 'civo_snapshot_info'])
    progress('case 5: running each payload alone, %d times' % settings.payload_runs)
    small = payload_rounds(bench, payloads, names, settings.payload_runs)
    progress('case 5: import profile, %d runs each' % settings.importtime_runs)
    profile = import_profile(bench, payloads, names, settings.importtime_runs)
    bench.reset_account(settings.big_account)
    progress('case 2: payloads alone against %d snapshots' % settings.big_account)
    big = payload_rounds(bench, payloads, names, max(1, min(settings.payload_runs, 3)))
    if bench.sim.stats()['requests'].get('PUT'):
        checks.append('a payload run changed the account (PUT seen): the no-op payload is not a no-op')
    results['payloads'] = {
        'small': {'snapshots': settings.small_account, 'summary': small},
        'big': {'snapshots': settings.big_account, 'summary': big},
    }
    results['imports'] = profile


# ----------------------------------------------------------------------------------------------------- case 3

REQUEST_OPERATIONS = (
    # (label, module, args, expected changed, goal as text, goal count or None when it depends on polls)
    ('no-op present', pb.SNAPSHOT, {'name': PRESENT_NAME, 'instance_id': '{id}'}, False, '1', 1),
    ('create (wait: false)', pb.SNAPSHOT, {'name': 'bench-a', 'instance_id': '{id}', 'wait': False}, True, '2', 2),
    ('create + wait', pb.SNAPSHOT, {'name': 'bench-b', 'instance_id': '{id}'}, True, '2 + polls', None),
    ('delete (wait: false)', pb.SNAPSHOT, {'name': 'bench-a', 'state': 'absent', 'wait': False}, True, '2', 2),
    (
        'delete (wait: true, the default)',
        pb.SNAPSHOT,
        {'name': 'bench-b', 'state': 'absent'},
        True,
        '2 + 1 confirming list',
        3,
    ),
    ('absent no-op', pb.SNAPSHOT, {'name': 'bench-a', 'state': 'absent'}, False, '1', 1),
    ('info', pb.SNAPSHOT_INFO, {}, False, '1', 1),
    ('info by hostname', pb.SNAPSHOT_INFO, {'instance': 'web-1'}, False, '2', 2),
    ('no-op present by hostname', pb.SNAPSHOT, {'name': PRESENT_NAME, 'instance': 'web-1'}, False, '1', 1),
    (
        'create by hostname (wait: false)',
        pb.SNAPSHOT,
        {'name': 'bench-c', 'instance': 'web-1', 'wait': False},
        True,
        '3',
        3,
    ),
)


def case_requests(bench, results, checks):
    """Case 3: every operation once, in one playbook; the simulator's log is split by the tasks' start and return
    times."""
    bench.reset_account(1, new_seconds=0.3, progress_seconds=1.2)
    tasks = []
    for label, module, args, _changed, _goal, _count in REQUEST_OPERATIONS:
        args = {
            key: value.format(id=bench.instance_id) if isinstance(value, str) else value for key, value in args.items()
        }
        tasks.append(pb.task(label[0].upper() + label[1:], module, args))
    progress('case 3: requests per operation')
    run = bench.run_playbook(
        'requests', pb.playbook('Requests per operation', tasks, pb.civo_defaults(bench.url, TOKEN)), clock=True
    )
    log = bench.sim.log()
    starts = [event for event in run['events'] if event['event'] == 'start']
    returns = [event for event in run['events'] if event['event'] == 'return']
    if len(starts) != len(tasks) or len(returns) != len(tasks):
        raise BenchError(
            'case 3: expected %d task starts and returns, the callback saw %d and %d'
            % (len(tasks), len(starts), len(returns))
        )
    rows, attributed = [], 0
    for (label, _module, _args, changed, goal, goal_count), start, end in zip(REQUEST_OPERATIONS, starts, returns):
        mine = [entry for entry in log if start['time'] <= entry['time'] <= end['time']]
        attributed += len(mine)
        sequence = ['%s %s' % (entry['method'], entry['path'].replace('/v2/', '')) for entry in mine]
        polls = 0
        if goal_count is None:  # create + wait: find, PUT, then only polls of the list
            polls = len(mine) - 2
            goal_count = (
                2 + polls
                if sequence[:2] == ['GET snapshots', 'PUT snapshots/bench-b'] and set(sequence[2:]) <= {'GET snapshots'}
                else -1
            )
        if end['changed'] != changed or end['status'] != 'ok':
            checks.append(
                'case 3 %s: expected changed=%s, got %s %s (%s)'
                % (label, changed, end['status'], end['changed'], end.get('msg'))
            )
        rows.append(
            {
                'operation': label,
                'requests': len(mine),
                'sequence': sequence,
                'goal': goal,
                'polls': polls,
                'met': len(mine) == goal_count,
                'changed': end['changed'],
            }
        )
    if attributed != len(log):
        checks.append('case 3: %d of %d requests fell outside every task' % (len(log) - attributed, len(log)))
    results['requests'] = rows


# ----------------------------------------------------------------------------------------------------- case 4


def poll_schedule(collections_path, horizon=3600.0):
    """The module's poll times after the PUT (cumulative sleeps), read from its own code: [(time, interval)]."""
    sys.path.insert(0, collections_path)
    try:
        # pylint: disable=import-outside-toplevel
        from ansible_collections.civo.cloud.plugins.module_utils.waiting import poll_intervals

        intervals = poll_intervals()
        schedule, elapsed = [], 0.0
        while elapsed < horizon:
            interval = next(intervals)
            elapsed += interval
            schedule.append((elapsed, interval))
        return schedule
    except (
        ImportError,
        AttributeError,
        TypeError,
    ) as e:  # the benchmark outlives a refactoring of the module's internals
        progress('no poll model (%s)' % e)
        return None
    finally:
        sys.path.remove(collections_path)


def max_in_window(times, window):
    best, first = 0, 0
    for last, now in enumerate(times):
        while now - times[first] > window:
            first += 1
        best = max(best, last - first + 1)
    return best


def case_wait(bench, settings, results, checks):
    """Case 4: create + wait on snapshots of several simulated durations; the module's clock runs at the simulator's
    scale."""
    rows = []
    for duration, scale in settings.wait_cases:
        bench.reset_account(1, new_seconds=0.2 * duration, progress_seconds=0.8 * duration, time_scale=float(scale))
        name = 'bench-wait-%d' % duration
        keywords = {}
        if scale != 1:
            keywords['environment'] = {
                'PYTHONPATH': os.path.join(HERE, 'scaled_clock'),
                'BENCH_CLOCK_SCALE': str(scale),
            }
        tasks = [
            pb.task(
                'Take a %d s snapshot and wait for it' % duration,
                pb.SNAPSHOT,
                {'name': name, 'instance_id': bench.instance_id},
                **keywords,
            )
        ]
        progress('case 4: %d s snapshot at time scale %d (%.0f s of wall time)' % (duration, scale, duration / scale))
        run = bench.run_playbook(
            'wait-%d' % duration,
            pb.playbook('Wait for a %d s snapshot' % duration, tasks, pb.civo_defaults(bench.url, TOKEN)),
            clock=True,
        )
        log = bench.sim.log()
        returned = [event for event in run['events'] if event['event'] == 'return']
        puts = [entry for entry in log if entry['method'] == 'PUT']
        if len(puts) != 1 or not returned or returned[0]['snapshot_status'] != 'complete':
            raise BenchError(
                'case 4 (%d s): expected one PUT and a complete snapshot, got %d PUTs and %s'
                % (duration, len(puts), returned)
            )
        put_time = puts[0]['time']
        completed = put_time + duration / float(
            scale
        )  # the simulator's clock: requested at the PUT, done duration/scale later
        polls = [entry for entry in log if entry['method'] == 'GET' and entry['time'] > put_time]
        detected = polls[-1]['time']
        previous = polls[-2]['time'] if len(polls) > 1 else put_time
        sim_times = [(entry['time'] - log[0]['time']) * scale for entry in log]
        row = {
            'duration': duration,
            'time_scale': scale,
            'polls': len(polls),
            'requests': len(log),
            'delay_wall': detected - completed,
            'delay_sim': (detected - completed) * scale,
            'interval_sim': (detected - previous) * scale,
            # Log times are taken when a request arrives, the snapshot's state when it is handled a moment later: under
            # load the two differ by milliseconds, so a poll that close to the completion may honestly go either way.
            'first_poll_after_completion': previous <= completed + LOG_TIME_SLACK
            and detected > completed - LOG_TIME_SLACK,
            'return_after_completion_wall': returned[0]['time'] - completed,
            'max_requests_per_sim_minute': max_in_window(sim_times, 60.0),
            'wall_seconds': run['wall'],
        }
        row['met'] = row['first_poll_after_completion'] and row['max_requests_per_sim_minute'] <= 50
        if not row['first_poll_after_completion']:
            checks.append('case 4 (%d s): a poll after the completion still saw the snapshot pending' % duration)
        rows.append(row)
    results['wait'] = rows


# ----------------------------------------------------------------------------------------------------- main


def progress(message):
    print('%s %s' % (time.strftime('%H:%M:%S'), message), flush=True)


def parse_args(argv):
    parser = argparse.ArgumentParser(description='civo.cloud performance benchmark against the Civo API simulator')
    parser.add_argument(
        '--quick', action='store_true', help='every case in miniature (< 60 s); only a broken benchmark fails'
    )
    parser.add_argument(
        '--output', default=OUTPUT_DIR, help='folder for results.json, results.md and the plot (default %(default)s)'
    )
    parser.add_argument('--plot', help='also write the wait plot (SVG) to this path, e.g. docs/performance-wait.svg')
    parser.add_argument('--only', help='comma-separated subset of cases: per-task,startup,requests,wait,fleet')
    parser.add_argument(
        '--rounds',
        type=int,
        help='timed rounds of cases 1 and 2 (default 5; 1 with --quick): more rounds, steadier medians',
    )
    parser.add_argument('--keep', action='store_true', help='keep the work folder (playbooks, logs, payloads)')
    parser.add_argument(
        '--compare',
        action='append',
        default=[],
        metavar='LABEL=PATH',
        help='also time the collection under this collections path in the same rounds (per-task and start-up cases), '
        'e.g. after=/tmp/patched; repeatable',
    )
    fleet = parser.add_argument_group('case 6, the role over a fleet')
    fleet.add_argument(
        '--fleet-sizes', type=_sizes, metavar='N,N', help='instances of each run (default 10,100,1000; 3 with --quick)'
    )
    fleet.add_argument(
        '--fleet-apis', type=_apis, metavar='API,API', help='snapshot APIs: account,instance (default both)'
    )
    fleet.add_argument(
        '--fleet-rate-limit',
        choices=('both', 'on', 'off'),
        help='runs without and with the rate limit of %d requests a (scaled) minute '
        '(default both; off with --quick)' % bench_fleet.CIVO_RATE_LIMIT,
    )
    fleet.add_argument(
        '--fleet-time-scale',
        type=_positive_float,
        default=10.0,
        metavar='K',
        help='divide the rate-limit minute and the snapshots\' duration by K '
        '(default %(default)g: 50 requests per 6 s)',
    )
    return parser.parse_args(argv)


def _sizes(text):
    try:
        sizes = [int(item) for item in text.split(',') if item.strip()]
    except ValueError:
        sizes = []
    if not sizes or min(sizes) < 1:
        raise argparse.ArgumentTypeError('want whole numbers of at least 1, comma-separated (10,100); got %r' % text)
    return sizes


def _apis(text):
    apis = [item.strip() for item in text.split(',') if item.strip()]
    if not apis or set(apis) - set(bench_fleet.SNAPSHOT_APIS):
        choices = ' or '.join(bench_fleet.SNAPSHOT_APIS)
        raise argparse.ArgumentTypeError('want %s, separated by commas; got %r' % (choices, text))
    return apis


def _positive_float(text):
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not value > 0:
        raise argparse.ArgumentTypeError('want a number above 0, got %r' % text)
    return value


def collections_path_under_test():
    """The folder holding the collection under test: this tree (tests/ci/collection_under_test.py; make bench copies
    it)."""
    try:
        return collection_under_test.collections_path()
    except RuntimeError as ex:
        sys.stderr.write('%s\n' % ex)
        sys.exit(2)


def collections_path_or_exit(path):
    module = os.path.join(path, 'ansible_collections', 'civo', 'cloud', 'plugins', 'modules', 'civo_snapshot.py')
    if not os.path.exists(module):
        sys.stderr.write(
            'No civo.cloud collection under %s (looked for %s). Give --compare a folder holding '
            'ansible_collections/civo/cloud, e.g. mkdir -p /tmp/coll/ansible_collections/civo && '
            'ln -s "$PWD" /tmp/coll/ansible_collections/civo/cloud\n' % (path, module)
        )
        sys.exit(2)
    return os.path.abspath(path)


def main(argv=None):
    args = parse_args(argv)
    settings = Settings(args.quick)
    if args.rounds is not None:
        if args.rounds < 1:
            sys.stderr.write('--rounds wants a whole number of at least 1, got %d\n' % args.rounds)
            return 2
        settings.rounds = args.rounds
    compare = []
    for item in args.compare:
        label, _sep, path = item.partition('=')
        if not label or not path or not label.isidentifier():
            sys.stderr.write('--compare wants LABEL=PATH with LABEL a plain word, got %r\n' % item)
            return 2
        compare.append((label, collections_path_or_exit(path)))
    cases = ('per-task', 'startup', 'requests', 'wait', 'fleet')
    selected = [case.strip() for case in args.only.split(',')] if args.only else list(cases)
    unknown = set(selected) - set(cases)
    if unknown:
        sys.stderr.write('unknown case(s): %s (choose from %s)\n' % (', '.join(sorted(unknown)), ', '.join(cases)))
        return 2
    os.makedirs(args.output, exist_ok=True)
    work = tempfile.mkdtemp(prefix='civo-bench-')
    try:
        collections_path = collections_path_under_test()
    except SystemExit:
        shutil.rmtree(work, ignore_errors=True)
        raise
    command = [
        os.path.relpath(sys.executable, REPO) if sys.executable.startswith(REPO) else sys.executable,
        os.path.relpath(os.path.abspath(__file__), REPO),
    ]
    command += argv if argv is not None else sys.argv[1:]
    results = {
        'meta': {
            'command': ' '.join(command),
            'collections_path': collections_path,
            'compare': dict(compare),
            'quick': args.quick,
            'cases': selected,
            'started': datetime.datetime.now(datetime.timezone.utc).isoformat(timespec='seconds'),
            'python': platform.python_version(),
            'platform': platform.platform(),
            'cpus': os.cpu_count(),
            'load_before': os.getloadavg(),
            'ansible_core': ansible_core_version(),
            'settings': dict(vars(settings)),
        }
    }
    limits = {'both': [False, True], 'on': [True], 'off': [False]}.get(args.fleet_rate_limit)
    fleet = bench_fleet.FleetSettings(args.quick, args.fleet_sizes, args.fleet_apis, limits, args.fleet_time_scale)
    checks = []
    started = time.perf_counter()
    bench = Bench(collections_path, work, compare)
    progress('simulator at %s, collection from %s, work folder %s' % (bench.url, collections_path, work))
    results['meta']['poll_schedule'] = poll_schedule(collections_path)
    broken = None
    try:
        steps = (
            ('per-task', case_per_task),
            ('startup', case_startup_and_memory),
            ('requests', case_requests),
            ('wait', case_wait),
            ('fleet', bench_fleet.case_fleet),
        )
        for name, step in steps:
            if name in selected:
                step_started = time.perf_counter()
                if name == 'requests':
                    step(bench, results, checks)
                elif name == 'fleet':
                    step(bench, fleet, results, checks, progress)
                else:
                    step(bench, settings, results, checks)
                results['meta'].setdefault('case_seconds', {})[name] = time.perf_counter() - step_started
    except BenchError as e:
        broken = str(e)
    finally:
        bench.close()
        results['meta']['seconds'] = time.perf_counter() - started
        results['meta']['load_after'] = os.getloadavg()
        results['checks'] = checks + ([broken] if broken else [])
        if not args.keep and not broken:
            shutil.rmtree(work, ignore_errors=True)
        else:
            results['meta']['work_dir'] = work
    written = bench_report.write_all(results, args.output, args.plot)
    print(bench_report.text_summary(results))
    progress('results: %s' % ', '.join(written))
    if results['checks']:
        progress('BENCHMARK BROKEN: %s' % '; '.join(results['checks']))
        return 1
    return 0


def ansible_core_version():
    try:
        from ansible.release import __version__  # pylint: disable=import-outside-toplevel

        return __version__
    except ImportError:
        return None


if __name__ == '__main__':
    sys.exit(main())
