# -*- coding: utf-8 -*-
# Copyright: (c) 2026, civo.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""civo_snapshot with snapshot_api=instance: what it sends, in which order, and what it reports (transport mocked)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.civo.cloud.plugins.modules import civo_snapshot

LIST = ('GET', '/v2/instances/i-web-1/snapshots')
POST = ('POST', '/v2/instances/i-web-1/snapshots')


def present(**args):
    return dict(dict(snapshot_api='instance', name='snap', instance_id='i-web-1'), **args)


def by_id(snapshot):
    return '/v2/instances/i-web-1/snapshots/%s' % snapshot['id']


def test_creates_with_name_and_description_and_waits(civo_instance, run):
    result, failed = run(civo_snapshot, present(description='before upgrade'))
    assert not failed and result['changed'] is True
    snapshot = result['snapshot']
    assert civo_instance.calls[:2] == [LIST, POST]
    assert civo_instance.bodies[1] == {'name': 'snap', 'description': 'before upgrade'}
    assert civo_instance.mutations() == [POST]
    assert (snapshot['status'], snapshot['api_status'], snapshot['description']) == ('complete', 'completed', 'before upgrade')
    assert snapshot['requested_at'] == snapshot['created_at'] and snapshot['instance_id'] == 'i-web-1'
    assert snapshot['included_volumes'] == ['v-1'] and snapshot['volumes'] == [{'id': 'v-1', 'state': 'completed'}]
    assert result['diff']['before'] == {} and result['diff']['after_header'] == "snapshot 'snap' of instance i-web-1"


def test_second_identical_run_is_one_request_and_no_change(civo_instance, run):
    run(civo_snapshot, present())
    del civo_instance.calls[:]
    result, failed = run(civo_snapshot, present())
    assert not failed and result['changed'] is False
    assert civo_instance.calls == [LIST]


def test_by_hostname_a_no_op_is_two_requests(civo_instance, run):
    civo_instance.add('snap')
    result, failed = run(civo_snapshot, dict(snapshot_api='instance', name='snap', instance='web-1'))
    assert not failed and result['changed'] is False and result['snapshot']['hostname'] == 'web-1'
    assert civo_instance.calls == [('GET', '/v2/instances'), LIST]


def test_only_description_differs_updates_in_place(civo_instance, run):
    old = civo_instance.add('snap', description='old words')
    result, failed = run(civo_snapshot, present(description='new words'))
    assert not failed and result['changed'] is True
    assert civo_instance.mutations() == [('PUT', by_id(old))]
    assert civo_instance.bodies[-1] == {'description': 'new words'}
    assert result['snapshot']['id'] == old['id'] and result['snapshot']['description'] == 'new words'
    assert result['diff']['before']['description'] == 'old words'


@pytest.mark.parametrize('args', [dict(force=True), dict(max_age='30s')])
def test_replacement_deletes_the_old_one_only_after_the_new_one_is_complete(civo_instance, run, args):
    old = civo_instance.add('snap', age=120, description='kept words')
    result, failed = run(civo_snapshot, present(**args))
    assert not failed and result['changed'] is True
    new = result['snapshot']
    assert new['id'] != old['id'] and new['status'] == 'complete' and new['description'] == 'kept words'
    calls = civo_instance.calls
    last_poll = max(index for index, call in enumerate(calls) if call == ('GET', by_id(new)))
    assert calls.index(POST) < last_poll < calls.index(('DELETE', by_id(old)))
    assert [s['id'] for s in civo_instance.snapshots] == [new['id']]


def test_a_second_snapshot_of_one_name_refused_keeps_the_old_one(civo_instance, run):
    civo_instance.unique_names = True
    old = civo_instance.add('snap')
    result, failed = run(civo_snapshot, present(force=True))
    assert failed and result['changed'] is False
    assert 'refused a second snapshot' in result['msg'] and old['id'] in result['msg'] and 'HTTP 409' in result['msg']
    assert result['api_error']['code'] == 'database_snapshot_name_taken'
    assert [s['id'] for s in civo_instance.snapshots] == [old['id']]


def test_new_snapshot_failing_keeps_the_old_one(civo_instance, run):
    old = civo_instance.add('snap')
    civo_instance.failing_instances.add('i-web-1')
    result, failed = run(civo_snapshot, present(force=True))
    assert failed and result['changed'] is True
    assert result['snapshot']['status'] == 'failed' and "'failed'" in result['msg']
    assert 'was kept' in result['msg'] and old['id'] in result['msg']
    assert old in civo_instance.snapshots and not [call for call in civo_instance.calls if call[0] == 'DELETE']


def test_without_waiting_the_old_one_stays_until_a_later_run_sees_the_new_one_complete(civo_instance, run):
    old = civo_instance.add('snap', age=120)
    result, failed = run(civo_snapshot, present(max_age='30s', wait=False))
    assert not failed and result['changed'] is True and result['snapshot']['status'] == 'new'
    assert 'is kept until the new one' in result['warnings'][0]
    assert len(civo_instance.snapshots) == 2
    again, failed = run(civo_snapshot, present(max_age='30s', wait=False))
    assert not failed and again['changed'] is False and len(civo_instance.snapshots) == 2
    waited, failed = run(civo_snapshot, present(max_age='30s'))
    assert not failed and waited['changed'] is True and waited['snapshot']['id'] == result['snapshot']['id']
    assert [s['id'] for s in civo_instance.snapshots] == [result['snapshot']['id']] and old not in civo_instance.snapshots


def test_check_mode_predicts_what_is_known_and_sends_nothing(civo_instance, run):
    result, failed = run(civo_snapshot, dict(snapshot_api='instance', name='snap', instance='web-1', description='d'), check_mode=True)
    assert not failed and result['changed'] is True and civo_instance.mutations() == []
    predicted = result['snapshot']
    assert (predicted['instance_id'], predicted['hostname'], predicted['region']) == ('i-web-1', 'web-1', 'LON1')
    assert (predicted['status'], predicted['id'], predicted['created_at'], predicted['description']) == ('new', None, None, 'd')


def test_check_mode_replacement_deletes_nothing(civo_instance, run):
    civo_instance.add('snap')
    result, failed = run(civo_snapshot, present(force=True), check_mode=True)
    assert not failed and result['changed'] is True and civo_instance.mutations() == []


def test_absent_deletes_by_id_and_confirms_gone(civo_instance, run):
    old = civo_instance.add('snap')
    result, failed = run(civo_snapshot, present(state='absent'))
    assert not failed and result['changed'] is True and result['snapshot'] == {}
    assert civo_instance.calls == [LIST, ('DELETE', by_id(old)), ('GET', by_id(old))]
    again, failed = run(civo_snapshot, present(state='absent'))
    assert not failed and again['changed'] is False


def test_absent_counts_a_snapshot_gone_meanwhile_as_deleted(civo_instance, run, monkeypatch):
    old = civo_instance.add('snap')
    answer = civo_instance.request

    def gone_before_delete(method, path, params=None, data=None, json_body=None):
        if method == 'DELETE':
            civo_instance.snapshots.remove(old)
        return answer(method, path, params, data, json_body)
    monkeypatch.setattr(civo_instance, 'request', gone_before_delete)
    result, failed = run(civo_snapshot, present(state='absent'))
    assert not failed and result['changed'] is True


def test_absent_in_check_mode_sends_only_the_listing(civo_instance, run):
    civo_instance.add('snap')
    result, failed = run(civo_snapshot, present(state='absent'), check_mode=True)
    assert not failed and result['changed'] is True and civo_instance.calls == [LIST]


@pytest.mark.parametrize('args, words', [
    (dict(name='Snap'), 'RFC 1123'),
    (dict(name='snap.1'), 'RFC 1123'),
    (dict(name='-snap'), 'RFC 1123'),
    (dict(name='s' * 64), 'at most 63'),
    (dict(safe=True), 'safe=true needs snapshot_api=account'),
    (dict(cron_timing='0 3 * * *'), 'civo.cloud.civo_snapshot_schedule'),
    (dict(instance_id=None, state='absent'), 'needs the instance for every state'),
    (dict(max_age='soon'), 'is not a duration'),
])
def test_input_is_checked_before_any_request(civo_instance, run, args, words):
    result, failed = run(civo_snapshot, present(**args))
    assert failed and words in result['msg'] and civo_instance.calls == []


def test_description_needs_the_instance_api(civo_instance, run):
    result, failed = run(civo_snapshot, dict(name='snap', instance_id='i-web-1', description='x'))
    assert failed and 'description needs snapshot_api=instance' in result['msg'] and civo_instance.calls == []


def test_a_region_without_the_api_says_so(civo_instance, run):
    civo_instance.current_api = False
    result, failed = run(civo_snapshot, present())
    assert failed and 'does not offer' in result['msg'] and 'snapshot_api: account' in result['msg']
    assert result['api_error']['status'] == 404 and result['api_error']['code'] == 'not_found'
    assert civo_instance.calls == [LIST, ('GET', '/v2/instances/i-web-1')]


@pytest.mark.parametrize('current_api', [True, False])
def test_an_unknown_instance_is_told_apart(civo_instance, run, current_api):
    civo_instance.current_api = current_api
    result, failed = run(civo_snapshot, present(instance_id='i-nope'))
    assert failed and "No instance with id 'i-nope'" in result['msg'] and 'does not offer' not in result['msg']
    assert result['api_error']['status'] == 404


@pytest.mark.parametrize('spelling', ['civogo', 'docs', 'available', 'ready'])
def test_every_spelling_of_the_states_is_understood(civo_instance, run, spelling):
    civo_instance.spelling = spelling
    civo_instance.gets_to_complete = 3
    result, failed = run(civo_snapshot, present())
    assert not failed and result['snapshot']['status'] == 'complete'


@pytest.mark.parametrize('spelling', ['docs', 'available', 'ready'])
def test_a_failure_like_state_fails_at_once(civo_instance, run, spelling):
    civo_instance.spelling = spelling
    civo_instance.failing_instances.add('i-web-1')
    civo_instance.gets_to_complete = 0  # the first poll already sees the failure
    result, failed = run(civo_snapshot, present())
    assert failed and result['snapshot']['status'] == 'failed'
    assert len([call for call in civo_instance.calls if call[0] == 'GET']) == 2  # the listing and one poll


def test_an_unknown_state_counts_as_not_done_until_the_timeout(civo_instance, run, monkeypatch):
    civo_instance.gets_to_complete = 10 ** 6
    monkeypatch.setattr(civo_instance, 'word', lambda snapshot: 'Snapshotting-Phase-7')
    result, failed = run(civo_snapshot, present(wait_timeout=30))
    assert failed and 'Timed out after 30s' in result['msg'] and result['snapshot']['api_status'] == 'Snapshotting-Phase-7'
    assert result['snapshot']['status'] == 'in-progress'


def test_a_failed_newest_snapshot_is_taken_again(civo_instance, run, monkeypatch):
    old = civo_instance.add('snap')
    spoken = civo_instance.word
    monkeypatch.setattr(civo_instance, 'word', lambda snapshot: 'failed' if snapshot is old else spoken(snapshot))
    result, failed = run(civo_snapshot, present())
    assert not failed and result['changed'] is True and result['snapshot']['id'] != old['id']
    assert result['diff']['before']['status'] == 'failed' and old not in civo_instance.snapshots


def test_with_retake_failed_false_a_failed_newest_snapshot_is_reported_not_taken_again(civo_instance, run, monkeypatch):
    old = civo_instance.add('snap')
    monkeypatch.setattr(civo_instance, 'word', lambda snapshot: 'failed')
    result, failed = run(civo_snapshot, present(retake_failed=False))
    assert failed and result['changed'] is False
    assert civo_instance.mutations() == [] and old in civo_instance.snapshots
    assert result['snapshot']['id'] == old['id'] and result['snapshot']['status'] == 'failed'
    assert "'snap' of instance i-web-1 has status 'failed'; it was not taken again (retake_failed=false)" in result['msg']


def test_the_account_api_warns_whose_snapshot_it_replaces(civo, run):
    civo.add('snap', instance_id='i-web-2', hostname='web-2')
    result, failed = run(civo_snapshot, dict(name='snap', instance='web-1'))
    assert not failed and result['changed'] is True
    assert len(result['warnings']) == 1 and 'web-2 (i-web-2)' in result['warnings'][0] and 'web-1 (i-web-1)' in result['warnings'][0]
    assert result['diff']['before_header'] == "snapshot 'snap'"


def test_the_account_api_check_mode_fills_region_and_hostname(civo, run):
    result, failed = run(civo_snapshot, dict(name='snap', instance='web-1'), check_mode=True)
    assert not failed and (result['snapshot']['region'], result['snapshot']['hostname']) == ('LON1', 'web-1')


def test_the_environment_chooses_the_api(civo_instance, run, monkeypatch):
    monkeypatch.setenv('CIVO_SNAPSHOT_API', 'instance')
    result, failed = run(civo_snapshot, dict(name='snap', instance_id='i-web-1', wait=False))
    assert not failed and civo_instance.mutations() == [POST]
