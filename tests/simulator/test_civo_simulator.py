"""Tests of the Civo API simulator itself, through real HTTP on loopback."""

import datetime
import json
import os
import re
import signal
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.request
from urllib.parse import urlencode

import pytest

import civo_simulator

SCRIPT = civo_simulator.__file__
WEB_1 = '4b1c5a1e-3c2f-4d1a-9a51-0c6f2a7e1001'
DB_1 = '4b1c5a1e-3c2f-4d1a-9a51-0c6f2a7e1003'
APP_1_NYC = '4b1c5a1e-3c2f-4d1a-9a51-0c6f2a7e1006'
REFERENCE_TIME_RE = re.compile(r'^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$')
REAL_TIME_RE = re.compile(r'^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+01:00$')
# Never go through a proxy from the environment to reach loopback.
OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class Reply:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    def json(self):
        return json.loads(self.body.decode('utf-8'))


def call(
    sim, method, path, form=None, json_body=None, token='sim-token', authorization=None, timeout=5.0, opener=OPENER
):
    headers = {}
    if authorization or token:
        headers['Authorization'] = authorization or 'bearer ' + token
    data = None
    if json_body is not None:
        data, headers['Content-Type'] = json.dumps(json_body).encode('utf-8'), 'application/json'
    elif form is not None:
        data, headers['Content-Type'] = urlencode(form).encode('utf-8'), 'application/x-www-form-urlencoded'
    request = urllib.request.Request(sim.url + path, data=data, headers=headers, method=method)
    try:
        with opener.open(request, timeout=timeout) as response:
            return Reply(response.status, response.headers, response.read())
    except urllib.error.HTTPError as error:
        return Reply(error.code, error.headers, error.read())


def control(sim, method, path, body=None):
    return call(sim, method, path, json_body=body, token=None)


def put_snapshot(sim, name, instance_id=WEB_1, timeout=5.0, **params):
    return call(sim, 'PUT', '/v2/snapshots/' + name, form=dict(params, instance_id=instance_id), timeout=timeout)


def snapshot_named(sim, name):
    return [snap for snap in call(sim, 'GET', '/v2/snapshots').json() if snap['name'] == name][0]


def assert_error(reply, status, code):
    assert (reply.status, reply.json()['code']) == (status, code)
    assert reply.headers['Content-Type'] == 'application/json'
    assert reply.json()['reason']


# The options of this module's `sim` fixture (tests/simulator/conftest.py).
SIMULATOR_OPTIONS = {'new_seconds': 0.2, 'progress_seconds': 0.2}


# -- auth, routing, errors ------------------------------------------------------------------------------------------


def test_health(sim):
    assert control(sim, 'GET', '/_sim/health').json() == {'ok': True}


@pytest.mark.parametrize(
    'authorization, status, code',
    [
        (None, 401, 'authentication_failed'),
        ('Token sim-token', 401, 'authentication_failed'),
        ('bearer', 401, 'authentication_failed'),
        ('bearer wrong', 401, 'authentication_invalid_key'),
    ],
)
def test_auth_failures(sim, authorization, status, code):
    assert_error(call(sim, 'GET', '/v2/snapshots', token=None, authorization=authorization), status, code)


def test_auth_scheme_is_case_insensitive(sim):
    assert call(sim, 'GET', '/v2/snapshots', authorization='BEARER sim-token').status == 200


def test_unknown_paths_and_methods(sim):
    assert_error(call(sim, 'GET', '/v2/volumes'), 404, 'not_found')
    assert_error(call(sim, 'POST', '/v2/snapshots', form={}), 405, 'method_not_allowed')
    assert_error(call(sim, 'GET', '/v2/snapshots/some-name'), 405, 'method_not_allowed')
    assert_error(call(sim, 'GET', '/elsewhere'), 404, 'not_found')
    assert_error(control(sim, 'GET', '/_sim/nothing'), 404, 'not_found')
    assert_error(control(sim, 'PUT', '/_sim/log', {}), 405, 'method_not_allowed')


def test_unknown_region_is_refused(sim):
    assert_error(call(sim, 'GET', '/v2/snapshots?region=mars1'), 400, 'region_unavailable')
    assert call(sim, 'GET', '/v2/snapshots?region=fra1').status == 200


def test_unreadable_body(sim):
    request_body = call(sim, 'PUT', '/v2/snapshots/x', json_body=['not', 'an', 'object'])
    assert_error(request_body, 400, 'parameter_invalid')


# -- instances --------------------------------------------------------------------------------------------------------


def test_list_instances_default_page(sim):
    page = call(sim, 'GET', '/v2/instances').json()
    assert (page['page'], page['per_page'], page['pages']) == (1, 20, 1)
    assert [item['hostname'] for item in page['items']] == ['web-1', 'web-2', 'db-1', 'cache-1', 'worker-1', 'app-1']
    assert set(page['items'][0]) >= {'id', 'hostname', 'status', 'region', 'disk_gb', 'template_id'}


def test_list_instances_paging_and_region(sim):
    page = call(sim, 'GET', '/v2/instances?page=2&per_page=4').json()
    assert (page['page'], page['per_page'], page['pages'], len(page['items'])) == (2, 4, 2, 2)
    assert (
        call(sim, 'GET', '/v2/instances?per_page=99999999').json()['per_page'] == 99999999
    )  # civogo's ListAllInstances
    sim.configure(instances_max_per_page=100)
    assert call(sim, 'GET', '/v2/instances?per_page=500').json()['per_page'] == 100
    nyc = call(sim, 'GET', '/v2/instances?region=nyc1').json()
    assert [item['id'] for item in nyc['items']] == [APP_1_NYC]
    assert_error(call(sim, 'GET', '/v2/instances?page=0'), 400, 'parameter_invalid')
    assert_error(call(sim, 'GET', '/v2/instances?per_page=x'), 400, 'parameter_invalid')


def test_get_instance(sim):
    assert call(sim, 'GET', '/v2/instances/' + DB_1).json()['hostname'] == 'db-1'
    assert_error(call(sim, 'GET', '/v2/instances/nope'), 404, 'database_instance_not_found')
    assert_error(call(sim, 'GET', '/v2/instances/' + DB_1 + '?region=NYC1'), 404, 'database_instance_not_found')


def test_control_add_instances(sim):
    added = control(
        sim, 'POST', '/_sim/instances', [{'hostname': 'web-1'}, {'hostname': 'big', 'region': 'fra1', 'disk_gb': 500}]
    ).json()
    assert added[0]['id'] and (added[0]['region'], added[0]['status'], added[0]['disk_gb']) == ('LON1', 'ACTIVE', 25)
    hostnames = [item['hostname'] for item in call(sim, 'GET', '/v2/instances').json()['items']]
    assert hostnames.count('web-1') == 2  # duplicates are allowed on purpose
    assert call(sim, 'GET', '/v2/instances/' + added[1]['id']).json()['region'] == 'FRA1'
    assert_error(control(sim, 'POST', '/_sim/instances', [{'region': 'LON1'}]), 400, 'parameter_invalid')


def test_instances_answer_their_source(sim):
    listed = call(sim, 'GET', '/v2/instances').json()['items']
    assert all(
        (item['source_type'], item['source_id'], item['snapshot_id']) == ('diskimage', item['template_id'], '')
        for item in listed
    )
    assert [item['source_id'] for item in listed][3] == 'debian-bookworm'  # cache-1's template
    added = sim.add_instances(
        [
            {'hostname': 'from-image', 'template_id': 'rocky-9'},
            {'hostname': 'told', 'source_type': 'instance_snapshot', 'source_id': 'snap-1', 'snapshot_id': 'snap-1'},
        ]
    )
    got = [call(sim, 'GET', '/v2/instances/' + item['id']).json() for item in added]
    assert [(item['source_type'], item['source_id'], item['snapshot_id']) for item in got] == [
        ('diskimage', 'rocky-9', ''),
        ('instance_snapshot', 'snap-1', 'snap-1'),
    ]
    refused = control(sim, 'POST', '/_sim/instances', [{'hostname': 'bad', 'snapshot_id': None}])
    assert_error(refused, 400, 'parameter_invalid')


def test_instance_source_fields_can_be_left_out(sim):
    sim.configure(instance_source_fields=False)
    listed = call(sim, 'GET', '/v2/instances').json()['items']
    one = call(sim, 'GET', '/v2/instances/' + DB_1).json()
    for item in listed + [one]:
        assert not set(item) & {'source_type', 'source_id', 'snapshot_id'}
        assert item['template_id']
    assert sim.instances()[0]['source_type'] == 'diskimage'  # the control still shows the simulator's own state


# -- snapshots: create and overwrite
# ------------------------------------------------------------------------------------


def test_put_form_encoded_answers_reference_shape(sim):
    reply = put_snapshot(sim, 'db-backup', DB_1, safe='true')
    snap = reply.json()
    assert reply.status == 200
    assert set(snap) == set(civo_simulator.SNAPSHOT_FIELDS)
    assert (snap['name'], snap['instance_id'], snap['hostname'], snap['region'], snap['safe']) == (
        'db-backup',
        DB_1,
        'db-1',
        'LON1',
        True,
    )
    assert (snap['status'], snap['size_gb'], snap['openstack_snapshot_id'], snap['completed_at']) == (
        'new',
        None,
        None,
        None,
    )
    assert REFERENCE_TIME_RE.match(snap['requested_at']) and snap['template_id'] == 'ubuntu-jammy'


def test_put_json_body_and_query_string(sim):
    assert (
        call(sim, 'PUT', '/v2/snapshots/by-json', json_body={'instance_id': WEB_1, 'safe': True}).json()['safe'] is True
    )
    reply = call(sim, 'PUT', '/v2/snapshots/by-query?instance_id=%s&safe=no&region=LON1' % WEB_1)
    assert reply.status == 200 and reply.json()['safe'] is False
    assert [snap['name'] for snap in call(sim, 'GET', '/v2/snapshots').json()] == ['by-json', 'by-query']


@pytest.mark.parametrize(
    'value, expected', [('1', True), ('yes', True), ('TRUE', True), ('0', False), ('false', False), ('no', False)]
)
def test_put_safe_values(sim, value, expected):
    assert put_snapshot(sim, 's', safe=value).json()['safe'] is expected


@pytest.mark.parametrize('name', ['has%20space', 'slash%2Fname', 'star*', '%C3%A9t%C3%A9', ''])
def test_put_invalid_name(sim, name):
    assert_error(put_snapshot(sim, name), 400, 'parameter_name_invalid')


def test_put_parameter_errors(sim):
    assert_error(call(sim, 'PUT', '/v2/snapshots/s', form={'safe': 'true'}), 400, 'parameter_instance_id_missing')
    assert_error(put_snapshot(sim, 's', safe='maybe'), 400, 'parameter_invalid')
    assert_error(put_snapshot(sim, 's', cron_timing='every day'), 400, 'parameter_invalid')
    assert_error(put_snapshot(sim, 's', cron_timing='0 3 * *'), 400, 'parameter_invalid')
    assert_error(
        put_snapshot(sim, 's', instance_id='no-such-instance'), 404, 'database_snapshot_create_instance_not_found'
    )
    assert_error(put_snapshot(sim, 's', region='NYC1'), 404, 'database_snapshot_create_instance_not_found')
    assert_error(put_snapshot(sim, 's', region='XYZ9'), 400, 'region_unavailable')
    assert call(sim, 'GET', '/v2/snapshots').json() == []


def test_scheduled_snapshot_stays_new(sim):
    snap = put_snapshot(sim, 'weekly', cron_timing='0 3 * * MON').json()
    assert snap['cron_timing'] == '0 3 * * MON'
    put_snapshot(sim, 'nightly', cron_timing='*/15 1-5 1,15 JAN *')
    sim.patch_snapshot('weekly', requested_at=time.time() - 86400)
    assert snapshot_named(sim, 'weekly')['status'] == 'new'


def test_overwrite_keeps_id_and_restarts(sim):
    first = put_snapshot(sim, 'snap', WEB_1).json()
    sim.patch_snapshot('snap', requested_at=time.time() - 60)
    assert snapshot_named(sim, 'snap')['status'] == 'complete'
    second = put_snapshot(sim, 'snap', DB_1, safe='yes').json()
    assert second['id'] == first['id']
    assert (second['instance_id'], second['status'], second['completed_at'], second['size_gb'], second['safe']) == (
        DB_1,
        'new',
        None,
        None,
        True,
    )


def test_overwrite_while_in_progress_conflicts(sim):
    sim.reset(progress_seconds=60)
    put_snapshot(sim, 'snap')
    sim.patch_snapshot('snap', requested_at=time.time() - 1)  # past new (0.2 s), inside in-progress (60 s)
    assert_error(put_snapshot(sim, 'snap'), 409, 'database_snapshot_create_already_in_process')


def test_quota(sim):
    sim.configure(quota=1)
    assert put_snapshot(sim, 'one').status == 200
    assert_error(put_snapshot(sim, 'two'), 403, 'quota_limit_reached')
    assert put_snapshot(sim, 'one').status == 200  # overwriting an existing name is not a new snapshot


# -- snapshots: progression, listing, deletion
# ---------------------------------------------------------------------------


def test_status_progresses_with_time(sim):
    sim.reset(new_seconds=0.3, progress_seconds=0.6)  # generous margins for busy machines
    put_snapshot(sim, 'snap', DB_1)
    assert snapshot_named(sim, 'snap')['status'] == 'new'
    time.sleep(0.4)
    snap = snapshot_named(sim, 'snap')
    assert (snap['status'], snap['size_gb'], snap['completed_at']) == ('in-progress', 100, None)
    assert snap['openstack_snapshot_id']
    time.sleep(0.55)
    done = snapshot_named(sim, 'snap')
    assert (done['status'], done['openstack_snapshot_id']) == ('complete', snap['openstack_snapshot_id'])
    assert REFERENCE_TIME_RE.match(done['completed_at'])


def test_time_scale_speeds_up_the_clock(sim):
    sim.reset(new_seconds=30, progress_seconds=30)
    control(sim, 'POST', '/_sim/config', {'time_scale': 1000})
    put_snapshot(sim, 'snap')
    time.sleep(0.1)  # 100 simulated seconds
    assert snapshot_named(sim, 'snap')['status'] == 'complete'


def test_fail_names(sim):
    control(sim, 'POST', '/_sim/config', {'fail_names': ['doomed-*']})
    put_snapshot(sim, 'doomed-1')
    put_snapshot(sim, 'fine-1')
    for name in ('doomed-1', 'fine-1'):
        sim.patch_snapshot(name, requested_at=time.time() - 5)
    failed = snapshot_named(sim, 'doomed-1')
    assert (failed['status'], snapshot_named(sim, 'fine-1')['status']) == ('failed', 'complete')
    assert failed['completed_at'] is not None


def test_list_sorted_and_filtered_by_region(sim):
    for name, instance in (('c', WEB_1), ('a', APP_1_NYC), ('b', DB_1)):
        put_snapshot(sim, name, instance)
    assert [snap['name'] for snap in call(sim, 'GET', '/v2/snapshots').json()] == ['a', 'b', 'c']
    assert [snap['name'] for snap in call(sim, 'GET', '/v2/snapshots?region=lon1').json()] == ['b', 'c']
    assert [snap['region'] for snap in call(sim, 'GET', '/v2/snapshots?region=NYC1').json()] == ['NYC1']


def test_delete_by_name_and_by_id(sim):
    put_snapshot(sim, 'by-name')
    snap_id = put_snapshot(sim, 'by-id').json()['id']
    reply = call(sim, 'DELETE', '/v2/snapshots/by-name')
    assert (reply.status, reply.json()) == (202, {'name': 'by-name', 'result': 'success'})
    assert call(sim, 'DELETE', '/v2/snapshots/' + snap_id).json() == {'name': 'by-id', 'result': 'success'}
    assert call(sim, 'GET', '/v2/snapshots').json() == []
    assert_error(call(sim, 'DELETE', '/v2/snapshots/by-name'), 404, 'database_snapshot_not_found')


def test_delete_in_progress_is_allowed(sim):
    sim.reset(progress_seconds=60)
    put_snapshot(sim, 'busy')
    sim.patch_snapshot('busy', requested_at=time.time() - 1)
    assert snapshot_named(sim, 'busy')['status'] == 'in-progress'
    assert call(sim, 'DELETE', '/v2/snapshots/busy').status == 202


# -- real shape
# ------------------------------------------------------------------------------------------------------------


def test_real_shape(sim):
    sim.add_snapshots(
        [
            {
                'name': 'recorded',
                'instance_id': WEB_1,
                'status': 'complete',
                'safe': True,
                'requested_at': '2019-10-07T13:57:28+00:00',
                'completed_at': '2019-10-07T13:59:00Z',
            }
        ]
    )
    control(sim, 'POST', '/_sim/config', {'real_shape': True})
    real = call(sim, 'GET', '/v2/snapshots').json()[0]
    assert 'status' not in real and (real['state'], real['safe']) == ('complete', 1)
    assert (real['requested_at'], real['completed_at']) == (
        '2019-10-07T14:57:28.000+01:00',
        '2019-10-07T14:59:00.000+01:00',
    )
    fresh = put_snapshot(sim, 'fresh', safe='no').json()
    assert (fresh['state'], fresh['safe'], fresh['completed_at']) == ('new', 0, None) and REAL_TIME_RE.match(
        fresh['requested_at']
    )
    reply = call(sim, 'DELETE', '/v2/snapshots/recorded')
    assert (reply.status, reply.json()) == (200, {'result': 'success'})
    assert_error(call(sim, 'GET', '/v2/snapshots', token='wrong'), 404, 'database_account_not_found')
    assert_error(call(sim, 'GET', '/v2/snapshots', token=None), 401, 'authentication_failed')
    assert sim.snapshots()[0]['status'] == 'new'  # the control view stays in the reference shape


# -- rate limit
# -----------------------------------------------------------------------------------------------------------


def test_no_rate_limit_headers_when_unlimited(sim):
    assert 'X-Ratelimit-Limit' not in call(sim, 'GET', '/v2/snapshots').headers


def test_rate_limit(sim):
    control(sim, 'POST', '/_sim/config', {'rate_limit': 2, 'rate_window': 1.0})
    first = call(sim, 'GET', '/v2/snapshots')
    assert (first.headers['X-Ratelimit-Limit'], first.headers['X-Ratelimit-Remaining']) == ('2', '1')
    assert int(first.headers['X-Ratelimit-Reset']) >= int(time.time())
    assert call(sim, 'GET', '/v2/instances').headers['X-Ratelimit-Remaining'] == '0'
    limited = call(sim, 'GET', '/v2/snapshots')
    assert_error(limited, 429, 'rate_limit_exceeded')
    assert int(limited.headers['Retry-After']) >= 1 and limited.headers['X-Ratelimit-Remaining'] == '0'
    assert [(entry['status'], entry['performed']) for entry in sim.log()] == [(200, True), (200, True), (429, False)]
    assert control(sim, 'GET', '/_sim/stats').json()['rate_limited'] == 1
    assert call(sim, 'GET', '/_sim/health', token=None).status == 200  # controls are not limited
    time.sleep(1.05)
    assert call(sim, 'GET', '/v2/snapshots').status == 200


# -- faults
# ---------------------------------------------------------------------------------------------------------------


def test_fault_status_does_not_perform_the_operation(sim):
    control(
        sim,
        'POST',
        '/_sim/faults',
        {'method': 'PUT', 'path': '/v2/snapshots/*', 'kind': 'status', 'status': 503, 'retry_after': 2},
    )
    reply = put_snapshot(sim, 'snap')
    assert_error(reply, 503, 'simulated_fault')
    assert reply.headers['Retry-After'] == '2'
    assert sim.snapshots() == []
    assert put_snapshot(sim, 'snap').status == 200  # times defaults to 1
    assert [(entry['status'], entry['fault']) for entry in sim.log()] == [(503, 'status'), (200, None)]


def test_fault_drop(sim):
    sim.add_fault(kind='drop', path='/v2/snapshots/snap')
    with pytest.raises(OSError):
        put_snapshot(sim, 'snap')
    assert sim.snapshots() == []
    assert (sim.log()[0]['status'], sim.log()[0]['fault']) == (None, 'drop')


@pytest.mark.parametrize('kind', ['status', 'drop', 'malformed'])
def test_faults_before_the_operation_leave_it_undone_and_the_log_says_so(sim, kind):
    sim.add_fault(kind=kind, method='PUT', path='/v2/snapshots/snap', status=502)
    try:
        put_snapshot(sim, 'snap')
    except OSError:
        assert kind == 'drop'
    assert sim.snapshots() == []
    [entry] = sim.log()
    assert (entry['fault'], entry['performed'], entry['api_status']) == (kind, False, None)


def test_fault_drop_after_performs_then_hangs_up(sim):
    control(sim, 'POST', '/_sim/faults', {'kind': 'drop', 'after': True, 'method': 'PUT', 'path': '/v2/snapshots/*'})
    with pytest.raises(OSError):
        put_snapshot(sim, 'done-then-lost')
    assert [snap['name'] for snap in sim.snapshots()] == ['done-then-lost']
    [entry] = sim.log()
    assert (entry['status'], entry['fault'], entry['performed'], entry['api_status']) == (None, 'drop', True, 200)


def test_fault_status_after_performs_then_answers_the_fault(sim):
    sim.add_fault(kind='status', status=502, after=True, method='POST', path='/v2/resourcesnapshotschedules')
    body = {
        'name': 'nightly',
        'cron_expression': '0 3 * * *',
        'retention': {'max_snapshots': 2},
        'instances': [{'instance_id': WEB_1}],
    }
    assert_error(call(sim, 'POST', '/v2/resourcesnapshotschedules', json_body=body), 502, 'simulated_fault')
    assert [schedule['name'] for schedule in sim.schedules()] == ['nightly']
    # A refusal by the API is performed too: the log tells the API's answer apart from the one sent.
    sim.add_fault(kind='status', status=503, after=True, method='DELETE')
    assert_error(call(sim, 'DELETE', '/v2/snapshots/missing'), 503, 'simulated_fault')
    assert [(e['status'], e['performed'], e['api_status']) for e in sim.log()] == [(502, True, 201), (503, True, 404)]


def test_fault_cutoff_performs_one_request_then_drops_every_request(sim):
    sim.add_fault(kind='cutoff', method='PUT', path='/v2/snapshots/last-word', skip=1)
    assert put_snapshot(sim, 'last-word').status == 200  # skipped: answered as usual
    with pytest.raises(OSError):
        put_snapshot(sim, 'last-word', instance_id=DB_1)
    for method, path in (
        ('GET', '/v2/snapshots'),
        ('DELETE', '/v2/snapshots/last-word'),
        ('PUT', '/v2/snapshots/other'),
    ):
        with pytest.raises(OSError):
            call(sim, method, path)
    assert control(sim, 'GET', '/_sim/health').json() == {'ok': True}  # the controls still answer
    assert control(sim, 'GET', '/_sim/stats').json()['cut_off'] is True
    assert [(snap['name'], snap['instance_id']) for snap in sim.snapshots()] == [('last-word', DB_1)]
    assert [(e['method'], e['status'], e['fault'], e['performed']) for e in sim.log()] == [
        ('PUT', 200, None, True),
        ('PUT', None, 'cutoff', True),
        ('GET', None, 'cutoff', False),
        ('DELETE', None, 'cutoff', False),
        ('PUT', None, 'cutoff', False),
    ]
    assert control(sim, 'DELETE', '/_sim/faults').status == 200
    assert call(sim, 'GET', '/v2/snapshots').status == 200
    assert sim.stats()['cut_off'] is False


def test_cutoff_comes_before_the_rate_limit_and_ends_with_a_reset(sim):
    sim.configure(rate_limit=1)
    sim.add_fault(kind='cutoff')
    with pytest.raises(OSError):
        call(sim, 'GET', '/v2/instances')
    with pytest.raises(OSError):
        call(sim, 'GET', '/v2/instances')
    assert sim.stats()['rate_limited'] == 0
    sim.reset()
    assert sim.stats()['cut_off'] is False and call(sim, 'GET', '/v2/instances').status == 200


@pytest.mark.parametrize('method, sent', [('POST', 'POST'), ('patch', 'PATCH'), ('*', 'POST')])
def test_every_method_can_be_faulted(sim, method, sent):
    [fault] = control(sim, 'POST', '/_sim/faults', {'kind': 'status', 'status': 500, 'method': method}).json()
    assert fault['method'] == method.upper() and fault['after'] is False
    if method != '*':
        assert call(sim, 'GET', '/v2/instances').status == 200  # another method passes
    assert_error(call(sim, sent, '/v2/instances/%s/snapshots' % WEB_1, json_body={'name': 'x'}), 500, 'simulated_fault')
    assert sim.instance_snapshots() == []


def test_fault_malformed(sim):
    control(sim, 'POST', '/_sim/faults', {'kind': 'malformed', 'method': 'GET'})
    reply = call(sim, 'GET', '/v2/snapshots')
    assert reply.status == 200
    with pytest.raises(ValueError):
        reply.json()


def test_fault_delay_performs_the_operation_late(sim):
    control(sim, 'POST', '/_sim/faults', {'kind': 'delay', 'delay': 0.3, 'method': 'PUT'})
    with pytest.raises(OSError):
        put_snapshot(sim, 'late', timeout=0.1)
    deadline = time.time() + 2
    while not sim.snapshots() and time.time() < deadline:
        time.sleep(0.05)
    assert [snap['name'] for snap in sim.snapshots()] == ['late']
    assert (sim.log()[0]['status'], sim.log()[0]['fault'], sim.log()[0]['performed']) == (200, 'delay', True)


def test_faults_times_skip_order_and_matching(sim):
    control(
        sim,
        'POST',
        '/_sim/faults',
        [
            {'kind': 'status', 'status': 500, 'method': 'GET', 'path': '/v2/snapshots', 'skip': 1, 'times': 2},
            {'kind': 'status', 'status': 502, 'method': 'get', 'path': '/v2/snapshots'},
        ],
    )
    assert [fault['status'] for fault in control(sim, 'GET', '/_sim/faults').json()] == [500, 502]
    assert call(sim, 'GET', '/v2/instances').status == 200  # path does not match
    statuses = [call(sim, 'GET', '/v2/snapshots').status for attempt in range(5)]
    assert statuses == [200, 500, 500, 502, 200]
    assert control(sim, 'GET', '/_sim/faults').json() == []
    assert control(sim, 'GET', '/_sim/stats').json()['faults_applied'] == 3


def test_faults_list_clear_and_validation(sim):
    sim.add_fault(kind='drop')
    assert control(sim, 'GET', '/_sim/faults').json()[0]['kind'] == 'drop'
    assert control(sim, 'DELETE', '/_sim/faults').status == 200
    assert sim.faults() == []
    bad_faults = (
        {'kind': 'explode'},
        {'kind': 'status', 'status': 42},
        {'kind': 'drop', 'times': 0},
        {'kind': 'drop', 'colour': 'red'},
        'drop',
        {'kind': 'drop', 'after': 'yes'},
        {'kind': 'delay', 'after': True},
        {'kind': 'malformed', 'after': True},
        {'kind': 'cutoff', 'times': 2},
        {'kind': 'status', 'method': 'TRACE'},
    )
    for bad in bad_faults:
        assert_error(control(sim, 'POST', '/_sim/faults', bad), 400, 'parameter_invalid')


# -- log, stats, config, reset
# ------------------------------------------------------------------------------------------


def test_log_records_api_requests_only_and_never_the_token(sim):
    call(sim, 'PUT', '/v2/snapshots/snap?region=lon1', form={'instance_id': WEB_1, 'safe': 'yes'})
    call(sim, 'GET', '/v2/snapshots', token='wrong-secret')
    control(sim, 'GET', '/_sim/config')
    log = control(sim, 'GET', '/_sim/log').json()
    assert len(log) == 2
    assert set(log[0]) == {'method', 'path', 'query', 'params', 'status', 'fault', 'performed', 'api_status', 'time'}
    assert [(entry['performed'], entry['api_status']) for entry in log] == [(True, 200), (True, 401)]
    assert (log[0]['method'], log[0]['path'], log[0]['query'], log[0]['status']) == (
        'PUT',
        '/v2/snapshots/snap',
        {'region': 'lon1'},
        200,
    )
    assert log[0]['params'] == {'region': 'lon1', 'instance_id': WEB_1, 'safe': 'yes'}
    assert log[1]['status'] == 401 and log[0]['time'] <= log[1]['time']
    assert 'sim-token' not in json.dumps(log) and 'wrong-secret' not in json.dumps(log)
    assert control(sim, 'DELETE', '/_sim/log').status == 200
    assert sim.log() == []


def test_stats(sim):
    call(sim, 'GET', '/v2/snapshots')
    put_snapshot(sim, 'snap')
    call(sim, 'DELETE', '/v2/snapshots/snap')
    call(sim, 'GET', '/v2/instances')
    stats = control(sim, 'GET', '/_sim/stats').json()
    assert stats == {
        'requests': {'GET': 2, 'PUT': 1, 'DELETE': 1},
        'total': 4,
        'rate_limited': 0,
        'faults_applied': 0,
        'cut_off': False,
    }


def test_config_get_set_and_validation(sim):
    config = control(sim, 'GET', '/_sim/config').json()
    assert config == {
        'new_seconds': 0.2,
        'progress_seconds': 0.2,
        'real_shape': False,
        'rate_limit': 0,
        'rate_window': 60.0,
        'quota': None,
        'fail_names': [],
        'time_scale': 1.0,
        'current_api': True,
        'instance_snapshot_states': 'civogo',
        'restore_shape': 'flat',
        'instance_snapshot_unique_names': False,
        'restore_seconds': 2.0,
        'instance_source_fields': True,
        'instances_max_per_page': None,
    }
    updated = control(sim, 'POST', '/_sim/config', {'quota': 5, 'time_scale': 60}).json()
    assert (updated['quota'], updated['time_scale']) == (5, 60)
    for bad in (
        {'colour': 1},
        {'time_scale': 0},
        {'rate_limit': -1},
        {'real_shape': 'yes'},
        {'fail_names': 'x*'},
        [1],
        {'instance_source_fields': 'no'},
    ):
        assert_error(control(sim, 'POST', '/_sim/config', bad), 400, 'parameter_invalid')
    assert sim.config()['quota'] == 5


def test_reset(sim):
    put_snapshot(sim, 'snap')
    sim.add_instances([{'hostname': 'extra'}])
    sim.add_fault(kind='drop')
    sim.configure(quota=3)
    config = control(sim, 'POST', '/_sim/reset', {'real_shape': True}).json()
    assert config['real_shape'] is True and config['quota'] is None
    assert sim.snapshots() == [] and sim.log() == [] and sim.faults() == []
    assert len(call(sim, 'GET', '/v2/instances').json()['items']) == 6
    assert control(sim, 'GET', '/_sim/stats').json()['total'] == 1
    assert control(sim, 'POST', '/_sim/reset').json()['real_shape'] is False
    assert_error(control(sim, 'POST', '/_sim/reset', {'nope': 1}), 400, 'parameter_invalid')


# -- direct snapshot controls
# --------------------------------------------------------------------------------------------


def test_inserted_snapshots_frozen_or_progressing(sim):
    two_days_ago = (datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(days=2)).isoformat()
    reply = control(
        sim,
        'POST',
        '/_sim/snapshots',
        [
            {'name': 'stuck', 'instance_id': DB_1, 'status': 'in-progress', 'requested_at': two_days_ago},
            {'name': 'odd', 'instance_id': WEB_1, 'status': 'error'},
            {'name': 'old', 'instance_id': DB_1, 'requested_at': two_days_ago},
            {'name': 'fresh', 'instance_id': WEB_1, 'safe': True},
        ],
    )
    assert reply.json() == {'added': 4}
    snaps = {snap['name']: snap for snap in control(sim, 'GET', '/_sim/snapshots').json()}
    assert (snaps['stuck']['status'], snaps['stuck']['size_gb'], snaps['stuck']['hostname']) == (
        'in-progress',
        100,
        'db-1',
    )
    assert snaps['odd']['status'] == 'error' and snaps['odd']['completed_at'] is not None
    assert snaps['old']['status'] == 'complete' and snaps['old']['completed_at'].startswith(two_days_ago[:10])
    assert snaps['fresh']['status'] == 'new' and snaps['fresh']['safe'] is True
    assert_error(control(sim, 'POST', '/_sim/snapshots', [{'instance_id': WEB_1}]), 400, 'parameter_invalid')
    assert_error(control(sim, 'POST', '/_sim/snapshots', [{'name': 'x', 'colour': 'red'}]), 400, 'parameter_invalid')
    assert_error(
        control(sim, 'POST', '/_sim/snapshots', [{'name': 'x', 'requested_at': 'yesterday'}]), 400, 'parameter_invalid'
    )


def test_patch_snapshot(sim):
    put_snapshot(sim, 'snap')
    aged = control(sim, 'PATCH', '/_sim/snapshots/snap', {'requested_at': time.time() - 2 * 86400}).json()
    assert aged['status'] == 'complete'
    frozen = control(sim, 'PATCH', '/_sim/snapshots/snap', {'status': 'in-progress', 'name': 'renamed'}).json()
    assert (frozen['name'], frozen['status']) == ('renamed', 'in-progress')
    assert [snap['name'] for snap in sim.snapshots()] == ['renamed']
    assert_error(control(sim, 'PATCH', '/_sim/snapshots/missing', {'status': 'new'}), 404, 'not_found')


def test_ten_thousand_snapshots_are_fast(sim):
    snapshots = [{'name': 'bulk-%05d' % number, 'instance_id': WEB_1, 'status': 'complete'} for number in range(10000)]
    started = time.time()
    assert control(sim, 'POST', '/_sim/snapshots', snapshots).json() == {'added': 10000}
    listed = call(sim, 'GET', '/v2/snapshots').json()
    assert len(listed) == 10000 and listed[0]['name'] == 'bulk-00000'
    # Generous: CI runs this beside sanity on 2 cores; a quadratic insert or list would still take minutes.
    assert time.time() - started < 20


# -- Python API, seed, CLI ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize('as_dict', [True, False])
def test_seed_file_formats(tmp_path, as_dict, simulator_factory):
    instances = [{'id': 'fixed-id', 'hostname': 'solo', 'region': 'fra1'}]
    seed_file = tmp_path / 'seed.json'
    seed_file.write_text(json.dumps({'instances': instances} if as_dict else instances))
    own = simulator_factory(seed=str(seed_file), token='other')
    items = call(own, 'GET', '/v2/instances', token='other').json()['items']
    assert items == [
        {
            'id': 'fixed-id',
            'hostname': 'solo',
            'status': 'ACTIVE',
            'region': 'FRA1',
            'disk_gb': 25,
            'template_id': 'ubuntu-jammy',
            'source_type': 'diskimage',
            'source_id': 'ubuntu-jammy',
            'snapshot_id': '',
        }
    ]


def test_tls(simulator_factory):
    own = simulator_factory(tls=True, seed=[])
    assert own.url.startswith('https://127.0.0.1:')
    trusting = ssl.create_default_context(cafile=own.cert_file)
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), urllib.request.HTTPSHandler(context=trusting))
    assert call(own, 'GET', '/v2/instances', opener=opener).json()['items'] == []
    cert_dir = os.path.dirname(own.cert_file)
    own.stop()
    assert not os.path.exists(cert_dir)


def start_cli(*args, env=None):
    process = subprocess.Popen(
        [sys.executable, SCRIPT, '--quiet'] + list(args),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=dict(os.environ, **(env or {})),
        universal_newlines=True,
    )
    line = process.stdout.readline().strip()
    assert line.startswith('CIVO_API_URL='), process.stderr.read()
    return process, line[len('CIVO_API_URL=') :]


class Remote:
    """Just enough of a Simulator for call() to reach a simulator in another process."""

    def __init__(self, url):
        self.url = url


@pytest.mark.parametrize('stop_signal', [signal.SIGTERM, signal.SIGINT])
def test_cli_start_and_stop(tmp_path, stop_signal):
    url_file = tmp_path / 'url'
    started = time.time()
    process, url = start_cli('--url-file', str(url_file), '--token', 'cli-token', '--new-seconds', '5', '--real-shape')
    try:
        assert time.time() - started < 2
        assert re.match(r'^http://127\.0\.0\.1:\d+$', url) and url_file.read_text().strip() == url
        remote = Remote(url)
        assert call(remote, 'GET', '/v2/snapshots', token='cli-token').status == 200
        config = control(remote, 'GET', '/_sim/config').json()
        assert (config['new_seconds'], config['real_shape']) == (5.0, True)
    finally:
        process.send_signal(stop_signal)
        assert process.wait(timeout=5) == 0
        process.stdout.close()
        process.stderr.close()


def test_cli_token_from_environment_and_tls_cleanup(tmp_path):
    process, url = start_cli(
        '--tls', '--rate-limit', '7', '--rate-window', '9', env={'CIVO_SIM_TOKEN': 'env-token', 'TMPDIR': str(tmp_path)}
    )
    try:
        assert url.startswith('https://')
        assert len(os.listdir(str(tmp_path))) == 1  # the certificate directory
        unverified = ssl.create_default_context()
        unverified.check_hostname, unverified.verify_mode = False, ssl.CERT_NONE
        opener = urllib.request.build_opener(
            urllib.request.ProxyHandler({}), urllib.request.HTTPSHandler(context=unverified)
        )
        reply = call(Remote(url), 'GET', '/v2/instances', token='env-token', opener=opener)
        assert reply.status == 200 and reply.headers['X-Ratelimit-Limit'] == '7'
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=5) == 0
        process.stdout.close()
        process.stderr.close()
    assert os.listdir(str(tmp_path)) == []
