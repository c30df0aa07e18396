# -*- coding: utf-8 -*-
# Copyright: (c) 2026, civo.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Decision logic of civo_snapshot_restore: what it sends, what it reports, with the transport mocked."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.civo.cloud.plugins.module_utils import snapshot_instance, snapshot_restore
from ansible_collections.civo.cloud.plugins.module_utils.civo_api import CivoAPI, CivoAPIError
from ansible_collections.civo.cloud.plugins.modules import civo_snapshot_restore

from ..virtual_time import VirtualTime
from .conftest import TOKEN

SNAPSHOTS = '/v2/instances/i-web-1/snapshots'


class FakeRestoreAPI:
    """Instances and their snapshots in memory. A restored instance stays busy for `busy_polls` reads."""

    def __init__(self):
        self.instances = {
            'i-web-1': {'id': 'i-web-1', 'hostname': 'web-1', 'status': 'ACTIVE', 'region': 'LON1'},
            'i-web-2': {'id': 'i-web-2', 'hostname': 'web-2', 'status': 'ACTIVE', 'region': 'LON1'},
        }
        self.snapshots = {'i-web-1': [self.snapshot('s-1', 'before', 'completed')]}
        self.calls = []
        self.bodies = []
        self.busy_polls = 2
        self.snapshot_polls = 1
        self.wrapped = False
        self.current_api = True
        self.restore_faults = []  # CivoAPIErrors the POST raises, in turn, after carrying the restore out

    @staticmethod
    def snapshot(snapshot_id, name, state):
        return {'id': snapshot_id, 'name': name, 'description': '', 'status': {'state': state},
                'created_at': '2026-11-29T03:00:02Z'}

    def mutations(self):
        return [call for call in self.calls if call[0] != 'GET']

    def tick(self):
        for instance in self.instances.values():
            if instance.get('_busy'):
                instance['_busy'] -= 1
                if not instance['_busy']:
                    instance['status'] = 'ACTIVE'

    @staticmethod
    def public(instance):
        return dict((key, value) for key, value in instance.items() if not key.startswith('_'))

    def request(self, method, path, params=None, json_body=None):
        self.calls.append((method, path))
        self.bodies.append(json_body)
        parts = path.strip('/').split('/')
        if method == 'GET' and path == '/v2/instances':
            self.tick()
            return {'page': 1, 'pages': 1, 'items': [self.public(item) for item in self.instances.values()]}
        instance = self.instances.get(parts[2]) if len(parts) > 2 else None
        if instance is None:
            raise CivoAPIError(method, path, 404, 'database_instance_not_found', 'The instance could not be found')
        if len(parts) == 3:
            self.tick()
            return self.public(instance)
        if not self.current_api:
            raise CivoAPIError(method, path, 404, 'not_found', 'Not available in this region')
        snapshots = self.snapshots.setdefault(instance['id'], [])
        if len(parts) == 4:
            return [dict(item) for item in snapshots]
        snapshot = next(item for item in snapshots if item['id'] == parts[4])
        if method == 'GET':
            self.snapshot_polls -= 1
            if self.snapshot_polls <= 0 and snapshot['status']['state'] == 'pending':
                snapshot['status']['state'] = 'completed'
            return dict(snapshot)
        return self.restore(instance, snapshot, json_body)

    def restore(self, instance, snapshot, body):
        if body.get('overwrite_existing'):
            target = instance
        else:
            target = {'id': 'i-new', 'hostname': body['hostname'], 'region': 'LON1'}
            self.instances['i-new'] = target
        target.update(status='RESTORING' if target is instance else 'BUILDING', restored_from=snapshot['id'], _busy=self.busy_polls)
        if self.restore_faults:
            raise self.restore_faults.pop(0)
        answer = {'id': 'restore-1', 'name': 'restore-before', 'hostname': target['hostname'], 'description': body.get('description', ''),
                  'from_snapshot': snapshot['id'], 'private_ipv4': '', 'overwrite_existing': bool(body.get('overwrite_existing')),
                  'status': {'state': 'in_progress'}, 'created_at': '2026-11-29T03:10:00Z', 'completed_at': None}
        return {'resource_type': 'instance', 'instance': answer} if self.wrapped else answer


@pytest.fixture
def civo(monkeypatch):
    fake = FakeRestoreAPI()
    monkeypatch.setattr(CivoAPI, 'request', lambda self, method, path, params=None, data=None, json_body=None: fake.request(
        method, path, params, json_body))
    clock = VirtualTime(start=1000000.0)
    monkeypatch.setattr(snapshot_restore, 'time', clock)
    monkeypatch.setattr(snapshot_instance, 'time', clock)
    monkeypatch.setattr(civo_snapshot_restore, 'time', clock)
    fake.clock = clock
    return fake


def new(**args):
    return dict(dict(instance='web-1', snapshot='before', hostname='web-1-copy'), **args)


def in_place(**args):
    return dict(dict(instance='web-1', snapshot='before', overwrite_existing=True), **args)


def test_restores_into_a_new_instance_and_waits_until_it_is_active(civo, run):
    result, failed = run(civo_snapshot_restore, new(description='copy'))
    assert not failed and result['changed'] is True
    assert civo.mutations() == [('POST', SNAPSHOTS + '/s-1/restore')]
    assert [body for body in civo.bodies if body] == [{'hostname': 'web-1-copy', 'description': 'copy'}]
    assert result['instance']['id'] == 'i-new' and result['instance']['status'] == 'ACTIVE'
    assert result['restore']['id'] == 'restore-1' and result['restore']['status'] == {'state': 'in_progress'}
    assert result['restore']['created_at'] == '2026-11-29T03:10:00+00:00'
    assert result['diff']['before'] == {} and result['diff']['after']['hostname'] == 'web-1-copy'
    assert 'before (s-1)' in result['diff']['after']['restored_from_snapshot']


def test_a_rerun_finds_the_new_instance_and_sends_nothing(civo, run):
    run(civo_snapshot_restore, new())
    del civo.calls[:]
    result, failed = run(civo_snapshot_restore, new())
    assert not failed and result['changed'] is False
    assert civo.mutations() == [] and result['restore'] == {}
    assert result['instance']['id'] == 'i-new'
    assert result['diff']['before'] == result['diff']['after']


def test_a_rerun_while_the_new_instance_builds_waits_for_it(civo, run):
    civo.busy_polls = 5
    run(civo_snapshot_restore, new(wait=False))
    assert civo.instances['i-new']['status'] == 'BUILDING'
    result, failed = run(civo_snapshot_restore, new())
    assert not failed and result['changed'] is False
    assert result['instance']['status'] == 'ACTIVE'
    assert civo.mutations() == [('POST', SNAPSHOTS + '/s-1/restore')]


def test_in_place_restores_the_instance_itself_and_waits_by_id(civo, run):
    result, failed = run(civo_snapshot_restore, in_place())
    assert not failed and result['changed'] is True
    assert [body for body in civo.bodies if body] == [{'overwrite_existing': True}]
    assert result['instance']['status'] == 'ACTIVE' and result['instance']['id'] == 'i-web-1'
    assert ('GET', '/v2/instances/i-web-1') in civo.calls
    assert result['diff']['before']['status'] == 'ACTIVE' and 'restored_from_snapshot' in result['diff']['after']


def test_in_place_is_a_change_every_time(civo, run):
    run(civo_snapshot_restore, in_place())
    result, dummy = run(civo_snapshot_restore, in_place())
    assert result['changed'] is True
    assert len(civo.mutations()) == 2


def test_in_place_does_not_trust_active_before_the_instance_was_seen_busy(civo, run):
    civo.busy_polls = 0
    civo.request_restore = civo.restore
    civo.restore = lambda instance, snapshot, body: dict(civo.request_restore(instance, snapshot, body), _=instance.update(status='ACTIVE'))
    result, failed = run(civo_snapshot_restore, in_place())
    assert not failed
    assert sum(civo.clock.slept) >= snapshot_restore.IN_PLACE_SETTLE_SECONDS


@pytest.mark.parametrize('args', [new(), in_place()], ids=['new', 'in-place'])
def test_check_mode_sends_only_reads_and_predicts(civo, run, args):
    result, failed = run(civo_snapshot_restore, args, check_mode=True)
    assert not failed and result['changed'] is True
    assert civo.mutations() == []
    assert result['restore']['id'] is None and result['restore']['from_snapshot'] == 's-1'
    assert result['instance']['status'] == 'ACTIVE'
    assert result['diff']['after']['hostname'] == args.get('hostname', 'web-1')


def test_the_wrapped_answer_is_returned_in_the_flat_shape(civo, run):
    civo.wrapped = True
    result, dummy = run(civo_snapshot_restore, new())
    assert result['restore']['hostname'] == 'web-1-copy' and 'resource_type' not in result['restore']
    assert sorted(result['restore']) == sorted(snapshot_restore.RESTORE_FIELDS)


def test_waits_for_a_snapshot_still_being_taken_then_restores(civo, run):
    civo.snapshots['i-web-1'][0]['status']['state'] = 'pending'
    civo.snapshot_polls = 3
    result, failed = run(civo_snapshot_restore, new())
    assert not failed and result['changed'] is True
    assert result['snapshot']['status'] == 'complete'
    assert civo.calls.count(('GET', SNAPSHOTS + '/s-1')) == 3


@pytest.mark.parametrize('args, words', [
    (dict(instance='web-1', snapshot='before'), ['hostname: NEW-HOSTNAME', 'overwrite_existing: true']),
    (dict(instance='web-1', snapshot='before', hostname='x', overwrite_existing=True), ['two different restores']),
    (new(hostname='bad_name!'), ['not a host name']),
    (new(private_ipv4='10.0.0.300'), ['not an IPv4 address']),
    (new(wait_timeout=0), ['wait_timeout']),
    (new(snapshot=' '), ['snapshot must be']),
    (dict(instance_id=' ', snapshot='before', hostname='x'), ['instance_id must not be empty']),
])
def test_input_is_refused_before_any_request(civo, run, args, words):
    result, failed = run(civo_snapshot_restore, args)
    assert failed and civo.calls == []
    for word in words:
        assert word in result['msg']


def test_the_instance_own_hostname_as_the_new_hostname_is_refused(civo, run):
    result, failed = run(civo_snapshot_restore, new(hostname='web-1'))
    assert failed and civo.mutations() == []
    assert 'overwrite_existing: true' in result['msg']


@pytest.mark.parametrize('state, words', [('failed', ["failed (state 'failed')"]), ('Error', ['failed'])])
def test_a_failed_snapshot_is_refused(civo, run, state, words):
    civo.snapshots['i-web-1'][0]['status']['state'] = state
    result, failed = run(civo_snapshot_restore, in_place())
    assert failed and civo.mutations() == [] and result['changed'] is False
    for word in words:
        assert word in result['msg']


def test_a_snapshot_still_being_taken_with_wait_false_is_refused(civo, run):
    civo.snapshots['i-web-1'][0]['status']['state'] = 'pending'
    result, failed = run(civo_snapshot_restore, in_place(wait=False))
    assert failed and civo.mutations() == []
    assert 'still being taken' in result['msg'] and 'wait: true' in result['msg']


def test_an_unknown_snapshot_names_the_snapshots_there_are(civo, run):
    result, failed = run(civo_snapshot_restore, in_place(snapshot='nope'))
    assert failed and civo.mutations() == []
    assert "no snapshot with id or name 'nope'" in result['msg'] and 'before' in result['msg']


def test_two_snapshots_of_one_name_need_the_id(civo, run):
    civo.snapshots['i-web-1'].append(civo.snapshot('s-2', 'before', 'completed'))
    result, failed = run(civo_snapshot_restore, in_place())
    assert failed and "2 snapshots named 'before'" in result['msg'] and 's-1' in result['msg'] and 's-2' in result['msg']
    result, failed = run(civo_snapshot_restore, in_place(snapshot='s-2'))
    assert not failed and civo.mutations() == [('POST', SNAPSHOTS + '/s-2/restore')]


@pytest.mark.parametrize('args', [dict(instance='nope'), dict(instance_id='i-nope')], ids=['hostname', 'id'])
def test_an_unknown_instance_is_refused(civo, run, args):
    result, failed = run(civo_snapshot_restore, dict(args, snapshot='before', overwrite_existing=True))
    assert failed and civo.mutations() == []
    assert 'No instance' in result['msg']


def test_a_region_without_the_api_is_told_apart(civo, run):
    civo.current_api = False
    result, failed = run(civo_snapshot_restore, dict(instance_id='i-web-1', snapshot='before', overwrite_existing=True))
    assert failed and civo.mutations() == []
    assert 'does not offer the per-instance snapshot API' in result['msg'] and 'Restoring needs that API' in result['msg']
    assert 'snapshot_api: account' not in result['msg']
    assert result['api_error']['status'] == 404 and result['api_error']['code'] == 'not_found'


def test_an_api_error_reports_status_code_and_reason_and_never_the_token(civo, run):
    civo.restore_faults.append(CivoAPIError('POST', SNAPSHOTS + '/s-1/restore', 403, 'quota_limit_reached', 'Quota reached'))
    result, failed = run(civo_snapshot_restore, new())
    assert failed and result['changed'] is False
    assert 'HTTP 403 (quota_limit_reached): Quota reached' in result['msg']
    assert TOKEN not in repr(result)


def test_a_refused_retry_of_a_restore_that_was_carried_out_is_the_tasks_own(civo, run):
    civo.restore_faults.append(CivoAPIError('POST', SNAPSHOTS + '/s-1/restore', 409, 'database_instance_hostname_taken', 'taken', attempts=2))
    result, failed = run(civo_snapshot_restore, new())
    assert not failed and result['changed'] is True
    assert result['restore']['from_snapshot'] == 's-1' and result['instance']['id'] == 'i-new'


def test_a_timeout_reports_the_change_and_the_next_run_resumes(civo, run):
    civo.busy_polls = 1000
    result, failed = run(civo_snapshot_restore, in_place(wait_timeout=5))
    assert failed and result['changed'] is True
    assert result['restore']['id'] == 'restore-1' and 'run the task again to resume waiting' in result['msg']
    civo.busy_polls = 0
    civo.instances['i-web-1']['_busy'] = 2
    result, failed = run(civo_snapshot_restore, in_place())
    assert not failed and result['changed'] is False and result['instance']['status'] == 'ACTIVE'
    assert len(civo.mutations()) == 1


def test_a_broken_restored_instance_fails_at_once(civo, run):
    civo.busy_polls = 1000
    civo.request_restore = civo.restore
    civo.restore = lambda instance, snapshot, body: dict(civo.request_restore(instance, snapshot, body), _=civo.instances['i-new'].update(
        status='ERROR'))
    result, failed = run(civo_snapshot_restore, new())
    assert failed and result['changed'] is True and 'ERROR' in result['msg']
