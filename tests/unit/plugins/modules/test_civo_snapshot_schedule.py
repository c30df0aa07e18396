# -*- coding: utf-8 -*-
# Copyright: (c) 2026, civo.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""civo_snapshot_schedule and civo_snapshot_schedule_info: what they send and report, with the transport replaced."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
import json

import pytest

from ansible_collections.civo.cloud.plugins.module_utils.civo_api import CivoAPI, CivoAPIError
from ansible_collections.civo.cloud.plugins.modules import civo_snapshot_schedule, civo_snapshot_schedule_info

from .conftest import INSTANCES, TOKEN

PATH = '/v2/resourcesnapshotschedules'


class FakeScheduleAPI:
    """Schedules as civogo's structs describe them: create takes instance_id/include_volumes, answers id/included_volumes."""

    def __init__(self):
        self.schedules = []
        self.calls = []
        self.instances = list(INSTANCES)
        self.volumes = {'i-web-1': ['vol-web-1']}
        self.counter = 0

    def add(self, name='nightly', cron='0 3 * * *', max_snapshots=7, instance_ids=('i-web-1',), paused=False, volumes=False, **fields):
        self.counter += 1
        schedule = dict(id='sched-%d' % self.counter, name=name, description=fields.pop('description', ''), cron_expression=cron,
                        paused=paused, retention=dict(max_snapshots=max_snapshots),
                        instances=[dict(id=i, size='g3.small', included_volumes=self.volumes.get(i, []) if volumes else [])
                                   for i in instance_ids],
                        status=dict(state='active', last_snapshot=dict(id='', name='', state='')),
                        created_at='2026-11-29T15:00:00Z')
        schedule.update(fields)
        self.schedules.append(schedule)
        return schedule

    def mutations(self):
        return [(method, path) for method, path, dummy in self.calls if method != 'GET']

    def sent(self, method):
        return [body for m, dummy, body in self.calls if m == method]

    def request(self, method, path, params=None, json_body=None):
        self.calls.append((method, path, copy.deepcopy(json_body)))
        if method == 'GET' and path == '/v2/instances':
            return {'page': 1, 'per_page': 100, 'pages': 1, 'items': self.instances}
        if method == 'GET' and path == PATH:
            return copy.deepcopy(self.schedules)
        if method == 'POST' and path == PATH:
            body = json_body
            for entry in body['instances']:
                if not any(item['id'] == entry['instance_id'] for item in self.instances):
                    raise CivoAPIError('POST', path, 422, 'unknown_instance', 'instance %s was not found' % entry['instance_id'])
            assert 'period' not in body['retention']
            return copy.deepcopy(self.add(body['name'], body['cron_expression'], body['retention']['max_snapshots'],
                                          [entry['instance_id'] for entry in body['instances']],
                                          volumes=body['instances'][0]['include_volumes'], description=body.get('description', '')))
        schedule_id = path.rsplit('/', 1)[-1]
        schedule = next((s for s in self.schedules if s['id'] == schedule_id), None)
        if schedule is None:
            raise CivoAPIError(method, path, 404, 'not_found', 'schedule not found')
        if method == 'PUT':
            assert set(json_body) <= {'name', 'description', 'paused'}
            schedule.update(json_body)
            return copy.deepcopy(schedule)
        if method == 'DELETE':
            self.schedules.remove(schedule)
            return {'result': 'success'}
        raise AssertionError('unexpected call %s %s' % (method, path))


@pytest.fixture
def api(monkeypatch):
    fake = FakeScheduleAPI()
    monkeypatch.setattr(CivoAPI, 'request', lambda self, method, path, params=None, data=None, json_body=None: fake.request(
        method, path, params, json_body))
    return fake


def nightly(**args):
    return dict(dict(name='nightly', cron_expression='0 3 * * *', max_snapshots=7, instances=['web-1']), **args)


def test_creates_with_the_current_api_body(api, run):
    result, failed = run(civo_snapshot_schedule, nightly(description='web', instances=['web-1', 'i-web-2', 'web-1']))
    assert not failed and result['changed'] is True
    assert api.mutations() == [('POST', PATH)]
    assert api.sent('POST') == [dict(name='nightly', description='web', cron_expression='0 3 * * *', retention=dict(max_snapshots=7),
                                     instances=[dict(instance_id='i-web-1', include_volumes=False),
                                                dict(instance_id='i-web-2', include_volumes=False)])]
    schedule = result['schedule']
    assert schedule['instances'] == ['i-web-1', 'i-web-2'] and schedule['max_snapshots'] == 7 and schedule['status'] == 'active'
    assert schedule['last_snapshot'] is None and schedule['created_at'] == '2026-11-29T15:00:00+00:00'
    assert result['diff'] == {'before': {}, 'after': schedule}


def test_second_identical_run_is_one_request_with_ids_and_two_with_hostnames(api, run):
    run(civo_snapshot_schedule, nightly())
    del api.calls[:]
    result, dummy = run(civo_snapshot_schedule, nightly(instances=['i-web-1']))
    assert result['changed'] is False and [c[:2] for c in api.calls] == [('GET', PATH)]
    del api.calls[:]
    result, dummy = run(civo_snapshot_schedule, nightly())
    assert result['changed'] is False and [c[:2] for c in api.calls] == [('GET', PATH), ('GET', '/v2/instances')]


def test_check_mode_predicts_a_create_without_sending_it(api, run):
    result, failed = run(civo_snapshot_schedule, nightly(paused=True), check_mode=True)
    assert not failed and result['changed'] is True and api.mutations() == []
    assert result['schedule']['id'] is None and result['schedule']['instances'] == ['i-web-1'] and result['schedule']['paused'] is True


def test_created_paused_is_a_post_then_a_put_of_paused(api, run):
    result, dummy = run(civo_snapshot_schedule, nightly(paused=True))
    assert api.mutations() == [('POST', PATH), ('PUT', PATH + '/sched-1')]
    assert api.sent('PUT') == [{'paused': True}] and result['schedule']['paused'] is True


@pytest.mark.parametrize('args, body', [
    (dict(paused=True), {'paused': True}),
    (dict(description='new words'), {'description': 'new words'}),
    (dict(name='renamed', rename_from='nightly', paused=True), {'name': 'renamed', 'paused': True}),
])
def test_in_place_changes_are_one_put_of_only_what_differs(api, run, args, body):
    api.add()
    result, failed = run(civo_snapshot_schedule, dict(nightly(), **args))
    assert not failed and result['changed'] is True
    assert api.mutations() == [('PUT', PATH + '/sched-1')] and api.sent('PUT') == [body]
    assert result['diff']['before']['paused'] is False and result['schedule']['id'] == 'sched-1'
    del api.calls[:]
    again, dummy = run(civo_snapshot_schedule, dict(nightly(), **args))
    assert again['changed'] is False and api.mutations() == []


def test_paused_is_sent_only_when_it_changes(api, run):
    api.add(paused=True)
    run(civo_snapshot_schedule, nightly(description='d', paused=True))
    assert api.sent('PUT') == [{'description': 'd'}]


def test_in_place_change_in_check_mode_predicts_it(api, run):
    api.add()
    result, dummy = run(civo_snapshot_schedule, nightly(paused=True), check_mode=True)
    assert result['changed'] is True and result['schedule']['paused'] is True and api.mutations() == []


def test_rename_when_neither_exists_creates(api, run):
    result, dummy = run(civo_snapshot_schedule, nightly(name='renamed', rename_from='gone'))
    assert api.mutations() == [('POST', PATH)] and result['schedule']['name'] == 'renamed'


@pytest.mark.parametrize('args, words', [
    (dict(cron_expression='0 4 * * *'), ['cron_expression (0 3 * * * -> 0 4 * * *)']),
    (dict(max_snapshots=3), ['max_snapshots (7 -> 3)']),
    (dict(instances=['web-2']), ['instances (add i-web-2, remove i-web-1)']),
    (dict(max_snapshots=3, paused=True), ['max_snapshots (7 -> 3)']),
])
def test_a_fixed_difference_fails_before_any_change(api, run, args, words):
    api.add()
    result, failed = run(civo_snapshot_schedule, dict(nightly(), **args))
    assert failed and api.mutations() == []
    assert all(word in result['msg'] for word in words) and 'recreate: true' in result['msg']
    assert result['schedule']['id'] == 'sched-1'


def test_include_volumes_differs_only_when_the_answer_shows_volumes(api, run):
    api.add(volumes=True)
    result, failed = run(civo_snapshot_schedule, nightly())
    assert failed and 'include_volumes (True -> False)' in result['msg']
    result, failed = run(civo_snapshot_schedule, nightly(include_volumes=True))
    assert not failed and result['changed'] is False


def test_recreate_deletes_then_creates_and_shows_both_in_diff(api, run):
    api.add(description='kept')
    result, failed = run(civo_snapshot_schedule, dict(name='nightly', max_snapshots=3, recreate=True))
    assert not failed and result['changed'] is True
    assert api.mutations() == [('DELETE', PATH + '/sched-1'), ('POST', PATH)]
    assert api.sent('POST')[0]['cron_expression'] == '0 3 * * *' and api.sent('POST')[0]['description'] == 'kept'
    assert api.sent('POST')[0]['instances'] == [dict(instance_id='i-web-1', include_volumes=False)]
    assert result['diff']['before']['id'] == 'sched-1' and result['diff']['after']['id'] == 'sched-2'
    assert 'deleted' in result['diff']['before_header'] and result['schedule']['max_snapshots'] == 3


def test_recreate_in_check_mode_sends_nothing(api, run):
    api.add()
    result, dummy = run(civo_snapshot_schedule, nightly(max_snapshots=3, recreate=True), check_mode=True)
    assert result['changed'] is True and api.mutations() == [] and result['schedule']['id'] is None


def test_recreate_without_differences_changes_nothing(api, run):
    api.add()
    result, dummy = run(civo_snapshot_schedule, nightly(recreate=True))
    assert result['changed'] is False and api.mutations() == []


def test_absent_deletes_then_reports_no_change(api, run):
    api.add()
    result, dummy = run(civo_snapshot_schedule, dict(name='nightly', state='absent'), check_mode=True)
    assert result['changed'] is True and api.mutations() == [] and result['diff']['before']['id'] == 'sched-1'
    result, dummy = run(civo_snapshot_schedule, dict(name='nightly', state='absent'))
    assert result['changed'] is True and result['schedule'] == {} and api.mutations() == [('DELETE', PATH + '/sched-1')]
    result, dummy = run(civo_snapshot_schedule, dict(name='nightly', state='absent'))
    assert result['changed'] is False and len(api.mutations()) == 1


@pytest.mark.parametrize('args, message', [
    (dict(cron_expression='0 3 * *'), 'must have 5 fields'),
    (dict(cron_expression='61 3 * * *'), "minute field '61'"),
    (dict(cron_expression='*/5 * * * *'), 'at least 10 minutes apart'),
    (dict(max_snapshots=0), 'from 1 to 10'),
    (dict(max_snapshots=11), 'from 1 to 10'),
    (dict(instances=[]), 'at least one instance'),
    (dict(instances=['web-1', ' ']), 'empty entries'),
    (dict(name=' '), 'name must not be empty'),
    (dict(rename_from='nightly'), 'rename_from'),
])
def test_bad_input_fails_before_any_request(api, run, args, message):
    result, failed = run(civo_snapshot_schedule, dict(nightly(), **args))
    assert failed and message in result['msg'] and api.calls == []


@pytest.mark.parametrize('entries, message', [
    (['nosuch'], "'nosuch' is neither the hostname nor the id"),
    (['twin'], "'twin' is ambiguous: 2 instances"),
    (['nosuch', 'twin'], "'nosuch'"),
])
def test_unknown_or_ambiguous_instances_fail_before_any_change(api, run, entries, message):
    api.add()
    for args in (nightly(instances=entries), nightly(name='new', instances=entries)):
        result, failed = run(civo_snapshot_schedule, args)
        assert failed and message in result['msg'] and api.mutations() == []
    assert [c[1] for c in api.calls].count('/v2/instances') == 2


def test_missing_settings_to_create_are_named(api, run):
    result, failed = run(civo_snapshot_schedule, dict(name='nightly', max_snapshots=3))
    assert failed and 'needs cron_expression, instances' in result['msg'] and api.mutations() == []


def test_several_schedules_of_the_name_fail(api, run):
    api.add()
    api.add()
    result, failed = run(civo_snapshot_schedule, dict(name='nightly', state='absent'))
    assert failed and "2 snapshot schedules are named 'nightly' (sched-1, sched-2)" in result['msg'] and api.mutations() == []


def test_api_error_has_status_code_and_reason_and_never_the_token(api, run, monkeypatch):
    def refuse(self, method, path, params=None, data=None, json_body=None):
        raise CivoAPIError(method, path, 403, 'disabled_service', 'snapshot schedules are not available in this region')
    monkeypatch.setattr(CivoAPI, 'request', refuse)
    result, failed = run(civo_snapshot_schedule, nightly())
    assert failed and 'HTTP 403 (disabled_service): snapshot schedules are not available' in result['msg']
    assert result['api_error']['status'] == 403 and TOKEN not in json.dumps(result)


def test_a_put_that_answers_without_the_schedule_reports_the_change(api, run, monkeypatch):
    api.add()
    answer = api.request

    def bare_put(method, path, params=None, json_body=None):
        body = answer(method, path, params, json_body)
        return {'result': 'success'} if method == 'PUT' else body
    monkeypatch.setattr(CivoAPI, 'request', lambda self, method, path, params=None, data=None, json_body=None: bare_put(
        method, path, params, json_body))
    result, dummy = run(civo_snapshot_schedule, nightly(paused=True))
    assert result['schedule']['paused'] is True and result['schedule']['id'] == 'sched-1'


def test_info_lists_sorted_and_filters_by_name(api, run):
    api.add(name='weekly', cron='0 4 * * 0')
    api.add(name='nightly', instance_ids=('i-web-1', 'i-web-2'))
    result, failed = run(civo_snapshot_schedule_info, {})
    assert not failed and result['changed'] is False
    assert [s['name'] for s in result['schedules']] == ['nightly', 'weekly']
    assert result['schedules'][0]['instances'] == ['i-web-1', 'i-web-2'] and '_raw' not in result['schedules'][0]
    result, dummy = run(civo_snapshot_schedule_info, dict(name='weekly'))
    assert [s['cron_expression'] for s in result['schedules']] == ['0 4 * * 0']
    result, dummy = run(civo_snapshot_schedule_info, dict(name='none'))
    assert result['schedules'] == []
    assert all(call[:2] == ('GET', PATH) for call in api.calls)


def test_info_refuses_an_empty_name(api, run):
    result, failed = run(civo_snapshot_schedule_info, dict(name=''))
    assert failed and api.calls == []
