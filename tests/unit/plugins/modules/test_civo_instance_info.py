# -*- coding: utf-8 -*-
# Copyright: (c) 2026, civo.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""civo_instance_info: one listing, the documented keys only, the hostname filter."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.civo.cloud.plugins.modules import civo_instance_info


def test_lists_every_instance_with_one_request_and_only_documented_keys(civo, run):
    civo.instances[0] = dict(civo.instances[0], initial_password='secret-ish')
    result, failed = run(civo_instance_info, {})
    assert not failed and result['changed'] is False
    assert [item['hostname'] for item in result['instances']] == ['web-1', 'web-2', 'twin', 'twin']
    assert set(result['instances'][0]) == set(civo_instance_info.INSTANCE_FIELDS)
    assert result['instances'][0]['size'] is None
    assert civo.calls == [('GET', '/v2/instances')]


def test_hostname_filter_keeps_every_instance_of_that_name(civo, run):
    result, failed = run(civo_instance_info, {'hostname': 'twin'})
    assert not failed
    assert [item['id'] for item in result['instances']] == ['i-twin-a', 'i-twin-b']
    result, failed = run(civo_instance_info, {'hostname': 'nope'}, check_mode=True)
    assert not failed and result['instances'] == []


def test_empty_hostname_fails_before_any_request(civo, run):
    result, failed = run(civo_instance_info, {'hostname': ' '})
    assert failed and 'hostname must not be an empty string' in result['msg']
    assert civo.calls == []


@pytest.mark.parametrize('snapshot_api', ['account', 'instance'])
def test_snapshot_api_is_accepted_and_changes_nothing(civo, run, snapshot_api):
    result, failed = run(civo_instance_info, dict(snapshot_api=snapshot_api))
    assert not failed and len(result['instances']) == 4 and civo.calls == [('GET', '/v2/instances')]
