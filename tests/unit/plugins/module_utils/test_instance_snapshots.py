# -*- coding: utf-8 -*-
# Copyright: (c) 2026, civo.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""instance_snapshots.py: the per-instance snapshot API's shapes (as Civo's sources print them) and its requests,
through the real client on the replaced wire."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest
import requests

from ansible_collections.civo.cloud.plugins.module_utils import instance_snapshots as instance
from ansible_collections.civo.cloud.plugins.module_utils.account_snapshots import SNAPSHOT_FIELDS
from ansible_collections.civo.cloud.plugins.module_utils.errors import CivoAPIError, CivoError, LookupFailed
from ansible_collections.civo.cloud.plugins.module_utils.instance_snapshots import InstanceSnapshots

DOCS_SAMPLE = {  # the create answer of Civo's API page (its JSON repaired)
    'id': 'snapshot-uuid',
    'name': 'instance-snapshot-name',
    'description': 'a description of the instance snapshot',
    'included_volumes': ['volume_uuid_1', 'volume_uuid_2'],
    'status': {
        'state': 'Complete',
        'volumes': [{'id': 'volume_uuid_1', 'state': 'Complete'}, {'id': 'volume_uuid_2', 'state': 'Complete'}],
    },
    'created_at': '2025-04-01T09:11:14Z',
}
RESOURCE_SAMPLE = {  # civogo resource_snapshot_test.go list item
    'id': '12345',
    'name': 'test-snapshot',
    'description': 'Test snapshot',
    'resource_type': 'instance',
    'created_at': '2023-01-01T12:00:00Z',
    'instance': {
        'id': 'inst-12345',
        'name': 'test-instance',
        'description': 'Test instance',
        'status': {'state': 'available'},
        'created_at': '2023-01-01T12:00:00Z',
    },
}
# The keys of the account API's snapshots, and what only this API tells.
FIELDS = SNAPSHOT_FIELDS + ('description', 'included_volumes', 'volumes', 'created_at', 'api_status')
WEB_1 = dict(id='i-web-1', hostname='web-1', region='LON1')
SNAPSHOTS = 'https://api.civo.test/v2/instances/i-web-1/snapshots'


def listed(*snapshots):
    """GET /v2/instances/i-web-1/snapshots: (id, name) pairs, completed, in creation order."""
    return [dict(id=snapshot_id, name=name, status={'state': 'completed'}) for snapshot_id, name in snapshots]


def api(wire, *answers, **options):
    return InstanceSnapshots(wire.client(*answers, **dict(dict(region='LON1'), **options)))


# The shapes


def test_the_documented_shape_is_read():
    snapshot = instance.normalise_snapshot(DOCS_SAMPLE, dict(id='i-1'), 'LON1')
    assert sorted(snapshot) == sorted(FIELDS)
    assert (snapshot['status'], snapshot['api_status']) == ('complete', 'Complete')
    assert snapshot['requested_at'] == snapshot['created_at'] == '2025-04-01T09:11:14+00:00'
    assert snapshot['volumes'] == [
        {'id': 'volume_uuid_1', 'state': 'Complete'},
        {'id': 'volume_uuid_2', 'state': 'Complete'},
    ]
    assert (snapshot['instance_id'], snapshot['region'], snapshot['safe'], snapshot['cron_timing']) == (
        'i-1',
        'LON1',
        None,
        None,
    )


def test_the_target_gives_hostname_and_region():
    snapshot = instance.normalise_snapshot(DOCS_SAMPLE, WEB_1, 'FRA1')
    assert (snapshot['instance_id'], snapshot['hostname'], snapshot['region']) == ('i-web-1', 'web-1', 'LON1')


def test_an_empty_status_right_after_creation_is_new():
    snapshot = instance.normalise_snapshot(
        {'id': 's', 'name': 'n', 'status': {}, 'created_at': '2025-04-01T09:11:14Z'}, dict(id='i-1')
    )
    assert snapshot['status'] == 'new' and snapshot['api_status'] == '' and snapshot['volumes'] == []


def test_a_resource_snapshot_carries_its_instance_id():
    snapshot = instance.normalise_resource_snapshot(RESOURCE_SAMPLE, 'LON1')
    assert (snapshot['id'], snapshot['name'], snapshot['instance_id']) == ('12345', 'test-snapshot', 'inst-12345')
    assert (snapshot['status'], snapshot['description'], snapshot['hostname']) == ('complete', 'Test snapshot', None)


@pytest.mark.parametrize('raw', [{'status': 'Complete'}, {'state': 'completed'}, {'status': {'state': 'Ready'}}])
def test_a_flatter_state_is_read_too(raw):
    assert instance.normalise_snapshot(dict(raw, id='s', name='n'), dict(id='i-1'))['status'] == 'complete'


def test_a_resource_snapshot_without_its_own_description_does_not_take_the_instances():
    raw = dict(RESOURCE_SAMPLE, description='')
    assert instance.normalise_resource_snapshot(raw)['description'] == ''


# Reading


def test_list_of_an_instance_is_one_request_newest_created_first(wire):
    snapshots = api(wire, wire.reply(200, listed(('s-1', 'a'), ('s-2', 'b')))).list(WEB_1)
    assert [s['id'] for s in snapshots] == ['s-2', 's-1'] and snapshots[0]['hostname'] == 'web-1'
    assert [(call['method'], call['url']) for call in wire.calls] == [('GET', SNAPSHOTS)]


def test_list_of_the_region_reads_the_resource_snapshots_of_instances_only(wire):
    volume = dict(RESOURCE_SAMPLE, id='v', resource_type='volume')
    snapshots = api(wire, wire.reply(200, [RESOURCE_SAMPLE, volume, 'junk'])).list()
    assert [(s['id'], s['instance_id'], s['region']) for s in snapshots] == [('12345', 'inst-12345', 'LON1')]
    assert wire.calls[0]['url'] == 'https://api.civo.test/v2/resourcesnapshots'


def test_named_is_every_snapshot_of_that_exact_name_newest_first(wire):
    body = listed(('s-1', 'nightly'), ('s-2', 'nightly-2'), ('s-3', 'nightly'))
    assert [s['id'] for s in api(wire, wire.reply(200, body)).named('nightly', WEB_1)] == ['s-3', 's-1']


def test_find_matches_an_id_before_a_name(wire):
    snapshots = api(wire, *[wire.reply(200, listed(('s-1', 's-2'), ('s-2', 'before')))] * 2)
    assert snapshots.find(WEB_1, 's-2')['name'] == 'before'
    assert snapshots.find(WEB_1, 's-1')['id'] == 's-1'
    assert [call['url'] for call in wire.calls] == [SNAPSHOTS] * 2


def test_find_by_a_name_that_is_not_unique_or_not_there_names_the_choices(wire):
    snapshots = api(wire, *[wire.reply(200, listed(('s-1', 'before'), ('s-2', 'before'), ('s-3', 'nightly')))] * 2)
    with pytest.raises(
        LookupFailed, match=r"^Instance web-1 has 2 snapshots named 'before' \(ids s-2, s-1\): give the id instead\.$"
    ):
        snapshots.find(WEB_1, 'before')
    with pytest.raises(
        LookupFailed,
        match=r"^Instance i-web-1 has no snapshot with id or name 'nope' \(its snapshots: before, nightly\)\.$",
    ):
        snapshots.find(dict(id='i-web-1'), 'nope')


def test_read_is_the_snapshot_by_id_or_none_when_gone(wire):
    snapshots = api(
        wire, wire.reply(200, listed(('s-1', 'n'))[0]), wire.reply(404, {'code': 'database_snapshot_not_found'})
    )
    snapshot = dict(id='s-1', name='n', instance_id='i-web-1', hostname='web-1', region='LON1')
    assert snapshots.read(snapshot)['status'] == 'complete' and snapshots.read(snapshot) is None
    assert [call['url'] for call in wire.calls] == [SNAPSHOTS + '/s-1'] * 2


# Telling "no such snapshot" from "no such instance" from "no such API here"


def test_a_region_without_the_api_says_so_and_what_to_do_instead(wire):
    not_here = wire.reply(404, {'code': 'not_found', 'reason': 'no such route'})
    snapshots = api(wire, not_here, wire.reply(200, {'id': 'i-web-1'}))
    with pytest.raises(CivoError) as caught:
        snapshots.list(WEB_1)
    assert not isinstance(caught.value, LookupFailed)
    assert str(caught.value).startswith(
        'The Civo API in region LON1 does not offer the per-instance snapshot API (snapshot_api=instance)'
    )
    assert (
        str(caught.value).endswith(instance.USE_THE_ACCOUNT_API)
        and caught.value.result['api_error']['code'] == 'not_found'
    )
    assert [call['url'] for call in wire.calls] == [SNAPSHOTS, 'https://api.civo.test/v2/instances/i-web-1']


def test_the_advice_is_the_callers(wire):
    snapshots = InstanceSnapshots(
        wire.client(wire.reply(404, {'code': 'not_found'})), unavailable_advice='Restoring needs it.'
    )
    with pytest.raises(CivoError, match=r"the account's default region .* Restoring needs it\.$"):
        snapshots.list()


@pytest.mark.parametrize(
    'answers',
    [
        [{'code': 'database_instance_not_found'}],  # the API names the instance
        [{'code': 'not_found'}, 'probe'],  # a bare 404: the instance itself is looked up
    ],
)
def test_an_unknown_instance_is_a_lookup_failure(wire, answers):
    replies = [
        wire.reply(404, answer) if answer != 'probe' else wire.reply(404, {'code': 'database_instance_not_found'})
        for answer in answers
    ]
    with pytest.raises(LookupFailed) as caught:
        api(wire, *replies).list(dict(id='i-nope'))
    assert str(caught.value).startswith("No instance with id 'i-nope' in region LON1 (Civo API request GET ")
    assert str(caught.value).endswith('Check instance_id, or give the hostname as instance.')
    assert caught.value.result['api_error']['status'] == 404 and len(wire.calls) == len(answers)


# Changing


def test_take_posts_name_and_description(wire):
    created = dict(listed(('s-9', 'nightly'))[0], status={'state': 'pending'})
    snapshot = api(wire, wire.reply(200, created)).take('nightly', WEB_1, dict(description='before upgrade'))
    assert (wire.calls[0]['method'], wire.calls[0]['url'], wire.calls[0]['json']) == (
        'POST',
        SNAPSHOTS,
        {'name': 'nightly', 'description': 'before upgrade'},
    )
    assert (snapshot['id'], snapshot['status'], snapshot['hostname']) == ('s-9', 'new', 'web-1')
    api(wire, wire.reply(200, created)).take('nightly', WEB_1, dict(description=None))
    assert wire.calls[1]['json'] == {'name': 'nightly'}


@pytest.mark.parametrize('lost', [requests.exceptions.ReadTimeout('slow'), 'HTTP 502'])
def test_take_after_a_lost_answer_is_the_snapshot_of_that_name_not_among_the_known_ones(wire, lost):
    known = [dict(id='s-old')]
    answer = wire.reply(502, text='Bad Gateway') if lost == 'HTTP 502' else lost
    found = listed(('s-old', 'nightly'), ('s-mine-1', 'nightly'), ('s-mine-2', 'nightly'), ('s-other', 'weekly'))
    snapshots = api(wire, answer, wire.reply(200, found))
    snapshot = snapshots.take('nightly', WEB_1, {}, known=known)
    assert (
        snapshot['id'] == 's-mine-2' and snapshot['hostname'] == 'web-1'
    )  # the newest: the API lists in creation order
    assert [call['method'] for call in wire.calls] == ['POST', 'GET']
    assert 's-mine-2' in snapshots.api.retry_report()['lost_answers'][0]


def test_take_after_a_lost_answer_that_created_nothing_sends_again(wire):
    snapshots = api(
        wire,
        requests.exceptions.ReadTimeout('slow'),
        wire.reply(200, listed(('s-old', 'nightly'))),
        wire.reply(200, listed(('s-new', 'nightly'))[0]),
    )
    assert snapshots.take('nightly', WEB_1, {}, known=[dict(id='s-old')])['id'] == 's-new'
    assert [call['method'] for call in wire.calls] == ['POST', 'GET', 'POST']
    assert 'lost_answers' not in snapshots.api.retry_report()


def test_take_refused_by_a_409_is_not_looked_for(wire):
    with pytest.raises(CivoAPIError) as caught:
        api(wire, wire.reply(409, {'code': 'database_snapshot_name_taken'})).take('nightly', WEB_1, {})
    assert caught.value.status == 409 and len(wire.calls) == 1


def test_predict_is_a_new_snapshot_with_what_only_the_api_can_tell_empty(wire):
    predicted = api(wire, region='FRA1').predict(
        'n', dict(id='i-web-1', hostname='web-1', region=None), dict(description='d')
    )
    assert sorted(predicted) == sorted(FIELDS)
    assert (predicted['name'], predicted['status'], predicted['description'], predicted['hostname']) == (
        'n',
        'new',
        'd',
        'web-1',
    )
    assert (predicted['id'], predicted['created_at'], predicted['api_status'], predicted['volumes']) == (
        None,
        None,
        None,
        [],
    )
    assert predicted['region'] == 'FRA1' and wire.calls == []


def test_update_puts_the_changes_and_trusts_an_answer_without_the_object(wire):
    old = dict(instance.normalise_snapshot(listed(('s-1', 'n'))[0], WEB_1), description='old')
    updated = api(wire, wire.reply(200, dict(listed(('s-1', 'n'))[0], description='new'))).update(
        old, dict(description='new')
    )
    assert (wire.calls[0]['method'], wire.calls[0]['url'], wire.calls[0]['json']) == (
        'PUT',
        SNAPSHOTS + '/s-1',
        {'description': 'new'},
    )
    assert updated['description'] == 'new' and updated['hostname'] == 'web-1'
    assert api(wire, wire.reply(200, {'result': 'success'})).update(old, dict(description='newer')) == dict(
        old, description='newer'
    )


def test_delete_is_by_id_and_a_snapshot_already_gone_counts_as_deleted(wire):
    snapshot = dict(id='s-1', instance_id='i-web-1')
    snapshots = api(
        wire, wire.reply(200, {}), wire.reply(404, {}), wire.reply(404, {'code': 'database_snapshot_not_found'})
    )
    assert [snapshots.delete(snapshot) for dummy in range(3)] == [True, False, False]
    assert [(call['method'], call['url']) for call in wire.calls] == [('DELETE', SNAPSHOTS + '/s-1')] * 3


def test_a_list_that_is_not_an_array_is_an_api_error(wire):
    with pytest.raises(CivoAPIError, match='expected a JSON array of snapshots, got dict'):
        api(wire, wire.reply(200, {'items': []})).list(WEB_1)
