# -*- coding: utf-8 -*-
# Copyright: (c) 2026, civo.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Decision logic of civo_snapshot: what it sends, what it reports, with the transport mocked."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

import pytest

from ansible_collections.civo.cloud.plugins.modules import civo_snapshot

from .conftest import TOKEN


def present(**args):
    return dict(dict(name='snap', instance_id='i-web-1'), **args)


def test_creates_and_waits_until_complete(civo, run):
    result, failed = run(civo_snapshot, present())
    assert not failed and result['changed'] is True
    assert result['snapshot']['status'] == 'complete' and result['snapshot']['instance_id'] == 'i-web-1'
    assert civo.mutations() == [('PUT', '/v2/snapshots/snap')]
    assert result['diff'] == {'before': {}, 'after': result['snapshot'],
                              'before_header': "snapshot 'snap'", 'after_header': "snapshot 'snap'"}


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
    assert (predicted['name'], predicted['instance_id'], predicted['safe'], predicted['status']) == ('snap', 'i-web-1', True, 'new')


def test_check_mode_reports_no_change_when_present(civo, run):
    civo.add('snap')
    result, dummy = run(civo_snapshot, present(), check_mode=True)
    assert result['changed'] is False and civo.mutations() == []


@pytest.mark.parametrize('args, reason', [
    (dict(instance_id='i-web-2'), 'instance'),
    (dict(safe=True), 'safe'),
    (dict(cron_timing='0 3 * * *'), 'cron'),
    (dict(force=True), 'force'),
])
def test_differences_and_force_retake(civo, run, args, reason):
    before = civo.add('snap')
    result, failed = run(civo_snapshot, present(**args))
    assert not failed and result['changed'] is True, reason
    assert civo.mutations() == [('PUT', '/v2/snapshots/snap')]
    assert result['diff']['before']['id'] == before['id']


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


def test_a_failed_snapshot_fails_the_task_with_the_snapshot(civo, run):
    civo.final_status = 'failed'
    result, failed = run(civo_snapshot, present())
    assert failed and result['changed'] is True
    assert result['snapshot']['status'] == 'failed' and "status 'failed'" in result['msg']


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
    assert result['msg'] == "Snapshot 'snap' of instance i-web-1 has status 'failed'; it was not taken again (retake_failed=false)."


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
    civo.polls_to_complete = 10 ** 6
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


@pytest.mark.parametrize('hostname, message', [('nope', "No instance with hostname 'nope'"), ('twin', "Hostname 'twin' is ambiguous")])
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
    assert result['msg'] == ('Civo API request PUT /v2/snapshots/snap failed with HTTP 404 '
                             '(database_snapshot_create_instance_not_found): The instance was not found')


@pytest.mark.parametrize('args, message', [
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
])
def test_bad_input_fails_before_any_request(civo, run, args, message):
    result, failed = run(civo_snapshot, present(**args))
    assert failed and message in result['msg']
    assert civo.calls == []


def test_the_token_is_not_in_any_result(civo, run):
    for args in (present(), present(instance_id='i-gone'), dict(name='snap', state='absent')):
        result, dummy = run(civo_snapshot, args)
        assert TOKEN not in json.dumps(result)
