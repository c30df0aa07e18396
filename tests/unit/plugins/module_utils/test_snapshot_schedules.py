# -*- coding: utf-8 -*-
# Copyright: (c) 2026, civo.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""snapshot_schedules.py: the schedule shapes, the request bodies, the endpoints (through the real client on the
replaced wire) and how instances entries resolve."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest
import requests

from ansible_collections.civo.cloud.plugins.module_utils.errors import CivoAPIError, LookupFailed
from ansible_collections.civo.cloud.plugins.module_utils.instances import Instances
from ansible_collections.civo.cloud.plugins.module_utils.snapshot_schedules import (
    SCHEDULES_PATH,
    Schedules,
    create_body,
    find_by_name,
    includes_volumes,
    normalise_schedule,
    public,
    resolve_instances,
    schedule_list,
)

# civogo's snapshot_schedule_test.go create response, as quoted in current-api.md 1c.
CIVOGO_CREATE_RESPONSE = {
    "id": "schedule-123",
    "name": "daily-schedule",
    "description": "Daily snapshot schedule for instances",
    "cron_expression": "0 0 * * *",
    "paused": False,
    "retention": {"period": "48h", "max_snapshots": 7},
    "instances": [{"id": "instance-123", "size": "g3.small", "included_volumes": ["volume-1", "volume-2"]}],
    "status": {"state": "active", "last_snapshot": {"id": "", "name": "", "state": ""}},
    "created_at": "2025-04-01T09:11:14Z",
}
URL = 'https://api.civo.test' + SCHEDULES_PATH


# The shapes and bodies


def test_normalises_civogos_response():
    assert normalise_schedule(CIVOGO_CREATE_RESPONSE) == dict(
        id='schedule-123',
        name='daily-schedule',
        description='Daily snapshot schedule for instances',
        cron_expression='0 0 * * *',
        paused=False,
        max_snapshots=7,
        instances=['instance-123'],
        included_volumes=['volume-1', 'volume-2'],
        status='active',
        last_snapshot=None,
        created_at='2025-04-01T09:11:14+00:00',
    )
    assert includes_volumes(CIVOGO_CREATE_RESPONSE) is True


@pytest.mark.parametrize(
    'instances',
    [
        [{'id': 'i-1'}, {'id': 'i-2'}],
        [{'instance_id': 'i-1', 'include_volumes': False}, {'instance_id': 'i-2', 'include_volumes': False}],
        ['i-1', 'i-2'],
    ],
)
def test_instance_ids_are_a_plain_list_whatever_shape(instances):
    assert normalise_schedule(dict(instances=instances))['instances'] == ['i-1', 'i-2']


def test_other_variants_status_string_flat_retention_paused_text():
    schedule = normalise_schedule(
        dict(
            status='paused',
            max_snapshots='3',
            paused='true',
            description=None,
            last_snapshot=dict(id='s-1', name='n', state='Complete'),
        )
    )
    assert (schedule['status'], schedule['max_snapshots'], schedule['paused'], schedule['description']) == (
        'paused',
        3,
        True,
        '',
    )
    assert schedule['last_snapshot'] == dict(id='s-1', name='n', state='Complete')


@pytest.mark.parametrize(
    'instances, expected',
    [
        ([{'id': 'i-1', 'included_volumes': []}], None),
        ([{'id': 'i-1', 'included_volumes': ['v']}], True),
        ([{'instance_id': 'i-1', 'include_volumes': False}], False),
        ([], None),
    ],
)
def test_includes_volumes_says_only_what_the_answer_shows(instances, expected):
    assert includes_volumes(dict(instances=instances)) is expected


def test_create_body_never_sends_retention_period():
    assert create_body('n', '', '0 3 * * *', 5, ['i-1'], True) == dict(
        name='n',
        cron_expression='0 3 * * *',
        retention=dict(max_snapshots=5),
        instances=[dict(instance_id='i-1', include_volumes=True)],
    )
    assert create_body('n', 'd', '0 3 * * *', 5, ['i-1'], False)['description'] == 'd'


def test_schedule_list_reads_a_bare_array_or_a_page():
    assert schedule_list([{'id': 'a'}]) == [{'id': 'a'}]
    assert schedule_list({'items': [{'id': 'a'}], 'page': 1}) == [{'id': 'a'}]
    assert schedule_list(None) == []


def test_public_leaves_out_the_raw_answer():
    assert public(dict(id='s', _raw={'id': 's'})) == dict(id='s') and public(None) == {} and public({}) == {}


def test_find_by_name_is_the_one_schedule_of_that_name():
    schedules = [dict(id='s-1', name='a'), dict(id='s-2', name='b'), dict(id='s-3', name='b')]
    assert find_by_name(schedules, 'a')['id'] == 's-1' and find_by_name(schedules, 'c') is None
    with pytest.raises(LookupFailed, match=r"^2 snapshot schedules are named 'b' \(s-2, s-3\): delete the extra ones"):
        find_by_name(schedules, 'b')


# The endpoints


def test_list_update_and_delete(wire):
    schedules = Schedules(
        wire.client(
            wire.reply(200, {'items': [CIVOGO_CREATE_RESPONSE]}),
            wire.reply(200, CIVOGO_CREATE_RESPONSE),
            wire.reply(200, {}),
        )
    )
    listed = schedules.list()
    assert [s['id'] for s in listed] == ['schedule-123'] and listed[0]['_raw'] == CIVOGO_CREATE_RESPONSE
    assert schedules.update('schedule-123', {'paused': True})['name'] == 'daily-schedule'
    schedules.delete('schedule-123')
    assert [(call['method'], call['url'], call['json']) for call in wire.calls] == [
        ('GET', URL, None),
        ('PUT', URL + '/schedule-123', {'paused': True}),
        ('DELETE', URL + '/schedule-123', None),
    ]


@pytest.mark.parametrize(
    'answer, deleted',
    [
        ((200, {}), True),
        (
            (404, {'code': 'database_snapshot_schedule_not_found'}),
            False,
        ),  # a retried DELETE whose first answer was lost
    ],
)
def test_delete_counts_a_schedule_already_gone_as_done(wire, answer, deleted):
    assert Schedules(wire.client(wire.reply(*answer))).delete('schedule-1') is deleted


@pytest.mark.parametrize('code', ['not_found', 'database_account_not_found'])
def test_delete_leaves_other_404s_as_errors(wire, code):
    with pytest.raises(CivoAPIError):
        Schedules(wire.client(wire.reply(404, {'code': code}))).delete('schedule-1')


def test_create_posts_the_body_once(wire):
    body = create_body('daily-schedule', '', '0 0 * * *', 7, ['instance-123'], True)
    created = Schedules(wire.client(wire.reply(200, CIVOGO_CREATE_RESPONSE))).create(body)
    assert created['id'] == 'schedule-123' and [(call['method'], call['json']) for call in wire.calls] == [
        ('POST', body)
    ]


@pytest.mark.parametrize('lost', ['timeout', 'HTTP 503', 'not json'])
def test_create_after_a_lost_answer_is_the_schedule_of_that_name_not_among_the_known_ones(wire, lost):
    answer = {
        'timeout': requests.exceptions.ReadTimeout('slow'),
        'HTTP 503': wire.reply(503),
        'not json': wire.reply(200, text='{'),
    }[lost]
    known = [dict(id='schedule-1')]
    listing = [
        dict(CIVOGO_CREATE_RESPONSE, id='schedule-1'),
        CIVOGO_CREATE_RESPONSE,
        dict(CIVOGO_CREATE_RESPONSE, id='schedule-x', name='other'),  # created since, by someone else
    ]
    schedules = Schedules(wire.client(answer, wire.reply(200, listing)))
    created = schedules.create(create_body('daily-schedule', '', '0 0 * * *', 7, ['instance-123'], True), known=known)
    assert created['id'] == 'schedule-123' and created['_raw'] == CIVOGO_CREATE_RESPONSE
    assert [call['method'] for call in wire.calls] == ['POST', 'GET']
    assert 'schedule-123' in schedules.api.retry_report()['lost_answers'][0]


def test_create_after_a_lost_answer_that_created_nothing_sends_again(wire):
    schedules = Schedules(
        wire.client(
            requests.exceptions.ConnectionError('reset'),
            wire.reply(200, [dict(id='schedule-1', name='n')]),
            wire.reply(200, CIVOGO_CREATE_RESPONSE),
        )
    )
    assert (
        schedules.create(create_body('n', '', '0 0 * * *', 7, ['i'], False), known=[dict(id='schedule-1')])['id']
        == 'schedule-123'
    )
    assert [call['method'] for call in wire.calls] == ['POST', 'GET', 'POST']


# instances entries: ids or hostnames

LISTED = [
    {'id': 'i-web-1', 'hostname': 'web-1'},
    {'id': 'i-web-2', 'hostname': 'web-2'},
    {'id': 'i-twin-a', 'hostname': 'twin'},
    {'id': 'i-twin-b', 'hostname': 'twin'},
]


@pytest.fixture
def instances(wire):
    return Instances(wire.client(wire.reply(200, {'items': LISTED}), region='LON1'))


def test_entries_that_are_all_known_ids_need_no_listing(wire, instances):
    assert resolve_instances(['i-old', 'i-old', 'i-new'], {'i-old', 'i-new'}, instances) == ['i-old', 'i-new']
    assert wire.calls == []


def test_ids_and_hostnames_resolve_in_order_without_repeats_with_one_listing(wire, instances):
    assert resolve_instances(['web-2', 'i-web-1', 'i-known', 'web-1'], {'i-known'}, instances) == [
        'i-web-2',
        'i-web-1',
        'i-known',
    ]
    assert len(wire.calls) == 1


def test_every_unknown_or_ambiguous_entry_is_reported_at_once(instances):
    with pytest.raises(LookupFailed) as caught:
        resolve_instances(['nosuch', 'web-1', 'twin'], set(), instances)
    assert str(caught.value) == (
        "instances: No instance with hostname 'nosuch' (4 instances looked at in region LON1). Check the name, or give "
        "the instance's ID. Hostname 'twin' is ambiguous: 2 instances have it (i-twin-a, i-twin-b). Give the "
        "instance's ID instead. Nothing was changed."
    )
