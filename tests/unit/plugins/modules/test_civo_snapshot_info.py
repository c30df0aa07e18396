# -*- coding: utf-8 -*-
# Copyright: (c) 2026, civo.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""civo_snapshot_info on both snapshot APIs: filtering, ordering, normalisation and the requests it sends (against the
in-memory regions of conftest.py, through the real client)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.civo.cloud.plugins.modules import civo_snapshot_info


def names(result):
    return [snapshot['name'] for snapshot in result['snapshots']]


# snapshot_api=account


@pytest.fixture
def account(civo):
    civo.add('web-1-a', instance_id='i-web-1', age=300)
    civo.add('web-1-b', instance_id='i-web-1', age=100, status='in-progress')
    civo.add('web-2-a', instance_id='i-web-2', age=200)
    civo.add('sched', instance_id='i-web-2', status='new', cron_timing='0 3 * * *', requested_at=None)
    civo.polls_to_complete = 10**6  # keep statuses as they are
    return civo


@pytest.mark.parametrize(
    'filters, expected',
    [
        ({}, ['web-1-b', 'web-2-a', 'web-1-a', 'sched']),
        ({'name': 'web-2-a'}, ['web-2-a']),
        ({'name': 'web-2'}, []),
        ({'name_prefix': 'web-1-'}, ['web-1-b', 'web-1-a']),
        ({'instance_id': 'i-web-2'}, ['web-2-a', 'sched']),
        ({'instance': 'web-1'}, ['web-1-b', 'web-1-a']),
        ({'status': 'complete'}, ['web-2-a', 'web-1-a']),
        ({'status': 'failed'}, []),
        ({'name_prefix': 'web-', 'instance': 'web-1', 'status': 'complete'}, ['web-1-a']),
        ({'instance_id': 'i-unknown'}, []),
    ],
)
def test_filters_combine_with_and_newest_first(account, run, filters, expected):
    result, failed = run(civo_snapshot_info, filters)
    assert not failed and result['changed'] is False
    assert names(result) == expected


def test_one_list_request_per_task_plus_lookup_for_a_hostname(account, run):
    run(civo_snapshot_info, {'name_prefix': 'web'})
    assert account.calls == [('GET', '/v2/snapshots')]
    del account.calls[:]
    run(civo_snapshot_info, {'instance': 'web-2'})
    assert account.calls == [('GET', '/v2/instances'), ('GET', '/v2/snapshots')]


def test_check_mode_lists_too(account, run):
    result, failed = run(civo_snapshot_info, {}, check_mode=True)
    assert not failed and len(result['snapshots']) == 4


def test_the_real_shape_is_normalised(civo, run):
    civo.snapshots['real'] = {
        'id': 'r',
        'name': 'real',
        'instance_id': 'i-web-1',
        'state': 'complete',
        'safe': 1,
        'requested_at': '2019-10-07T14:57:28.000+01:00',
        'completed_at': None,
    }
    result, dummy = run(civo_snapshot_info, {})
    snapshot = result['snapshots'][0]
    assert (snapshot['status'], snapshot['safe'], snapshot['requested_at']) == (
        'complete',
        True,
        '2019-10-07T13:57:28+00:00',
    )


@pytest.mark.parametrize(
    'filters, message',
    [
        ({'name': ''}, 'must not be empty strings: name'),
        ({'name_prefix': ' '}, 'name_prefix'),
        ({'instance': 'web-1', 'instance_id': 'i-web-1'}, 'mutually exclusive'),
        ({'status': 'done'}, 'value of status must be one of'),
        ({'instance': 'twin'}, 'ambiguous'),
    ],
)
def test_bad_filters_fail_clearly(account, run, filters, message):
    del account.calls[:]
    result, failed = run(civo_snapshot_info, filters)
    assert failed and message in result['msg']
    assert ('GET', '/v2/snapshots') not in account.calls


# snapshot_api=instance, and the age filters on both APIs


@pytest.fixture
def three(civo_instance):
    civo_instance.add('nightly-old', age=8 * 86400)
    civo_instance.add('nightly-new', age=3600)
    civo_instance.add('nightly-web-2', instance_id='i-web-2', age=60)
    return civo_instance


def test_one_instance_is_one_request(three, run):
    result, failed = run(civo_snapshot_info, dict(snapshot_api='instance', instance_id='i-web-1'))
    assert not failed and names(result) == ['nightly-new', 'nightly-old']
    assert three.calls == [('GET', '/v2/instances/i-web-1/snapshots')]


def test_by_hostname_is_two_requests(three, run):
    result, failed = run(civo_snapshot_info, dict(snapshot_api='instance', instance='web-2'))
    assert not failed and names(result) == ['nightly-web-2']
    assert three.calls == [('GET', '/v2/instances'), ('GET', '/v2/instances/i-web-2/snapshots')]


def test_the_region_is_one_request_with_each_instance_id(three, run):
    result, failed = run(civo_snapshot_info, dict(snapshot_api='instance'))
    assert not failed and three.calls == [('GET', '/v2/resourcesnapshots')]
    assert names(result) == ['nightly-web-2', 'nightly-new', 'nightly-old']
    assert [snapshot['instance_id'] for snapshot in result['snapshots']] == ['i-web-2', 'i-web-1', 'i-web-1']
    assert result['snapshots'][0]['status'] == 'complete' and result['snapshots'][0]['api_status'] == 'completed'


@pytest.mark.parametrize(
    'filters, expected',
    [
        (dict(older_than='7d'), ['nightly-old']),
        (dict(newer_than='2h'), ['nightly-web-2', 'nightly-new']),
        (dict(older_than='30m', newer_than='7d'), ['nightly-new']),
        (dict(name='nightly-new'), ['nightly-new']),
        (dict(name_prefix='nightly-web'), ['nightly-web-2']),
        (dict(status='in-progress'), []),
        (dict(instance_id='i-web-2', status='complete'), ['nightly-web-2']),
    ],
)
def test_filters_work_on_the_instance_api(three, run, filters, expected):
    result, failed = run(civo_snapshot_info, dict(filters, snapshot_api='instance'))
    assert not failed and names(result) == expected


def test_every_snapshot_has_an_integer_age(three, run):
    result, dummy = run(civo_snapshot_info, dict(snapshot_api='instance', instance_id='i-web-1'))
    ages = [snapshot['age_seconds'] for snapshot in result['snapshots']]
    assert all(isinstance(age, int) for age in ages) and 3590 <= ages[0] <= 3700 and ages[1] >= 8 * 86400


def test_an_unknown_instance_matches_nothing(three, run):
    result, failed = run(civo_snapshot_info, dict(snapshot_api='instance', instance_id='i-nope'))
    assert not failed and result['snapshots'] == []


def test_a_region_without_the_api_says_so(three, run):
    three.current_api = False
    for args in (dict(), dict(instance_id='i-web-1')):
        result, failed = run(civo_snapshot_info, dict(args, snapshot_api='instance'))
        assert failed and 'does not offer' in result['msg'] and result['api_error']['status'] == 404


def test_age_filters_on_the_account_api(civo, run):
    civo.add('nightly-old', age=8 * 86400)
    civo.add('nightly-new', age=60)
    civo.add('scheduled', status='new', cron_timing='0 3 * * *', requested_at=None)
    result, failed = run(civo_snapshot_info, dict(older_than='7d'))
    assert not failed and names(result) == ['nightly-old'] and isinstance(result['snapshots'][0]['age_seconds'], int)
    result, dummy = run(civo_snapshot_info, dict(newer_than='1h'))
    assert names(result) == ['nightly-new']
    result, dummy = run(civo_snapshot_info, dict())
    assert [snapshot['age_seconds'] is None for snapshot in result['snapshots']] == [False, False, True]


def test_a_malformed_age_is_refused_before_any_request(civo, run):
    result, failed = run(civo_snapshot_info, dict(older_than='a week', newer_than='0s'))
    assert failed and "older_than 'a week'" in result['msg'] and "newer_than '0s'" in result['msg'] and civo.calls == []
