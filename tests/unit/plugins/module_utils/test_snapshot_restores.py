# -*- coding: utf-8 -*-
# Copyright: (c) 2026, civo.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""snapshot_restores.py: the restore operation's shapes, the snapshot as the restore reports it, the restore request
(never sent twice) and the wait for the restored instance, against the in-memory restore region."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest
import requests

from ansible_collections.civo.cloud.plugins.module_utils import snapshot_restores as restores
from ansible_collections.civo.cloud.plugins.module_utils.errors import WaitFailed
from ansible_collections.civo.cloud.plugins.module_utils.instance_snapshots import normalise_snapshot
from ansible_collections.civo.cloud.plugins.module_utils.instances import Instances
from ansible_collections.civo.cloud.plugins.module_utils.snapshot_restores import SnapshotRestores
from ansible_collections.civo.cloud.plugins.module_utils.waiting import deadline_in

FLAT = {
    'id': 'restore-op-67890',
    'name': 'restored-snapshot-op-name',
    'hostname': 'restored-instance',
    'description': 'Restored snapshot',
    'from_snapshot': '12345',
    'private_ipv4': '10.0.0.5',
    'overwrite_existing': False,
    'status': {'state': 'in_progress'},
    'created_at': '2023-01-01T12:00:00Z',
    'completed_at': None,
}
RESTORE = '/v2/instances/i-web-1/snapshots/s-1/restore'


@pytest.mark.parametrize('body', [FLAT, {'resource_type': 'instance', 'instance': FLAT}], ids=['flat', 'wrapped'])
def test_both_answers_of_civogo_give_one_shape(body):
    operation = restores.normalise_restore(body)
    assert sorted(operation) == sorted(restores.RESTORE_FIELDS)
    assert operation['id'] == 'restore-op-67890' and operation['status'] == {'state': 'in_progress'}
    assert operation['created_at'] == '2023-01-01T12:00:00+00:00' and operation['completed_at'] is None


def test_an_operation_with_the_older_include_volumes_field_keeps_the_known_fields():
    operation = restores.normalise_restore(dict(FLAT, include_volumes=True, status='in_progress'))
    assert 'include_volumes' not in operation and operation['status'] == {'state': 'in_progress'}


@pytest.mark.parametrize(
    'state, status', [('Complete', 'complete'), ('creating', 'in-progress'), ('Error', 'failed'), ('', 'new')]
)
def test_a_snapshot_is_reported_in_the_restores_shape_with_its_own_spelling_kept(state, status):
    raw = {
        'id': 's',
        'name': 'n',
        'description': 'before',
        'status': {'state': state},
        'created_at': '2025-04-01T09:11:14Z',
    }
    snapshot = restores.restored_snapshot(normalise_snapshot(raw, dict(id='i-web-1'), 'LON1'))
    assert snapshot == {
        'id': 's',
        'name': 'n',
        'description': 'before',
        'status': status,
        'state': state,
        'created_at': '2025-04-01T09:11:14+00:00',
    }


def test_no_snapshot_is_reported_as_an_empty_dict():
    assert restores.restored_snapshot({}) == {}
    assert restores.restored_snapshot(None) == {}


@pytest.mark.parametrize(
    'instance, expected',
    [
        ({'status': 'RESTORING'}, True),
        ({'status': 'restoring', 'restored_from': 's-1'}, True),
        ({'status': 'RESTORING', 'restored_from': 's-9'}, False),
        ({'status': 'ACTIVE'}, False),
        (None, False),
        ({'status': 'RESTORING', 'snapshot_id': 's-1'}, True),
        ({'status': 'RESTORING', 'snapshot_id': 's-9'}, False),
        ({'status': 'RESTORING', 'snapshot_id': ''}, True),
    ],
)
def test_a_restore_in_progress_counts_as_this_snapshots_unless_the_api_names_another(instance, expected):
    assert restores.is_restoring_from(instance, 's-1') is expected


@pytest.mark.parametrize(
    'instance, expected',
    [
        ({'snapshot_id': 's-1'}, True),
        ({'source_type': 'snapshot', 'source_id': 's-1'}, True),
        ({'restored_from': 's-1'}, None),  # the simulator's own field: only civogo's fields count
        ({'source_type': 'diskimage', 'source_id': 'ubuntu-jammy'}, False),
        ({'snapshot_id': 's-9'}, False),
        ({'source_type': 'diskimage'}, False),
        ({}, None),
        ({'snapshot_id': '', 'source_id': None}, None),
    ],
)
def test_built_from_is_what_the_instances_own_record_says(instance, expected):
    assert restores.built_from(instance, 's-1') is expected


@pytest.mark.parametrize(
    'instance, words',
    [
        ({'source_type': 'diskimage', 'source_id': 'ubuntu-jammy'}, 'diskimage ubuntu-jammy'),
        ({'snapshot_id': 's-9'}, 's-9'),
        ({'source_type': 'diskimage'}, 'diskimage'),
        ({}, 'an unknown source'),
    ],
)
def test_source_of_says_what_an_instance_was_built_from(instance, words):
    assert restores.source_of(instance) == words


# The restore request


@pytest.fixture
def region(civo_restore, wire):
    """(the restore region, a SnapshotRestores on a client of it)."""
    api = wire.client(region='LON1')
    return civo_restore, SnapshotRestores(api, Instances(api))


SOURCE = {'id': 'i-web-1', 'hostname': 'web-1'}
SNAPSHOT = {'id': 's-1', 'name': 'before'}


def test_restore_into_a_new_instance_sends_only_what_was_given(region):
    civo_restore, restorer = region
    operation = restorer.restore(
        SOURCE, SNAPSHOT, dict(hostname='web-1-copy', overwrite_existing=False, private_ipv4=None, description='copy')
    )
    assert civo_restore.mutations() == [('POST', RESTORE)]
    assert [body for body in civo_restore.bodies if body] == [{'hostname': 'web-1-copy', 'description': 'copy'}]
    assert operation['id'] == 'restore-1' and sorted(operation) == sorted(restores.RESTORE_FIELDS)


@pytest.mark.parametrize(
    'options, instance_id',
    [
        (dict(hostname='web-1-copy', overwrite_existing=False), 'i-new'),
        (dict(hostname=None, overwrite_existing=True), 'i-web-1'),
    ],
    ids=['new-instance', 'in-place'],
)
def test_a_restore_whose_answer_was_lost_is_found_and_not_sent_again(region, wire, options, instance_id):
    civo_restore, restorer = region
    wire.fault('POST', requests.exceptions.ReadTimeout('slow'), carried_out=True)
    operation = restorer.restore(SOURCE, SNAPSHOT, dict(options, private_ipv4=None, description=None))
    assert civo_restore.mutations() == [('POST', RESTORE)]
    assert civo_restore.instances[instance_id]['restored_from'] == 's-1'
    assert (
        operation['from_snapshot'] == 's-1'
        and operation['status'] == {'state': 'in_progress'}
        and operation['id'] is None
    )
    assert (
        operation['hostname'] == options['hostname']
        and operation['overwrite_existing'] is options['overwrite_existing']
    )
    assert len(restorer.api.retry_report()['lost_answers']) == 1


@pytest.mark.parametrize(
    'options',
    [dict(hostname='web-1-copy', overwrite_existing=False), dict(hostname=None, overwrite_existing=True)],
    ids=['new-instance', 'in-place'],
)
def test_a_restore_that_never_arrived_is_sent_again(region, wire, options):
    civo_restore, restorer = region
    wire.fault('POST', wire.reply(502, text='Bad Gateway'))
    operation = restorer.restore(SOURCE, SNAPSHOT, dict(options, private_ipv4=None, description=None))
    assert civo_restore.mutations() == [('POST', RESTORE)] and operation['id'] == 'restore-1'
    assert [call['method'] for call in wire.calls].count('POST') == 2 and restorer.api.retry_report()['count'] == 1


def test_an_in_place_restore_of_another_snapshot_under_way_is_not_taken_for_this_one(region, wire):
    civo_restore, restorer = region
    civo_restore.instances['i-web-1'].update(status='RESTORING', restored_from='s-other')
    wire.fault('POST', wire.reply(503))
    restorer.restore(
        SOURCE, SNAPSHOT, dict(hostname=None, overwrite_existing=True, private_ipv4=None, description=None)
    )
    assert [call['method'] for call in wire.calls].count('POST') == 2


# The wait for the restored instance


def test_wait_active_by_hostname_polls_the_listing_until_active(region, clock):
    civo_restore, restorer = region
    civo_restore.instances['i-new'] = {'id': 'i-new', 'hostname': 'copy', 'status': 'BUILDING', '_busy': 3}
    instance = restorer.wait_active(60, deadline_in(60), hostname='copy')
    assert instance['status'] == 'ACTIVE' and instance['id'] == 'i-new'
    assert civo_restore.calls.count(('GET', '/v2/instances')) == 3


def test_wait_active_in_place_trusts_active_only_after_seeing_it_busy_or_after_the_settle_time(region, clock):
    civo_restore, restorer = region
    start = clock.now
    assert restorer.wait_active(60, deadline_in(60), instance_id='i-web-1')['status'] == 'ACTIVE'
    assert clock.now - start >= restores.IN_PLACE_SETTLE_SECONDS
    civo_restore.instances['i-web-1'].update(status='RESTORING', _busy=2)
    start = clock.now
    restorer.wait_active(60, deadline_in(60), instance_id='i-web-1')
    assert clock.now - start < restores.IN_PLACE_SETTLE_SECONDS


def test_wait_active_trusts_active_at_once_when_seen_busy_before(region, clock):
    dummy, restorer = region
    assert restorer.wait_active(60, deadline_in(60), instance_id='i-web-1', seen_busy=True)['status'] == 'ACTIVE'
    assert clock.slept == []


@pytest.mark.parametrize('status', ['ERROR', 'failed'])
def test_a_broken_instance_ends_the_wait_at_once(region, status):
    civo_restore, restorer = region
    civo_restore.instances['i-web-1'].update(status=status)
    with pytest.raises(WaitFailed) as caught:
        restorer.wait_active(60, deadline_in(60), instance_id='i-web-1')
    assert str(caught.value) == (
        'The restored instance i-web-1 is %s: the restore failed. Look at it in the Civo dashboard.' % status.upper()
    )
    assert caught.value.result['instance']['id'] == 'i-web-1'


def test_a_wait_the_api_stops_answering_says_the_restore_goes_on(region, wire):
    dummy, restorer = region
    wire.queue(*[wire.reply(503)] * 4)
    with pytest.raises(WaitFailed) as caught:
        restorer.wait_active(60, deadline_in(60), instance_id='i-web-1', seen_busy=True)
    assert str(caught.value) == (
        'The Civo API stopped answering while the task waited for the restored instance i-web-1: Civo API request GET '
        '/v2/instances/i-web-1 failed after 4 attempts with HTTP 503. The restore goes on: run the task again to '
        'resume waiting, without restoring again.'
    )
    assert caught.value.result['api_error']['status'] == 503


def test_a_wait_that_times_out_says_how_to_resume(region, clock):
    civo_restore, restorer = region
    with pytest.raises(WaitFailed) as caught:
        restorer.wait_active(30, deadline_in(30), hostname='never')
    assert str(caught.value) == (
        'Timed out after 30s waiting for the restored instance never to be ACTIVE (it is not listed yet). The restore '
        'goes on: run the task again to resume waiting, without restoring again, or raise wait_timeout.'
    )
    assert caught.value.result == {'instance': {}}
