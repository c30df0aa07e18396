# -*- coding: utf-8 -*-
# Copyright: (c) 2026, civo.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""civo_snapshot on both snapshot APIs: what it sends, in which order, and what it reports (against the in-memory
regions of conftest.py, through the real client)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

import pytest
import requests

from ansible_collections.civo.cloud.plugins.modules import civo_snapshot


LIST = ('GET', '/v2/instances/i-web-1/snapshots')
POST = ('POST', '/v2/instances/i-web-1/snapshots')


def present(**args):
    """A snapshot on the account API (snapshot_api=account, the default)."""
    return dict(dict(name='snap', instance_id='i-web-1'), **args)


def on_instance_api(**args):
    """A snapshot on the per-instance API (snapshot_api=instance)."""
    return dict(dict(snapshot_api='instance', name='snap', instance_id='i-web-1'), **args)


def by_id(snapshot):
    return '/v2/instances/i-web-1/snapshots/%s' % snapshot['id']


# snapshot_api=account


def test_creates_and_waits_until_complete(civo, run):
    result, failed = run(civo_snapshot, present())
    assert not failed and result['changed'] is True
    assert result['snapshot']['status'] == 'complete' and result['snapshot']['instance_id'] == 'i-web-1'
    assert civo.mutations() == [('PUT', '/v2/snapshots/snap')]
    assert result['diff'] == {
        'before': {},
        'after': result['snapshot'],
        'before_header': "snapshot 'snap'",
        'after_header': "snapshot 'snap'",
    }


def test_second_identical_run_changes_nothing_with_one_request(civo, run):
    run(civo_snapshot, present())
    del civo.calls[:]
    result, failed = run(civo_snapshot, present())
    assert not failed and result['changed'] is False
    assert civo.calls == [('GET', '/v2/snapshots')]


def test_check_mode_predicts_without_mutating(civo, run):
    result, failed = run(civo_snapshot, present(safe=True), check_mode=True)
    assert not failed and result['changed'] is True
    assert civo.mutations() == []
    predicted = result['snapshot']
    assert (predicted['name'], predicted['instance_id'], predicted['safe'], predicted['status']) == (
        'snap',
        'i-web-1',
        True,
        'new',
    )


def test_check_mode_reports_no_change_when_present(civo, run):
    civo.add('snap')
    result, dummy = run(civo_snapshot, present(), check_mode=True)
    assert result['changed'] is False and civo.mutations() == []


@pytest.mark.parametrize(
    'args, reason',
    [
        (dict(instance_id='i-web-2'), 'instance'),
        (dict(cron_timing='0 3 * * *'), 'cron'),
        (dict(force=True), 'force'),
    ],
)
def test_differences_and_force_retake(civo, run, args, reason):
    before = civo.add('snap')
    result, failed = run(civo_snapshot, present(**args))
    assert not failed and result['changed'] is True, reason
    assert civo.mutations() == [('PUT', '/v2/snapshots/snap')]
    assert result['diff']['before']['id'] == before['id']


def test_a_different_cron_timing_warns_which_snapshot_it_overwrites(civo, run):
    civo.add('snap')
    result, failed = run(civo_snapshot, present(cron_timing='0 3 * * *'))
    assert not failed and result['changed'] is True
    assert result['warnings'] == [
        "Snapshot 'snap' (complete) is replaced by one scheduled '0 3 * * *', because cron_timing "
        'differs (it was a one-off snapshot).'
    ]


@pytest.mark.parametrize('check_mode', [False, True])
def test_safe_alone_never_replaces_a_complete_snapshot_it_warns(civo, run, check_mode):
    civo.add('snap', safe=False)
    result, failed = run(civo_snapshot, present(safe=True), check_mode=check_mode)
    assert not failed and result['changed'] is False and civo.mutations() == []
    assert result['snapshot']['safe'] is False and len(result['warnings']) == 1
    assert "was taken with safe=false; it is kept as it is" in result['warnings'][0]
    assert 'set force: true' in result['warnings'][0]


def test_safe_with_force_takes_it_again_with_the_new_value(civo, run):
    civo.add('snap', safe=False)
    result, failed = run(civo_snapshot, present(safe=True, force=True))
    assert not failed and result['changed'] is True and result['snapshot']['safe'] is True
    assert civo.mutations() == [('PUT', '/v2/snapshots/snap')]


@pytest.mark.parametrize('safe, scheduled', [(True, None), (False, '0 3 * * *')])
def test_settings_not_given_are_carried_over_when_taken_again(civo, run, safe, scheduled):
    civo.add('snap', safe=safe, cron_timing=scheduled, status='failed')
    result, failed = run(civo_snapshot, present(wait=False))
    assert not failed and result['changed'] is True
    assert (result['snapshot']['safe'], result['snapshot']['cron_timing']) == (safe, scheduled)


def test_max_age_does_not_apply_to_a_scheduled_snapshot(civo, run):
    civo.add('snap', cron_timing='0 3 * * *', age=10 * 86400)
    result, failed = run(civo_snapshot, present(max_age='1d'))
    assert not failed and result['changed'] is False and civo.mutations() == []


def test_max_age_retakes_only_an_old_snapshot(civo, run):
    civo.add('snap', age=3 * 3600)
    result, dummy = run(civo_snapshot, present(max_age='4h'))
    assert result['changed'] is False and civo.mutations() == []
    result, dummy = run(civo_snapshot, present(max_age='2h'))
    assert result['changed'] is True and civo.mutations() == [('PUT', '/v2/snapshots/snap')]


def test_max_age_compares_this_snapshots_own_requested_at(civo, run):
    civo.add('other', age=10)
    civo.add('snap', age=7200)
    result, dummy = run(civo_snapshot, present(max_age='1h'))
    assert result['changed'] is True


def test_a_snapshot_being_taken_is_waited_for_not_retaken(civo, run):
    civo.add('snap', status='in-progress', age=5)
    result, failed = run(civo_snapshot, present())
    assert not failed and result['changed'] is False
    assert result['snapshot']['status'] == 'complete' and civo.mutations() == []


def test_wait_false_returns_the_new_snapshot_at_once(civo, run):
    result, dummy = run(civo_snapshot, present(wait=False))
    assert result['changed'] is True and result['snapshot']['status'] == 'new'
    assert civo.calls == [('GET', '/v2/snapshots'), ('PUT', '/v2/snapshots/snap')]


def test_scheduled_snapshot_is_never_waited_for(civo, run):
    result, dummy = run(civo_snapshot, present(cron_timing='0 3 * * 0'))
    assert result['snapshot']['status'] == 'new' and result['snapshot']['cron_timing'] == '0 3 * * 0'
    assert [call for call in civo.calls if call[0] == 'GET'] == [('GET', '/v2/snapshots')]


def test_a_failed_retake_on_the_account_api_says_the_previous_snapshot_was_overwritten(civo, run):
    civo.add('snap')
    civo.final_status = 'failed'
    result, failed = run(civo_snapshot, present(force=True))
    assert failed and result['changed'] is True and result['snapshot']['status'] == 'failed'
    assert result['msg'].endswith(
        "The previous snapshot 'snap' was overwritten when the re-take started (with "
        'snapshot_api=account the API replaces a snapshot of the same name at once), so no complete snapshot of this '
        'name exists now.'
    )


def test_a_failed_snapshot_fails_the_task_with_the_snapshot(civo, run):
    civo.final_status = 'failed'
    result, failed = run(civo_snapshot, present())
    assert failed and result['changed'] is True
    assert result['snapshot']['status'] == 'failed'
    assert (
        result['msg']
        == "Snapshot 'snap' (%s) of instance i-web-1 ended in state 'failed' instead of complete."
        % (result['snapshot']['id'])
    )


def test_an_existing_failed_snapshot_is_taken_again(civo, run):
    civo.add('snap', status='failed')
    result, failed = run(civo_snapshot, present())
    assert not failed and result['changed'] is True and result['snapshot']['status'] == 'complete'


@pytest.mark.parametrize('check_mode', [False, True])
def test_with_retake_failed_false_an_existing_failed_snapshot_is_reported_not_taken_again(civo, run, check_mode):
    civo.add('snap', status='failed')
    result, failed = run(civo_snapshot, present(retake_failed=False), check_mode=check_mode)
    assert failed and result['changed'] is False and civo.mutations() == []
    assert result['snapshot']['status'] == 'failed' and result['snapshot']['name'] == 'snap'
    assert (
        result['msg']
        == "Snapshot 'snap' of instance i-web-1 has status 'failed'; it was not taken again (retake_failed=false)."
    )


def test_with_retake_failed_false_force_still_takes_it_again(civo, run):
    civo.add('snap', status='failed')
    result, failed = run(civo_snapshot, present(retake_failed=False, force=True))
    assert not failed and result['snapshot']['status'] == 'complete'
    assert civo.mutations() == [('PUT', '/v2/snapshots/snap')]


def test_with_retake_failed_false_a_complete_snapshot_is_kept_as_before(civo, run):
    civo.add('snap', status='complete')
    result, failed = run(civo_snapshot, present(retake_failed=False))
    assert not failed and result['changed'] is False and civo.mutations() == []


def test_timeout_reports_changed_and_the_snapshot_and_a_rerun_resumes(civo, run, monkeypatch):
    civo.polls_to_complete = 10**6
    result, failed = run(civo_snapshot, present(wait_timeout=1))
    assert failed and result['changed'] is True
    assert result['snapshot']['name'] == 'snap' and 'run the task again to resume waiting' in result['msg']
    civo.polls_to_complete = 0
    del civo.calls[:]
    result, failed = run(civo_snapshot, present())
    assert not failed and result['changed'] is False and civo.mutations() == []


def test_instance_by_hostname(civo, run):
    result, failed = run(civo_snapshot, dict(name='snap', instance='web-2', wait=False))
    assert not failed and result['snapshot']['instance_id'] == 'i-web-2' and result['snapshot']['hostname'] == 'web-2'


@pytest.mark.parametrize(
    'hostname, message', [('nope', "No instance with hostname 'nope'"), ('twin', "Hostname 'twin' is ambiguous")]
)
def test_unknown_or_ambiguous_hostname_fails_before_any_change(civo, run, hostname, message):
    result, failed = run(civo_snapshot, dict(name='snap', instance=hostname))
    assert failed and message in result['msg'] and civo.mutations() == []


def test_absent_deletes_then_reports_no_change(civo, run):
    before = civo.add('snap')
    result, failed = run(civo_snapshot, dict(name='snap', state='absent'))
    assert not failed and result['changed'] is True and result['snapshot'] == {}
    assert result['diff']['before']['id'] == before['id'] and result['diff']['after'] == {}
    assert civo.mutations() == [('DELETE', '/v2/snapshots/snap')]
    result, failed = run(civo_snapshot, dict(name='snap', state='absent'))
    assert not failed and result['changed'] is False


def test_absent_in_check_mode_sends_no_delete(civo, run):
    civo.add('snap')
    result, dummy = run(civo_snapshot, dict(name='snap', state='absent'), check_mode=True)
    assert result['changed'] is True and civo.mutations() == [] and 'snap' in civo.snapshots


def test_api_errors_carry_status_and_code(civo, run):
    result, failed = run(civo_snapshot, present(instance_id='i-gone'))
    assert failed and result['changed'] is False and result['api_error']['status'] == 404
    assert result['msg'] == (
        'Civo API request PUT /v2/snapshots/snap failed with HTTP 404 (database_snapshot_create_instance_not_found): '
        'The instance was not found'
    )


@pytest.mark.parametrize(
    'args, message',
    [
        (dict(name=''), 'name must not be empty'),
        (dict(name='a/b'), "may only contain letters"),
        (dict(name='bad\nname'), "may only contain letters"),
        (dict(name='x' * 101), 'at most 100'),
        (dict(cron_timing='0 3 * *'), 'must have 5 fields'),
        (dict(cron_timing='61 3 * * *'), 'minute field'),
        (dict(wait_timeout=0), 'wait_timeout must be a positive'),
        (dict(max_age='soon'), "max_age 'soon' is not a duration"),
        (dict(max_age='0h'), "is not a duration"),
        (dict(instance_id=None), 'state=present needs the instance to snapshot'),
        (dict(instance='web-1'), 'mutually exclusive'),
        (dict(max_age='1h', cron_timing='0 3 * * *'), 'mutually exclusive'),
        (dict(state='gone'), 'value of state must be one of'),
    ],
)
def test_bad_input_fails_before_any_request(civo, run, args, message):
    result, failed = run(civo_snapshot, present(**args))
    assert failed and message in result['msg']
    assert civo.calls == []


def test_the_token_is_not_in_any_result(civo, run, token):
    for args in (present(), present(instance_id='i-gone'), dict(name='snap', state='absent')):
        result, dummy = run(civo_snapshot, args)
        assert token not in json.dumps(result)


# snapshot_api=instance


def test_creates_with_name_and_description_and_waits(civo_instance, run):
    result, failed = run(civo_snapshot, on_instance_api(description='before upgrade'))
    assert not failed and result['changed'] is True
    snapshot = result['snapshot']
    assert civo_instance.calls[:2] == [LIST, POST]
    assert civo_instance.bodies[1] == {'name': 'snap', 'description': 'before upgrade'}
    assert civo_instance.mutations() == [POST]
    assert (snapshot['status'], snapshot['api_status'], snapshot['description']) == (
        'complete',
        'completed',
        'before upgrade',
    )
    assert snapshot['requested_at'] == snapshot['created_at'] and snapshot['instance_id'] == 'i-web-1'
    assert snapshot['included_volumes'] == ['v-1'] and snapshot['volumes'] == [{'id': 'v-1', 'state': 'completed'}]
    assert result['diff']['before'] == {} and result['diff']['after_header'] == "snapshot 'snap' of instance i-web-1"


def test_second_identical_run_is_one_request_and_no_change(civo_instance, run):
    run(civo_snapshot, on_instance_api())
    del civo_instance.calls[:]
    result, failed = run(civo_snapshot, on_instance_api())
    assert not failed and result['changed'] is False
    assert civo_instance.calls == [LIST]


def test_by_hostname_a_no_op_is_two_requests(civo_instance, run):
    civo_instance.add('snap')
    result, failed = run(civo_snapshot, dict(snapshot_api='instance', name='snap', instance='web-1'))
    assert not failed and result['changed'] is False and result['snapshot']['hostname'] == 'web-1'
    assert civo_instance.calls == [('GET', '/v2/instances'), LIST]


def test_only_description_differs_updates_in_place(civo_instance, run):
    old = civo_instance.add('snap', description='old words')
    result, failed = run(civo_snapshot, on_instance_api(description='new words'))
    assert not failed and result['changed'] is True
    assert civo_instance.mutations() == [('PUT', by_id(old))]
    assert civo_instance.bodies[-1] == {'description': 'new words'}
    assert result['snapshot']['id'] == old['id'] and result['snapshot']['description'] == 'new words'
    assert result['diff']['before']['description'] == 'old words'


@pytest.mark.parametrize('args', [dict(force=True), dict(max_age='30s')])
def test_replacement_deletes_the_old_one_only_after_the_new_one_is_complete(civo_instance, run, args):
    old = civo_instance.add('snap', age=120, description='kept words')
    result, failed = run(civo_snapshot, on_instance_api(**args))
    assert not failed and result['changed'] is True
    new = result['snapshot']
    assert new['id'] != old['id'] and new['status'] == 'complete' and new['description'] == 'kept words'
    calls = civo_instance.calls
    last_poll = max(index for index, call in enumerate(calls) if call == ('GET', by_id(new)))
    assert calls.index(POST) < last_poll < calls.index(('DELETE', by_id(old)))
    assert [s['id'] for s in civo_instance.snapshots] == [new['id']]


def test_a_retake_whose_answer_was_lost_finds_the_new_snapshot_not_the_old_one(civo_instance, run, wire):
    old = civo_instance.add('snap', description='kept words')
    wire.fault('POST', requests.exceptions.ReadTimeout('slow'), carried_out=True)
    result, failed = run(civo_snapshot, on_instance_api(force=True))
    assert not failed and result['changed'] is True
    new = result['snapshot']
    assert civo_instance.mutations() == [POST, ('DELETE', by_id(old))]
    assert new['id'] != old['id'] and new['status'] == 'complete'
    assert [s['id'] for s in civo_instance.snapshots] == [new['id']]
    assert new['id'] in result['retried_requests']['lost_answers'][0]


def test_a_retake_whose_post_never_arrived_is_sent_again_and_the_old_snapshot_is_never_taken_for_the_new(
    civo_instance, run, wire
):
    old = civo_instance.add('snap')
    wire.fault('POST', wire.reply(502, text='Bad Gateway'))  # nothing created: the look finds only the old snapshot
    result, failed = run(civo_snapshot, on_instance_api(force=True))
    assert not failed and result['changed'] is True
    new = result['snapshot']
    assert new['id'] != old['id'] and [s['id'] for s in civo_instance.snapshots] == [new['id']]
    assert civo_instance.mutations() == [POST, ('DELETE', by_id(old))]
    assert result['retried_requests']['count'] == 1 and 'lost_answers' not in result['retried_requests']


def test_a_second_snapshot_of_one_name_refused_keeps_the_old_one(civo_instance, run):
    civo_instance.unique_names = True
    old = civo_instance.add('snap')
    result, failed = run(civo_snapshot, on_instance_api(force=True))
    assert failed and result['changed'] is False
    assert 'refused a second snapshot' in result['msg'] and old['id'] in result['msg'] and 'HTTP 409' in result['msg']
    assert result['api_error']['code'] == 'database_snapshot_name_taken'
    assert [s['id'] for s in civo_instance.snapshots] == [old['id']]


def test_new_snapshot_failing_keeps_the_old_one(civo_instance, run):
    old = civo_instance.add('snap')
    civo_instance.failing_instances.add('i-web-1')
    result, failed = run(civo_snapshot, on_instance_api(force=True))
    assert failed and result['changed'] is True
    assert result['snapshot']['status'] == 'failed' and "'failed'" in result['msg']
    assert result['msg'].endswith(" The previous snapshot 'snap' (%s) of instance i-web-1 was kept." % old['id'])
    assert old in civo_instance.snapshots and not [call for call in civo_instance.calls if call[0] == 'DELETE']


def test_failed_snapshots_of_the_name_go_as_soon_as_the_new_one_is_requested(civo_instance, run, monkeypatch):
    good = civo_instance.add('snap', age=7200)
    bad = civo_instance.add('snap', age=60)
    spoken = civo_instance.word
    monkeypatch.setattr(civo_instance, 'word', lambda snapshot: 'failed' if snapshot is bad else spoken(snapshot))
    result, failed = run(civo_snapshot, on_instance_api())
    assert not failed and result['changed'] is True
    new = result['snapshot']
    assert civo_instance.mutations() == [POST, ('DELETE', by_id(bad)), ('DELETE', by_id(good))]
    assert civo_instance.calls.index(('DELETE', by_id(bad))) < civo_instance.calls.index(('GET', by_id(new)))
    assert [s['id'] for s in civo_instance.snapshots] == [new['id']]


def test_a_failed_retake_with_no_complete_snapshot_of_the_name_says_so(civo_instance, run, monkeypatch):
    old = civo_instance.add('snap')
    monkeypatch.setattr(civo_instance, 'word', lambda snapshot: 'failed')
    result, failed = run(civo_snapshot, on_instance_api())
    assert failed and result['changed'] is True and old not in civo_instance.snapshots
    assert result['msg'].endswith("instead of complete. No complete snapshot of this name exists.")


def test_without_waiting_the_old_one_stays_until_a_later_run_sees_the_new_one_complete(civo_instance, run):
    old = civo_instance.add('snap', age=120)
    result, failed = run(civo_snapshot, on_instance_api(max_age='30s', wait=False))
    assert not failed and result['changed'] is True and result['snapshot']['status'] == 'new'
    assert 'is kept until the new one' in result['warnings'][0]
    assert len(civo_instance.snapshots) == 2
    again, failed = run(civo_snapshot, on_instance_api(max_age='30s', wait=False))
    assert not failed and again['changed'] is False and len(civo_instance.snapshots) == 2
    waited, failed = run(civo_snapshot, on_instance_api(max_age='30s'))
    assert not failed and waited['changed'] is True and waited['snapshot']['id'] == result['snapshot']['id']
    assert [s['id'] for s in civo_instance.snapshots] == [
        result['snapshot']['id']
    ] and old not in civo_instance.snapshots


def test_check_mode_predicts_what_is_known_and_sends_nothing(civo_instance, run):
    result, failed = run(
        civo_snapshot, dict(snapshot_api='instance', name='snap', instance='web-1', description='d'), check_mode=True
    )
    assert not failed and result['changed'] is True and civo_instance.mutations() == []
    predicted = result['snapshot']
    assert (predicted['instance_id'], predicted['hostname'], predicted['region']) == ('i-web-1', 'web-1', 'LON1')
    assert (predicted['status'], predicted['id'], predicted['created_at'], predicted['description']) == (
        'new',
        None,
        None,
        'd',
    )


def test_check_mode_replacement_deletes_nothing(civo_instance, run):
    civo_instance.add('snap')
    result, failed = run(civo_snapshot, on_instance_api(force=True), check_mode=True)
    assert not failed and result['changed'] is True and civo_instance.mutations() == []


def test_absent_deletes_by_id_and_confirms_gone(civo_instance, run):
    old = civo_instance.add('snap')
    result, failed = run(civo_snapshot, on_instance_api(state='absent'))
    assert not failed and result['changed'] is True and result['snapshot'] == {}
    assert civo_instance.calls == [LIST, ('DELETE', by_id(old)), ('GET', by_id(old))]
    again, failed = run(civo_snapshot, on_instance_api(state='absent'))
    assert not failed and again['changed'] is False


def test_absent_counts_a_snapshot_gone_meanwhile_as_deleted(civo_instance, run, monkeypatch):
    old = civo_instance.add('snap')
    answer = civo_instance.request

    def gone_before_delete(method, path, **kwargs):
        if method == 'DELETE':
            civo_instance.snapshots.remove(old)
        return answer(method, path, **kwargs)

    monkeypatch.setattr(civo_instance, 'request', gone_before_delete)
    result, failed = run(civo_snapshot, on_instance_api(state='absent'))
    assert not failed and result['changed'] is True


def test_absent_in_check_mode_sends_only_the_listing(civo_instance, run):
    civo_instance.add('snap')
    result, failed = run(civo_snapshot, on_instance_api(state='absent'), check_mode=True)
    assert not failed and result['changed'] is True and civo_instance.calls == [LIST]


@pytest.mark.parametrize(
    'args, words',
    [
        (dict(name='Snap'), 'RFC 1123'),
        (dict(name='snap.1'), 'RFC 1123'),
        (dict(name='-snap'), 'RFC 1123'),
        (dict(name='s' * 64), 'at most 63'),
        (dict(safe=True), 'safe=true needs snapshot_api=account'),
        (dict(cron_timing='0 3 * * *'), 'civo.cloud.civo_snapshot_schedule'),
        (dict(instance_id=None, state='absent'), 'needs the instance for every state'),
        (dict(max_age='soon'), 'is not a duration'),
    ],
)
def test_input_is_checked_before_any_request(civo_instance, run, args, words):
    result, failed = run(civo_snapshot, on_instance_api(**args))
    assert failed and words in result['msg'] and civo_instance.calls == []


def test_description_needs_the_instance_api(civo_instance, run):
    result, failed = run(civo_snapshot, dict(name='snap', instance_id='i-web-1', description='x'))
    assert failed and 'description needs snapshot_api=instance' in result['msg'] and civo_instance.calls == []


def test_a_region_without_the_api_says_so(civo_instance, run):
    civo_instance.current_api = False
    result, failed = run(civo_snapshot, on_instance_api())
    assert failed and 'does not offer' in result['msg'] and 'snapshot_api: account' in result['msg']
    assert result['api_error']['status'] == 404 and result['api_error']['code'] == 'not_found'
    assert civo_instance.calls == [LIST, ('GET', '/v2/instances/i-web-1')]


@pytest.mark.parametrize('current_api', [True, False])
def test_an_unknown_instance_is_told_apart(civo_instance, run, current_api):
    civo_instance.current_api = current_api
    result, failed = run(civo_snapshot, on_instance_api(instance_id='i-nope'))
    assert failed and "No instance with id 'i-nope'" in result['msg'] and 'does not offer' not in result['msg']
    assert result['api_error']['status'] == 404


@pytest.mark.parametrize('spelling', ['civogo', 'docs', 'available', 'ready'])
def test_every_spelling_of_the_states_is_understood(civo_instance, run, spelling):
    civo_instance.spelling = spelling
    civo_instance.gets_to_complete = 3
    result, failed = run(civo_snapshot, on_instance_api())
    assert not failed and result['snapshot']['status'] == 'complete'


@pytest.mark.parametrize('spelling', ['docs', 'available', 'ready'])
def test_a_failure_like_state_fails_at_once(civo_instance, run, spelling):
    civo_instance.spelling = spelling
    civo_instance.failing_instances.add('i-web-1')
    civo_instance.gets_to_complete = 0  # the first poll already sees the failure
    result, failed = run(civo_snapshot, on_instance_api())
    assert failed and result['snapshot']['status'] == 'failed'
    assert len([call for call in civo_instance.calls if call[0] == 'GET']) == 2  # the listing and one poll


def test_an_unknown_state_counts_as_not_done_until_the_timeout(civo_instance, run, monkeypatch):
    civo_instance.gets_to_complete = 10**6
    monkeypatch.setattr(civo_instance, 'word', lambda snapshot: 'Snapshotting-Phase-7')
    result, failed = run(civo_snapshot, on_instance_api(wait_timeout=30))
    assert (
        failed and 'Timed out after 30s' in result['msg'] and result['snapshot']['api_status'] == 'Snapshotting-Phase-7'
    )
    assert result['snapshot']['status'] == 'in-progress'


def test_a_failed_newest_snapshot_is_taken_again(civo_instance, run, monkeypatch):
    old = civo_instance.add('snap')
    spoken = civo_instance.word
    monkeypatch.setattr(civo_instance, 'word', lambda snapshot: 'failed' if snapshot is old else spoken(snapshot))
    result, failed = run(civo_snapshot, on_instance_api())
    assert not failed and result['changed'] is True and result['snapshot']['id'] != old['id']
    assert result['diff']['before']['status'] == 'failed' and old not in civo_instance.snapshots


def test_with_retake_failed_false_a_failed_newest_snapshot_is_reported_not_taken_again(civo_instance, run, monkeypatch):
    old = civo_instance.add('snap')
    monkeypatch.setattr(civo_instance, 'word', lambda snapshot: 'failed')
    result, failed = run(civo_snapshot, on_instance_api(retake_failed=False))
    assert failed and result['changed'] is False
    assert civo_instance.mutations() == [] and old in civo_instance.snapshots
    assert result['snapshot']['id'] == old['id'] and result['snapshot']['status'] == 'failed'
    assert (
        "'snap' of instance i-web-1 has status 'failed'; it was not taken again (retake_failed=false)" in result['msg']
    )


def test_the_account_api_warns_whose_snapshot_it_replaces(civo, run):
    civo.add('snap', instance_id='i-web-2', hostname='web-2')
    result, failed = run(civo_snapshot, dict(name='snap', instance='web-1'))
    assert not failed and result['changed'] is True
    assert (
        len(result['warnings']) == 1
        and 'web-2 (i-web-2)' in result['warnings'][0]
        and 'web-1 (i-web-1)' in result['warnings'][0]
    )
    assert result['diff']['before_header'] == "snapshot 'snap'"


def test_the_account_api_check_mode_fills_region_and_hostname(civo, run):
    result, failed = run(civo_snapshot, dict(name='snap', instance='web-1'), check_mode=True)
    assert not failed and (result['snapshot']['region'], result['snapshot']['hostname']) == ('LON1', 'web-1')


def test_the_environment_chooses_the_api(civo_instance, run, monkeypatch):
    monkeypatch.setenv('CIVO_SNAPSHOT_API', 'instance')
    result, failed = run(civo_snapshot, dict(name='snap', instance_id='i-web-1', wait=False))
    assert not failed and civo_instance.mutations() == [POST]
