# -*- coding: utf-8 -*-
# Copyright: (c) 2026, civo.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""An in-memory region of Civo's per-instance snapshot API (current-api.md 1a, 1b) answering CivoAPI.request."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime
import uuid

from ansible_collections.civo.cloud.plugins.module_utils.civo_api import CivoAPIError

INSTANCES = [
    {'id': 'i-web-1', 'hostname': 'web-1', 'region': 'LON1', 'volumes': ['v-1']},
    {'id': 'i-web-2', 'hostname': 'web-2', 'region': 'LON1', 'volumes': []},
]
# State words by source (current-api.md 0.5): new, in progress, complete, failed.
SPELLINGS = {
    'civogo': ('pending', 'pending', 'completed', 'failed'),
    'docs': ('', 'in_progress', 'Complete', 'Failed'),
    'available': ('pending', 'in_progress', 'available', 'error'),
    'ready': ('pending', 'creating', 'Ready', 'Error'),
}


def iso_ago(seconds):
    stamp = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(seconds=seconds)
    return stamp.strftime('%Y-%m-%dT%H:%M:%SZ')


class FakeInstanceCivo:
    """Snapshots reach their final state after `gets_to_complete` GETs by id (the first GET answers "in progress")."""

    def __init__(self):
        self.instances = [dict(item) for item in INSTANCES]
        self.snapshots = []  # in creation order, as the API lists them
        self.calls = []
        self.bodies = []
        self.spelling = 'civogo'
        self.gets_to_complete = 1
        self.failing_instances = set()
        self.current_api = True
        self.unique_names = False

    def add(self, name, instance_id='i-web-1', phase=2, age=60, description=''):
        snapshot = dict(id=str(uuid.uuid4()), name=name, instance_id=instance_id, description=description, phase=phase,
                        created_at=iso_ago(age), gets=0)
        self.snapshots.append(snapshot)
        return snapshot

    def mutations(self):
        return [call for call in self.calls if call[0] in ('POST', 'PUT', 'DELETE')]

    def word(self, snapshot):
        new, progress, complete, failed = SPELLINGS[self.spelling]
        if snapshot['phase'] == 2:
            return failed if snapshot['instance_id'] in self.failing_instances else complete
        return (new, progress)[snapshot['phase']]

    def shape(self, snapshot):
        instance = self.instance(snapshot['instance_id'])
        state = self.word(snapshot)
        return dict(id=snapshot['id'], name=snapshot['name'], description=snapshot['description'],
                    included_volumes=list(instance['volumes']),
                    status=dict(state=state, volumes=[dict(id=volume, state=state) for volume in instance['volumes']]),
                    created_at=snapshot['created_at'])

    def instance(self, instance_id):
        for item in self.instances:
            if item['id'] == instance_id:
                return item
        return None

    def error(self, method, path, status, code, reason='simulated'):
        return CivoAPIError(method, path, status, code, reason)

    def request(self, method, path, params=None, data=None, json_body=None):
        self.calls.append((method, path))
        self.bodies.append(json_body)
        parts = path.strip('/').split('/')[1:]  # without 'v2'
        if parts == ['instances']:
            return {'page': 1, 'per_page': 100, 'pages': 1, 'items': self.instances}
        if parts[0] == 'instances' and len(parts) == 2:
            if self.instance(parts[1]) is None:
                raise self.error(method, path, 404, 'database_instance_not_found')
            return self.instance(parts[1])
        if not self.current_api:
            raise self.error(method, path, 404, 'not_found', 'not available in this region')
        if parts == ['resourcesnapshots']:
            return [dict(id=s['id'], name=s['name'], description=s['description'], resource_type='instance', created_at=s['created_at'],
                         instance=dict(self.shape(s), id=s['instance_id'], name=self.instance(s['instance_id'])['hostname']))
                    for s in self.snapshots]
        if self.instance(parts[1]) is None:
            raise self.error(method, path, 404, 'database_instance_not_found')
        mine = [s for s in self.snapshots if s['instance_id'] == parts[1]]
        if len(parts) == 3:
            if method == 'GET':
                return [self.shape(s) for s in mine]
            if method == 'POST':
                if self.unique_names and any(s['name'] == json_body['name'] for s in mine):
                    raise self.error(method, path, 409, 'database_snapshot_name_taken')
                snapshot = self.add(json_body['name'], parts[1], phase=0, age=0, description=json_body.get('description', ''))
                return self.shape(snapshot)
        found = [s for s in mine if s['id'] == parts[3]]
        if not found:
            raise self.error(method, path, 404, 'database_snapshot_not_found')
        snapshot = found[0]
        if method == 'GET':
            snapshot['gets'] += 1
            snapshot['phase'] = 2 if snapshot['gets'] > self.gets_to_complete else max(snapshot['phase'], 1)
            return self.shape(snapshot)
        if method == 'PUT':
            snapshot['description'] = json_body.get('description', snapshot['description'])
            return self.shape(snapshot)
        if method == 'DELETE':
            self.snapshots.remove(snapshot)
            return {'result': 'success'}
        raise AssertionError('unexpected call %s %s' % (method, path))
