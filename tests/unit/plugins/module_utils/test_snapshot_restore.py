# -*- coding: utf-8 -*-
# Copyright: (c) 2026, civo.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The restore operation's shapes, the snapshot as the restore reports it, and the restore input rules."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.civo.cloud.plugins.module_utils import input_rules as rules
from ansible_collections.civo.cloud.plugins.module_utils import snapshot_restore as restore
from ansible_collections.civo.cloud.plugins.module_utils.snapshot_instance import normalise_snapshot

FLAT = {'id': 'restore-op-67890', 'name': 'restored-snapshot-op-name', 'hostname': 'restored-instance',
        'description': 'Restored snapshot', 'from_snapshot': '12345', 'private_ipv4': '10.0.0.5', 'overwrite_existing': False,
        'status': {'state': 'in_progress'}, 'created_at': '2023-01-01T12:00:00Z', 'completed_at': None}


@pytest.mark.parametrize('body', [FLAT, {'resource_type': 'instance', 'instance': FLAT}], ids=['flat', 'wrapped'])
def test_both_answers_of_civogo_give_one_shape(body):
    operation = restore.normalise_restore(body)
    assert sorted(operation) == sorted(restore.RESTORE_FIELDS)
    assert operation['id'] == 'restore-op-67890' and operation['status'] == {'state': 'in_progress'}
    assert operation['created_at'] == '2023-01-01T12:00:00+00:00' and operation['completed_at'] is None


def test_an_operation_with_the_older_include_volumes_field_keeps_the_known_fields():
    operation = restore.normalise_restore(dict(FLAT, include_volumes=True, status='in_progress'))
    assert 'include_volumes' not in operation and operation['status'] == {'state': 'in_progress'}


@pytest.mark.parametrize('state, status', [('Complete', 'complete'), ('creating', 'in-progress'), ('Error', 'failed'), ('', 'new')])
def test_a_snapshot_is_reported_in_the_restores_shape_with_its_own_spelling_kept(state, status):
    raw = {'id': 's', 'name': 'n', 'description': 'before', 'status': {'state': state}, 'created_at': '2025-04-01T09:11:14Z'}
    snapshot = restore.restored_snapshot(normalise_snapshot(raw, 'i-web-1', 'LON1'))
    assert snapshot == {'id': 's', 'name': 'n', 'description': 'before', 'status': status, 'state': state,
                        'created_at': '2025-04-01T09:11:14+00:00'}


def test_no_snapshot_is_reported_as_an_empty_dict():
    assert restore.restored_snapshot({}) == {}


@pytest.mark.parametrize('instance, expected', [
    ({'status': 'RESTORING'}, True), ({'status': 'restoring', 'restored_from': 's-1'}, True),
    ({'status': 'RESTORING', 'restored_from': 's-9'}, False), ({'status': 'ACTIVE'}, False),
])
def test_a_restore_in_progress_counts_as_this_snapshots_unless_the_api_names_another(instance, expected):
    assert restore.is_restoring_from(instance, 's-1') is expected


@pytest.mark.parametrize('hostname', ['web-1', 'web-1.example.com', 'A1', 'x' * 63])
def test_good_hostnames(hostname):
    assert rules.hostname_problem(hostname) is None


@pytest.mark.parametrize('hostname', ['', ' ', '-web', 'web-', 'web_1', 'a..b', 'x' * 64, 'web 1', u'w\u00e9b'])
def test_bad_hostnames(hostname):
    assert rules.hostname_problem(hostname, 'hostname').startswith('hostname')


@pytest.mark.parametrize('address, ok', [('10.0.0.5', True), ('10.0.0.256', False), ('::1', False), ('web', False)])
def test_private_ipv4(address, ok):
    assert (rules.ipv4_problem(address, 'private_ipv4') is None) is ok
