# -*- coding: utf-8 -*-
# Copyright: (c) 2026, civo.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Filtering, ordering and normalisation of civo_snapshot_info, with the transport mocked."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.civo.cloud.plugins.modules import civo_snapshot_info


@pytest.fixture
def account(civo):
    civo.add('web-1-a', instance_id='i-web-1', age=300)
    civo.add('web-1-b', instance_id='i-web-1', age=100, status='in-progress')
    civo.add('web-2-a', instance_id='i-web-2', age=200)
    civo.add('sched', instance_id='i-web-2', status='new', cron_timing='0 3 * * *', requested_at=None)
    civo.polls_to_complete = 10 ** 6  # keep statuses as they are
    return civo


def names(result):
    return [snapshot['name'] for snapshot in result['snapshots']]


@pytest.mark.parametrize('filters, expected', [
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
])
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
    civo.snapshots['real'] = {'id': 'r', 'name': 'real', 'instance_id': 'i-web-1', 'state': 'complete', 'safe': 1,
                              'requested_at': '2019-10-07T14:57:28.000+01:00', 'completed_at': None}
    result, dummy = run(civo_snapshot_info, {})
    snapshot = result['snapshots'][0]
    assert (snapshot['status'], snapshot['safe'], snapshot['requested_at']) == ('complete', True, '2019-10-07T13:57:28+00:00')


@pytest.mark.parametrize('filters, message', [
    ({'name': ''}, 'must not be empty strings: name'),
    ({'name_prefix': ' '}, 'name_prefix'),
    ({'instance': 'web-1', 'instance_id': 'i-web-1'}, 'mutually exclusive'),
    ({'status': 'done'}, 'value of status must be one of'),
    ({'instance': 'twin'}, 'ambiguous'),
])
def test_bad_filters_fail_clearly(account, run, filters, message):
    del account.calls[:]
    result, failed = run(civo_snapshot_info, filters)
    assert failed and message in result['msg']
    assert ('GET', '/v2/snapshots') not in account.calls
