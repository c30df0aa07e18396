# -*- coding: utf-8 -*-
# Copyright: (c) 2026, civo.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""civo_snapshot_schedule: what it sends and reports, against the in-memory schedule region of conftest.py (through the
real client)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

import pytest

from ansible_collections.civo.cloud.plugins.module_utils.errors import CivoAPIError
from ansible_collections.civo.cloud.plugins.modules import civo_snapshot_schedule

PATH = '/v2/resourcesnapshotschedules'


def nightly(**args):
    return dict(dict(name='nightly', cron_expression='0 3 * * *', max_snapshots=7, instances=['web-1']), **args)


def test_creates_with_the_current_api_body(civo_schedules, run):
    result, failed = run(civo_snapshot_schedule, nightly(description='web', instances=['web-1', 'i-web-2', 'web-1']))
    assert not failed and result['changed'] is True
    assert civo_schedules.mutations() == [('POST', PATH)]
    assert civo_schedules.sent('POST') == [
        dict(
            name='nightly',
            description='web',
            cron_expression='0 3 * * *',
            retention=dict(max_snapshots=7),
            instances=[
                dict(instance_id='i-web-1', include_volumes=False),
                dict(instance_id='i-web-2', include_volumes=False),
            ],
        )
    ]
    schedule = result['schedule']
    assert (
        schedule['instances'] == ['i-web-1', 'i-web-2']
        and schedule['max_snapshots'] == 7
        and schedule['status'] == 'active'
    )
    assert schedule['last_snapshot'] is None and schedule['created_at'] == '2026-11-29T15:00:00+00:00'
    assert result['diff'] == {'before': {}, 'after': schedule}


def test_second_identical_run_is_one_request_with_ids_and_two_with_hostnames(civo_schedules, run):
    run(civo_snapshot_schedule, nightly())
    del civo_schedules.calls[:]
    result, dummy = run(civo_snapshot_schedule, nightly(instances=['i-web-1']))
    assert result['changed'] is False and [c[:2] for c in civo_schedules.calls] == [('GET', PATH)]
    del civo_schedules.calls[:]
    result, dummy = run(civo_snapshot_schedule, nightly())
    assert result['changed'] is False and [c[:2] for c in civo_schedules.calls] == [
        ('GET', PATH),
        ('GET', '/v2/instances'),
    ]


@pytest.mark.parametrize(
    'args', [nightly(), dict(name='nightly', max_snapshots=3, recreate=True)], ids=['create', 'recreate']
)
def test_a_create_whose_answer_was_lost_is_found_and_not_sent_again(civo_schedules, run, wire, args):
    if args.get('recreate'):
        civo_schedules.add(name='nightly')
    wire.fault('POST', wire.reply(504, text='Gateway Timeout'), carried_out=True)
    result, failed = run(civo_snapshot_schedule, args)
    assert not failed and result['changed'] is True
    assert [call for call in civo_schedules.mutations() if call[0] == 'POST'] == [('POST', PATH)]
    assert [s['id'] for s in civo_schedules.schedules] == [result['schedule']['id']]
    assert result['schedule']['name'] == 'nightly' and len(result['retried_requests']['lost_answers']) == 1


def test_check_mode_predicts_a_create_without_sending_it(civo_schedules, run):
    result, failed = run(civo_snapshot_schedule, nightly(paused=True), check_mode=True)
    assert not failed and result['changed'] is True and civo_schedules.mutations() == []
    assert (
        result['schedule']['id'] is None
        and result['schedule']['instances'] == ['i-web-1']
        and result['schedule']['paused'] is True
    )


def test_created_paused_is_a_post_then_a_put_of_paused(civo_schedules, run):
    result, dummy = run(civo_snapshot_schedule, nightly(paused=True))
    assert civo_schedules.mutations() == [('POST', PATH), ('PUT', PATH + '/sched-1')]
    assert civo_schedules.sent('PUT') == [{'paused': True}] and result['schedule']['paused'] is True


@pytest.mark.parametrize(
    'args, body',
    [
        (dict(paused=True), {'paused': True}),
        (dict(description='new words'), {'description': 'new words'}),
        (dict(name='renamed', rename_from='nightly', paused=True), {'name': 'renamed', 'paused': True}),
    ],
)
def test_in_place_changes_are_one_put_of_only_what_differs(civo_schedules, run, args, body):
    civo_schedules.add()
    result, failed = run(civo_snapshot_schedule, dict(nightly(), **args))
    assert not failed and result['changed'] is True
    assert civo_schedules.mutations() == [('PUT', PATH + '/sched-1')] and civo_schedules.sent('PUT') == [body]
    assert result['diff']['before']['paused'] is False and result['schedule']['id'] == 'sched-1'
    del civo_schedules.calls[:]
    again, dummy = run(civo_snapshot_schedule, dict(nightly(), **args))
    assert again['changed'] is False and civo_schedules.mutations() == []


def test_paused_is_sent_only_when_it_changes(civo_schedules, run):
    civo_schedules.add(paused=True)
    run(civo_snapshot_schedule, nightly(description='d', paused=True))
    assert civo_schedules.sent('PUT') == [{'description': 'd'}]


def test_in_place_change_in_check_mode_predicts_it(civo_schedules, run):
    civo_schedules.add()
    result, dummy = run(civo_snapshot_schedule, nightly(paused=True), check_mode=True)
    assert result['changed'] is True and result['schedule']['paused'] is True and civo_schedules.mutations() == []


def test_rename_when_neither_exists_creates(civo_schedules, run):
    result, dummy = run(civo_snapshot_schedule, nightly(name='renamed', rename_from='gone'))
    assert civo_schedules.mutations() == [('POST', PATH)] and result['schedule']['name'] == 'renamed'


@pytest.mark.parametrize(
    'args, words',
    [
        (dict(cron_expression='0 4 * * *'), ['cron_expression (0 3 * * * -> 0 4 * * *)']),
        (dict(max_snapshots=3), ['max_snapshots (7 -> 3)']),
        (dict(instances=['web-2']), ['instances (add i-web-2, remove i-web-1)']),
        (dict(max_snapshots=3, paused=True), ['max_snapshots (7 -> 3)']),
    ],
)
def test_a_fixed_difference_fails_before_any_change(civo_schedules, run, args, words):
    civo_schedules.add()
    result, failed = run(civo_snapshot_schedule, dict(nightly(), **args))
    assert failed and civo_schedules.mutations() == []
    assert all(word in result['msg'] for word in words) and 'recreate: true' in result['msg']
    assert result['schedule']['id'] == 'sched-1'


def test_include_volumes_differs_only_when_the_answer_shows_volumes(civo_schedules, run):
    civo_schedules.add(volumes=True)
    result, failed = run(civo_snapshot_schedule, nightly())
    assert failed and 'include_volumes (True -> False)' in result['msg']
    result, failed = run(civo_snapshot_schedule, nightly(include_volumes=True))
    assert not failed and result['changed'] is False


def test_recreate_creates_the_replacement_first_then_deletes_then_renames_and_shows_both_in_diff(civo_schedules, run):
    civo_schedules.add(description='kept')
    result, failed = run(civo_snapshot_schedule, dict(name='nightly', max_snapshots=3, recreate=True))
    assert not failed and result['changed'] is True
    assert civo_schedules.mutations() == [('POST', PATH), ('DELETE', PATH + '/sched-1'), ('PUT', PATH + '/sched-2')]
    assert civo_schedules.sent('POST')[0]['name'] == 'nightly-replacement' and civo_schedules.sent('PUT') == [
        {'name': 'nightly'}
    ]
    assert [(s['id'], s['name']) for s in civo_schedules.schedules] == [('sched-2', 'nightly')]
    assert (
        civo_schedules.sent('POST')[0]['cron_expression'] == '0 3 * * *'
        and civo_schedules.sent('POST')[0]['description'] == 'kept'
    )
    assert civo_schedules.sent('POST')[0]['instances'] == [dict(instance_id='i-web-1', include_volumes=False)]
    assert result['diff']['before']['id'] == 'sched-1' and result['diff']['after']['id'] == 'sched-2'
    assert 'deleted' in result['diff']['before_header'] and result['schedule']['max_snapshots'] == 3


def test_a_recreate_that_fails_before_the_old_schedule_is_deleted_keeps_it_and_a_rerun_finishes(
    civo_schedules, run, wire
):
    civo_schedules.add()
    wire.fault('DELETE', wire.reply(403, {'code': 'forbidden', 'reason': 'not now'}))
    result, failed = run(civo_snapshot_schedule, dict(name='nightly', max_snapshots=3, recreate=True))
    assert failed and result['changed'] is True
    assert result['msg'].startswith("Replacing snapshot schedule 'nightly' failed while deleting the old schedule: ")
    assert (
        "The schedules that exist now: the schedule 'nightly' (sched-1) with its old settings and its replacement "
        "'nightly-replacement' (sched-2) with the new settings. Run the task again to finish the replacement: it "
        'creates no second one.'
    ) in result['msg']
    assert (result['schedule']['id'], result['replacement']['id'], result['api_error']['status']) == (
        'sched-1',
        'sched-2',
        403,
    )
    assert [s['id'] for s in civo_schedules.schedules] == ['sched-1', 'sched-2']
    del civo_schedules.calls[:]
    result, failed = run(civo_snapshot_schedule, dict(name='nightly', max_snapshots=3, recreate=True))
    assert not failed and civo_schedules.mutations() == [('DELETE', PATH + '/sched-1'), ('PUT', PATH + '/sched-2')]
    assert [(s['id'], s['name'], s['retention']['max_snapshots']) for s in civo_schedules.schedules] == [
        ('sched-2', 'nightly', 3)
    ]


def test_a_recreate_that_fails_after_the_old_schedule_went_is_finished_by_a_rerun(civo_schedules, run, wire):
    civo_schedules.add()
    wire.fault('PUT', wire.reply(403, {'code': 'forbidden', 'reason': 'not now'}))
    result, failed = run(civo_snapshot_schedule, dict(name='nightly', max_snapshots=3, recreate=True))
    assert (
        failed
        and "its replacement 'nightly-replacement' (sched-2) with the new settings (the old schedule was deleted)"
        in (result['msg'])
    )
    assert [s['name'] for s in civo_schedules.schedules] == ['nightly-replacement']
    del civo_schedules.calls[:]
    result, failed = run(civo_snapshot_schedule, dict(name='nightly', max_snapshots=3, recreate=True))
    assert not failed and result['changed'] is True and civo_schedules.mutations() == [('PUT', PATH + '/sched-2')]
    assert [s['name'] for s in civo_schedules.schedules] == ['nightly']


def test_an_outdated_replacement_left_by_an_earlier_run_is_replaced(civo_schedules, run):
    civo_schedules.add()
    civo_schedules.add(name='nightly-replacement', max_snapshots=5)
    result, failed = run(civo_snapshot_schedule, dict(name='nightly', max_snapshots=3, recreate=True))
    assert not failed
    assert civo_schedules.mutations() == [
        ('DELETE', PATH + '/sched-2'),
        ('POST', PATH),
        ('DELETE', PATH + '/sched-1'),
        ('PUT', PATH + '/sched-3'),
    ]
    assert [(s['id'], s['name'], s['retention']['max_snapshots']) for s in civo_schedules.schedules] == [
        ('sched-3', 'nightly', 3)
    ]


def test_recreate_in_check_mode_sends_nothing(civo_schedules, run):
    civo_schedules.add()
    result, dummy = run(civo_snapshot_schedule, nightly(max_snapshots=3, recreate=True), check_mode=True)
    assert result['changed'] is True and civo_schedules.mutations() == [] and result['schedule']['id'] is None


def test_recreate_without_differences_changes_nothing(civo_schedules, run):
    civo_schedules.add()
    result, dummy = run(civo_snapshot_schedule, nightly(recreate=True))
    assert result['changed'] is False and civo_schedules.mutations() == []


def test_absent_deletes_then_reports_no_change(civo_schedules, run):
    civo_schedules.add()
    result, dummy = run(civo_snapshot_schedule, dict(name='nightly', state='absent'), check_mode=True)
    assert (
        result['changed'] is True and civo_schedules.mutations() == [] and result['diff']['before']['id'] == 'sched-1'
    )
    result, dummy = run(civo_snapshot_schedule, dict(name='nightly', state='absent'))
    assert (
        result['changed'] is True
        and result['schedule'] == {}
        and civo_schedules.mutations() == [('DELETE', PATH + '/sched-1')]
    )
    result, dummy = run(civo_snapshot_schedule, dict(name='nightly', state='absent'))
    assert result['changed'] is False and len(civo_schedules.mutations()) == 1


@pytest.mark.parametrize(
    'args, message',
    [
        (dict(cron_expression='0 3 * *'), 'must have 5 fields'),
        (dict(cron_expression='61 3 * * *'), "minute field '61'"),
        (dict(cron_expression='*/5 * * * *'), 'at least 10 minutes apart'),
        (dict(max_snapshots=0), 'from 1 to 10'),
        (dict(max_snapshots=11), 'from 1 to 10'),
        (dict(instances=[]), 'at least one instance'),
        (dict(instances=['web-1', ' ']), 'empty entries'),
        (dict(name=' '), 'name must not be empty'),
        (dict(rename_from='nightly'), 'rename_from'),
    ],
)
def test_bad_input_fails_before_any_request(civo_schedules, run, args, message):
    result, failed = run(civo_snapshot_schedule, dict(nightly(), **args))
    assert failed and message in result['msg'] and civo_schedules.calls == []


@pytest.mark.parametrize(
    'entries, message',
    [
        (
            ['nosuch'],
            "instances: No instance with hostname 'nosuch' (4 instances looked at). Check the name, or give the "
            "instance's ID.",
        ),
        (['twin'], "'twin' is ambiguous: 2 instances"),
        (['nosuch', 'twin'], "'nosuch'"),
    ],
)
def test_unknown_or_ambiguous_instances_fail_before_any_change(civo_schedules, run, entries, message):
    civo_schedules.add()
    for args in (nightly(instances=entries), nightly(name='new', instances=entries)):
        result, failed = run(civo_snapshot_schedule, args)
        assert failed and message in result['msg'] and civo_schedules.mutations() == []
    assert [c[1] for c in civo_schedules.calls].count('/v2/instances') == 2


def test_missing_settings_to_create_are_named(civo_schedules, run):
    result, failed = run(civo_snapshot_schedule, dict(name='nightly', max_snapshots=3))
    assert failed and 'needs cron_expression, instances' in result['msg'] and civo_schedules.mutations() == []


def test_several_schedules_of_the_name_fail(civo_schedules, run):
    civo_schedules.add()
    civo_schedules.add()
    result, failed = run(civo_snapshot_schedule, dict(name='nightly', state='absent'))
    assert (
        failed
        and "2 snapshot schedules are named 'nightly' (sched-1, sched-2)" in result['msg']
        and civo_schedules.mutations() == []
    )


def test_api_error_has_status_code_and_reason_and_never_the_token(civo_schedules, run, monkeypatch, token):
    def refuse(method, path, **kwargs):
        raise CivoAPIError(method, path, 403, 'disabled_service', 'snapshot schedules are not available in this region')

    monkeypatch.setattr(civo_schedules, 'request', refuse)
    result, failed = run(civo_snapshot_schedule, nightly())
    assert failed and 'HTTP 403 (disabled_service): snapshot schedules are not available' in result['msg']
    assert result['api_error']['status'] == 403 and token not in json.dumps(result)


def test_a_put_that_answers_without_the_schedule_reports_the_change(civo_schedules, run, monkeypatch):
    civo_schedules.add()
    answer = civo_schedules.request

    def bare_put(method, path, **kwargs):
        body = answer(method, path, **kwargs)
        return {'result': 'success'} if method == 'PUT' else body

    monkeypatch.setattr(civo_schedules, 'request', bare_put)
    result, dummy = run(civo_snapshot_schedule, nightly(paused=True))
    assert result['schedule']['paused'] is True and result['schedule']['id'] == 'sched-1'


def test_snapshot_api_account_is_refused_before_any_request(civo_schedules, run):
    result, failed = run(civo_snapshot_schedule, nightly(snapshot_api='account'))
    assert failed and 'snapshot_api=account: this module speaks only the per-instance API' in result['msg']
    assert civo_schedules.calls == []
