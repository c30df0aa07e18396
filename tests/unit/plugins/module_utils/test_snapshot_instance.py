# -*- coding: utf-8 -*-
# Copyright: (c) 2026, civo.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The per-instance API's shapes (as Civo's sources print them), its state words, its name rule and the backend factory."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.civo.cloud.plugins.module_utils import input_rules as rules
from ansible_collections.civo.cloud.plugins.module_utils import snapshot_backend as backend
from ansible_collections.civo.cloud.plugins.module_utils import snapshot_common as common
from ansible_collections.civo.cloud.plugins.module_utils import snapshot_instance as instance
from ansible_collections.civo.cloud.plugins.module_utils.snapshot_account import AccountSnapshots

DOCS_SAMPLE = {  # the create answer of Civo's API page (its JSON repaired)
    'id': 'snapshot-uuid', 'name': 'instance-snapshot-name', 'description': 'a description of the instance snapshot',
    'included_volumes': ['volume_uuid_1', 'volume_uuid_2'],
    'status': {'state': 'Complete', 'volumes': [{'id': 'volume_uuid_1', 'state': 'Complete'}, {'id': 'volume_uuid_2', 'state': 'Complete'}]},
    'created_at': '2025-04-01T09:11:14Z',
}
RESOURCE_SAMPLE = {  # civogo resource_snapshot_test.go list item
    'id': '12345', 'name': 'test-snapshot', 'description': 'Test snapshot', 'resource_type': 'instance',
    'created_at': '2023-01-01T12:00:00Z',
    'instance': {'id': 'inst-12345', 'name': 'test-instance', 'description': 'Test instance',
                 'status': {'state': 'available'}, 'created_at': '2023-01-01T12:00:00Z'},
}


def test_the_documented_shape_is_read():
    snapshot = instance.normalise_snapshot(DOCS_SAMPLE, 'i-1', 'LON1')
    assert sorted(snapshot) == sorted(instance.SNAPSHOT_FIELDS)
    assert (snapshot['status'], snapshot['api_status']) == ('complete', 'Complete')
    assert snapshot['requested_at'] == snapshot['created_at'] == '2025-04-01T09:11:14+00:00'
    assert snapshot['volumes'] == [{'id': 'volume_uuid_1', 'state': 'Complete'}, {'id': 'volume_uuid_2', 'state': 'Complete'}]
    assert (snapshot['instance_id'], snapshot['region'], snapshot['safe'], snapshot['cron_timing']) == ('i-1', 'LON1', None, None)


def test_an_empty_status_right_after_creation_is_new():
    snapshot = instance.normalise_snapshot({'id': 's', 'name': 'n', 'status': {}, 'created_at': '2025-04-01T09:11:14Z'}, 'i-1')
    assert snapshot['status'] == 'new' and snapshot['api_status'] == '' and snapshot['volumes'] == []


def test_a_resource_snapshot_carries_its_instance_id():
    snapshot = instance.normalise_resource_snapshot(RESOURCE_SAMPLE, 'LON1')
    assert (snapshot['id'], snapshot['name'], snapshot['instance_id']) == ('12345', 'test-snapshot', 'inst-12345')
    assert (snapshot['status'], snapshot['description'], snapshot['hostname']) == ('complete', 'Test snapshot', None)


@pytest.mark.parametrize('raw', [{'status': 'Complete'}, {'state': 'completed'}, {'status': {'state': 'Ready'}}])
def test_a_flatter_state_is_read_too(raw):
    assert instance.normalise_snapshot(dict(raw, id='s', name='n'), 'i-1')['status'] == 'complete'


def test_a_resource_snapshot_without_its_own_description_does_not_take_the_instances():
    raw = dict(RESOURCE_SAMPLE, description='')
    assert instance.normalise_resource_snapshot(raw)['description'] == ''


@pytest.mark.parametrize('word, status', [
    ('', 'new'), ('pending', 'new'), ('Pending', 'new'), (None, 'new'),
    ('in_progress', 'in-progress'), ('In-Progress', 'in-progress'), ('creating', 'in-progress'), ('something new', 'in-progress'),
    ('completed', 'complete'), ('Complete', 'complete'), ('available', 'complete'), ('Ready', 'complete'), ('READY', 'complete'),
    ('failed', 'failed'), ('Failed', 'failed'), ('error', 'failed'), ('Error', 'failed'), ('creation_failed', 'failed'),
])
def test_state_words_are_matched_case_insensitively(word, status):
    assert common.status_of_api_state(word) == status


@pytest.mark.parametrize('name, ok', [
    ('web-1-nightly', True), ('a', True), ('0', True), ('a' * 63, True),
    ('a' * 64, False), ('Web-1', False), ('web_1', False), ('web.1', False), ('-web', False), ('web-', False), ('', False),
    ('web 1', False), ('wéb', False),
])
def test_the_rfc_1123_label_rule(name, ok):
    assert (rules.label_name_problem(name) is None) is ok


class Module:
    def __init__(self, snapshot_api):
        self.params = dict(snapshot_api=snapshot_api)


def test_the_factory_builds_the_backend_the_option_names():
    assert isinstance(backend.snapshot_backend(Module('account'), api=object()), AccountSnapshots)
    assert isinstance(backend.snapshot_backend(Module('instance'), api=object()), instance.InstanceSnapshots)
    assert backend.snapshot_api_argument_spec()['snapshot_api']['fallback'][1] == ['CIVO_SNAPSHOT_API']


class ListedSnapshots:
    """Answers the list of i-web-1's snapshots, the one request InstanceSnapshots.find sends."""

    region = 'LON1'

    def __init__(self, *snapshots):
        self.snapshots = [dict(id=snapshot_id, name=name, status={'state': 'completed'}) for snapshot_id, name in snapshots]

    def request(self, method, path, json_body=None):
        assert (method, path) == ('GET', '/v2/instances/i-web-1/snapshots')
        return self.snapshots


def test_find_matches_an_id_before_a_name():
    snapshots = instance.InstanceSnapshots(ListedSnapshots(('s-1', 's-2'), ('s-2', 'before')))
    assert snapshots.find('i-web-1', 's-2')['name'] == 'before'
    assert snapshots.find('i-web-1', 's-1')['id'] == 's-1'


def test_find_by_a_name_that_is_not_unique_or_not_there_names_the_choices():
    snapshots = instance.InstanceSnapshots(ListedSnapshots(('s-1', 'before'), ('s-2', 'before'), ('s-3', 'nightly')))
    with pytest.raises(instance.SnapshotLookupError, match=r"web-1 has 2 snapshots named 'before' \(ids s-2, s-1\)"):
        snapshots.find('i-web-1', 'before', hostname='web-1')
    with pytest.raises(instance.SnapshotLookupError, match=r"i-web-1 has no snapshot .* 'nope' \(its snapshots: before, nightly\)"):
        snapshots.find('i-web-1', 'nope')
