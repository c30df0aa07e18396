"""Tests of the simulator's current snapshot API family, through real HTTP on loopback.

The phases last 10 s (new) and 20 s (in progress) of simulated time, so a test moves them on with the clock control
instead of sleeping; real time passing during a test (milliseconds) never crosses a phase boundary by itself.
"""

import re

import pytest

from current_api import STATE_PRESETS
from test_civo_simulator import APP_1_NYC, DB_1, WEB_1, assert_error, call, control

WEB_2 = '4b1c5a1e-3c2f-4d1a-9a51-0c6f2a7e1002'
RFC3339_Z_RE = re.compile(r'^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$')
NEW_SECONDS, PROGRESS_SECONDS = 10, 20


# The options of this module's `sim` fixture (tests/simulator/conftest.py).
SIMULATOR_OPTIONS = {'new_seconds': NEW_SECONDS, 'progress_seconds': PROGRESS_SECONDS}


def snapshots_path(instance_id=WEB_1, *rest):
    return '/'.join(('/v2/instances/%s/snapshots' % instance_id,) + rest)


def create(sim, name='nightly', instance_id=WEB_1, **body):
    return call(sim, 'POST', snapshots_path(instance_id), json_body=dict(body, name=name))


def created(sim, name='nightly', instance_id=WEB_1, **body):
    reply = create(sim, name, instance_id, **body)
    assert reply.status == 201, reply.body
    return reply.json()


def advance(sim, seconds):
    assert control(sim, 'POST', '/_sim/clock', {'advance': seconds}).status == 200


def complete_snapshot(sim, instance_id=WEB_1, name='nightly'):
    snap = created(sim, name, instance_id)
    advance(sim, NEW_SECONDS + PROGRESS_SECONDS)
    return snap


def restore(sim, snap, instance_id=WEB_1, **body):
    return call(sim, 'POST', snapshots_path(instance_id, snap['id'], 'restore'), json_body=body)


def instance(sim, instance_id):
    reply = call(sim, 'GET', '/v2/instances/' + instance_id)
    assert reply.status == 200
    return reply.json()


def instances_named(sim, hostname):
    return [
        i for i in call(sim, 'GET', '/v2/instances', {'per_page': 100}).json()['items'] if i['hostname'] == hostname
    ]


SCHEDULE = {
    'name': 'every-ten',
    'description': 'test schedule',
    'cron_expression': '*/10 * * * *',
    'retention': {'max_snapshots': 2},
    'instances': [{'instance_id': WEB_1, 'include_volumes': False}],
}


def create_schedule(sim, **changes):
    reply = call(sim, 'POST', '/v2/resourcesnapshotschedules', json_body=dict(SCHEDULE, **changes))
    assert reply.status == 201, reply.body
    return reply.json()


def advance_to_minute(sim, minute_of_hour, second=5):
    """Move the simulated clock forward to the next hh:mm:05 whose minute is minute_of_hour."""
    now = control(sim, 'GET', '/_sim/clock').json()['epoch']
    target = (now // 3600) * 3600 + minute_of_hour * 60 + second
    while target <= now:
        target += 3600
    advance(sim, target - now)


# -- instances ----------------------------------------------------------------------------------------------------


def test_instance_status_and_unknown_instance(sim):
    added = control(
        sim, 'POST', '/_sim/instances', [{'hostname': 'off-1', 'status': 'SHUTOFF', 'volumes': ['v-1']}]
    ).json()[0]
    assert instance(sim, added['id'])['status'] == 'SHUTOFF'
    assert instance(sim, WEB_1)['status'] == 'ACTIVE'
    assert_error(call(sim, 'GET', '/v2/instances/nope'), 404, 'database_instance_not_found')
    assert_error(
        control(sim, 'POST', '/_sim/instances', [{'hostname': 'x', 'volumes': 'v-1'}]), 400, 'parameter_invalid'
    )
    hostnames = {i['hostname'] for i in control(sim, 'GET', '/_sim/instances').json()}
    assert {'web-1', 'off-1'} <= hostnames


# -- /v2/instances/:id/snapshots ------------------------------------------------------------------------------------


def test_create_answers_201_with_the_instance_snapshot(sim):
    control(sim, 'POST', '/_sim/instances', [{'id': 'with-volumes', 'hostname': 'vols', 'volumes': ['vol-1', 'vol-2']}])
    snap = created(sim, 'nightly', 'with-volumes', description='before upgrade')
    assert set(snap) == {'id', 'name', 'description', 'included_volumes', 'status', 'created_at'}
    assert (snap['name'], snap['description'], snap['included_volumes']) == (
        'nightly',
        'before upgrade',
        ['vol-1', 'vol-2'],
    )
    assert snap['status'] == {
        'state': 'pending',
        'volumes': [{'id': 'vol-1', 'state': 'pending'}, {'id': 'vol-2', 'state': 'pending'}],
    }
    assert RFC3339_Z_RE.match(snap['created_at'])
    assert created(sim, 'plain')['included_volumes'] == []


@pytest.mark.parametrize('name', ['', 'Nightly', '-nightly', 'nightly-', 'night_ly', 'night.ly', 'a' * 64, None])
def test_create_refuses_names_that_are_not_rfc1123_labels(sim, name):
    assert_error(create(sim, name), 422, 'parameter_name_invalid')
    assert control(sim, 'GET', '/_sim/instance_snapshots').json() == []


def test_create_accepts_the_longest_label(sim):
    assert created(sim, 'a' + '-' * 61 + '9')['name'] == 'a' + '-' * 61 + '9'


def test_create_on_unknown_or_other_region_instance(sim):
    assert_error(create(sim, instance_id='nope'), 404, 'database_instance_not_found')
    assert_error(
        call(sim, 'POST', snapshots_path(APP_1_NYC) + '?region=LON1', json_body={'name': 'x'}),
        404,
        'database_instance_not_found',
    )
    assert call(sim, 'POST', snapshots_path(APP_1_NYC) + '?region=NYC1', json_body={'name': 'x'}).status == 201
    assert_error(call(sim, 'GET', snapshots_path() + '?region=MARS1'), 400, 'region_unavailable')


def test_duplicate_names_allowed_unless_configured_unique(sim):
    first, second = created(sim, 'same'), created(sim, 'same')
    assert first['id'] != second['id']
    assert created(sim, 'same', WEB_2)['name'] == 'same'
    sim.configure(instance_snapshot_unique_names=True)
    reply = create(sim, 'fresh')
    assert reply.status == 201
    taken = create(sim, 'fresh')
    assert_error(taken, 409, 'database_snapshot_name_taken')
    assert 'fresh' in taken.json()['reason']
    assert_error(
        call(sim, 'PUT', snapshots_path(WEB_1, first['id']), json_body={'name': 'fresh'}),
        409,
        'database_snapshot_name_taken',
    )


@pytest.mark.parametrize('preset', sorted(STATE_PRESETS))
def test_states_progress_on_the_clock_in_each_spelling(sim, preset):
    sim.configure(instance_snapshot_states=preset)
    words = STATE_PRESETS[preset]
    control(sim, 'POST', '/_sim/instances', [{'id': 'two-vols', 'hostname': 'two', 'volumes': ['v1', 'v2']}])
    snap = created(sim, 'progress', 'two-vols')

    def state():
        current = call(sim, 'GET', snapshots_path('two-vols', snap['id'])).json()['status']
        assert [volume['state'] for volume in current['volumes']] == [current['state']] * 2
        return current['state']

    assert state() == words['new']
    advance(sim, NEW_SECONDS)
    assert state() == words['in_progress']
    advance(sim, PROGRESS_SECONDS)
    assert state() == words['complete']
    sim.configure(new_seconds=1000)  # a longer duration later never moves a snapshot backwards
    assert state() == words['complete']


def test_custom_spelling_and_config_validation(sim):
    spelling = {'new': 'queued', 'in_progress': 'busy', 'complete': 'done', 'failed': 'broken'}
    sim.configure(instance_snapshot_states=spelling)
    assert created(sim)['status']['state'] == 'queued'
    for bad in (
        {'instance_snapshot_states': 'british'},
        {'instance_snapshot_states': {'new': 'x'}},
        {'restore_shape': 'round'},
        {'current_api': 'yes'},
        {'instance_snapshot_unique_names': 1},
        {'restore_seconds': -1},
    ):
        assert_error(control(sim, 'POST', '/_sim/config', bad), 400, 'parameter_invalid')


def test_failing_instance_ends_in_the_failure_state(sim):
    control(sim, 'POST', '/_sim/instances', [{'id': 'doomed', 'hostname': 'doomed', 'fail_snapshots': True}])
    snap = created(sim, 'x', 'doomed')
    advance(sim, NEW_SECONDS)
    assert call(sim, 'GET', snapshots_path('doomed', snap['id'])).json()['status']['state'] == 'pending'
    advance(sim, PROGRESS_SECONDS)
    assert call(sim, 'GET', snapshots_path('doomed', snap['id'])).json()['status']['state'] == 'failed'
    assert created(sim)['status']['state'] == 'pending'
    advance(sim, NEW_SECONDS + PROGRESS_SECONDS)
    assert call(sim, 'GET', snapshots_path()).json()[0]['status']['state'] == 'completed'


def test_list_get_update_delete(sim):
    first, second = created(sim, 'one'), created(sim, 'two')
    created(sim, 'one')  # a later namesake
    created(sim, 'other', WEB_2)
    listed = call(sim, 'GET', snapshots_path()).json()
    assert isinstance(listed, list) and [s['name'] for s in listed] == ['one', 'two', 'one']
    assert call(sim, 'GET', snapshots_path(WEB_1, second['id'])).json() == second
    assert call(sim, 'GET', snapshots_path(WEB_1, 'one')).json()['id'] == first['id']  # first match by name
    assert_error(call(sim, 'GET', snapshots_path(WEB_1, 'missing')), 404, 'database_snapshot_not_found')
    assert_error(call(sim, 'GET', snapshots_path(WEB_2, first['id'])), 404, 'database_snapshot_not_found')

    updated = call(sim, 'PUT', snapshots_path(WEB_1, first['id']), json_body={'description': 'kept'})
    assert updated.status == 200 and (updated.json()['name'], updated.json()['description']) == ('one', 'kept')
    renamed = call(sim, 'PUT', snapshots_path(WEB_1, first['id']), json_body={'name': 'uno'}).json()
    assert (renamed['id'], renamed['name'], renamed['description']) == (first['id'], 'uno', 'kept')
    assert_error(
        call(sim, 'PUT', snapshots_path(WEB_1, first['id']), json_body={'name': 'Bad_Name'}),
        422,
        'parameter_name_invalid',
    )

    deleted = call(sim, 'DELETE', snapshots_path(WEB_1, first['id']))
    assert (deleted.status, deleted.json()) == (200, {'result': 'success'})
    assert_error(call(sim, 'DELETE', snapshots_path(WEB_1, first['id'])), 404, 'database_snapshot_not_found')
    assert [s['name'] for s in call(sim, 'GET', snapshots_path()).json()] == ['two', 'one']


def test_quota_counts_instance_snapshots(sim):
    sim.configure(quota=2)
    created(sim, 'a')
    assert call(sim, 'PUT', '/v2/snapshots/old-style', form={'instance_id': WEB_1}).status == 200
    assert_error(create(sim, 'b'), 403, 'quota_limit_reached')


# -- restore --------------------------------------------------------------------------------------------------------


def test_restore_refusals(sim):
    snap = created(sim)
    reply = restore(sim, snap, hostname='copy-1')
    assert_error(reply, 409, 'database_snapshot_not_complete')
    assert 'not complete' in reply.json()['reason']
    advance(sim, NEW_SECONDS + PROGRESS_SECONDS)
    assert_error(restore(sim, snap), 422, 'parameter_hostname_missing')
    assert_error(restore(sim, snap, overwrite_existing=False), 422, 'parameter_hostname_missing')
    assert_error(restore(sim, snap, hostname='db-1'), 409, 'database_instance_hostname_taken')
    assert_error(restore(sim, snap, hostname='x', overwrite_existing='sometimes'), 422, 'parameter_invalid')
    assert_error(
        call(sim, 'POST', snapshots_path(WEB_1, 'missing', 'restore'), json_body={'hostname': 'y'}),
        404,
        'database_snapshot_not_found',
    )
    assert control(sim, 'GET', '/_sim/restores').json() == []
    assert not instances_named(sim, 'copy-1')


def test_restore_to_a_new_instance(sim):
    sim.configure(restore_seconds=60)
    snap = complete_snapshot(sim)
    reply = restore(sim, snap, hostname='copy-1', description='clone', private_ipv4='10.0.0.9')
    assert reply.status == 200
    info = reply.json()
    assert set(info) == {
        'id',
        'name',
        'hostname',
        'description',
        'from_snapshot',
        'private_ipv4',
        'overwrite_existing',
        'status',
        'created_at',
        'completed_at',
    }
    assert info['id'].startswith('restore-') and RFC3339_Z_RE.match(info['created_at'])
    assert (
        info['hostname'],
        info['description'],
        info['from_snapshot'],
        info['private_ipv4'],
        info['overwrite_existing'],
        info['status'],
        info['completed_at'],
    ) == ('copy-1', 'clone', snap['id'], '10.0.0.9', False, {'state': 'in_progress'}, None)
    [new] = instances_named(sim, 'copy-1')
    assert (new['status'], new['restored_from'], new['region']) == ('BUILDING', snap['id'], 'LON1')
    assert (new['source_type'], new['source_id'], new['snapshot_id']) == ('instance_snapshot', snap['id'], snap['id'])
    assert instance(sim, WEB_1)['status'] == 'ACTIVE'
    advance(sim, 60)
    assert instance(sim, new['id'])['status'] == 'ACTIVE'
    [done] = control(sim, 'GET', '/_sim/restores').json()
    assert done['status'] == {'state': 'completed'} and RFC3339_Z_RE.match(done['completed_at'])


def test_restore_overwriting_the_source_instance(sim):
    sim.configure(restore_seconds=60)
    snap = complete_snapshot(sim)
    info = restore(sim, snap, overwrite_existing=True).json()
    assert (info['overwrite_existing'], info['hostname'], info['from_snapshot']) == (True, 'web-1', snap['id'])
    source = instance(sim, WEB_1)
    assert (source['status'], source['restored_from']) == ('RESTORING', snap['id'])
    # No source tells what an in-place restore does to these: they stay as they were.
    assert (source['source_type'], source['source_id'], source['snapshot_id']) == ('diskimage', 'ubuntu-jammy', '')
    assert_error(restore(sim, snap, overwrite_existing=True), 409, 'instance_state_must_be_active_or_shutoff')
    advance(sim, 60)
    assert instance(sim, WEB_1)['status'] == 'ACTIVE'
    assert len(instances_named(sim, 'web-1')) == 1


def test_restored_instance_without_source_fields(sim):
    sim.configure(instance_source_fields=False)
    snap = complete_snapshot(sim)
    assert restore(sim, snap, hostname='copy-3').status == 200
    [new] = instances_named(sim, 'copy-3')
    assert new['restored_from'] == snap['id'] and not set(new) & {'source_type', 'source_id', 'snapshot_id'}
    assert instance(sim, new['id']).keys() == new.keys()


def test_restore_wrapped_shape(sim):
    sim.configure(restore_shape='wrapped')
    snap = complete_snapshot(sim)
    body = restore(sim, snap, hostname='copy-2').json()
    assert set(body) == {'resource_type', 'instance'} and body['resource_type'] == 'instance'
    assert (body['instance']['hostname'], body['instance']['from_snapshot']) == ('copy-2', snap['id'])


# -- /v2/resourcesnapshots --------------------------------------------------------------------------------------------


def test_resource_snapshots_cover_every_instance_snapshot_in_the_region(sim):
    control(
        sim,
        'POST',
        '/_sim/instances',
        [{'id': 'vols', 'hostname': 'vols', 'volumes': ['vol-1'], 'description': 'has a volume'}],
    )
    one, two = created(sim, 'one', 'vols', description='first'), created(sim, 'two', DB_1)
    created(sim, 'nyc', APP_1_NYC)
    listed = call(sim, 'GET', '/v2/resourcesnapshots?region=LON1').json()
    assert [s['id'] for s in listed] == [one['id'], two['id']]
    assert len(call(sim, 'GET', '/v2/resourcesnapshots').json()) == 3
    assert listed[0] == {
        'id': one['id'],
        'name': 'one',
        'description': 'first',
        'resource_type': 'instance',
        'created_at': one['created_at'],
        'instance': {
            'id': 'vols',
            'name': 'vols',
            'description': 'has a volume',
            'included_volumes': ['vol-1'],
            'status': {'state': 'pending', 'volumes': [{'id': 'vol-1', 'state': 'pending'}]},
            'created_at': one['created_at'],
        },
    }
    assert call(sim, 'GET', '/v2/resourcesnapshots/' + two['id']).json()['instance']['name'] == 'db-1'
    assert call(sim, 'GET', '/v2/resourcesnapshots/two').json()['id'] == two['id']
    assert_error(call(sim, 'GET', '/v2/resourcesnapshots/missing'), 404, 'database_snapshot_not_found')
    assert_error(call(sim, 'POST', '/v2/resourcesnapshots', json_body={'name': 'x'}), 405, 'method_not_allowed')


def test_resource_snapshot_update_delete(sim):
    snap = created(sim, 'one')
    updated = call(sim, 'PUT', '/v2/resourcesnapshots/' + snap['id'], json_body={'name': 'renamed', 'description': 'd'})
    assert updated.status == 200 and (updated.json()['name'], updated.json()['description']) == ('renamed', 'd')
    assert call(sim, 'GET', snapshots_path(WEB_1, snap['id'])).json()['name'] == 'renamed'
    deleted = call(sim, 'DELETE', '/v2/resourcesnapshots/' + snap['id'])
    assert (deleted.status, deleted.json()) == (200, {'result': 'success'})
    assert call(sim, 'GET', snapshots_path()).json() == []
    assert_error(call(sim, 'DELETE', '/v2/resourcesnapshots/' + snap['id']), 404, 'database_snapshot_not_found')


def test_resource_snapshot_restore_is_wrapped_and_can_include_volumes(sim):
    control(sim, 'POST', '/_sim/instances', [{'id': 'vols', 'hostname': 'vols', 'volumes': ['vol-1', 'vol-2']}])
    snap = complete_snapshot(sim, 'vols')
    path = '/v2/resourcesnapshots/%s/restore' % snap['id']
    assert_error(call(sim, 'POST', path, json_body={'hostname': 'flat-body'}), 422, 'parameter_instance_missing')
    reply = call(sim, 'POST', path, json_body={'instance': {'hostname': 'vols-copy', 'include_volumes': True}})
    assert reply.status == 200 and reply.json()['resource_type'] == 'instance'
    assert reply.json()['instance']['from_snapshot'] == snap['id']
    [new] = instances_named(sim, 'vols-copy')
    assert len(new['volumes']) == 2 and not set(new['volumes']) & {'vol-1', 'vol-2'}
    reply = call(sim, 'POST', path, json_body={'instance': {'overwrite_existing': True}})
    assert reply.json()['instance']['overwrite_existing'] is True
    assert instance(sim, 'vols')['status'] == 'RESTORING'


# -- /v2/resourcesnapshotschedules ------------------------------------------------------------------------------------


@pytest.mark.parametrize('cron', ['*/10 * * * *', '0 3 * * *', '0,30 * * * *', '15 */2 * * mon-fri', '0 0 1 jan *'])
def test_schedule_cron_accepted(sim, cron):
    assert create_schedule(sim, cron_expression=cron)['cron_expression'] == cron


@pytest.mark.parametrize(
    'cron',
    ['*/5 * * * *', '0,5 * * * *', '* * * * *', '0,55 * * * *', '0 3 * *', '61 * * * *', '*/0 * * * *', 'often', ''],
)
def test_schedule_cron_refused(sim, cron):
    reply = call(sim, 'POST', '/v2/resourcesnapshotschedules', json_body=dict(SCHEDULE, cron_expression=cron))
    assert_error(reply, 422, 'parameter_cron_expression_invalid')
    assert 'cron_expression' in reply.json()['reason']


@pytest.mark.parametrize(
    'changes, code, words',
    [
        ({'name': None}, 'parameter_name_invalid', 'name'),
        ({'name': ' '}, 'parameter_name_invalid', 'name'),
        ({'retention': None}, 'parameter_retention_invalid', 'retention'),
        ({'retention': {}}, 'parameter_retention_invalid', 'max_snapshots'),
        ({'retention': {'max_snapshots': 0}}, 'parameter_retention_invalid', 'max_snapshots'),
        ({'retention': {'max_snapshots': 11}}, 'parameter_retention_invalid', 'max_snapshots'),
        ({'retention': {'max_snapshots': '3'}}, 'parameter_retention_invalid', 'max_snapshots'),
        ({'retention': {'max_snapshots': 3, 'period': '48h'}}, 'parameter_retention_invalid', 'no longer supported'),
        ({'instances': []}, 'parameter_instances_invalid', 'instances'),
        ({'instances': [{'include_volumes': True}]}, 'parameter_instances_invalid', 'instance_id'),
        ({'instances': [{'instance_id': 'nope'}]}, 'parameter_instances_invalid', 'nope'),
    ],
)
def test_schedule_rules(sim, changes, code, words):
    reply = call(sim, 'POST', '/v2/resourcesnapshotschedules', json_body=dict(SCHEDULE, **changes))
    assert_error(reply, 422, code)
    assert words in reply.json()['reason']
    assert call(sim, 'GET', '/v2/resourcesnapshotschedules').json() == []


def test_schedule_create_shape_get_list(sim):
    control(
        sim, 'POST', '/_sim/instances', [{'id': 'vols', 'hostname': 'vols', 'volumes': ['vol-1'], 'size': 'g3.medium'}]
    )
    schedule = create_schedule(
        sim,
        instances=[{'instance_id': 'vols', 'include_volumes': True}, {'instance_id': WEB_1, 'include_volumes': False}],
        retention={'max_snapshots': 7},
    )
    assert set(schedule) == {
        'id',
        'name',
        'description',
        'cron_expression',
        'paused',
        'retention',
        'instances',
        'status',
        'created_at',
    }
    assert (schedule['paused'], schedule['retention']) == (False, {'max_snapshots': 7})
    assert schedule['instances'] == [
        {'id': 'vols', 'size': 'g3.medium', 'included_volumes': ['vol-1']},
        {'id': WEB_1, 'size': 'g3.small', 'included_volumes': []},
    ]
    assert schedule['status'] == {'state': 'active', 'last_snapshot': {'id': '', 'name': '', 'state': ''}}
    assert RFC3339_Z_RE.match(schedule['created_at'])
    assert call(sim, 'GET', '/v2/resourcesnapshotschedules/' + schedule['id']).json() == schedule
    assert call(sim, 'GET', '/v2/resourcesnapshotschedules').json() == [schedule]
    assert_error(call(sim, 'GET', '/v2/resourcesnapshotschedules/missing'), 404, 'database_snapshot_schedule_not_found')


def test_schedule_runs_on_the_advanced_clock_and_prunes_only_its_own(sim):
    advance_to_minute(sim, 1)
    manual = created(sim, 'manual')
    schedule = create_schedule(sim, instances=[{'instance_id': WEB_1}, {'instance_id': WEB_2}])
    advance(sim, 8 * 60)  # hh:09:05 — no run yet
    assert [s['id'] for s in sim.instance_snapshots()] == [manual['id']]
    advance(sim, 2 * 60)  # hh:11:05 — the hh:10 run
    taken = [s for s in sim.instance_snapshots(WEB_1) if s['schedule_id'] == schedule['id']]
    assert len(taken) == 1 and re.match(r'^every-ten-\d{12}$', taken[0]['name']) and taken[0]['name'].endswith('10')
    # taken at the cron minute itself, so after 65 s of simulated time it is already complete
    assert taken[0]['created_at'].endswith(':10:00Z') and taken[0]['status']['state'] == 'completed'
    advance(sim, 30 * 60)  # runs at hh:20, hh:30, hh:40; max_snapshots 2 keeps the two newest per instance
    for instance_id in (WEB_1, WEB_2):
        names = [s['name'][-2:] for s in sim.instance_snapshots(instance_id) if s['schedule_id'] == schedule['id']]
        assert names == ['30', '40']
    assert manual['id'] in [s['id'] for s in sim.instance_snapshots(WEB_1)]
    status = call(sim, 'GET', '/v2/resourcesnapshotschedules/' + schedule['id']).json()['status']
    assert status['last_snapshot']['name'].endswith('40') and status['last_snapshot']['state'] == 'completed'
    assert status['last_snapshot']['id'] == sim.instance_snapshots(WEB_2)[-1]['id']


def test_seeded_schedules_obey_the_api_rules(sim):
    [seeded] = control(sim, 'POST', '/_sim/schedules', [dict(SCHEDULE, id='fixed', paused=True)]).json()
    assert (seeded['id'], seeded['name'], seeded['paused']) == ('fixed', 'every-ten', True)
    assert [entry['path'] for entry in sim.log()] == []  # a control, not an API request
    assert call(sim, 'GET', '/v2/resourcesnapshotschedules/fixed').json() == seeded
    assert_error(
        control(sim, 'POST', '/_sim/schedules', [dict(SCHEDULE, cron_expression='*/5 * * * *')]),
        400,
        'parameter_cron_expression_invalid',
    )
    assert_error(control(sim, 'POST', '/_sim/schedules', [dict(SCHEDULE, colour='red')]), 400, 'parameter_invalid')
    assert [schedule['id'] for schedule in sim.schedules()] == ['fixed']


def test_paused_schedule_does_not_run_and_put_changes_only_name_description_paused(sim):
    advance_to_minute(sim, 1)
    schedule = create_schedule(sim)
    path = '/v2/resourcesnapshotschedules/' + schedule['id']
    reply = call(
        sim, 'PUT', path, json_body={'paused': True, 'cron_expression': '0 3 * * *', 'retention': {'max_snapshots': 9}}
    )
    assert reply.status == 200
    assert (reply.json()['paused'], reply.json()['cron_expression'], reply.json()['retention']) == (
        True,
        '*/10 * * * *',
        {'max_snapshots': 2},
    )
    assert sim.log()[-1]['params']['cron_expression'] == '0 3 * * *'  # ignored, but the request log shows it was sent
    advance(sim, 60 * 60)
    assert sim.instance_snapshots() == []
    renamed = call(sim, 'PUT', path, json_body={'name': 'renamed', 'description': 'new words'}).json()
    assert (renamed['name'], renamed['description'], renamed['paused']) == ('renamed', 'new words', True)
    call(sim, 'PUT', path, json_body={'paused': False})
    advance(sim, 10 * 60)
    assert [s['name'][:8] for s in sim.instance_snapshots()] == ['renamed-']
    assert_error(call(sim, 'PUT', path, json_body={'paused': 'maybe'}), 422, 'parameter_invalid')
    deleted = call(sim, 'DELETE', path)
    assert (deleted.status, deleted.json()) == (200, {'result': 'success'})
    assert_error(call(sim, 'DELETE', path), 404, 'database_snapshot_schedule_not_found')
    advance(sim, 60 * 60)
    assert len(sim.instance_snapshots()) == 1  # a deleted schedule no longer runs; its snapshots stay


def test_schedule_runs_on_a_compressed_clock(sim):
    sim.configure(time_scale=600, new_seconds=60, progress_seconds=60)  # 10 simulated minutes per real second
    create_schedule(sim, retention={'max_snapshots': 10})
    deadline = sim.clock()['epoch'] + 25 * 60  # at most 2.5 s of real time
    while sim.clock()['epoch'] < deadline and len(sim.instance_snapshots()) < 2:
        call(sim, 'GET', '/v2/resourcesnapshotschedules')
    assert len(sim.instance_snapshots()) >= 2
    sim.configure(time_scale=1)


# -- a region without the family -----------------------------------------------------------------------------------

FAMILY_REQUESTS = (
    ('GET', snapshots_path()),
    ('POST', snapshots_path()),
    ('GET', snapshots_path(WEB_1, 'x')),
    ('PUT', snapshots_path(WEB_1, 'x')),
    ('DELETE', snapshots_path(WEB_1, 'x')),
    ('POST', snapshots_path(WEB_1, 'x', 'restore')),
    ('GET', snapshots_path('unknown-instance')),
    ('GET', '/v2/resourcesnapshots'),
    ('GET', '/v2/resourcesnapshots/x'),
    ('PUT', '/v2/resourcesnapshots/x'),
    ('DELETE', '/v2/resourcesnapshots/x'),
    ('POST', '/v2/resourcesnapshots/x/restore'),
    ('GET', '/v2/resourcesnapshotschedules'),
    ('POST', '/v2/resourcesnapshotschedules'),
    ('GET', '/v2/resourcesnapshotschedules/x'),
    ('PUT', '/v2/resourcesnapshotschedules/x'),
    ('DELETE', '/v2/resourcesnapshotschedules/x'),
)


@pytest.mark.parametrize('method, path', FAMILY_REQUESTS)
def test_region_without_the_family_answers_not_found(sim, method, path):
    sim.configure(current_api=False)
    assert_error(call(sim, method, path, json_body={'name': 'x'}), 404, 'not_found')
    assert call(sim, 'GET', '/v2/instances').status == 200
    assert instance(sim, WEB_1)['id'] == WEB_1
    assert_error(call(sim, 'GET', '/v2/instances/unknown-instance'), 404, 'database_instance_not_found')


def test_family_offered_per_region(sim):
    sim.configure(current_api=['nyc1'])
    assert call(sim, 'GET', snapshots_path(APP_1_NYC) + '?region=NYC1').status == 200
    assert_error(call(sim, 'GET', snapshots_path() + '?region=LON1'), 404, 'not_found')
    assert_error(call(sim, 'GET', snapshots_path()), 404, 'not_found')  # no region means LON1, Civo's default


# -- volume snapshots on /v2/snapshots ------------------------------------------------------------------------------


def test_volume_snapshots_share_the_old_path(sim):
    [volume] = control(
        sim, 'POST', '/_sim/volume_snapshots', [{'name': 'nightly', 'volume_id': 'vol-1', 'instance_id': WEB_1}]
    ).json()
    assert set(volume) == {
        'name',
        'snapshot_id',
        'snapshot_description',
        'volume_id',
        'instance_id',
        'source_volume_name',
        'restore_size',
        'state',
        'creation_time',
    }
    assert volume['state'] == 'Ready' and RFC3339_Z_RE.match(volume['creation_time'])
    assert call(sim, 'GET', '/v2/snapshots?resource_type=volume').json() == [volume]
    # The old PUT of the same name makes an instance snapshot and leaves the volume snapshot alone.
    assert call(sim, 'PUT', '/v2/snapshots/nightly', form={'instance_id': WEB_1}).status == 200
    mixed = call(sim, 'GET', '/v2/snapshots').json()
    assert (
        len(mixed) == 2
        and volume in mixed
        and [s for s in mixed if s is not volume and 'hostname' in s][0]['name'] == 'nightly'
    )
    assert call(sim, 'GET', '/v2/snapshots?resource_type=volume').json() == [volume]
    assert control(sim, 'GET', '/_sim/volume_snapshots').json() == [volume]


def test_old_delete_removes_a_volume_snapshot_and_the_log_shows_it(sim):
    added = sim.add_volume_snapshots([{'name': 'vol-a'}, {'name': 'vol-b'}])
    reply = call(sim, 'DELETE', '/v2/snapshots/' + added[0]['snapshot_id'])
    assert (reply.status, reply.json()) == (200, {'result': 'success'})
    assert call(sim, 'DELETE', '/v2/snapshots/vol-b').status == 200
    assert sim.volume_snapshots() == []
    assert [(e['method'], e['path'], e['status']) for e in sim.log()] == [
        ('DELETE', '/v2/snapshots/' + added[0]['snapshot_id'], 200),
        ('DELETE', '/v2/snapshots/vol-b', 200),
    ]
    assert_error(control(sim, 'POST', '/_sim/volume_snapshots', [{'snapshot_id': 'x'}]), 400, 'parameter_invalid')


# -- shared machinery and controls -----------------------------------------------------------------------------------


def test_log_faults_and_rate_limit_cover_the_family(sim):
    sim.add_fault(method='POST', path='/v2/instances/*/snapshots', kind='status', status=503)
    assert_error(create(sim), 503, 'simulated_fault')
    assert sim.instance_snapshots() == []
    assert create(sim).status == 201
    entries = sim.log()
    assert [(e['method'], e['path'], e['status'], e['fault']) for e in entries] == [
        ('POST', snapshots_path(), 503, 'status'),
        ('POST', snapshots_path(), 201, None),
    ]
    assert entries[1]['params'] == {'name': 'nightly'}
    sim.configure(rate_limit=1)
    assert call(sim, 'GET', '/v2/resourcesnapshots').status == 200
    assert_error(call(sim, 'GET', '/v2/resourcesnapshots'), 429, 'rate_limit_exceeded')
    assert_error(call(sim, 'GET', '/v2/resourcesnapshots', token='wrong'), 429, 'rate_limit_exceeded')
    sim.configure(rate_limit=0)
    assert_error(call(sim, 'GET', '/v2/resourcesnapshots', token='wrong'), 401, 'authentication_invalid_key')


def test_seeded_instance_snapshots_and_state(sim):
    seeded = control(
        sim,
        'POST',
        '/_sim/instance_snapshots',
        [
            {'instance_id': WEB_1, 'name': 'old-one', 'created_at': '2026-01-01T00:00:00Z'},
            {'instance_id': WEB_2, 'name': 'stuck', 'phase': 'in_progress', 'created_at': '2026-01-01T00:00:00Z'},
        ],
    ).json()
    assert [(s['name'], s['phase'], s['status']['state'], s['created_at']) for s in seeded] == [
        ('old-one', 'complete', 'completed', '2026-01-01T00:00:00Z'),
        ('stuck', 'in_progress', 'pending', '2026-01-01T00:00:00Z'),
    ]
    assert [s['name'] for s in control(sim, 'GET', '/_sim/instance_snapshots?instance_id=' + WEB_2).json()] == ['stuck']
    assert call(sim, 'GET', snapshots_path(WEB_1, 'old-one')).json()['created_at'] == '2026-01-01T00:00:00Z'
    for bad in (
        [{'instance_id': 'nope'}],
        [{'instance_id': WEB_1, 'name': 'Bad'}],
        [{'instance_id': WEB_1, 'phase': 'x'}],
        [{'instance_id': WEB_1, 'colour': 'red'}],
        {'instance_id': WEB_1},
    ):
        assert control(sim, 'POST', '/_sim/instance_snapshots', bad).status == 400
    state = control(sim, 'GET', '/_sim/state').json()
    assert set(state) == {'clock', 'instances', 'instance_snapshots', 'schedules', 'volume_snapshots', 'restores'}
    assert len(state['instance_snapshots']) == 2 and len(state['instances']) == 6


def test_clock_control(sim):
    before = control(sim, 'GET', '/_sim/clock').json()
    assert set(before) == {'now', 'epoch', 'time_scale'} and RFC3339_Z_RE.match(before['now'])
    after = control(sim, 'POST', '/_sim/clock', {'advance': 3600}).json()
    assert 3600 <= after['epoch'] - before['epoch'] < 3660
    for bad in ({'advance': -1}, {'advance': 'soon'}, {}, [3600]):
        assert control(sim, 'POST', '/_sim/clock', bad).status == 400
    sim.reset()
    assert sim.clock()['epoch'] < after['epoch'] - 3000 and sim.instance_snapshots() == [] and sim.schedules() == []


def test_overwrite_restore_of_a_stopped_instance(sim):
    control(sim, 'POST', '/_sim/instances', [{'id': 'stopped', 'hostname': 'stopped', 'status': 'SHUTOFF'}])
    snap = complete_snapshot(sim, 'stopped')
    assert restore(sim, snap, 'stopped', overwrite_existing=True).status == 200
    assert instance(sim, 'stopped')['status'] == 'RESTORING'


def test_changing_time_scale_does_not_jump_the_clock(sim):
    before = sim.clock()['epoch']
    sim.configure(time_scale=1000)
    sim.configure(time_scale=1)
    assert 0 <= sim.clock()['epoch'] - before < 60
    assert sim.clock()['time_scale'] == 1
