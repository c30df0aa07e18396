# -*- coding: utf-8 -*-
# Copyright: (c) 2026, civo.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""civo_snapshot_backup on the account API (the in-memory region of conftest.py, through the real client, on the virtual
clock): what a run sends, and how its steps hand over to each other (the option the action plugin sets)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible.module_utils import basic

from ansible_collections.civo.cloud.plugins.modules import civo_snapshot_backup

INSTANCES = ['web-1', 'web-2']
OLD_BACKUPS = ['nightly-web-1-20200101T000000Z', 'nightly-web-2-20200101T000000Z']


@pytest.fixture(autouse=True)
def module_clock(monkeypatch, clock):
    """The module reads the same virtual clock as the wait (conftest.py's clock)."""
    monkeypatch.setattr(civo_snapshot_backup, 'time', clock)
    return clock


def backup(**args):
    return dict(dict(instances=INSTANCES, prefix='nightly', keep=1), **args)


def old_backups(civo):
    for name, instance_id in zip(OLD_BACKUPS, ('i-web-1', 'i-web-2')):
        civo.add(name, instance_id=instance_id, age=86400)


def kinds(calls):
    return [
        method + ' ' + ('/v2/snapshots/:name' if path.startswith('/v2/snapshots/') else path) for method, path in calls
    ]


def test_one_run_lists_once_starts_all_waits_with_one_listing_per_poll_and_rotates_from_the_last(civo, run, clock):
    old_backups(civo)
    result, failed = run(civo_snapshot_backup, backup())
    assert not failed and result['changed'] is True
    assert kinds(civo.calls) == [
        'GET /v2/instances',
        'PUT /v2/snapshots/:name',
        'PUT /v2/snapshots/:name',
        'GET /v2/snapshots',
        'GET /v2/snapshots',
        'DELETE /v2/snapshots/:name',
        'DELETE /v2/snapshots/:name',
    ]
    assert clock.slept == [1.0, 1.5]  # the collection's poll schedule, once for the fleet
    assert [item['status'] for item in result['taken']] == ['complete', 'complete']
    assert [item['hostname'] for item in result['taken']] == INSTANCES
    assert [item['name'] for item in result['deleted']] == OLD_BACKUPS
    assert result['counts'] == dict(taken=2, skipped=0, deleted=2, failed=0) and 'next_step' not in result


def test_a_step_hands_back_before_a_poll_it_has_no_time_for_and_the_next_goes_on_where_it_stopped(civo, run, clock):
    old_backups(civo)
    civo.polls_to_complete = 3
    first, failed = run(civo_snapshot_backup, backup(step=dict(seconds=5)))
    assert not failed and first['changed'] is True
    # Polls after 1, 2.5 and 4.75 s; the one at 8.125 s is after the step's 5 s.
    assert kinds(civo.calls) == (
        ['GET /v2/instances', 'PUT /v2/snapshots/:name', 'PUT /v2/snapshots/:name'] + ['GET /v2/snapshots'] * 3
    )
    progress = first['next_step']['progress']
    assert (progress['phase'], progress['started'], progress['pending'], progress['complete']) == ('wait', 2, 2, 0)
    assert first['deleted'] == [] and [item['status'] for item in first['taken']] == ['in-progress', 'in-progress']

    del civo.calls[:]
    clock.sleep(1.0)  # between two module runs
    second, failed = run(civo_snapshot_backup, backup(step=dict(seconds=5, state=first['next_step']['state'])))
    assert not failed and 'next_step' not in second
    # No second instance listing, no snapshot taken again: one poll on the schedule, then rotation from that listing.
    assert kinds(civo.calls) == ['GET /v2/snapshots', 'DELETE /v2/snapshots/:name', 'DELETE /v2/snapshots/:name']
    assert [item['name'] for item in second['taken']] == [item['name'] for item in first['taken']]
    assert second['counts'] == dict(taken=2, skipped=0, deleted=2, failed=0)


def test_starting_a_large_fleet_goes_on_in_the_next_step(civo, run, clock, monkeypatch):
    answer = civo.request

    def slow(method, path, **kwargs):
        clock.sleep(2.0 if method == 'PUT' else 0.0)  # each start takes 2 s (the rate limit's pacing, say)
        return answer(method, path, **kwargs)

    monkeypatch.setattr(civo, 'request', slow)
    first, failed = run(civo_snapshot_backup, backup(step=dict(seconds=3)))
    assert not failed and first['next_step']['progress']['phase'] == 'start'
    assert kinds(civo.calls) == ['GET /v2/instances', 'PUT /v2/snapshots/:name', 'PUT /v2/snapshots/:name']
    state = first['next_step']['state']
    assert sorted(state['snapshots']) == INSTANCES and state['phase'] == 'start'

    del civo.calls[:]
    second, failed = run(civo_snapshot_backup, backup(step=dict(seconds=60, state=state)))
    assert not failed and 'next_step' not in second
    assert 'PUT /v2/snapshots/:name' not in kinds(civo.calls)


def test_deleting_goes_on_in_the_next_step_and_deletes_each_snapshot_once(civo, run, clock, monkeypatch):
    old_backups(civo)
    answer = civo.request

    def slow(method, path, **kwargs):
        clock.sleep(4.0 if method == 'DELETE' else 0.0)
        return answer(method, path, **kwargs)

    monkeypatch.setattr(civo, 'request', slow)
    first, failed = run(civo_snapshot_backup, backup(step=dict(seconds=5)))
    assert not failed and first['next_step']['progress']['phase'] == 'rotate'
    assert [item['name'] for item in first['deleted']] == ['nightly-web-1-20200101T000000Z']

    del civo.calls[:]
    second, failed = run(civo_snapshot_backup, backup(step=dict(seconds=60, state=first['next_step']['state'])))
    assert not failed and civo.calls == [('DELETE', '/v2/snapshots/nightly-web-2-20200101T000000Z')]
    assert [item['name'] for item in second['deleted']] == OLD_BACKUPS


def test_nothing_to_do_within_min_interval_costs_two_requests_and_changes_nothing(civo, run):
    run(civo_snapshot_backup, backup())
    del civo.calls[:]
    result, failed = run(civo_snapshot_backup, backup(min_interval='1h'))
    assert not failed and result['changed'] is False
    assert civo.calls == [('GET', '/v2/instances'), ('GET', '/v2/snapshots')]
    assert [item['hostname'] for item in result['recent']] == INSTANCES and result['taken'] == []


def test_check_mode_predicts_from_two_reads(civo, run):
    old_backups(civo)
    result, failed = run(civo_snapshot_backup, backup(), check_mode=True)
    assert not failed and result['changed'] is True
    assert civo.calls == [('GET', '/v2/instances'), ('GET', '/v2/snapshots')]
    assert [item['status'] for item in result['taken']] == ['new', 'new']
    assert len(result['deleted']) == 2 and len(civo.snapshots) == 2


def test_a_failed_snapshot_is_reported_and_nothing_is_deleted(civo, run):
    old_backups(civo)
    civo.final_status = 'failed'
    result, failed = run(civo_snapshot_backup, backup())
    assert failed and result['changed'] is True
    assert result['msg'].startswith(
        'Not every snapshot of this run completed, so no snapshot was deleted. nightly-web-1-'
    )
    assert [failure['instance'] for failure in result['failures']] == INSTANCES
    assert [call for call in civo.calls if call[0] == 'DELETE'] == []


def test_an_unknown_instance_fails_before_any_snapshot_starts(civo, run):
    result, failed = run(civo_snapshot_backup, backup(instances=['web-1', 'web-9', 'twin']))
    assert failed and result['msg'].startswith("No snapshot was started. No instance with hostname 'web-9'")
    assert "Hostname 'twin' is ambiguous" in result['msg']
    assert civo.calls == [('GET', '/v2/instances')]


def test_the_deprecated_poll_interval_warns_and_does_nothing_else(civo, run, monkeypatch):
    deprecations = []
    monkeypatch.setattr(
        basic.AnsibleModule, 'deprecate', lambda self, msg, **kwargs: deprecations.append((msg, kwargs))
    )
    result, failed = run(civo_snapshot_backup, backup(poll_interval=10))
    assert not failed
    assert len(deprecations) == 1 and 'poll_interval' in deprecations[0][0]
    assert deprecations[0][1] == {'version': '1.0.0', 'collection_name': 'civo.cloud'}


def test_once_some_are_complete_the_last_is_looked_for_when_it_should_be_complete(civo, run, clock, monkeypatch):
    civo.polls_to_complete = 100  # nothing completes by itself: the test says which is complete when
    answer, polls, start = civo.request, [], clock.now

    def region(method, path, **kwargs):
        if method == 'PUT':
            clock.sleep(2.0)  # web-1 is started 2 s in, web-2 4 s in
        if method == 'GET' and path == '/v2/snapshots':
            polls.append(clock.now - start)
            names = sorted(civo.snapshots)
            if len(polls) == 1:
                civo.snapshots[names[0]]['status'] = 'complete'  # web-1, 2.5 s after its start
            if len(polls) == 3:
                civo.snapshots[names[1]]['status'] = 'complete'
        return answer(method, path, **kwargs)

    monkeypatch.setattr(civo, 'request', region)
    result, failed = run(civo_snapshot_backup, backup())
    assert not failed and result['counts']['taken'] == 2
    # The schedule from web-1's start: 4.5 s (the rest of its second interval, after the starts), then 6.75 s. web-1
    # took at most 2.5 s, so web-2 (started at 4 s) is looked for at 4 + 2.5 + 0.5 s, before the schedule's 10.125 s.
    assert polls == pytest.approx([4.5, 6.75, 7.0])


@pytest.mark.parametrize('interval', [4, 601])
def test_a_progress_interval_out_of_range_fails_before_any_request(civo, run, interval):
    result, failed = run(civo_snapshot_backup, backup(progress_interval=interval))
    assert failed and 'progress_interval must be from 5 to 600 seconds, got %d.' % interval in result['msg']
    assert civo.calls == []
