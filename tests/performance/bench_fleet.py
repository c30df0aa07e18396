"""Case 6 of the benchmark: the role civo.cloud.snapshot_backup over a fleet of N instances (issue 22).

For each fleet size and snapshot API, on a fresh simulator with N instances added:
  1. a first run (not measured) takes the backups that the measured runs rotate;
  2. steady state, keep 1: each measured run takes one snapshot per instance and deletes the one before it,
     without and with Civo's rate limit (50 requests a minute, on a scaled clock);
  3. no-op: a run with snapshot_backup_min_interval that finds every instance backed up (without and with the limit).
Each measured run reports its requests (the simulator's request log, by method and path kind), the module runs (task
results of civo.cloud modules, each loop item counted, from the task_clock callback) and its wall time, next to the
floor. The simulator checks what each run did; a run that did not take or delete what it should breaks the benchmark.

The scaled clock: a real minute of rate-limit window would make 100 instances take 10 minutes a run, so the window
and the snapshots' duration are both divided by the time scale k (default 10: 50 requests per 6 s, a 60 s snapshot
takes 6 s). The modules keep the real clock, so that the Retry-After and X-Ratelimit-Reset the simulator sends (real
seconds) mean what they say; what is not scaled is Ansible's own time per task and the modules' poll intervals.
"""

import math
import os
import re
import time

import bench_playbooks as pb

PREFIX = 'bench-fleet'
CIVO_RATE_LIMIT = 50  # requests per window per account (Civo)
CIVO_RATE_WINDOW = 60.0  # seconds (Civo)
NOOP_MIN_INTERVAL = '1h'  # every instance was backed up moments before the no-op run
SNAPSHOT_APIS = ('account', 'instance')
STEADY_SLACK = 5  # goal: at most 2N + 5 requests a steady-state run
NOOP_GOAL = 3  # goal: at most 3 requests a no-op run, whatever N
MODULE_RUNS_GOAL = 10  # goal: at most 10 module runs a run (plus one a minute of waiting)
FLEET_ACTIONS = 'civo.cloud.'
CREATED_STATUSES = (200, 201)
DELETED_STATUSES = (200, 202, 204)
# Path segments that name a collection of the API; any other segment is an id or a name.
COLLECTIONS = {'v2', 'snapshots', 'instances', 'resourcesnapshots', 'resourcesnapshotschedules', 'restore'}
HOSTNAME = 'fleet-%04d'
INSTANCE_SNAPSHOTS = re.compile(r'^/v2/instances/[^/]+/snapshots$')


class FleetSettings:
    """What the fleet case runs: sizes, snapshot APIs, with/without the rate limit, and the scaled clock."""

    def __init__(self, quick, sizes=None, apis=None, limits=None, time_scale=10.0, snapshot_seconds=None):
        self.sizes = sizes or ([3] if quick else [10, 100, 1000])
        self.apis = apis or list(SNAPSHOT_APIS)
        self.limits = limits or ([False] if quick else [False, True])  # True: 50 requests a (scaled) minute
        self.time_scale = float(time_scale)
        # Simulated seconds a snapshot takes (new for a fifth, then in progress): 10 s in quick mode keeps it short.
        self.snapshot_seconds = float(snapshot_seconds or (10 if quick else 60))

    @property
    def window(self):
        """The rate-limit window in wall seconds: Civo's minute on the scaled clock."""
        return CIVO_RATE_WINDOW / self.time_scale

    @property
    def snapshot_wall_seconds(self):
        return self.snapshot_seconds / self.time_scale

    def as_dict(self):
        return {
            'sizes': self.sizes,
            'apis': self.apis,
            'limits': self.limits,
            'time_scale': self.time_scale,
            'snapshot_seconds': self.snapshot_seconds,
            'window_seconds': self.window,
            'snapshot_wall_seconds': self.snapshot_wall_seconds,
            'rate_limit': CIVO_RATE_LIMIT,
            'noop_min_interval': NOOP_MIN_INTERVAL,
        }


def playbook_timeout(count):
    """Seconds a fleet run may take before the benchmark calls it hung (today's role needs about 1.5 s an instance)."""
    return 600 + 6 * count


# ------------------------------------------------------------------------------------------------ what a run sent


def path_kind(path):
    """'/v2/instances/4b1c.../snapshots' -> '/v2/instances/:id/snapshots'. /v2/snapshots/<name> (the account API
    addresses snapshots by name) -> '/v2/snapshots/:name'; an instance's snapshot -> ':snapshot_id'."""
    parts = path.split('/')
    for index, part in enumerate(parts):
        if part and part not in COLLECTIONS:
            if parts[index - 1] == 'snapshots':
                parts[index] = ':name' if index == 3 else ':snapshot_id'
            else:
                parts[index] = ':id'
    return '/'.join(parts)


def request_kinds(log):
    """{'GET /v2/snapshots': 301, ...}, the most frequent first."""
    kinds = {}
    for entry in log:
        kind = '%s %s' % (entry['method'], path_kind(entry['path']))
        kinds[kind] = kinds.get(kind, 0) + 1
    return dict(sorted(kinds.items(), key=lambda item: (-item[1], item[0])))


def is_module_run(event):
    """A task result of a civo.cloud module: each loop item, or the result of a task without a loop."""
    if event['event'] not in ('item', 'return') or event['status'] not in ('ok', 'failed'):
        return False
    return str(event.get('action') or '').startswith(FLEET_ACTIONS) and (event['event'] == 'item' or not event['loop'])


def module_runs(event):
    """The module runs behind a task result: those its action plugin reports (civo_snapshot_backup runs its module in
    steps, one process each), else one."""
    return (event.get('module_runs') or 1) if is_module_run(event) else 0


def tasks_of_run(events, log, end):
    """Per task of the play: its module runs, requests (the log between its start and the next task's) and seconds."""
    starts = [event for event in events if event['event'] == 'start']
    tasks = []
    for number, start in enumerate(starts):
        until = starts[number + 1]['time'] if number + 1 < len(starts) else end
        mine = [entry for entry in log if start['time'] <= entry['time'] < until]
        runs = sum(module_runs(event) for event in events if start['time'] <= event['time'] < until)
        tasks.append(
            {
                'task': start['task'],
                'action': start.get('action'),
                'module_runs': runs,
                'requests': len(mine),
                'by_kind': request_kinds(mine),
                'seconds': until - start['time'],
            }
        )
    return tasks


# ---------------------------------------------------------------------------------- what a run did (the checks)


def backups(sim, api, hostnames_by_id):
    """{instance id: [(name, state)]} of this backup set, for every fleet instance, from the simulator's state."""
    found = {instance_id: [] for instance_id in hostnames_by_id}
    if api == 'account':
        snapshots = [(snap['instance_id'], snap['name'], snap['status']) for snap in sim.snapshots()]
    else:
        snapshots = [(snap['instance_id'], snap['name'], snap['phase']) for snap in sim.instance_snapshots()]
    for instance_id, name, state in snapshots:
        if instance_id in found and name.startswith(PREFIX + '-'):
            found[instance_id].append((name, state))
    return found


def created_names(log, api):
    """Names of the snapshots this run created (answered as created), in order."""
    names = []
    for entry in log:
        if entry['status'] not in CREATED_STATUSES:
            continue
        if api == 'account' and entry['method'] == 'PUT' and entry['path'].startswith('/v2/snapshots/'):
            names.append(entry['path'][len('/v2/snapshots/') :])
        elif api == 'instance' and entry['method'] == 'POST' and INSTANCE_SNAPSHOTS.match(entry['path']):
            names.append(entry['params'].get('name'))
    return names


def deletions(log):
    return [entry for entry in log if entry['method'] == 'DELETE' and entry['status'] in DELETED_STATUSES]


def check_run(label, kind, count, created, deleted, before, after):
    """What is wrong with a run, in words (empty when it did what it is measured for)."""
    problems = []
    want_created, want_deleted = {'first': (count, 0), 'steady': (count, count), 'no-op': (0, 0)}[kind]
    if len(created) != want_created or len(set(created)) != len(created):
        problems.append(
            '%s: expected %d snapshots taken, the simulator saw %d created (%d distinct)'
            % (label, want_created, len(created), len(set(created)))
        )
    if len(deleted) != want_deleted:
        problems.append('%s: expected %d snapshots deleted, the simulator saw %d' % (label, want_deleted, len(deleted)))
    wrong = [
        instance_id
        for instance_id, kept in after.items()
        if len(kept) != 1
        or kept[0][1] != 'complete'
        or (kept != before[instance_id] if kind == 'no-op' else kept[0][0] not in created)
    ]
    if wrong:
        problems.append(
            '%s: %d of %d instances do not end with the one complete backup expected (keep 1), e.g. %s'
            % (label, len(wrong), count, after[wrong[0]])
        )
    return problems


# ------------------------------------------------------------------------------------------------------- the case


def floors(kind, count, limited, fleet):
    """(floor of requests or None, goal of requests, floor of wall seconds or None) of a run."""
    if kind == 'no-op':
        return None, NOOP_GOAL, None
    requests = 2 * count
    seconds = fleet.snapshot_wall_seconds + (requests / float(CIVO_RATE_LIMIT) * fleet.window if limited else 0.0)
    return requests, requests + STEADY_SLACK, seconds


def waiting_minutes(floor_seconds, fleet):
    """Whole minutes at Civo's pace that a run at its floor lasts: the issue allows one module run more for each."""
    return int(math.ceil((floor_seconds or 0.0) * fleet.time_scale / 60.0))


def measured_run(bench, fleet, hostnames, hostnames_by_id, api, kind, limited, checks):
    """One run of the role; returns its row (figures and checks) for the results."""
    count = len(hostnames)
    label = 'fleet-%d-%s-%s%s' % (count, api, kind, '-limited' if limited else '')
    bench.sim.configure(rate_limit=CIVO_RATE_LIMIT if limited else 0, rate_window=fleet.window)  # also a fresh window
    before = backups(bench.sim, api, hostnames_by_id)
    bench.sim.clear_log()
    min_interval = NOOP_MIN_INTERVAL if kind == 'no-op' else None
    text = pb.fleet_backup(hostnames, PREFIX, api, bench.url, bench.token, min_interval)
    # A remote_tmp of its own: the collection's shared rate-limit window (a file there) starts blank, as in a new job.
    remote_tmp = os.path.join(bench.work, 'remote-tmp-' + label)
    run = bench.run_playbook(
        label, text, clock=True, env={'ANSIBLE_REMOTE_TMP': remote_tmp}, timeout=playbook_timeout(count)
    )
    log = bench.sim.log()
    after = backups(bench.sim, api, hostnames_by_id)
    created, deleted = created_names(log, api), deletions(log)
    problems = check_run(label, kind, count, created, deleted, before, after)
    checks.extend(problems)
    floor_requests, goal_requests, floor_seconds = floors(kind, count, limited, fleet)
    runs = sum(module_runs(event) for event in run['events'])
    span = log[-1]['time'] - log[0]['time'] if log else 0.0
    return {
        'instances': count,
        'api': api,
        'kind': kind,
        'rate_limited': limited,
        'requests': len(log),
        'per_instance': len(log) / float(count),
        'by_kind': request_kinds(log),
        'answered_429': sum(1 for entry in log if entry['status'] == 429),
        'floor_requests': floor_requests,
        'goal_requests': goal_requests,
        # Requests / 50: minutes of the account's budget at Civo's pace, whatever the time scale.
        'budget_minutes': len(log) / float(CIVO_RATE_LIMIT),
        'module_runs': runs,
        'module_runs_goal': MODULE_RUNS_GOAL + waiting_minutes(floor_seconds, fleet),
        'wall': run['wall'],
        'cpu': run['cpu'],
        'request_span': span,
        'floor_seconds': floor_seconds,
        'taken': len(created),
        'deleted': len(deleted),
        'tasks': tasks_of_run(run['events'], log, run['end']),
        'problems': problems,
    }


def add_fleet(sim, count):
    """N instances fleet-0001 ... on the simulator; {id: hostname}."""
    added = sim.add_instances([{'hostname': HOSTNAME % number} for number in range(1, count + 1)])
    return {instance['id']: instance['hostname'] for instance in added}


def case_fleet(bench, fleet, results, checks, progress):
    """Case 6. Rows are added to results['fleet']['runs'] as they come, so that a later failure keeps them."""
    section = results['fleet'] = {'settings': fleet.as_dict(), 'runs': [], 'first_runs': []}
    for count in fleet.sizes:
        for api in fleet.apis:
            progress('case 6: the role over %d instances, snapshot_api %s' % (count, api))
            wall = fleet.snapshot_wall_seconds
            bench.sim.reset(new_seconds=0.2 * wall, progress_seconds=0.8 * wall, rate_limit=0)
            hostnames_by_id = add_fleet(bench.sim, count)
            hostnames = [hostnames_by_id[instance_id] for instance_id in hostnames_by_id]
            started = time.perf_counter()
            first = measured_run(bench, fleet, hostnames, hostnames_by_id, api, 'first', False, checks)
            section['first_runs'].append(first)
            progress('  first run (not measured): %d requests, %.0f s' % (first['requests'], first['wall']))
            for kind in ('steady', 'no-op'):
                for limited in fleet.limits:
                    row = measured_run(bench, fleet, hostnames, hostnames_by_id, api, kind, limited, checks)
                    section['runs'].append(row)
                    progress(
                        '  %s%s: %d requests, %d module runs, %.1f s'
                        % (kind, ' (rate limit)' if limited else '', row['requests'], row['module_runs'], row['wall'])
                    )
            bench.sim.configure(rate_limit=0)
            section.setdefault('seconds', {})['%d %s' % (count, api)] = time.perf_counter() - started
