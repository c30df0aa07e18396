# -*- coding: utf-8 -*-
# Copyright: (c) 2026, civo.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Run a module's main() in-process against an in-memory Civo account; the HTTP transport is what is replaced."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime
import uuid

import pytest

from ansible.module_utils import basic

from ansible_collections.civo.cloud.plugins.module_utils import snapshot_account, snapshot_instance
from ansible_collections.civo.cloud.plugins.module_utils.civo_api import CivoAPI, CivoAPIError

from ..fake_instance_api import FakeInstanceCivo
from ..module_args import patch_module_args
from ..virtual_time import VirtualTime

TOKEN = 'unit-module-token-9876543210'
INSTANCES = [
    {'id': 'i-web-1', 'hostname': 'web-1', 'region': 'LON1'},
    {'id': 'i-web-2', 'hostname': 'web-2', 'region': 'LON1'},
    {'id': 'i-twin-a', 'hostname': 'twin', 'region': 'LON1'},
    {'id': 'i-twin-b', 'hostname': 'twin', 'region': 'LON1'},
]


class ModuleExit(Exception):
    def __init__(self, result, failed):
        super(ModuleExit, self).__init__(result)
        self.result = result
        self.failed = failed


def iso_ago(seconds):
    return (datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(seconds=seconds)).isoformat()


class FakeCivo:
    """An in-memory account that answers CivoAPI.request. Snapshots complete after `polls_to_complete` list calls."""

    def __init__(self):
        self.snapshots = {}
        self.calls = []
        self.polls_to_complete = 1
        self.final_status = 'complete'
        self.instances = list(INSTANCES)

    def add(self, name, instance_id='i-web-1', status='complete', age=60, **fields):
        snapshot = dict(id=str(uuid.uuid4()), name=name, instance_id=instance_id, hostname=None, safe=False,
                        status=status, cron_timing=None, size_gb=25, requested_at=iso_ago(age), completed_at=None, region='LON1')
        snapshot.update(fields)
        self.snapshots[name] = snapshot
        return snapshot

    def mutations(self):
        return [call for call in self.calls if call[0] in ('PUT', 'DELETE')]

    def request(self, method, path, params=None, data=None):
        self.calls.append((method, path))
        if method == 'GET' and path == '/v2/snapshots':
            for snapshot in self.snapshots.values():
                if snapshot.get('status') in ('new', 'in-progress') and not snapshot.get('cron_timing'):
                    snapshot['_polls'] = snapshot.get('_polls', 0) + 1
                    if snapshot['_polls'] > self.polls_to_complete:
                        snapshot['status'] = self.final_status
                    else:
                        snapshot['status'] = 'in-progress'
            return [dict((k, v) for k, v in s.items() if not k.startswith('_')) for s in self.snapshots.values()]
        if method == 'GET' and path == '/v2/instances':
            return {'page': 1, 'per_page': 100, 'pages': 1, 'items': self.instances}
        name = path.rsplit('/', 1)[-1]
        if method == 'PUT':
            if not any(item['id'] == data['instance_id'] for item in self.instances):
                raise CivoAPIError('PUT', path, 404, 'database_snapshot_create_instance_not_found', 'The instance was not found')
            old = self.snapshots.get(name, {})
            snapshot = self.add(name, instance_id=data['instance_id'], status='new', age=0, safe=data['safe'] == 'true',
                                cron_timing=data.get('cron_timing'), size_gb=None, id=old.get('id', str(uuid.uuid4())))
            return dict(snapshot)
        if method == 'DELETE':
            if name not in self.snapshots:
                raise CivoAPIError('DELETE', path, 404, 'database_snapshot_not_found', 'The snapshot was not found')
            del self.snapshots[name]
            return {'name': name, 'result': 'success'}
        raise AssertionError('unexpected call %s %s' % (method, path))


@pytest.fixture
def civo(monkeypatch):
    fake = FakeCivo()
    monkeypatch.setattr(CivoAPI, 'request', lambda self, method, path, params=None, data=None, json_body=None: fake.request(method, path, params, data))
    monkeypatch.setattr(snapshot_account, 'time', VirtualTime(start=1000000.0))
    return fake


@pytest.fixture
def civo_instance(monkeypatch):
    """A region with the per-instance snapshot API (snapshot_api=instance), behind the transport."""
    fake = FakeInstanceCivo()
    monkeypatch.setattr(CivoAPI, 'request', lambda self, method, path, params=None, data=None, json_body=None: fake.request(
        method, path, params, data, json_body))
    monkeypatch.setattr(snapshot_instance, 'time', VirtualTime(start=1000000.0))
    return fake


@pytest.fixture
def run(monkeypatch):
    """run(module, args, check_mode=False) -> (result, failed)."""
    def exit_json(self, **result):
        raise ModuleExit(result, False)

    def fail_json(self, **result):
        raise ModuleExit(result, True)

    monkeypatch.setattr(basic.AnsibleModule, 'exit_json', exit_json)
    monkeypatch.setattr(basic.AnsibleModule, 'fail_json', fail_json)
    warnings = []
    monkeypatch.setattr(basic.AnsibleModule, 'warn', lambda self, message: warnings.append(message))

    def run_module(module, args, check_mode=False):
        args = dict(args, api_token=TOKEN, _ansible_check_mode=check_mode, _ansible_diff=True)
        with patch_module_args(args):
            try:
                module.main()
            except ModuleExit as done:
                done.result['warnings'] = list(warnings)
                del warnings[:]
                return done.result, done.failed
        raise AssertionError('the module neither exited nor failed')
    return run_module
