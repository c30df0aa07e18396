# -*- coding: utf-8 -*-
# Copyright: (c) 2026, civo.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""account_snapshots.py: the account-wide snapshot API (/v2/snapshots), through the real client on the replaced wire."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.civo.cloud.plugins.module_utils import account_snapshots as account
from ansible_collections.civo.cloud.plugins.module_utils.account_snapshots import AccountSnapshots
from ansible_collections.civo.cloud.plugins.module_utils.errors import CivoAPIError

REAL_SHAPE = {  # as recorded from the real service
    'id': 'a1',
    'name': 'web-1-nightly',
    'instance_id': 'i-1',
    'hostname': 'web-1',
    'template_id': 't-1',
    'openstack_snapshot_id': None,
    'region': 'lon1',
    'safe': 1,
    'size_gb': 25,
    'state': 'complete',
    'cron_timing': None,
    'requested_at': '2019-10-07T14:57:28.000+01:00',
    'completed_at': '2019-10-07T15:01:02.123+01:00',
}
TARGET = dict(id='i-1', hostname='web-1', region='LON1')


def snapshots(wire, *answers, **options):
    return AccountSnapshots(wire.client(*answers, **options))


# The shape


def test_normalise_reads_the_recorded_real_shape():
    snapshot = account.normalise_snapshot(REAL_SHAPE)
    assert sorted(snapshot) == sorted(account.SNAPSHOT_FIELDS)
    assert snapshot['status'] == 'complete' and snapshot['safe'] is True
    assert snapshot['requested_at'] == '2019-10-07T13:57:28+00:00'
    assert snapshot['completed_at'] == '2019-10-07T14:01:02+00:00'


def test_normalise_reads_the_reference_shape_and_fills_missing_fields_with_null():
    snapshot = account.normalise_snapshot(
        {
            'name': 'x',
            'instance_id': 'i',
            'safe': False,
            'status': 'new',
            'requested_at': '2015-09-20T19:31:36+00:00',
            'completed_at': None,
            'size_gb': 0,
        }
    )
    assert snapshot['status'] == 'new' and snapshot['safe'] is False
    assert snapshot['id'] is None and snapshot['hostname'] is None and snapshot['cron_timing'] is None
    assert snapshot['requested_at'] == '2015-09-20T19:31:36+00:00'


@pytest.mark.parametrize(
    'raw, safe', [(0, False), (1, True), ('1', True), ('false', False), (True, True), (None, False)]
)
def test_safe_is_a_boolean_whatever_the_api_sent(raw, safe):
    assert account.normalise_snapshot({'safe': raw})['safe'] is safe


def test_normalise_keeps_a_timestamp_it_cannot_read_as_it_came():
    assert (
        account.normalise_snapshot({'requested_at': 'soon', 'completed_at': '2026-13-01T00:00:00Z'})['requested_at']
        == 'soon'
    )
    assert (
        account.normalise_snapshot({'completed_at': '2026-13-01T00:00:00Z'})['completed_at'] == '2026-13-01T00:00:00Z'
    )


def test_the_target_fills_hostname_and_region_of_its_own_snapshots_only():
    raw = {'name': 'n', 'instance_id': 'i-1'}
    assert (account.normalise_snapshot(raw, TARGET)['hostname'], account.normalise_snapshot(raw, TARGET)['region']) == (
        'web-1',
        'LON1',
    )
    assert account.normalise_snapshot(dict(raw, hostname='h', region='fra1'), TARGET)['hostname'] == 'h'
    other = account.normalise_snapshot(dict(raw, instance_id='i-2'), TARGET)
    assert (other['hostname'], other['region']) == (None, None)


# Reading


def test_named_returns_the_match_normalised_and_nothing_without_one(wire):
    body = [
        {'name': 'other', 'state': 'new', 'requested_at': 'not a time'},
        {'name': 'web-1-nightly', 'state': 'complete', 'safe': 1, 'requested_at': '2019-10-07T14:57:28.000+01:00'},
    ]
    found = snapshots(wire, wire.reply(200, body)).named('web-1-nightly')
    assert found == [account.normalise_snapshot(body[1])]
    assert found[0]['status'] == 'complete' and found[0]['requested_at'] == '2019-10-07T13:57:28+00:00'
    assert snapshots(wire, wire.reply(200, body)).named('missing') == []
    assert [call['url'] for call in wire.calls] == ['https://api.civo.test/v2/snapshots'] * 2


def test_volume_snapshots_on_the_same_path_are_never_matched_or_listed(wire):
    # Since 2025 GET /v2/snapshots may also return volume snapshots (current-api.md 1d).
    volume = {
        'name': 'web-1-nightly',
        'snapshot_id': 'v-1',
        'volume_id': 'vol-1',
        'state': 'Ready',
        'creation_time': '2020-01-01T00:00:00Z',
    }
    instance = {'name': 'web-1-nightly', 'state': 'complete', 'instance_id': 'i-1'}
    assert snapshots(wire, wire.reply(200, [volume])).named('web-1-nightly') == []
    assert snapshots(wire, wire.reply(200, [volume])).list() == []
    assert snapshots(wire, wire.reply(200, [volume, instance])).named('web-1-nightly')[0]['instance_id'] == 'i-1'
    assert snapshots(wire, wire.reply(200, [dict(instance, resource_type='volume')])).list() == []


def test_a_list_that_is_not_an_array_is_an_api_error(wire):
    with pytest.raises(CivoAPIError, match='expected a JSON array of snapshots, got dict'):
        snapshots(wire, wire.reply(200, {'items': []})).named('x')


def test_list_of_a_target_is_its_own_snapshots(wire):
    body = [dict(REAL_SHAPE, name='a', hostname=None, region=None), dict(REAL_SHAPE, name='b', instance_id='i-2')]
    assert [s['name'] for s in snapshots(wire, wire.reply(200, body)).list()] == ['a', 'b']
    mine = snapshots(wire, wire.reply(200, body)).list(TARGET)
    assert [(s['name'], s['hostname'], s['region']) for s in mine] == [('a', 'web-1', 'LON1')]


def test_read_is_the_snapshot_of_that_name_now_or_none(wire):
    api = snapshots(
        wire, wire.reply(200, [dict(REAL_SHAPE, state='in-progress', hostname=None, region=None)]), wire.reply(200, [])
    )
    now = api.read(dict(name='web-1-nightly', instance_id='i-1', hostname='web-1', region='LON1'))
    assert (now['status'], now['hostname'], now['region']) == ('in-progress', 'web-1', 'LON1')
    assert api.read(dict(name='web-1-nightly')) is None


# Changing


def test_take_puts_form_fields_and_returns_the_snapshot_of_the_target(wire):
    answer = {'id': 's-1', 'name': 'n/1', 'instance_id': 'i-1', 'safe': 1, 'status': 'new', 'cron_timing': '0 3 * * *'}
    snapshot = snapshots(wire, wire.reply(200, answer)).take('n/1', TARGET, dict(safe=True, cron_timing='0 3 * * *'))
    call = wire.calls[0]
    assert (call['method'], call['url']) == ('PUT', 'https://api.civo.test/v2/snapshots/n%2F1')
    assert call['data'] == {'instance_id': 'i-1', 'safe': 'true', 'cron_timing': '0 3 * * *'}
    assert (snapshot['id'], snapshot['hostname'], snapshot['safe'], snapshot['cron_timing']) == (
        's-1',
        'web-1',
        True,
        '0 3 * * *',
    )


def test_take_without_a_schedule_sends_no_cron_timing(wire):
    snapshots(wire, wire.reply(200, {})).take('n', TARGET, dict(safe=False, cron_timing=None))
    assert wire.calls[0]['data'] == {'instance_id': 'i-1', 'safe': 'false'}


# A retried PUT refused with 409 because its own unanswered first attempt went through.

IN_PROGRESS = {'name': 'nightly', 'instance_id': 'i-1', 'safe': False, 'status': 'in-progress', 'cron_timing': None}
ALREADY = {'code': 'database_snapshot_create_already_in_process', 'reason': 'The snapshot nightly is being taken'}


def test_a_retried_put_refused_because_its_own_snapshot_is_being_taken_succeeds(wire):
    api = snapshots(wire, wire.reply(503), wire.reply(409, ALREADY), wire.reply(200, [IN_PROGRESS]))
    snapshot = api.take('nightly', TARGET, dict(safe=False))
    assert snapshot['status'] == 'in-progress' and snapshot['instance_id'] == 'i-1' and snapshot['hostname'] == 'web-1'
    assert [call['method'] for call in wire.calls] == ['PUT', 'PUT', 'GET']


@pytest.mark.parametrize(
    'first_refused, listed',
    [
        (True, [IN_PROGRESS]),  # the first attempt was refused: someone else's snapshot is being taken
        (False, [dict(IN_PROGRESS, instance_id='i-2')]),  # another instance's snapshot under that name
        (False, [dict(IN_PROGRESS, safe=True)]),  # not what this task asked for
        (False, [dict(IN_PROGRESS, cron_timing='0 3 * * *')]),
        (False, [dict(IN_PROGRESS, status='failed')]),
        (False, []),
    ],
)
def test_any_other_409_is_still_an_error(wire, first_refused, listed):
    answers = [wire.reply(409, ALREADY)] if first_refused else [wire.reply(503), wire.reply(409, ALREADY)]
    with pytest.raises(CivoAPIError) as caught:
        snapshots(wire, *answers + [wire.reply(200, listed)]).take('nightly', TARGET, dict(safe=False))
    assert caught.value.status == 409


def test_a_409_of_another_code_is_not_looked_into(wire):
    with pytest.raises(CivoAPIError):
        snapshots(wire, wire.reply(503), wire.reply(409, {'code': 'other'})).take('nightly', TARGET, dict(safe=False))
    assert [call['method'] for call in wire.calls] == ['PUT', 'PUT']


def test_predict_is_the_current_snapshot_overwritten_and_restarted():
    current = account.normalise_snapshot(dict(REAL_SHAPE, hostname='web-1'), TARGET)
    predicted = AccountSnapshots(None).predict('web-1-nightly', TARGET, dict(safe=False), current)
    assert (
        predicted['id'],
        predicted['status'],
        predicted['safe'],
        predicted['size_gb'],
        predicted['requested_at'],
    ) == ('a1', 'new', False, None, None)
    assert (predicted['hostname'], predicted['region']) == ('web-1', 'lon1')
    fresh = AccountSnapshots(None).predict('n', TARGET, dict(safe=True, cron_timing='0 3 * * *'))
    assert (fresh['id'], fresh['hostname'], fresh['region'], fresh['cron_timing']) == (
        None,
        'web-1',
        'LON1',
        '0 3 * * *',
    )


def test_predict_over_another_instances_snapshot_names_the_new_instance():
    current = account.normalise_snapshot(dict(REAL_SHAPE, instance_id='i-2', hostname='web-2'))
    predicted = AccountSnapshots(None).predict('web-1-nightly', TARGET, dict(safe=False), current)
    assert (predicted['instance_id'], predicted['hostname']) == ('i-1', 'web-1')


def test_nothing_is_changed_in_place():
    with pytest.raises(NotImplementedError):
        AccountSnapshots(None).update({'name': 'n'}, {'description': 'd'})


def test_delete_of_a_missing_snapshot_is_done_but_a_404_for_a_bad_account_is_an_error(wire):
    assert snapshots(wire, wire.reply(200, {})).delete({'name': 'x'}) is True
    missing = wire.reply(404, {'code': 'database_snapshot_not_found'})
    assert snapshots(wire, missing).delete({'name': 'x'}) is False
    with pytest.raises(CivoAPIError):
        snapshots(wire, wire.reply(404, {'code': 'database_account_not_found'})).delete({'name': 'x'})
    assert [call['method'] for call in wire.calls] == ['DELETE'] * 3
