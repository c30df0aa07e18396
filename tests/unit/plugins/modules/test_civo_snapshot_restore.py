# -*- coding: utf-8 -*-
# Copyright: (c) 2026, civo_restore.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""civo_snapshot_restore: what it sends and what it reports, against the in-memory restore region of conftest.py
(through the real client)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

import pytest
import requests

from ansible_collections.civo.cloud.plugins.module_utils import snapshot_restores
from ansible_collections.civo.cloud.plugins.modules import civo_snapshot_restore

SNAPSHOTS = '/v2/instances/i-web-1/snapshots'


def new(**args):
    return dict(dict(instance='web-1', snapshot='before', hostname='web-1-copy'), **args)


def in_place(**args):
    return dict(dict(instance='web-1', snapshot='before', overwrite_existing=True), **args)


def test_restores_into_a_new_instance_and_waits_until_it_is_active(civo_restore, run):
    result, failed = run(civo_snapshot_restore, new(description='copy'))
    assert not failed and result['changed'] is True
    assert civo_restore.mutations() == [('POST', SNAPSHOTS + '/s-1/restore')]
    assert [body for body in civo_restore.bodies if body] == [{'hostname': 'web-1-copy', 'description': 'copy'}]
    assert result['instance']['id'] == 'i-new' and result['instance']['status'] == 'ACTIVE'
    assert result['restore']['id'] == 'restore-1' and result['restore']['status'] == {'state': 'in_progress'}
    assert result['restore']['created_at'] == '2026-11-29T03:10:00+00:00'
    assert result['diff']['before'] == {} and result['diff']['after']['hostname'] == 'web-1-copy'
    assert 'before (s-1)' in result['diff']['after']['restored_from_snapshot']


def test_a_rerun_finds_the_new_instance_and_sends_nothing(civo_restore, run):
    run(civo_snapshot_restore, new())
    del civo_restore.calls[:]
    result, failed = run(civo_snapshot_restore, new())
    assert not failed and result['changed'] is False
    assert civo_restore.mutations() == [] and result['restore'] == {}
    assert result['instance']['id'] == 'i-new'
    assert result['diff']['before'] == result['diff']['after']


def test_an_instance_of_that_hostname_built_from_something_else_is_not_this_restore(civo_restore, run):
    civo_restore.instances['i-other'] = {
        'id': 'i-other',
        'hostname': 'web-1-copy',
        'status': 'ACTIVE',
        'source_type': 'diskimage',
        'source_id': 'ubuntu-jammy',
    }
    result, failed = run(civo_snapshot_restore, new())
    assert failed and result['changed'] is False and civo_restore.mutations() == []
    assert result['msg'] == (
        "An instance with the hostname 'web-1-copy' exists already (i-other), built from diskimage "
        "ubuntu-jammy, not from snapshot 'before' (s-1) of instance web-1: it is not this restore, and "
        'nothing was restored. Choose another hostname, or delete that instance first.'
    )


def test_an_instance_of_that_hostname_whose_record_names_no_source_is_taken_for_an_earlier_restore_with_a_warning(
    civo_restore, run
):
    civo_restore.instances['i-other'] = {'id': 'i-other', 'hostname': 'web-1-copy', 'status': 'ACTIVE'}
    result, failed = run(civo_snapshot_restore, new())
    assert not failed and result['changed'] is False and civo_restore.mutations() == []
    assert result['instance']['id'] == 'i-other' and len(result['warnings']) == 1
    assert 'could not be confirmed that it was restored from snapshot' in result['warnings'][0]


def test_the_snapshot_must_exist_also_when_the_hostname_is_taken(civo_restore, run):
    run(civo_snapshot_restore, new())
    result, failed = run(civo_snapshot_restore, new(snapshot='nope'))
    assert failed and "no snapshot with id or name 'nope'" in result['msg'] and len(civo_restore.mutations()) == 1


def test_a_rerun_while_the_new_instance_builds_waits_for_it(civo_restore, run):
    civo_restore.busy_polls = 5
    run(civo_snapshot_restore, new(wait=False))
    assert civo_restore.instances['i-new']['status'] == 'BUILDING'
    result, failed = run(civo_snapshot_restore, new())
    assert not failed and result['changed'] is False
    assert result['instance']['status'] == 'ACTIVE'
    assert civo_restore.mutations() == [('POST', SNAPSHOTS + '/s-1/restore')]


def test_in_place_restores_the_instance_itself_and_waits_by_id(civo_restore, run):
    result, failed = run(civo_snapshot_restore, in_place())
    assert not failed and result['changed'] is True
    assert [body for body in civo_restore.bodies if body] == [{'overwrite_existing': True}]
    assert result['instance']['status'] == 'ACTIVE' and result['instance']['id'] == 'i-web-1'
    assert ('GET', '/v2/instances/i-web-1') in civo_restore.calls
    assert result['diff']['before']['status'] == 'ACTIVE' and 'restored_from_snapshot' in result['diff']['after']


def test_in_place_is_a_change_every_time(civo_restore, run):
    run(civo_snapshot_restore, in_place())
    result, dummy = run(civo_snapshot_restore, in_place())
    assert result['changed'] is True
    assert len(civo_restore.mutations()) == 2


def test_in_place_does_not_trust_active_before_the_instance_was_seen_busy(civo_restore, run, clock):
    civo_restore.busy_polls = 0
    civo_restore.request_restore = civo_restore.restore
    civo_restore.restore = lambda instance, snapshot, body: dict(
        civo_restore.request_restore(instance, snapshot, body), _=instance.update(status='ACTIVE')
    )
    result, failed = run(civo_snapshot_restore, in_place())
    assert not failed
    assert sum(clock.slept) >= snapshot_restores.IN_PLACE_SETTLE_SECONDS


@pytest.mark.parametrize('args', [new(), in_place()], ids=['new', 'in-place'])
def test_check_mode_sends_only_reads_and_predicts(civo_restore, run, args):
    result, failed = run(civo_snapshot_restore, args, check_mode=True)
    assert not failed and result['changed'] is True
    assert civo_restore.mutations() == []
    assert result['restore']['id'] is None and result['restore']['from_snapshot'] == 's-1'
    assert result['instance']['status'] == 'ACTIVE'
    assert result['diff']['after']['hostname'] == args.get('hostname', 'web-1')


def test_the_wrapped_answer_is_returned_in_the_flat_shape(civo_restore, run):
    civo_restore.wrapped = True
    result, dummy = run(civo_snapshot_restore, new())
    assert result['restore']['hostname'] == 'web-1-copy' and 'resource_type' not in result['restore']
    assert sorted(result['restore']) == sorted(snapshot_restores.RESTORE_FIELDS)


def test_waits_for_a_snapshot_still_being_taken_then_restores(civo_restore, run):
    civo_restore.snapshots['i-web-1'][0]['status']['state'] = 'pending'
    civo_restore.snapshot_polls = 3
    result, failed = run(civo_snapshot_restore, new())
    assert not failed and result['changed'] is True
    assert result['snapshot']['status'] == 'complete'
    assert civo_restore.calls.count(('GET', SNAPSHOTS + '/s-1')) == 3


@pytest.mark.parametrize(
    'args, words',
    [
        (dict(instance='web-1', snapshot='before'), ['hostname: NEW-HOSTNAME', 'overwrite_existing: true']),
        (dict(instance='web-1', snapshot='before', hostname='x', overwrite_existing=True), ['two different restores']),
        (new(hostname='bad_name!'), ['not a host name']),
        (new(private_ipv4='10.0.0.300'), ['not an IPv4 address']),
        (new(wait_timeout=0), ['wait_timeout']),
        (new(snapshot=' '), ['snapshot must be']),
        (dict(instance_id=' ', snapshot='before', hostname='x'), ['instance_id must not be empty']),
    ],
)
def test_input_is_refused_before_any_request(civo_restore, run, args, words):
    result, failed = run(civo_snapshot_restore, args)
    assert failed and civo_restore.calls == []
    for word in words:
        assert word in result['msg']


def test_the_instance_own_hostname_as_the_new_hostname_is_refused(civo_restore, run):
    result, failed = run(civo_snapshot_restore, new(hostname='web-1'))
    assert failed and civo_restore.mutations() == []
    assert 'overwrite_existing: true' in result['msg']


@pytest.mark.parametrize('state, words', [('failed', ["failed (state 'failed')"]), ('Error', ['failed'])])
def test_a_failed_snapshot_is_refused(civo_restore, run, state, words):
    civo_restore.snapshots['i-web-1'][0]['status']['state'] = state
    result, failed = run(civo_snapshot_restore, in_place())
    assert failed and civo_restore.mutations() == [] and result['changed'] is False
    for word in words:
        assert word in result['msg']


def test_a_snapshot_still_being_taken_with_wait_false_is_refused(civo_restore, run):
    civo_restore.snapshots['i-web-1'][0]['status']['state'] = 'pending'
    result, failed = run(civo_snapshot_restore, in_place(wait=False))
    assert failed and civo_restore.mutations() == []
    assert 'still being taken' in result['msg'] and 'wait: true' in result['msg']


def test_an_unknown_snapshot_names_the_snapshots_there_are(civo_restore, run):
    result, failed = run(civo_snapshot_restore, in_place(snapshot='nope'))
    assert failed and civo_restore.mutations() == []
    assert "no snapshot with id or name 'nope'" in result['msg'] and 'before' in result['msg']


def test_two_snapshots_of_one_name_need_the_id(civo_restore, run):
    civo_restore.snapshots['i-web-1'].append(civo_restore.snapshot('s-2', 'before', 'completed'))
    result, failed = run(civo_snapshot_restore, in_place())
    assert (
        failed and "2 snapshots named 'before'" in result['msg'] and 's-1' in result['msg'] and 's-2' in result['msg']
    )
    result, failed = run(civo_snapshot_restore, in_place(snapshot='s-2'))
    assert not failed and civo_restore.mutations() == [('POST', SNAPSHOTS + '/s-2/restore')]


@pytest.mark.parametrize('args', [dict(instance='nope'), dict(instance_id='i-nope')], ids=['hostname', 'id'])
def test_an_unknown_instance_is_refused(civo_restore, run, args):
    result, failed = run(civo_snapshot_restore, dict(args, snapshot='before', overwrite_existing=True))
    assert failed and civo_restore.mutations() == []
    assert 'No instance' in result['msg']


def test_a_region_without_the_api_is_told_apart(civo_restore, run):
    civo_restore.current_api = False
    result, failed = run(civo_snapshot_restore, dict(instance_id='i-web-1', snapshot='before', overwrite_existing=True))
    assert failed and civo_restore.mutations() == []
    assert 'does not offer the per-instance snapshot API' in result['msg'] and result['msg'].endswith(
        'This module needs that API. Nothing was changed.'
    )
    assert 'snapshot_api: account' not in result['msg']
    assert result['api_error']['status'] == 404 and result['api_error']['code'] == 'not_found'


def test_an_api_error_reports_status_code_and_reason_and_never_the_token(civo_restore, run, wire, token):
    wire.fault('POST', wire.reply(403, {'code': 'quota_limit_reached', 'reason': 'Quota reached'}))
    result, failed = run(civo_snapshot_restore, new())
    assert failed and result['changed'] is False
    assert 'HTTP 403 (quota_limit_reached): Quota reached' in result['msg']
    assert token not in json.dumps(result)


@pytest.mark.parametrize('args, instance_id', [(new(), 'i-new'), (in_place(), 'i-web-1')], ids=['new', 'in-place'])
def test_a_restore_whose_answer_was_lost_is_found_and_never_sent_twice(civo_restore, run, wire, args, instance_id):
    wire.fault('POST', requests.exceptions.ReadTimeout('slow'), carried_out=True)
    result, failed = run(civo_snapshot_restore, args)
    assert not failed and result['changed'] is True
    assert civo_restore.mutations() == [('POST', SNAPSHOTS + '/s-1/restore')]
    assert result['restore']['from_snapshot'] == 's-1' and result['instance']['id'] == instance_id
    assert result['instance']['status'] == 'ACTIVE' and len(result['retried_requests']['lost_answers']) == 1


def test_a_timeout_reports_the_change_and_the_next_run_resumes(civo_restore, run):
    civo_restore.busy_polls = 1000
    result, failed = run(civo_snapshot_restore, in_place(wait_timeout=5))
    assert failed and result['changed'] is True
    assert result['restore']['id'] == 'restore-1' and 'run the task again to resume waiting' in result['msg']
    civo_restore.busy_polls = 0
    civo_restore.instances['i-web-1']['_busy'] = 2
    result, failed = run(civo_snapshot_restore, in_place())
    assert not failed and result['changed'] is False and result['instance']['status'] == 'ACTIVE'
    assert len(civo_restore.mutations()) == 1


def test_a_broken_restored_instance_fails_at_once(civo_restore, run):
    civo_restore.busy_polls = 1000
    civo_restore.request_restore = civo_restore.restore
    civo_restore.restore = lambda instance, snapshot, body: dict(
        civo_restore.request_restore(instance, snapshot, body), _=civo_restore.instances['i-new'].update(status='ERROR')
    )
    result, failed = run(civo_snapshot_restore, new())
    assert failed and result['changed'] is True and 'ERROR' in result['msg']


def test_snapshot_api_account_is_refused_before_any_request(civo_restore, run):
    result, failed = run(civo_snapshot_restore, in_place(snapshot_api='account'))
    assert failed and 'snapshot_api=account: this module speaks only the per-instance API' in result['msg']
    assert civo_restore.calls == []
