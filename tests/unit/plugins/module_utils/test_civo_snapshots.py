# -*- coding: utf-8 -*-
# Copyright: (c) 2026, civo.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The account API's snapshot shape, input rules, ordering, instance lookup and the polling schedule."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.civo.cloud.plugins.module_utils import input_rules as rules
from ansible_collections.civo.cloud.plugins.module_utils import snapshot_account as account
from ansible_collections.civo.cloud.plugins.module_utils import snapshot_common as common
from ansible_collections.civo.cloud.plugins.module_utils.civo_instances import InstanceLookup, InstanceLookupError
from ansible_collections.civo.cloud.plugins.module_utils.civo_api import CivoAPIError

REAL_SHAPE = {  # as recorded from the real service
    'id': 'a1', 'name': 'web-1-nightly', 'instance_id': 'i-1', 'hostname': 'web-1', 'template_id': 't-1',
    'openstack_snapshot_id': None, 'region': 'lon1', 'safe': 1, 'size_gb': 25, 'state': 'complete',
    'cron_timing': None, 'requested_at': '2019-10-07T14:57:28.000+01:00', 'completed_at': '2019-10-07T15:01:02.123+01:00',
}


def test_normalise_reads_the_recorded_real_shape():
    snapshot = account.normalise_snapshot(REAL_SHAPE)
    assert sorted(snapshot) == sorted(account.SNAPSHOT_FIELDS)
    assert snapshot['status'] == 'complete' and snapshot['safe'] is True
    assert snapshot['requested_at'] == '2019-10-07T13:57:28+00:00'
    assert snapshot['completed_at'] == '2019-10-07T14:01:02+00:00'


def test_normalise_reads_the_reference_shape_and_fills_missing_fields_with_null():
    snapshot = account.normalise_snapshot({'name': 'x', 'instance_id': 'i', 'safe': False, 'status': 'new',
                                           'requested_at': '2015-09-20T19:31:36+00:00', 'completed_at': None, 'size_gb': 0})
    assert snapshot['status'] == 'new' and snapshot['safe'] is False
    assert snapshot['id'] is None and snapshot['hostname'] is None and snapshot['cron_timing'] is None
    assert snapshot['requested_at'] == '2015-09-20T19:31:36+00:00'


@pytest.mark.parametrize('raw, safe', [(0, False), (1, True), ('1', True), ('false', False), (True, True), (None, False)])
def test_safe_is_a_boolean_whatever_the_api_sent(raw, safe):
    assert account.normalise_snapshot({'safe': raw})['safe'] is safe


@pytest.mark.parametrize('text, utc', [
    ('2026-11-29T10:00:00Z', '2026-11-29T10:00:00+00:00'),
    ('2026-11-29T10:00:00.5+00:00', '2026-11-29T10:00:00+00:00'),
    ('2026-11-29T01:30:00-0830', '2026-11-29T10:00:00+00:00'),
    ('2026-11-29 10:00:00', '2026-11-29T10:00:00+00:00'),
])
def test_timestamps_in_every_seen_form(text, utc):
    assert common.format_timestamp(common.parse_timestamp(text)) == utc


@pytest.mark.parametrize('text', [None, '', 'yesterday', 12, '2026-13-01T00:00:00Z', '2026-02-30T00:00:00Z', '2026-11-29T25:00:00Z'])
def test_unparseable_timestamps_are_none(text):
    assert common.parse_timestamp(text) is None


@pytest.mark.parametrize('text, seconds', [('90s', 90), ('30m', 1800), ('12h', 43200), ('7d', 604800), ('2w', 1209600),
                                           ('1d12h', 129600), (' 5M ', 300)])
def test_durations(text, seconds):
    assert rules.parse_duration(text) == seconds


@pytest.mark.parametrize('text', ['', '0s', '12', 'h', '-5m', '1.5h', '5 m', '3x', None])
def test_malformed_durations(text):
    assert rules.parse_duration(text) is None


@pytest.mark.parametrize('cron', ['0 3 * * *', '*/15 * * * *', '0 0 1,15 * MON-FRI', '5 4 * JAN-MAR 0', '0-59/5 0-23 1-31 1-12 0-7'])
def test_valid_cron(cron):
    assert rules.cron_problem(cron) is None


@pytest.mark.parametrize('cron', ['', '* * * *', '* * * * * *', '60 * * * *', '* 24 * * *', '* * 0 * *', '* * * 13 *',
                                  '* * * * 8', '*/0 * * * *', '5-1 * * * *', 'a b c d e', '@daily', '1-2-3 * * * *'])
def test_malformed_cron(cron):
    assert rules.cron_problem(cron)


@pytest.mark.parametrize('name', ['web-1', 'a', 'db_1.nightly-20261129T0300Z', 'x' * 100])
def test_valid_names(name):
    assert rules.name_problem(name) is None


@pytest.mark.parametrize('name', ['', 'a/b', '-lead', 'sp ace', 'tab\there', 'new\nline', 'x' * 101, 'ünï'])
def test_invalid_names(name):
    assert rules.name_problem(name)


def test_newest_first_then_unrequested_by_name():
    listed = [{'name': 'b', 'requested_at': None}, {'name': 'old', 'requested_at': '2026-01-01T00:00:00+00:00'},
              {'name': 'a', 'requested_at': None}, {'name': 'new', 'requested_at': '2026-11-01T00:00:00.000+01:00'}]
    assert [s['name'] for s in common.newest_first(listed)] == ['new', 'old', 'a', 'b']


def test_newest_first_orders_mixed_offsets_by_instant_and_puts_unparseable_with_the_unrequested():
    listed = [{'name': 'z-junk', 'requested_at': 'soon'}, {'name': 'b-same', 'requested_at': '2026-11-01T10:00:00+00:00'},
              {'name': 'later-by-offset', 'requested_at': '2026-11-01T06:00:00-05:00'},
              {'name': 'a-same', 'requested_at': '2026-11-01T11:00:00+01:00'}, {'name': 'c', 'requested_at': None}]
    assert [s['name'] for s in common.newest_first(listed)] == ['later-by-offset', 'a-same', 'b-same', 'c', 'z-junk']


def test_normalise_keeps_a_timestamp_it_cannot_read_as_it_came():
    assert account.normalise_snapshot({'requested_at': 'soon', 'completed_at': '2026-13-01T00:00:00Z'})['requested_at'] == 'soon'
    assert account.normalise_snapshot({'completed_at': '2026-13-01T00:00:00Z'})['completed_at'] == '2026-13-01T00:00:00Z'


class ListAPI:
    def __init__(self, body):
        self.body = body

    def get(self, path, params=None):
        return self.body


def test_find_returns_the_match_normalised_and_none_without_one():
    body = [{'name': 'other', 'state': 'new', 'requested_at': 'not a time'},
            {'name': 'web-1-nightly', 'state': 'complete', 'safe': 1, 'requested_at': '2019-10-07T14:57:28.000+01:00'}]
    found = account.AccountSnapshots(ListAPI(body)).find('web-1-nightly')
    assert found == account.normalise_snapshot(body[1])
    assert found['status'] == 'complete' and found['requested_at'] == '2019-10-07T13:57:28+00:00'
    assert account.AccountSnapshots(ListAPI(body)).find('missing') is None


def test_volume_snapshots_on_the_same_path_are_never_matched_or_listed():
    # Since 2025 GET /v2/snapshots may also return volume snapshots (current-api.md 1d).
    volume = {'name': 'web-1-nightly', 'snapshot_id': 'v-1', 'volume_id': 'vol-1', 'state': 'Ready', 'creation_time': '2020-01-01T00:00:00Z'}
    instance = {'name': 'web-1-nightly', 'state': 'complete', 'instance_id': 'i-1'}
    assert account.AccountSnapshots(ListAPI([volume])).find('web-1-nightly') is None
    assert account.AccountSnapshots(ListAPI([volume])).list() == []
    assert account.AccountSnapshots(ListAPI([volume, instance])).find('web-1-nightly')['instance_id'] == 'i-1'


def test_a_list_that_is_not_an_array_is_an_api_error():
    with pytest.raises(CivoAPIError, match='expected a JSON array of snapshots, got dict'):
        account.AccountSnapshots(ListAPI({'items': []})).find('x')


class PagedAPI:
    region = None

    def __init__(self, pages):
        self.pages = pages
        self.calls = []

    def get(self, path, params=None):
        self.calls.append(params)
        page = params['page']
        return {'page': page, 'per_page': 2, 'pages': len(self.pages), 'items': self.pages[page - 1]}


def test_hostname_lookup_reads_every_page():
    api = PagedAPI([[{'id': '1', 'hostname': 'a'}, {'id': '2', 'hostname': 'b'}], [{'id': '3', 'hostname': 'c'}]])
    assert InstanceLookup(api).resolve_hostname('c') == '3'
    assert [call['page'] for call in api.calls] == [1, 2]


def test_hostname_lookup_rejects_unknown_and_ambiguous():
    api = PagedAPI([[{'id': '1', 'hostname': 'a'}, {'id': '2', 'hostname': 'a'}]])
    with pytest.raises(InstanceLookupError, match="ambiguous: 2 instances have it"):
        InstanceLookup(api).resolve_hostname('a')
    with pytest.raises(InstanceLookupError, match="No instance with hostname 'z'"):
        InstanceLookup(api).resolve_hostname('z')


class DeleteAPI:
    def __init__(self, error):
        self.error = error

    def delete(self, path):
        raise self.error


def test_delete_of_a_missing_snapshot_is_done_but_a_404_for_a_bad_account_is_an_error():
    missing = CivoAPIError('DELETE', '/v2/snapshots/x', 404, 'database_snapshot_not_found')
    assert account.AccountSnapshots(DeleteAPI(missing)).delete('x') is False
    bad_account = CivoAPIError('DELETE', '/v2/snapshots/x', 404, 'database_account_not_found')
    with pytest.raises(CivoAPIError):
        account.AccountSnapshots(DeleteAPI(bad_account)).delete('x')


def test_poll_schedule_starts_fast_backs_off_capped_and_stays_under_civos_limit():
    intervals = common.poll_intervals()
    schedule = [next(intervals) for dummy in range(200)]
    assert schedule[0] <= 1.0
    assert schedule == sorted(schedule) and max(schedule) == common.POLL_MAX_INTERVAL
    elapsed, polls_per_minute = 0.0, {}
    for interval in schedule:
        elapsed += interval
        polls_per_minute[int(elapsed // 60)] = polls_per_minute.get(int(elapsed // 60), 0) + 1
    assert max(polls_per_minute.values()) < 50
