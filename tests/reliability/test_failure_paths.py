"""The failure-path matrix: every request of the collection that changes something, failed in every way that matters.

A row is one request that changes something (a PUT, POST or DELETE that a module or the role sends), with the task
that sends it and what the task must achieve. A case is how that request goes wrong:

  (a) the answer is lost after Civo did it: a dropped connection, or a proxy's 502, after the operation;
  (b) Civo refuses it (422, not retried) or keeps failing it (503, more times than api_retries allows);
  (c) the run stops right after it: the simulator performs it, then drops every request (a `cutoff`).

Each cell (row x case) has a simulator of its own, seeded with the row's starting state and the same bystanders
(a complete snapshot on each API and a schedule the task has no business with). The cells run in three phases, one
ansible-playbook run each for all cells: the faulty run (the fault armed), a re-run of the same task, a third run.
After every phase each cell's state is judged (judge_state, judge_cell):

  - no complete snapshot is lost: each complete snapshot of the start is still there, unless a complete replacement of
    the same name exists, or the row's purpose allows losing it at that point (deleting it, the account API's own
    overwrite, rotation once every instance of the fleet has a newer complete backup);
  - no schedule is lost: each schedule of the start exists with its old or its new settings (after the faulty run also
    as its replacement NAME-replacement, which recreate renames once the old one is gone); a schedule no row explains
    (a temporary replacement) may exist after the faulty run only;
  - nothing is duplicated: never two schedules of one name, two instances of one hostname, or two snapshots of one
    name on one instance that the runs made (a superseded one of the start may wait for its replacement in run 1);
    after the re-run, never two snapshots of one name on one instance at all;
  - a POST that was performed is never sent again in the same run (the standard: a POST is never resent blindly).

And per phase: (a) the faulty run succeeds and the re-run is changed: false; (b) the faulty run fails, naming the
HTTP status; the re-run reaches the row's goal; the third run is changed: false and sends no PUT, POST or DELETE
(except rows whose every run is a change by design: see Row.every_run_changes). The faulted request must really have
been sent in the faulty run, or the cell proves nothing and fails.

Adding a request costs one Row in ROWS. The matrix is written to tests/output/reliability/failure_paths.md and copied
into docs/reliability.md by `python3 tests/reliability/failure_paths_doc.py REPORT`.
"""

import collections
import datetime
import re
import time

import pytest

from reliability_harness import (
    DB_1,
    REPORT,
    ROLE,
    WEB_1,
    WEB_2,
    WRITE_METHODS,
    Cell,
    run_cells,
    start_simulators,
    stop_simulators,
    table,
)

API_RETRIES = 1
API_TIMEOUT = 2
FORKS = 25
# One phase of all cells takes about a minute on a 2-core machine, more when the machine is busy.
PLAYBOOK_TIMEOUT = 600
# Snapshots complete 0.8 s after they are asked for; a restore to a new hostname takes a second.
SIMULATOR_OPTIONS = {'new_seconds': 0.2, 'progress_seconds': 0.6}
RESTORE_SECONDS = 1.0
# An in-place restore outlasts the three runs, so that every re-run finds the instance RESTORING.
LONG_RESTORE_SECONDS = 600.0
HOSTNAMES = {WEB_1: 'web-1', WEB_2: 'web-2', DB_1: 'db-1'}
MATRIX_START = int(time.time())  # whole seconds, as the API's timestamps
# When the snapshots of the start were taken: older than any max_age or min_interval of the rows.
OLD_EPOCH = datetime.datetime(2025, 1, 1, tzinfo=datetime.timezone.utc).timestamp()
PHASES = ('faulty run', 're-run', 'third run')


def rfc3339(epoch):
    return datetime.datetime.fromtimestamp(epoch, datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ')


def backup_name(hostname, epoch, api):
    """The role's name of a backup (its timestamp lowercase with the instance API)."""
    stamp = datetime.datetime.fromtimestamp(epoch, datetime.timezone.utc).strftime('%Y%m%dT%H%M%SZ')
    return 'bk-%s-%s' % (hostname, stamp.lower() if api == 'instance' else stamp)


# -- the cases -----------------------------------------------------------------------------------------------------

Case = collections.namedtuple('Case', 'slug letter title fault')
CASES = (
    Case('lost_drop', 'a', 'done, answer lost: connection dropped', {'kind': 'drop', 'after': True}),
    Case('lost_502', 'a', 'done, answer lost: HTTP 502', {'kind': 'status', 'status': 502, 'after': True}),
    Case('refused_422', 'b', 'refused: HTTP 422', {'kind': 'status', 'status': 422}),
    Case(
        'failing_503',
        'b',
        'failing: HTTP 503 beyond api_retries',
        {'kind': 'status', 'status': 503, 'times': API_RETRIES + 1},
    ),
    Case('cutoff', 'c', 'run stops right after it', {'kind': 'cutoff'}),
)


# -- what a run may lose (Row.may_lose): each rule answers whether a complete snapshot of the start may be gone -------


def deleting(name):
    """Deleting the snapshot is the task's purpose: it may go at any point."""

    def rule(snapshot, _state):
        return snapshot['name'] == name

    rule.__doc__ = 'deleting %s' % name
    return rule


def retaking_in_place(name):
    """The account API re-takes a snapshot by overwriting it (same id, status back to new), as documented.

    The snapshot may be incomplete while it is taken again, but never gone.
    """

    def rule(snapshot, state):
        return snapshot['name'] == name and any(s['id'] == snapshot['id'] for s in all_snapshots(state))

    return rule


def rotating(prefix, fleet, api):
    """Rotation may delete an older backup of the set once every instance of the fleet has a newer complete one."""

    def rule(snapshot, state):
        if not re.match(r'^%s-' % prefix, snapshot['name']):
            return False
        return all(
            any(s['complete'] and s['created'] > snapshot['created'] for s in backups(state, prefix, instance_id, api))
            for instance_id in fleet
        )

    return rule


# -- goals (Row.goal): what the re-run and the third run must have reached; each answers a list of problems --------


def snapshot_complete(api, instance_id, name, retaken=False):
    def goal(state):
        found = named(state, api, instance_id, name)
        problems = []
        if len(found) != 1 or not found[0]['complete']:
            problems.append(
                'wanted one complete snapshot %s, found %s' % (where(api, instance_id, name), describe(found))
            )
        elif retaken and found[0]['created'] < MATRIX_START:
            problems.append('snapshot %s was not taken again: %s' % (where(api, instance_id, name), describe(found)))
        return problems

    return goal


def snapshot_absent(api, instance_id, name):
    def goal(state):
        found = named(state, api, instance_id, name)
        return ['snapshot %s still there: %s' % (where(api, instance_id, name), describe(found))] if found else []

    return goal


def snapshot_described(instance_id, name, description):
    def goal(state):
        found = named(state, 'instance', instance_id, name)
        if len(found) != 1 or found[0]['description'] != description:
            return [
                'wanted one snapshot %s described %r, found %s'
                % (where('instance', instance_id, name), description, describe(found, 'description'))
            ]
        return []

    return goal


def schedule_is(name, **settings):
    def goal(state):
        found = [s for s in state['schedules'] if s['name'] == name]
        if len(found) != 1 or any(schedule_settings(found[0])[key] != value for key, value in settings.items()):
            return [
                'wanted one schedule %s with %s, found %s'
                % (name, settings, show_schedules(map(schedule_settings, found)))
            ]
        return []

    return goal


def schedule_absent(name):
    def goal(state):
        found = [s for s in state['schedules'] if s['name'] == name]
        return ['schedule %s still there: %s' % (name, show_schedules(map(schedule_settings, found)))] if found else []

    return goal


def restored_to(hostname, snapshot_id):
    def goal(state):
        found = [i for i in state['instances'] if i['hostname'] == hostname]
        if len(found) != 1 or found[0]['status'] != 'ACTIVE' or found[0].get('restored_from') != snapshot_id:
            return [
                'wanted one ACTIVE instance %s restored from %s, found %s'
                % (hostname, snapshot_id, [(i['id'], i['status'], i.get('restored_from')) for i in found])
            ]
        return []

    return goal


def restoring_in_place(instance_id, snapshot_id):
    def goal(state):
        instance = [i for i in state['instances'] if i['id'] == instance_id][0]
        restores = [r for r in state['restores'] if r['from_snapshot'] == snapshot_id and r['overwrite_existing']]
        if instance.get('restored_from') != snapshot_id or not restores:
            return [
                'wanted %s restored in place from %s, found it %s (restored_from %s) and %d restores'
                % (
                    HOSTNAMES[instance_id],
                    snapshot_id,
                    instance['status'],
                    instance.get('restored_from'),
                    len(restores),
                )
            ]
        return []

    return goal


def backed_up(prefix, fleet, api, keep):
    def goal(state):
        problems = []
        for instance_id in fleet:
            found = backups(state, prefix, instance_id, api)
            fresh = [s for s in found if s['complete'] and s['created'] >= MATRIX_START]
            if len(found) != keep or len(fresh) != keep:
                problems.append(
                    'wanted %d new complete backup(s) %s-%s-*, found %s'
                    % (keep, prefix, HOSTNAMES[instance_id], describe(found))
                )
        return problems

    return goal


# -- the rows ------------------------------------------------------------------------------------------------------


class Row:
    """One request that changes something, the task that sends it, and what the task must reach.

    request: (method, path or glob, skip) of the request to fault; seed: the starting state besides the bystanders
    ({'account': [...], 'instance': [...], 'schedules': [...]}, in the simulator's control shapes; ids are given so that
    paths can name them); goal: goals that must hold after the re-run and the third run; may_lose: rules allowing a
    complete snapshot of the start to go; schedule_changes: {name: the settings the task gives that schedule};
    schedule_deleted / schedule_created: the schedule the task deletes / creates; every_run_changes: every completed
    run is a change by design (the third-run rule does not apply); one_restore_at_a_time: no restore request may be
    sent while the row's first restore runs.
    """

    def __init__(
        self,
        slug,
        title,
        checks,
        module,
        args,
        request,
        goal,
        seed=None,
        may_lose=(),
        schedule_changes=None,
        schedule_deleted=None,
        schedule_created=None,
        simulator=None,
        every_run_changes=False,
        one_restore_at_a_time=False,
    ):
        self.slug, self.title, self.checks, self.module, self.args = slug, title, checks, module, args
        self.method, self.path = request[0], request[1]
        self.skip = request[2] if len(request) > 2 else 0
        self.goal = goal if isinstance(goal, tuple) else (goal,)
        self.seed = seed or {}
        self.may_lose = may_lose
        self.schedule_changes = schedule_changes or {}
        self.schedule_deleted = schedule_deleted
        self.schedule_created = schedule_created
        self.simulator = simulator or {}
        self.every_run_changes = every_run_changes
        self.one_restore_at_a_time = one_restore_at_a_time

    @property
    def request(self):
        return '%s %s%s' % (self.method, self.path, ' (after %d like it)' % self.skip if self.skip else '')


OLD = rfc3339(OLD_EPOCH)
ACCOUNT_SNAPSHOT = {'name': 'mx-snap', 'instance_id': WEB_1, 'status': 'complete', 'requested_at': OLD}
INSTANCE_SNAPSHOT = {
    'id': 'mx-snap-id',
    'name': 'mx-snap',
    'instance_id': WEB_1,
    'description': 'old',
    'created_at': OLD,
}
INSTANCE_SNAPSHOT_PATH = '/v2/instances/%s/snapshots' % WEB_1
SCHEDULE = {
    'id': 'mx-nightly-id',
    'name': 'mx-nightly',
    'description': 'old',
    'cron_expression': '0 3 * * *',
    'retention': {'max_snapshots': 3},
    'instances': [{'instance_id': WEB_1, 'include_volumes': False}],
}
SCHEDULES_PATH = '/v2/resourcesnapshotschedules'
# The temporary name of a schedule's replacement while civo_snapshot_schedule's recreate replaces it.
REPLACEMENT_NAME = '%s-replacement'
BASE_SNAPSHOT = dict(INSTANCE_SNAPSHOT, id='mx-base-id', name='mx-base')
FLEET = (WEB_1, WEB_2, DB_1)


def role_row(api, slug, title, checks, request):
    """The role, backing up web-1, web-2 and db-1 with keep 1; web-1 has an old complete backup."""
    old_backup = {'name': backup_name('web-1', OLD_EPOCH, api), 'instance_id': WEB_1}
    if api == 'account':
        seed = {'account': [dict(old_backup, status='complete', requested_at=OLD)]}
    else:
        seed = {'instance': [dict(old_backup, id='bk-web-1-old-id', created_at=OLD)]}
    return Row(
        slug,
        title,
        checks,
        ROLE,
        {'instances': ['web-1', 'web-2', 'db-1'], 'prefix': 'bk', 'keep': 1, 'min_interval': '1h', 'snapshot_api': api},
        request,
        backed_up('bk', FLEET, api, keep=1),
        seed=seed,
        may_lose=(rotating('bk', FLEET, api),),
    )


ROWS = (
    (
        Row(
            'account_create',
            'civo_snapshot, account API: create',
            'one complete snapshot of the name',
            'civo_snapshot',
            {'name': 'mx-snap', 'instance_id': WEB_1},
            ('PUT', '/v2/snapshots/mx-snap'),
            snapshot_complete('account', WEB_1, 'mx-snap'),
        ),
        Row(
            'account_retake',
            'civo_snapshot, account API: re-take (max_age)',
            'the complete snapshot is overwritten in place (its documented way), never deleted; taken again, complete',
            'civo_snapshot',
            {'name': 'mx-snap', 'instance_id': WEB_1, 'max_age': '1d'},
            ('PUT', '/v2/snapshots/mx-snap'),
            snapshot_complete('account', WEB_1, 'mx-snap', retaken=True),
            seed={'account': [ACCOUNT_SNAPSHOT]},
            may_lose=(retaking_in_place('mx-snap'),),
        ),
        Row(
            'account_delete',
            'civo_snapshot, account API: delete',
            'the snapshot is gone, nothing else',
            'civo_snapshot',
            {'name': 'mx-snap', 'state': 'absent'},
            ('DELETE', '/v2/snapshots/mx-snap'),
            snapshot_absent('account', WEB_1, 'mx-snap'),
            seed={'account': [ACCOUNT_SNAPSHOT]},
            may_lose=(deleting('mx-snap'),),
        ),
        Row(
            'instance_create',
            'civo_snapshot, instance API: create',
            'one complete snapshot of the name on the instance',
            'civo_snapshot',
            {'name': 'mx-snap', 'instance_id': WEB_1, 'snapshot_api': 'instance'},
            ('POST', INSTANCE_SNAPSHOT_PATH),
            snapshot_complete('instance', WEB_1, 'mx-snap'),
        ),
        Row(
            'instance_retake_post',
            'civo_snapshot, instance API: re-take (max_age), its POST',
            'the old snapshot stays until the new one is complete; then one complete snapshot of the name',
            'civo_snapshot',
            {'name': 'mx-snap', 'instance_id': WEB_1, 'max_age': '1d', 'snapshot_api': 'instance'},
            ('POST', INSTANCE_SNAPSHOT_PATH),
            snapshot_complete('instance', WEB_1, 'mx-snap', retaken=True),
            seed={'instance': [INSTANCE_SNAPSHOT]},
        ),
        Row(
            'instance_retake_delete',
            'civo_snapshot, instance API: re-take (max_age), DELETE of the superseded snapshot',
            'the old snapshot goes only once the new one is complete; then one complete snapshot of the name',
            'civo_snapshot',
            {'name': 'mx-snap', 'instance_id': WEB_1, 'max_age': '1d', 'snapshot_api': 'instance'},
            ('DELETE', INSTANCE_SNAPSHOT_PATH + '/mx-snap-id'),
            snapshot_complete('instance', WEB_1, 'mx-snap', retaken=True),
            seed={'instance': [INSTANCE_SNAPSHOT]},
        ),
        Row(
            'instance_describe',
            'civo_snapshot, instance API: description update',
            'the same snapshot, described anew; nothing taken or deleted',
            'civo_snapshot',
            {'name': 'mx-snap', 'instance_id': WEB_1, 'description': 'new', 'snapshot_api': 'instance'},
            ('PUT', INSTANCE_SNAPSHOT_PATH + '/mx-snap-id'),
            snapshot_described(WEB_1, 'mx-snap', 'new'),
            seed={'instance': [INSTANCE_SNAPSHOT]},
        ),
        Row(
            'instance_delete',
            'civo_snapshot, instance API: delete',
            'the snapshot is gone, nothing else',
            'civo_snapshot',
            {'name': 'mx-snap', 'instance_id': WEB_1, 'state': 'absent', 'snapshot_api': 'instance'},
            ('DELETE', INSTANCE_SNAPSHOT_PATH + '/mx-snap-id'),
            snapshot_absent('instance', WEB_1, 'mx-snap'),
            seed={'instance': [INSTANCE_SNAPSHOT]},
            may_lose=(deleting('mx-snap'),),
        ),
        Row(
            'schedule_create',
            'civo_snapshot_schedule: create',
            'one schedule of the name, with its settings',
            'civo_snapshot_schedule',
            {
                'name': 'mx-new',
                'description': 'created',
                'cron_expression': '0 3 * * *',
                'max_snapshots': 3,
                'instances': [WEB_1],
            },
            ('POST', SCHEDULES_PATH),
            schedule_is('mx-new', description='created', cron_expression='0 3 * * *', max_snapshots=3),
            schedule_created='mx-new',
        ),
        Row(
            'schedule_update',
            'civo_snapshot_schedule: in-place update (rename, description, paused)',
            'the same schedule renamed, described and paused; never gone',
            'civo_snapshot_schedule',
            {'name': 'mx-renamed', 'rename_from': 'mx-nightly', 'description': 'new', 'paused': True},
            ('PUT', SCHEDULES_PATH + '/mx-nightly-id'),
            (
                schedule_is('mx-renamed', description='new', paused=True, cron_expression='0 3 * * *'),
                schedule_absent('mx-nightly'),
            ),
            seed={'schedules': [SCHEDULE]},
            schedule_changes={'mx-nightly': {'name': 'mx-renamed', 'description': 'new', 'paused': True}},
        ),
    )
    + tuple(
        Row(
            'schedule_recreate_%s' % method.lower(),
            'civo_snapshot_schedule: recreate, its %s' % what,
            'a schedule of the name with the old or the new settings after every run; then one, with the new settings',
            'civo_snapshot_schedule',
            {'name': 'mx-nightly', 'cron_expression': '30 2 * * *', 'max_snapshots': 5, 'recreate': True},
            (method, path),
            schedule_is('mx-nightly', cron_expression='30 2 * * *', max_snapshots=5, description='old'),
            seed={'schedules': [SCHEDULE]},
            schedule_changes={'mx-nightly': {'cron_expression': '30 2 * * *', 'max_snapshots': 5}},
        )
        # The order the lead is moving to: the replacement is created under a temporary name, the old one deleted, the
        # replacement renamed. Each request is found by method and path, whatever the order the code sends them in.
        for method, path, what in (
            ('POST', SCHEDULES_PATH, 'POST of the replacement'),
            ('DELETE', SCHEDULES_PATH + '/mx-nightly-id', 'DELETE of the old schedule'),
            ('PUT', SCHEDULES_PATH + '/*', 'PUT renaming the replacement'),
        )
    )
    + (
        Row(
            'schedule_delete',
            'civo_snapshot_schedule: delete',
            'the schedule is gone, nothing else',
            'civo_snapshot_schedule',
            {'name': 'mx-nightly', 'state': 'absent'},
            ('DELETE', SCHEDULES_PATH + '/mx-nightly-id'),
            schedule_absent('mx-nightly'),
            seed={'schedules': [SCHEDULE]},
            schedule_deleted='mx-nightly',
        ),
        Row(
            'restore_new',
            'civo_snapshot_restore: to a new hostname',
            'one instance of the hostname, ACTIVE, from the snapshot',
            'civo_snapshot_restore',
            {'instance_id': WEB_1, 'snapshot': 'mx-base', 'hostname': 'web-1-copy'},
            ('POST', INSTANCE_SNAPSHOT_PATH + '/mx-base-id/restore'),
            restored_to('web-1-copy', 'mx-base-id'),
            seed={'instance': [BASE_SNAPSHOT]},
        ),
        Row(
            'restore_in_place',
            'civo_snapshot_restore: in place (overwrite_existing, wait: false)',
            'restored from the snapshot; no restore request while the first restore runs (every completed restore in '
            'place is a change by design: no third-run rule)',
            'civo_snapshot_restore',
            {'instance_id': WEB_1, 'snapshot': 'mx-base', 'overwrite_existing': True, 'wait': False},
            ('POST', INSTANCE_SNAPSHOT_PATH + '/mx-base-id/restore'),
            restoring_in_place(WEB_1, 'mx-base-id'),
            seed={'instance': [BASE_SNAPSHOT]},
            simulator={'restore_seconds': LONG_RESTORE_SECONDS},
            every_run_changes=True,
            one_restore_at_a_time=True,
        ),
        role_row(
            'account',
            'role_account_take',
            'role snapshot_backup, account API: take (web-2 of 3)',
            'every instance ends with one new complete backup; the old one goes only once all three are complete',
            ('PUT', '/v2/snapshots/bk-web-2-*'),
        ),
        role_row(
            'account',
            'role_account_rotate',
            'role snapshot_backup, account API: rotation DELETE (keep 1)',
            'the older backup goes once all three new ones are complete; one backup each',
            ('DELETE', '/v2/snapshots/' + backup_name('web-1', OLD_EPOCH, 'account')),
        ),
        role_row(
            'instance',
            'role_instance_take',
            'role snapshot_backup, instance API: take (web-2 of 3)',
            'every instance ends with one new complete backup; the old one goes only once all three are complete',
            ('POST', '/v2/instances/%s/snapshots' % WEB_2),
        ),
        role_row(
            'instance',
            'role_instance_rotate',
            'role snapshot_backup, instance API: rotation DELETE (keep 1)',
            'the older backup goes once all three new ones are complete; one backup each',
            ('DELETE', '/v2/instances/%s/snapshots/bk-web-1-old-id' % WEB_1),
        ),
    )
)

# Besides each row's own state: a complete snapshot on each API and a schedule that no task may touch.
BYSTANDERS = {
    'account': [{'name': 'keep-web-2', 'instance_id': WEB_2, 'status': 'complete', 'requested_at': OLD}],
    'instance': [{'id': 'keep-web-2-id', 'name': 'keep-web-2', 'instance_id': WEB_2, 'created_at': OLD}],
    'schedules': [
        {
            'id': 'keep-weekly-id',
            'name': 'keep-weekly',
            'cron_expression': '0 4 * * 0',
            'retention': {'max_snapshots': 2},
            'instances': [{'instance_id': WEB_2}],
        }
    ],
}


def cell_name(row, case):
    return 'fp__%s__%s' % (row.slug, case.slug)


# -- reading a simulator's state -------------------------------------------------------------------------------------


def observe(sim):
    return {
        'account': sim.snapshots(),
        'instance': sim.instance_snapshots(),
        'schedules': sim.schedules(),
        'instances': sim.instances(),
        'restores': sim.restores(),
    }


def all_snapshots(state):
    """Both APIs' snapshots in one shape: api, id, name, instance_id, complete, status, created (epoch), description."""
    found = [
        dict(
            api='account',
            id=s['id'],
            name=s['name'],
            instance_id=s['instance_id'],
            status=s['status'],
            complete=s['status'] == 'complete',
            created=epoch(s['requested_at']),
            description=None,
        )
        for s in state['account']
    ]
    found += [
        dict(
            api='instance',
            id=s['id'],
            name=s['name'],
            instance_id=s['instance_id'],
            status=s['phase'],
            complete=s['phase'] == 'complete',
            created=epoch(s['created_at']),
            description=s['description'],
        )
        for s in state['instance']
    ]
    return found


def epoch(text):
    return datetime.datetime.fromisoformat(text.replace('Z', '+00:00')).timestamp() if text else None


def named(state, api, instance_id, name):
    return [
        s
        for s in all_snapshots(state)
        if s['api'] == api and s['name'] == name and (api == 'account' or s['instance_id'] == instance_id)
    ]


def backups(state, prefix, instance_id, api):
    pattern = re.compile(r'^%s-%s-\d{8}t\d{6}z$' % (prefix, HOSTNAMES[instance_id]), re.IGNORECASE)
    return [
        s
        for s in all_snapshots(state)
        if s['api'] == api and s['instance_id'] == instance_id and pattern.match(s['name'])
    ]


def where(api, instance_id, name):
    on = '' if api == 'account' else ', on %s' % HOSTNAMES.get(instance_id, instance_id)
    return "'%s' (%s API%s)" % (name, api, on)


def describe(snapshots, extra=None):
    if not snapshots:
        return 'none'
    return ', '.join(
        '%s %s%s%s' % (s['name'], s['id'][:12], ' ' + s['status'], ' %r' % s[extra] if extra else '') for s in snapshots
    )


def show_schedules(settings):
    """Schedules' settings in a few words each."""
    words = [
        '%s (%s, keep %d, %r%s)'
        % (
            item['name'],
            item['cron_expression'],
            item['max_snapshots'],
            item['description'],
            ', paused' if item['paused'] else '',
        )
        for item in settings
    ]
    return ', '.join(words) or 'none'


def schedule_settings(schedule):
    return {
        'name': schedule['name'],
        'description': schedule['description'],
        'cron_expression': schedule['cron_expression'],
        'paused': schedule['paused'],
        'max_snapshots': schedule['retention']['max_snapshots'],
        'instances': sorted(member['id'] for member in schedule['instances']),
    }


# -- the judge ---------------------------------------------------------------------------------------------------------


def judge_state(row, start, state, phase):
    """What is wrong with a cell's state after a phase (1, 2, 3): lost, duplicated, left behind."""
    problems = []
    now = all_snapshots(state)
    start_ids = set(s['id'] for s in all_snapshots(start))
    for old in (s for s in all_snapshots(start) if s['complete']):
        kept = [s for s in now if s['id'] == old['id']]
        if kept and kept[0]['complete']:
            continue
        if any(s['complete'] for s in named(state, old['api'], old['instance_id'], old['name'])):
            continue  # a complete replacement of the same name
        if any(rule(old, state) for rule in row.may_lose):
            continue
        problems.append(
            'complete snapshot %s lost: %s'
            % (where(old['api'], old['instance_id'], old['name']), 'now %s' % kept[0]['status'] if kept else 'deleted')
        )

    groups = collections.defaultdict(list)
    for snapshot in (s for s in now if s['api'] == 'instance'):
        groups[(snapshot['instance_id'], snapshot['name'])].append(snapshot)
    for (instance_id, name), found in sorted(groups.items()):
        made = [s for s in found if s['id'] not in start_ids]
        if len(made) > 1 or (phase > 1 and len(found) > 1):
            problems.append('%d snapshots %s: %s' % (len(found), where('instance', instance_id, name), describe(found)))
    for what, key, items in (('schedules', 'name', state['schedules']), ('instances', 'hostname', state['instances'])):
        counts = collections.Counter(item[key] for item in items)
        problems.extend('%d %s named %s' % (count, what, name) for name, count in sorted(counts.items()) if count > 1)

    problems.extend(judge_schedules(row, start, state, phase))
    return problems


def judge_schedules(row, start, state, phase):
    problems = []
    settings_now = [schedule_settings(s) for s in state['schedules']]
    explained = {row.schedule_created}
    for schedule in start['schedules']:
        old = schedule_settings(schedule)
        new = dict(old, **row.schedule_changes.get(old['name'], {}))
        # recreate makes the replacement under this name, deletes the old one, then renames it: a run stopped between
        # the two leaves the replacement (running, with the new settings), which the re-run renames.
        replacement = dict(new, name=REPLACEMENT_NAME % new['name'])
        explained.update((old['name'], new['name']))
        held = old in settings_now or new in settings_now or (phase == 1 and replacement in settings_now)
        if old['name'] != row.schedule_deleted and not held:
            problems.append(
                "schedule '%s' lost: none has its old or its new settings (schedules: %s)"
                % (old['name'], show_schedules(settings_now))
            )
    if phase > 1:
        problems.extend(
            "schedule '%s' left behind (%s)" % (s['name'], s['id'])
            for s in state['schedules']
            if s['name'] not in explained
        )
    return problems


def resent_posts(log):
    """POSTs sent again, with the same path and body, after one of them was performed (in one run's log)."""
    performed, resent = set(), []
    for entry in log:
        if entry['method'] != 'POST':
            continue
        key = (entry['path'], repr(sorted(entry['params'].items())))
        if key in performed:
            fate = (
                'the API answered it HTTP %s' % entry['api_status']
                if entry['performed']
                else 'dropped unperformed'
                if entry['fault']
                else 'not performed'
            )
            resent.append('POST %s resent after the first one was carried out (%s)' % (entry['path'], fate))
        if entry['performed']:
            performed.add(key)
    return resent


def restores_while_running(logs):
    """Restore requests sent while an earlier restore of the row was still running (over all runs), as (when, what)."""
    problems, running_until = [], None
    restores = [
        (phase, entry)
        for phase, log in logs.items()
        for entry in log
        if entry['method'] == 'POST' and entry['path'].endswith('/restore')
    ]
    for phase, entry in sorted(restores, key=lambda item: item[1]['time']):
        if running_until is not None and entry['time'] < running_until:
            fate = 'the API answered it HTTP %s' % entry['api_status'] if entry['performed'] else 'dropped unperformed'
            problems.append(
                (
                    'in the ' + PHASES[phase - 1],
                    'a restore request was sent while the first restore was running (%s)' % fate,
                )
            )
        if entry['performed'] and 200 <= (entry['api_status'] or 0) < 300 and running_until is None:
            running_until = entry['time'] + LONG_RESTORE_SECONDS
    return problems


def changed(cell_run, name, row):
    """Whether a cell's run reported a change: the module's result, or for the role the PLAY RECAP."""
    if row.module == ROLE:
        return cell_run.recaps.get(name, {}).get('changed', 0) > 0
    return bool(cell_run.result(name).get('changed'))


def failed(cell_run, name):
    result = cell_run.result(name)
    return not result or bool(result.get('failed'))


def judge_cell(row, case, runs, states, logs, fault_fired):
    """Everything wrong with one cell over its three runs, one line per finding (empty when it behaved)."""
    name = cell_name(row, case)
    if not fault_fired:
        return ['the faulty run never sent %s: the fault was not applied, so the cell proves nothing' % row.request]
    findings = []  # (when, what)
    for phase in (1, 2, 3):
        run, label = runs[phase - 1], PHASES[phase - 1]
        if name not in run.results:
            findings.append(
                ('in the ' + label, 'no result (ansible-playbook exit %s, see %s)' % (run.returncode, run.work_dir))
            )
            continue
        state = states[phase][name]
        findings.extend(('after the ' + label, p) for p in judge_state(row, states[0][name], state, phase))
        findings.extend(('in the ' + label, p) for p in resent_posts(logs[phase][name]))
        if phase > 1:
            if failed(run, name):
                findings.append(('in the ' + label, 'the task failed: %s' % short(run.result(name).get('msg'))))
            findings.extend(('after the ' + label, p) for goal in row.goal for p in goal(state))
    first = runs[0].result(name)
    if case.letter == 'a':
        if failed(runs[0], name):
            findings.append(
                (
                    'in the faulty run',
                    'the task failed, though its request was carried out: %s' % short(first.get('msg')),
                )
            )
        if changed(runs[1], name, row) and not row.every_run_changes:
            findings.append(('in the re-run', 'changed: true after a faulty run whose request was carried out'))
    if case.letter == 'b':
        status = 'HTTP %d' % case.fault['status']
        if not failed(runs[0], name):
            findings.append(('in the faulty run', 'the task succeeded although its request was refused'))
        elif status not in (first.get('msg') or ''):
            findings.append(
                ('in the faulty run', 'the task failed without naming %s: %s' % (status, short(first.get('msg'))))
            )
    if not row.every_run_changes:
        writes = ['%s %s' % (e['method'], e['path']) for e in logs[3][name] if e['method'] in WRITE_METHODS]
        if changed(runs[2], name, row):
            findings.append(('in the third run', 'changed: true'))
        if writes:
            findings.append(('in the third run', 'sent %s' % ', '.join(writes)))
    if row.one_restore_at_a_time:
        findings.extend(restores_while_running(dict((phase, logs[phase][name]) for phase in (1, 2, 3))))
    return merged(findings)


def merged(findings):
    """One line per distinct finding, naming every run it was seen in or after ('after the re-run, third run: ...')."""
    whens = collections.OrderedDict()
    for when, what in findings:
        whens.setdefault(what, [])
        if when not in whens[what]:
            whens[what].append(when)
    lines = []
    for what, seen in whens.items():
        # 'after the re-run, third run': the word that starts the first is not repeated for the ones that share it
        later = [
            re.sub(r'^(after|in) the ', '', when) if when.split()[0] == seen[0].split()[0] else when
            for when in seen[1:]
        ]
        lines.append('%s: %s' % (', '.join([seen[0]] + later), what))
    return lines


def readable(text):
    """Text with the seeded instances' ids written as {hostname}."""
    for instance_id, hostname in HOSTNAMES.items():
        text = text.replace(instance_id, '{%s}' % hostname)
    return text


def short(text, length=160):
    text = ' '.join(str(text or '').split())
    return text if len(text) <= length else text[:length] + '...'


# -- running the matrix ------------------------------------------------------------------------------------------------


def seed(sim, row):
    for key, add in (
        ('account', sim.add_snapshots),
        ('instance', sim.add_instance_snapshots),
        ('schedules', sim.add_schedules),
    ):
        add([dict(item) for item in BYSTANDERS[key] + row.seed.get(key, [])])
    sim.configure(**dict({'restore_seconds': RESTORE_SECONDS}, **row.simulator))
    sim.clear_log()


class Matrix:
    def __init__(self, cells, runs, states, logs, verdicts):
        self.cells, self.runs, self.states, self.logs, self.verdicts = cells, runs, states, logs, verdicts


@pytest.fixture(scope='module')
def matrix():
    plans = [(row, case) for row in ROWS for case in CASES]
    sims = start_simulators(len(plans), **SIMULATOR_OPTIONS)
    cells = []
    for (row, case), sim in zip(plans, sims):
        seed(sim, row)
        cells.append(
            Cell(
                cell_name(row, case),
                sim,
                row.args,
                module=row.module,
                api_timeout=API_TIMEOUT,
                api_retries=API_RETRIES,
                labels={'row': row, 'case': case},
            )
        )
    states = {0: dict((cell.name, observe(cell.sim)) for cell in cells)}
    runs, logs, fired = [], {}, {}
    try:
        for phase in (1, 2, 3):
            if phase == 1:
                for cell in cells:
                    row, case = cell.labels['row'], cell.labels['case']
                    cell.sim.add_fault(method=row.method, path=row.path, skip=row.skip, **case.fault)
            runs.append(run_cells('failure_paths_%d' % phase, cells, forks=FORKS, timeout=PLAYBOOK_TIMEOUT))
            logs[phase], states[phase] = {}, {}
            for cell in cells:
                logs[phase][cell.name] = cell.sim.log()
                cell.sim.clear_log()
                if phase == 1:
                    fired[cell.name] = any(entry['fault'] for entry in logs[1][cell.name])
                    cell.sim.clear_faults()  # also ends a cutoff: the re-run reaches the API
                states[phase][cell.name] = observe(cell.sim)
    finally:
        stop_simulators(sims)
    verdicts = dict(
        (cell.name, judge_cell(cell.labels['row'], cell.labels['case'], runs, states, logs, fired[cell.name]))
        for cell in cells
    )
    result = Matrix(cells, runs, states, logs, verdicts)
    report(result)
    return result


def report(result):
    """The matrix as Markdown, rows x cases, with what each row checks, then every failure in full."""
    header = ['row', 'request', 'checks'] + ['(%s) %s' % (case.letter, case.title) for case in CASES]
    lines, failures = [], []
    for row in ROWS:
        marks = []
        for case in CASES:
            problems = result.verdicts[cell_name(row, case)]
            marks.append('**FAIL**' if problems else 'pass')
            if problems:
                failures.append('- %s, %s: %s' % (row.title, case.title, readable('; '.join(problems))))
        lines.append([row.title, '`%s`' % readable(row.request), row.checks] + marks)
    passed = sum(1 for problems in result.verdicts.values() if not problems)
    walls = ', '.join('%.0f s (%.0f CPU-s)' % (run.elapsed, run.cpu_seconds) for run in result.runs)
    summary = [
        '%d of %d cells pass (%d rows x %d cases); three ansible-playbook runs (faulty, re-run, third) of %d cells '
        'each, forks %d, api_retries=%d, api_timeout=%ds: %s.'
        % (
            passed,
            len(result.verdicts),
            len(ROWS),
            len(CASES),
            len(result.cells),
            FORKS,
            API_RETRIES,
            API_TIMEOUT,
            walls,
        ),
        '',
    ]
    details = (
        ['', 'What each failing cell found (state after each run, requests sent):', ''] + failures if failures else []
    )
    REPORT.add('failure_paths', 'Failure-path matrix', summary + table(header, lines) + details)


@pytest.mark.parametrize('case', CASES, ids=[case.slug for case in CASES])
@pytest.mark.parametrize('row', ROWS, ids=[row.slug for row in ROWS])
def test_failure_path(matrix, row, case):
    assert matrix.verdicts[cell_name(row, case)] == []


def test_no_token_leaked(matrix):
    assert [run.leaks for run in matrix.runs] == [[], [], []]
