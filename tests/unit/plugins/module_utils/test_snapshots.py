# -*- coding: utf-8 -*-
# Copyright: (c) 2026, civo.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""snapshots.py: what both snapshot APIs share: timestamps, state words, ordering, and the waits of SnapshotAPI."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime

import pytest

from ansible_collections.civo.cloud.plugins.module_utils import snapshots as common
from ansible_collections.civo.cloud.plugins.module_utils import waiting
from ansible_collections.civo.cloud.plugins.module_utils.account_snapshots import AccountSnapshots
from ansible_collections.civo.cloud.plugins.module_utils.errors import CivoAPIError, WaitFailed
from ansible_collections.civo.cloud.plugins.module_utils.instance_snapshots import InstanceSnapshots
from ansible_collections.civo.cloud.plugins.module_utils.snapshots import SnapshotAPI


# Timestamps


@pytest.mark.parametrize(
    'text, utc',
    [
        ('2026-11-29T10:00:00Z', '2026-11-29T10:00:00+00:00'),
        ('2026-11-29T10:00:00.5+00:00', '2026-11-29T10:00:00+00:00'),
        ('2026-11-29T01:30:00-0830', '2026-11-29T10:00:00+00:00'),
        ('2026-11-29 10:00:00', '2026-11-29T10:00:00+00:00'),
    ],
)
def test_timestamps_in_every_seen_form(text, utc):
    assert common.format_timestamp(common.parse_timestamp(text)) == utc


@pytest.mark.parametrize(
    'text', [None, '', 'yesterday', 12, '2026-13-01T00:00:00Z', '2026-02-30T00:00:00Z', '2026-11-29T25:00:00Z']
)
def test_unparseable_timestamps_are_none(text):
    assert common.parse_timestamp(text) is None


@pytest.mark.parametrize(
    'value, normalised',
    [
        ('2019-10-07T14:57:28.000+01:00', '2019-10-07T13:57:28+00:00'),
        ('2019-10-07T13:57:28+00:00', '2019-10-07T13:57:28+00:00'),
        ('soon', 'soon'),
        (None, None),
    ],
)
def test_normalise_timestamp_writes_one_form_and_keeps_what_it_cannot_read(value, normalised):
    assert common.normalise_timestamp(value) == normalised


def test_age_is_counted_from_requested_at_and_unknown_without_it():
    now = datetime.datetime(2026, 11, 29, 12, 0, 0, tzinfo=datetime.timezone.utc)
    assert common.age_seconds({'requested_at': '2026-11-29T11:00:00Z'}, now) == 3600
    assert common.age_seconds({'requested_at': None}, now) is None and common.age_seconds({}, now) is None


# State words


@pytest.mark.parametrize(
    'word, status',
    [
        ('', 'new'),
        ('pending', 'new'),
        ('Pending', 'new'),
        (None, 'new'),
        ('in_progress', 'in-progress'),
        ('In-Progress', 'in-progress'),
        ('creating', 'in-progress'),
        ('something new', 'in-progress'),
        ('completed', 'complete'),
        ('Complete', 'complete'),
        ('available', 'complete'),
        ('Ready', 'complete'),
        ('READY', 'complete'),
        ('failed', 'failed'),
        ('Failed', 'failed'),
        ('error', 'failed'),
        ('Error', 'failed'),
        ('creation_failed', 'failed'),
    ],
)
def test_state_words_are_matched_case_insensitively(word, status):
    assert common.status_of_api_state(word) == status


@pytest.mark.parametrize(
    'raw, safe', [(0, False), (1, True), ('1', True), ('false', False), (True, True), (None, False), (' yes ', True)]
)
def test_as_bool_reads_what_the_apis_send(raw, safe):
    assert common.as_bool(raw) is safe


# Ordering and naming


def test_newest_first_then_unrequested_by_name():
    listed = [
        {'name': 'b', 'requested_at': None},
        {'name': 'old', 'requested_at': '2026-01-01T00:00:00+00:00'},
        {'name': 'a', 'requested_at': None},
        {'name': 'new', 'requested_at': '2026-11-01T00:00:00.000+01:00'},
    ]
    assert [s['name'] for s in common.newest_first(listed)] == ['new', 'old', 'a', 'b']


def test_newest_first_orders_mixed_offsets_by_instant_and_puts_unparseable_with_the_unrequested():
    listed = [
        {'name': 'z-junk', 'requested_at': 'soon'},
        {'name': 'b-same', 'requested_at': '2026-11-01T10:00:00+00:00'},
        {'name': 'later-by-offset', 'requested_at': '2026-11-01T06:00:00-05:00'},
        {'name': 'a-same', 'requested_at': '2026-11-01T11:00:00+01:00'},
        {'name': 'c', 'requested_at': None},
    ]
    assert [s['name'] for s in common.newest_first(listed)] == ['later-by-offset', 'a-same', 'b-same', 'c', 'z-junk']


@pytest.mark.parametrize(
    'snapshot, text',
    [
        ({'name': 'n', 'id': 's-1', 'hostname': 'web-1', 'instance_id': 'i-1'}, "'n' (s-1) of instance web-1"),
        ({'name': 'n', 'instance_id': 'i-1'}, "'n' of instance i-1"),
        ({'name': 'n'}, "'n'"),
    ],
)
def test_describe_names_a_snapshot_as_messages_do(snapshot, text):
    assert common.describe(snapshot) == text


# The interface, and the waits every snapshot API inherits


@pytest.mark.parametrize(
    'api, name, replaces_in_place', [(AccountSnapshots, 'account', True), (InstanceSnapshots, 'instance', False)]
)
def test_both_apis_implement_the_interface(api, name, replaces_in_place):
    assert issubclass(api, SnapshotAPI) and (api.name, api.replaces_in_place) == (name, replaces_in_place)
    for method in ('list', 'named', 'take', 'predict', 'update', 'delete', 'read'):
        assert getattr(api, method) is not getattr(SnapshotAPI, method), method


class ScriptedAPI(SnapshotAPI):
    """A snapshot API whose read() answers the states given in turn (None: gone), the last one again once they run
    out."""

    name = 'scripted'

    def __init__(self, *states):
        super(ScriptedAPI, self).__init__(api=None)
        self.states = list(states)
        self.reads = 0

    def read(self, snapshot):
        self.reads += 1
        state = self.states.pop(0) if len(self.states) > 1 else self.states[0]
        return None if state is None else dict(snapshot, status=state, api_status=state.upper())


SNAPSHOT = dict(id='s-1', name='nightly', instance_id='i-1', hostname='web-1', status='new', api_status='PENDING')


def test_wait_complete_polls_until_complete(clock):
    api = ScriptedAPI('in-progress', 'in-progress', 'complete')
    assert api.wait_complete(SNAPSHOT, 60)['status'] == 'complete'
    assert api.reads == 3 and clock.slept[0] == waiting.POLL_FIRST_INTERVAL


def test_wait_complete_of_a_complete_snapshot_reads_nothing(clock):
    api = ScriptedAPI('failed')
    assert api.wait_complete(dict(SNAPSHOT, status='complete'), 60)['status'] == 'complete'
    assert api.reads == 0 and clock.slept == []


@pytest.mark.parametrize('state', ['failed', 'unknown-word'])
def test_wait_complete_ends_at_once_on_a_state_that_is_neither_pending_nor_complete(clock, state):
    with pytest.raises(WaitFailed) as caught:
        ScriptedAPI(state).wait_complete(SNAPSHOT, 60)
    assert (
        str(caught.value)
        == "Snapshot 'nightly' (s-1) of instance web-1 ended in state '%s' instead of complete." % state.upper()
    )
    assert caught.value.result['snapshot']['status'] == state and len(clock.slept) == 1


def test_wait_complete_of_a_snapshot_that_vanishes_says_so_with_the_snapshot_as_last_seen():
    with pytest.raises(WaitFailed) as caught:
        ScriptedAPI('in-progress', None).wait_complete(SNAPSHOT, 60)
    assert (
        str(caught.value) == "Snapshot 'nightly' (s-1) of instance web-1 disappeared while waiting for it to complete."
    )
    assert caught.value.result == {'snapshot': dict(SNAPSHOT, status='in-progress', api_status='IN-PROGRESS')}


class Unanswered(ScriptedAPI):
    """Answers the first read, then the API stops answering."""

    def read(self, snapshot):
        if self.reads:
            raise CivoAPIError('GET', '/v2/snapshots', status=503, attempts=6)
        return ScriptedAPI.read(self, snapshot)


def test_wait_complete_when_the_api_stops_answering_says_the_snapshot_goes_on():
    with pytest.raises(WaitFailed) as caught:
        Unanswered('in-progress').wait_complete(SNAPSHOT, 60)
    assert str(caught.value) == (
        "The Civo API stopped answering while the task waited for snapshot 'nightly' (s-1) of instance web-1 to "
        'complete: Civo API request GET /v2/snapshots failed after 6 attempts with HTTP 503. The snapshot was '
        'requested and goes on being taken: run the task again to resume waiting (it takes no second snapshot).'
    )
    assert (
        caught.value.result['api_error']['status'] == 503 and caught.value.result['snapshot']['status'] == 'in-progress'
    )


def test_wait_complete_times_out_with_the_state_now_and_how_to_resume(clock):
    start = clock.now
    with pytest.raises(WaitFailed) as caught:
        ScriptedAPI('in-progress').wait_complete(SNAPSHOT, 30)
    assert str(caught.value) == (
        "Timed out after 30s waiting for snapshot 'nightly' (s-1) of instance web-1 to complete (state now "
        "'IN-PROGRESS'). It is still being taken: run the task again to resume waiting, or raise wait_timeout (large "
        'disks take long).'
    )
    assert caught.value.result['snapshot']['status'] == 'in-progress' and clock.now == pytest.approx(start + 30)


def test_wait_gone_looks_at_once_and_polls_until_gone(clock):
    api = ScriptedAPI(None)
    assert api.wait_gone(SNAPSHOT, 60) is None
    assert api.reads == 1 and clock.slept == []
    api = ScriptedAPI('complete', 'complete', None)
    api.wait_gone(SNAPSHOT, 60)
    assert api.reads == 3 and len(clock.slept) == 2


def test_wait_gone_times_out_naming_the_snapshot():
    with pytest.raises(WaitFailed) as caught:
        ScriptedAPI('complete').wait_gone(SNAPSHOT, 20)
    assert (
        str(caught.value) == "Timed out after 20s waiting for snapshot 'nightly' (s-1) of instance web-1 to be deleted."
    )
    assert caught.value.result['snapshot']['id'] == 's-1'
