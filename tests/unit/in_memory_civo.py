# -*- coding: utf-8 -*-
# Copyright: (c) 2026, civo.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""In-memory Civo regions for the unit tests, one per API family; conftest.py plugs them into the replaced transport.

Each answers request(method, path, params, data, json_body) with the decoded body of Civo's answer, or raises the
CivoAPIError whose status, code and reason the transport sends back as Civo's error. Each records its calls as
(method, path); mutations() are the calls that change something.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
import datetime
import uuid

from ansible_collections.civo.cloud.plugins.module_utils.errors import CivoAPIError

# The instances of the regions, as GET /v2/instances lists them.
INSTANCES = [
    {'id': 'i-web-1', 'hostname': 'web-1', 'region': 'LON1'},
    {'id': 'i-web-2', 'hostname': 'web-2', 'region': 'LON1'},
    {'id': 'i-twin-a', 'hostname': 'twin', 'region': 'LON1'},
    {'id': 'i-twin-b', 'hostname': 'twin', 'region': 'LON1'},
]


def ago(seconds):
    return datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(seconds=seconds)


def listing(instances):
    return {'page': 1, 'per_page': 100, 'pages': 1, 'items': instances}


class AccountRegion:
    """The account-wide snapshot API (/v2/snapshots). Snapshots complete after `polls_to_complete` list calls."""

    def __init__(self):
        self.snapshots = {}
        self.calls = []
        self.polls_to_complete = 1
        self.final_status = 'complete'
        self.instances = list(INSTANCES)

    def add(self, name, instance_id='i-web-1', status='complete', age=60, **fields):
        snapshot = dict(
            id=str(uuid.uuid4()),
            name=name,
            instance_id=instance_id,
            hostname=None,
            safe=False,
            status=status,
            cron_timing=None,
            size_gb=25,
            requested_at=ago(age).isoformat(),
            completed_at=None,
            region='LON1',
        )
        snapshot.update(fields)
        self.snapshots[name] = snapshot
        return snapshot

    def mutations(self):
        return [call for call in self.calls if call[0] in ('POST', 'PUT', 'DELETE')]

    def request(self, method, path, params=None, data=None, json_body=None):
        self.calls.append((method, path))
        if method == 'GET' and path == '/v2/snapshots':
            for snapshot in self.snapshots.values():
                if snapshot.get('status') in ('new', 'in-progress') and not snapshot.get('cron_timing'):
                    snapshot['_polls'] = snapshot.get('_polls', 0) + 1
                    snapshot['status'] = (
                        self.final_status if snapshot['_polls'] > self.polls_to_complete else 'in-progress'
                    )
            return [dict((k, v) for k, v in s.items() if not k.startswith('_')) for s in self.snapshots.values()]
        if method == 'GET' and path == '/v2/instances':
            return listing(self.instances)
        name = path.rsplit('/', 1)[-1]
        if method == 'PUT':
            if not any(item['id'] == data['instance_id'] for item in self.instances):
                raise CivoAPIError(
                    'PUT', path, 404, 'database_snapshot_create_instance_not_found', 'The instance was not found'
                )
            old = self.snapshots.get(name, {})
            snapshot = self.add(
                name,
                instance_id=data['instance_id'],
                status='new',
                age=0,
                safe=data['safe'] == 'true',
                cron_timing=data.get('cron_timing'),
                size_gb=None,
                id=old.get('id', str(uuid.uuid4())),
            )
            return dict(snapshot)
        if method == 'DELETE':
            if name not in self.snapshots:
                raise CivoAPIError('DELETE', path, 404, 'database_snapshot_not_found', 'The snapshot was not found')
            del self.snapshots[name]
            return {'name': name, 'result': 'success'}
        raise AssertionError('unexpected call %s %s' % (method, path))


# State words of the per-instance API by source (current-api.md 0.5): new, in progress, complete, failed.
SPELLINGS = {
    'civogo': ('pending', 'pending', 'completed', 'failed'),
    'docs': ('', 'in_progress', 'Complete', 'Failed'),
    'available': ('pending', 'in_progress', 'available', 'error'),
    'ready': ('pending', 'creating', 'Ready', 'Error'),
}


class InstanceRegion:
    """The per-instance snapshot API (current-api.md 1a, 1b). A snapshot reaches its final state after
    `gets_to_complete` GETs by id (the first GET answers "in progress"): failed for the snapshots taken of an instance
    while it is among `failing_instances`, else complete."""

    def __init__(self):
        self.instances = [
            {'id': 'i-web-1', 'hostname': 'web-1', 'region': 'LON1', 'volumes': ['v-1']},
            {'id': 'i-web-2', 'hostname': 'web-2', 'region': 'LON1', 'volumes': []},
        ]
        self.snapshots = []  # in creation order, as the API lists them
        self.calls = []
        self.bodies = []
        self.spelling = 'civogo'
        self.gets_to_complete = 1
        self.failing_instances = set()
        self.current_api = True
        self.unique_names = False

    def add(self, name, instance_id='i-web-1', phase=2, age=60, description=''):
        snapshot = dict(
            id=str(uuid.uuid4()),
            name=name,
            instance_id=instance_id,
            description=description,
            phase=phase,
            created_at=ago(age).strftime('%Y-%m-%dT%H:%M:%SZ'),
            gets=0,
            fails=instance_id in self.failing_instances,
        )
        self.snapshots.append(snapshot)
        return snapshot

    def mutations(self):
        return [call for call in self.calls if call[0] in ('POST', 'PUT', 'DELETE')]

    def word(self, snapshot):
        new, progress, complete, failed = SPELLINGS[self.spelling]
        if snapshot['phase'] == 2:
            return failed if snapshot['fails'] else complete
        return (new, progress)[snapshot['phase']]

    def shape(self, snapshot):
        instance = self.instance(snapshot['instance_id'])
        state = self.word(snapshot)
        return dict(
            id=snapshot['id'],
            name=snapshot['name'],
            description=snapshot['description'],
            included_volumes=list(instance['volumes']),
            status=dict(state=state, volumes=[dict(id=volume, state=state) for volume in instance['volumes']]),
            created_at=snapshot['created_at'],
        )

    def instance(self, instance_id):
        return next((item for item in self.instances if item['id'] == instance_id), None)

    def request(self, method, path, params=None, data=None, json_body=None):
        self.calls.append((method, path))
        self.bodies.append(json_body)
        parts = path.strip('/').split('/')[1:]  # without 'v2'
        if parts == ['instances']:
            return listing(self.instances)
        if parts[0] == 'instances' and len(parts) == 2:
            if self.instance(parts[1]) is None:
                raise CivoAPIError(method, path, 404, 'database_instance_not_found', 'simulated')
            return self.instance(parts[1])
        if not self.current_api:
            raise CivoAPIError(method, path, 404, 'not_found', 'not available in this region')
        if parts == ['resourcesnapshots']:
            return [
                dict(
                    id=s['id'],
                    name=s['name'],
                    description=s['description'],
                    resource_type='instance',
                    created_at=s['created_at'],
                    instance=dict(self.shape(s), id=s['instance_id'], name=self.instance(s['instance_id'])['hostname']),
                )
                for s in self.snapshots
            ]
        if self.instance(parts[1]) is None:
            raise CivoAPIError(method, path, 404, 'database_instance_not_found', 'simulated')
        mine = [s for s in self.snapshots if s['instance_id'] == parts[1]]
        if len(parts) == 3:
            if method == 'GET':
                return [self.shape(s) for s in mine]
            if method == 'POST':
                if self.unique_names and any(s['name'] == json_body['name'] for s in mine):
                    raise CivoAPIError(method, path, 409, 'database_snapshot_name_taken', 'simulated')
                snapshot = self.add(
                    json_body['name'], parts[1], phase=0, age=0, description=json_body.get('description', '')
                )
                return self.shape(snapshot)
        found = [s for s in mine if s['id'] == parts[3]]
        if not found:
            raise CivoAPIError(method, path, 404, 'database_snapshot_not_found', 'simulated')
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


class RestoreRegion:
    """Instances and their snapshots of the per-instance API, for restores. A restored instance stays busy for
    `busy_polls` reads of instances; a snapshot being taken completes after `snapshot_polls` reads."""

    def __init__(self):
        self.instances = {
            'i-web-1': {'id': 'i-web-1', 'hostname': 'web-1', 'status': 'ACTIVE', 'region': 'LON1'},
            'i-web-2': {'id': 'i-web-2', 'hostname': 'web-2', 'status': 'ACTIVE', 'region': 'LON1'},
        }
        self.snapshots = {'i-web-1': [self.snapshot('s-1', 'before', 'completed')]}
        self.calls = []
        self.bodies = []
        self.busy_polls = 2
        self.snapshot_polls = 1
        self.wrapped = False
        self.current_api = True

    @staticmethod
    def snapshot(snapshot_id, name, state):
        return {
            'id': snapshot_id,
            'name': name,
            'description': '',
            'status': {'state': state},
            'created_at': '2026-11-29T03:00:02Z',
        }

    def mutations(self):
        return [call for call in self.calls if call[0] != 'GET']

    def tick(self):
        for instance in self.instances.values():
            if instance.get('_busy'):
                instance['_busy'] -= 1
                if not instance['_busy']:
                    instance['status'] = 'ACTIVE'

    @staticmethod
    def public(instance):
        return dict((key, value) for key, value in instance.items() if not key.startswith('_'))

    def request(self, method, path, params=None, data=None, json_body=None):
        self.calls.append((method, path))
        self.bodies.append(json_body)
        parts = path.strip('/').split('/')
        if method == 'GET' and path == '/v2/instances':
            self.tick()
            return {'page': 1, 'pages': 1, 'items': [self.public(item) for item in self.instances.values()]}
        instance = self.instances.get(parts[2]) if len(parts) > 2 else None
        if instance is None:
            raise CivoAPIError(method, path, 404, 'database_instance_not_found', 'The instance could not be found')
        if len(parts) == 3:
            self.tick()
            return self.public(instance)
        if not self.current_api:
            raise CivoAPIError(method, path, 404, 'not_found', 'Not available in this region')
        snapshots = self.snapshots.setdefault(instance['id'], [])
        if len(parts) == 4:
            return [dict(item) for item in snapshots]
        snapshot = next(item for item in snapshots if item['id'] == parts[4])
        if method == 'GET':
            self.snapshot_polls -= 1
            if self.snapshot_polls <= 0 and snapshot['status']['state'] == 'pending':
                snapshot['status']['state'] = 'completed'
            return dict(snapshot)
        return self.restore(instance, snapshot, json_body)

    def restore(self, instance, snapshot, body):
        if body.get('overwrite_existing'):
            target = instance
        else:
            target = {'id': 'i-new', 'hostname': body['hostname'], 'region': 'LON1'}
            self.instances['i-new'] = target
        target.update(
            status='RESTORING' if target is instance else 'BUILDING',
            restored_from=snapshot['id'],
            _busy=self.busy_polls,
        )
        answer = {
            'id': 'restore-1',
            'name': 'restore-before',
            'hostname': target['hostname'],
            'description': body.get('description', ''),
            'from_snapshot': snapshot['id'],
            'private_ipv4': '',
            'overwrite_existing': bool(body.get('overwrite_existing')),
            'status': {'state': 'in_progress'},
            'created_at': '2026-11-29T03:10:00Z',
            'completed_at': None,
        }
        return {'resource_type': 'instance', 'instance': answer} if self.wrapped else answer


SCHEDULES_PATH = '/v2/resourcesnapshotschedules'


class ScheduleRegion:
    """Snapshot schedules as civogo's structs describe them: a create takes instance_id/include_volumes and answers
    id/included_volumes."""

    def __init__(self):
        self.schedules = []
        self.calls = []
        self.bodies = []
        self.instances = list(INSTANCES)
        self.volumes = {'i-web-1': ['vol-web-1']}
        self.counter = 0

    def add(
        self,
        name='nightly',
        cron='0 3 * * *',
        max_snapshots=7,
        instance_ids=('i-web-1',),
        paused=False,
        volumes=False,
        **fields,
    ):
        self.counter += 1
        schedule = dict(
            id='sched-%d' % self.counter,
            name=name,
            description=fields.pop('description', ''),
            cron_expression=cron,
            paused=paused,
            retention=dict(max_snapshots=max_snapshots),
            instances=[
                dict(id=i, size='g3.small', included_volumes=self.volumes.get(i, []) if volumes else [])
                for i in instance_ids
            ],
            status=dict(state='active', last_snapshot=dict(id='', name='', state='')),
            created_at='2026-11-29T15:00:00Z',
        )
        schedule.update(fields)
        self.schedules.append(schedule)
        return schedule

    def mutations(self):
        return [call for call in self.calls if call[0] != 'GET']

    def sent(self, method):
        return [body for (m, dummy), body in zip(self.calls, self.bodies) if m == method]

    def request(self, method, path, params=None, data=None, json_body=None):
        self.calls.append((method, path))
        self.bodies.append(copy.deepcopy(json_body))
        if method == 'GET' and path == '/v2/instances':
            return listing(self.instances)
        if method == 'GET' and path == SCHEDULES_PATH:
            return copy.deepcopy(self.schedules)
        if method == 'POST' and path == SCHEDULES_PATH:
            body = json_body
            for entry in body['instances']:
                if not any(item['id'] == entry['instance_id'] for item in self.instances):
                    raise CivoAPIError(
                        'POST', path, 422, 'unknown_instance', 'instance %s was not found' % entry['instance_id']
                    )
            assert 'period' not in body['retention']
            return copy.deepcopy(
                self.add(
                    body['name'],
                    body['cron_expression'],
                    body['retention']['max_snapshots'],
                    [entry['instance_id'] for entry in body['instances']],
                    volumes=body['instances'][0]['include_volumes'],
                    description=body.get('description', ''),
                )
            )
        schedule_id = path.rsplit('/', 1)[-1]
        schedule = next((s for s in self.schedules if s['id'] == schedule_id), None)
        if schedule is None:
            raise CivoAPIError(method, path, 404, 'not_found', 'schedule not found')
        if method == 'PUT':
            assert set(json_body) <= {'name', 'description', 'paused'}
            schedule.update(json_body)
            return copy.deepcopy(schedule)
        if method == 'DELETE':
            self.schedules.remove(schedule)
            return {'result': 'success'}
        raise AssertionError('unexpected call %s %s' % (method, path))
