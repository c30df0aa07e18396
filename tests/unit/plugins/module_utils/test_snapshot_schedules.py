# -*- coding: utf-8 -*-
# Copyright: (c) 2026, civo.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Schedule shapes and the schedule input rules (cron interval, max_snapshots)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.civo.cloud.plugins.module_utils.input_rules import cron_interval_problem, cron_problem, max_snapshots_problem
from ansible_collections.civo.cloud.plugins.module_utils.snapshot_schedules import (
    create_body, includes_volumes, normalise_schedule, schedule_list)

# civogo's snapshot_schedule_test.go create response, as quoted in current-api.md 1c.
CIVOGO_CREATE_RESPONSE = {
    "id": "schedule-123", "name": "daily-schedule", "description": "Daily snapshot schedule for instances",
    "cron_expression": "0 0 * * *", "paused": False,
    "retention": {"period": "48h", "max_snapshots": 7},
    "instances": [{"id": "instance-123", "size": "g3.small", "included_volumes": ["volume-1", "volume-2"]}],
    "status": {"state": "active", "last_snapshot": {"id": "", "name": "", "state": ""}},
    "created_at": "2025-04-01T09:11:14Z"}


def test_normalises_civogos_response():
    assert normalise_schedule(CIVOGO_CREATE_RESPONSE) == dict(
        id='schedule-123', name='daily-schedule', description='Daily snapshot schedule for instances', cron_expression='0 0 * * *',
        paused=False, max_snapshots=7, instances=['instance-123'], included_volumes=['volume-1', 'volume-2'], status='active',
        last_snapshot=None, created_at='2025-04-01T09:11:14+00:00')
    assert includes_volumes(CIVOGO_CREATE_RESPONSE) is True


@pytest.mark.parametrize('instances', [
    [{'id': 'i-1'}, {'id': 'i-2'}],
    [{'instance_id': 'i-1', 'include_volumes': False}, {'instance_id': 'i-2', 'include_volumes': False}],
    ['i-1', 'i-2'],
])
def test_instance_ids_are_a_plain_list_whatever_shape(instances):
    assert normalise_schedule(dict(instances=instances))['instances'] == ['i-1', 'i-2']


def test_other_variants_status_string_flat_retention_paused_text():
    schedule = normalise_schedule(dict(status='paused', max_snapshots='3', paused='true', description=None,
                                       last_snapshot=dict(id='s-1', name='n', state='Complete')))
    assert (schedule['status'], schedule['max_snapshots'], schedule['paused'], schedule['description']) == ('paused', 3, True, '')
    assert schedule['last_snapshot'] == dict(id='s-1', name='n', state='Complete')


@pytest.mark.parametrize('instances, expected', [
    ([{'id': 'i-1', 'included_volumes': []}], None),
    ([{'id': 'i-1', 'included_volumes': ['v']}], True),
    ([{'instance_id': 'i-1', 'include_volumes': False}], False),
    ([], None),
])
def test_includes_volumes_says_only_what_the_answer_shows(instances, expected):
    assert includes_volumes(dict(instances=instances)) is expected


def test_create_body_never_sends_retention_period():
    assert create_body('n', '', '0 3 * * *', 5, ['i-1'], True) == dict(
        name='n', cron_expression='0 3 * * *', retention=dict(max_snapshots=5), instances=[dict(instance_id='i-1', include_volumes=True)])


def test_schedule_list_reads_a_bare_array_or_a_page():
    assert schedule_list([{'id': 'a'}]) == [{'id': 'a'}]
    assert schedule_list({'items': [{'id': 'a'}], 'page': 1}) == [{'id': 'a'}]
    assert schedule_list(None) == []


@pytest.mark.parametrize('expression, gap', [
    ('*/5 * * * *', 5),
    ('* * * * *', 1),
    ('0,5 * * * *', 5),
    ('0,59 * * * *', 1),
    ('0,55 0,23 * * *', 5),            # 23:55 and 00:00 the next day
    ('0,55 0,23 1,2 * *', 5),          # 1st 23:55, 2nd 00:00
    ('0,55 0,23 31 1 1', 5),
    ('0,55 0,23 1 * *', 5),            # one day a month, but counted as the API does: day fields are not looked at
    ('0,55 0,23 * * 1', 5),
])
def test_cron_interval_rule_finds_the_closest_runs(expression, gap):
    assert cron_problem(expression, option='cron_expression') is None
    problem = cron_interval_problem(expression)
    assert problem and ('only %d minute' % gap) in problem and 'at least 10 minutes apart' in problem


@pytest.mark.parametrize('expression', [
    '*/10 * * * *', '0 3 * * *', '0 * * * *', '5/10 * * * *', '0-5/10 * * * *', '55 23 * * *',
    '0 3 * * 0,7', '0 0,12 * * *', '50 23 * * *',
])
def test_cron_interval_rule_allows_ten_minutes_and_more(expression):
    assert cron_problem(expression, option='cron_expression') is None
    assert cron_interval_problem(expression) is None


def test_cron_problem_names_the_option():
    assert cron_problem('bad', option='cron_expression').startswith("cron_expression 'bad'")
    assert cron_problem('bad').startswith("cron_timing 'bad'")


@pytest.mark.parametrize('value, ok', [(0, False), (1, True), (10, True), (11, False), (None, False), (-3, False)])
def test_max_snapshots_range(value, ok):
    assert (max_snapshots_problem(value) is None) is ok
