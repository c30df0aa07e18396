# -*- coding: utf-8 -*-
# Copyright: (c) 2026, civo.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""civo_snapshot_schedule_info: one request, sorted by name, the name filter; against the in-memory schedule region."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.civo.cloud.plugins.modules import civo_snapshot_schedule_info

PATH = '/v2/resourcesnapshotschedules'


def test_info_lists_sorted_and_filters_by_name(civo_schedules, run):
    civo_schedules.add(name='weekly', cron='0 4 * * 0')
    civo_schedules.add(name='nightly', instance_ids=('i-web-1', 'i-web-2'))
    result, failed = run(civo_snapshot_schedule_info, {})
    assert not failed and result['changed'] is False
    assert [s['name'] for s in result['schedules']] == ['nightly', 'weekly']
    assert result['schedules'][0]['instances'] == ['i-web-1', 'i-web-2'] and '_raw' not in result['schedules'][0]
    result, dummy = run(civo_snapshot_schedule_info, dict(name='weekly'))
    assert [s['cron_expression'] for s in result['schedules']] == ['0 4 * * 0']
    result, dummy = run(civo_snapshot_schedule_info, dict(name='none'))
    assert result['schedules'] == []
    assert all(call[:2] == ('GET', PATH) for call in civo_schedules.calls)


def test_info_refuses_an_empty_name(civo_schedules, run):
    result, failed = run(civo_snapshot_schedule_info, dict(name=''))
    assert failed and civo_schedules.calls == []


def test_snapshot_api_account_is_refused_before_any_request_and_instance_is_accepted(civo_schedules, run):
    result, failed = run(civo_snapshot_schedule_info, dict(snapshot_api='account'))
    assert failed and 'snapshot_api=account' in result['msg'] and civo_schedules.calls == []
    result, failed = run(civo_snapshot_schedule_info, dict(snapshot_api='instance'))
    assert not failed and civo_schedules.calls == [('GET', PATH)]
