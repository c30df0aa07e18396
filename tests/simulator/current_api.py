"""Civo's current snapshot API family, simulated: /v2/instances/:id/snapshots, /v2/resourcesnapshots,
/v2/resourcesnapshotschedules, plus the volume snapshots that now share /v2/snapshots.

Contract: what public sources show of the API (civogo v0.7.0 shapes; README.md). Everything runs on one simulated clock
(scaled by time_scale, moved forward by advance_clock()); schedules catch up lazily on every request, so a test that
advances the clock sees exactly the runs it skipped over. CurrentApi is a mixin of civo_simulator.Simulator, which owns
the lock, the config and the HTTP machinery.
"""

import datetime
import re
import time
import uuid

from api_common import ApiError, epoch_seconds, is_number, parse_bool
from sim_cron import Cron

RFC1123_LABEL_RE = re.compile(r'^[a-z0-9]([a-z0-9-]*[a-z0-9])?$')
DEFAULT_REGION = 'LON1'
PHASES = ('new', 'in_progress', 'complete', 'failed')
FINAL_PHASES = ('complete', 'failed')
# Spellings of the snapshot phases seen in Civo's sources (current-api.md section 0.5); config instance_snapshot_states.
STATE_PRESETS = {
    'civogo': {'new': 'pending', 'in_progress': 'pending', 'complete': 'completed', 'failed': 'failed'},
    'docs': {'new': '', 'in_progress': 'in_progress', 'complete': 'Complete', 'failed': 'Failed'},
    'available': {'new': 'pending', 'in_progress': 'in_progress', 'complete': 'available', 'failed': 'error'},
    'ready': {'new': 'pending', 'in_progress': 'creating', 'complete': 'Ready', 'failed': 'Error'},
}
RESTORE_SHAPES = ('flat', 'wrapped')
CONFIG_DEFAULTS = {
    'current_api': True,
    'instance_snapshot_states': 'civogo',
    'restore_shape': 'flat',
    'instance_snapshot_unique_names': False,
    'restore_seconds': 2.0,
}
MIN_SCHEDULE_GAP_MINUTES = 10
MAX_RETAINED = 10
SCHEDULE_CATCH_UP_LIMIT = 100000  # minutes examined per schedule and request; a longer jump skips the oldest runs
INSTANCE_SNAPSHOT_SEED_FIELDS = (
    'id',
    'instance_id',
    'name',
    'description',
    'included_volumes',
    'created_at',
    'phase',
    'schedule_id',
)
SCHEDULE_SEED_FIELDS = ('id', 'name', 'description', 'cron_expression', 'retention', 'instances', 'paused')
VOLUME_SNAPSHOT_FIELDS = (
    'name',
    'snapshot_id',
    'snapshot_description',
    'volume_id',
    'instance_id',
    'source_volume_name',
    'restore_size',
    'state',
    'creation_time',
)

INSTANCE_SNAPSHOTS = r'^/v2/instances/([^/]+)/snapshots'
# path pattern -> {HTTP method: name of the Simulator method answering it}; these routes obey config current_api.
ROUTES = (
    (re.compile(INSTANCE_SNAPSHOTS + r'$'), {'GET': '_list_instance_snapshots', 'POST': '_create_instance_snapshot'}),
    (
        re.compile(INSTANCE_SNAPSHOTS + r'/([^/]+)$'),
        {'GET': '_get_instance_snapshot', 'PUT': '_update_instance_snapshot', 'DELETE': '_delete_instance_snapshot'},
    ),
    (re.compile(INSTANCE_SNAPSHOTS + r'/([^/]+)/restore$'), {'POST': '_restore_instance_snapshot'}),
    (re.compile(r'^/v2/resourcesnapshots$'), {'GET': '_list_resource_snapshots'}),
    (
        re.compile(r'^/v2/resourcesnapshots/([^/]+)$'),
        {'GET': '_get_resource_snapshot', 'PUT': '_update_resource_snapshot', 'DELETE': '_delete_resource_snapshot'},
    ),
    (re.compile(r'^/v2/resourcesnapshots/([^/]+)/restore$'), {'POST': '_restore_resource_snapshot'}),
    (re.compile(r'^/v2/resourcesnapshotschedules$'), {'GET': '_list_schedules', 'POST': '_create_schedule'}),
    (
        re.compile(r'^/v2/resourcesnapshotschedules/([^/]+)$'),
        {'GET': '_get_schedule', 'PUT': '_update_schedule', 'DELETE': '_delete_schedule'},
    ),
)


def valid_config_value(key, value):
    """Is value acceptable for one of this family's config keys (CONFIG_DEFAULTS)?"""
    if key == 'current_api':
        return isinstance(value, bool) or (isinstance(value, list) and all(isinstance(region, str) for region in value))
    if key == 'instance_snapshot_states':
        if isinstance(value, dict):
            return set(value) == set(PHASES) and all(isinstance(word, str) for word in value.values())
        return value in STATE_PRESETS
    if key == 'restore_shape':
        return value in RESTORE_SHAPES
    if key == 'instance_snapshot_unique_names':
        return isinstance(value, bool)
    return is_number(value) and value >= 0  # restore_seconds


def rfc3339(epoch):
    if epoch is None:
        return None
    return datetime.datetime.fromtimestamp(epoch, datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ')


def _epoch(value, name):
    try:
        return float(epoch_seconds(value))
    except (TypeError, ValueError):
        raise ValueError('%s must be RFC 3339 text or epoch seconds, got %r' % (name, value)) from None


def check_snapshot_name(name):
    """An instance snapshot name is an RFC 1123 label; 422 parameter_name_invalid says which rule it breaks."""
    if not isinstance(name, str) or not name:
        raise ApiError(422, 'parameter_name_invalid', 'The snapshot name is required (an RFC 1123 label)')
    if len(name) > 63:
        raise ApiError(
            422,
            'parameter_name_invalid',
            'The snapshot name must be at most 63 characters (RFC 1123), got %d' % len(name),
        )
    if not RFC1123_LABEL_RE.match(name):
        raise ApiError(
            422,
            'parameter_name_invalid',
            'The snapshot name %r is not an RFC 1123 label: only lowercase letters, '
            'digits and "-", starting and ending with a letter or digit' % name,
        )


def _optional_text(params, key, status=422):
    value = params.get(key)
    if value is not None and not isinstance(value, str):
        raise ApiError(status, 'parameter_invalid', '%s must be a string' % key)
    return value


def _schedule_snapshot_name(schedule_name, epoch):
    """<schedule-name>-<yyyymmddhhmm>, forced into an RFC 1123 label."""
    stamp = datetime.datetime.fromtimestamp(epoch, datetime.timezone.utc).strftime('%Y%m%d%H%M')
    prefix = re.sub(r'[^a-z0-9-]+', '-', schedule_name.lower()).strip('-')[: 63 - len(stamp) - 1].strip('-')
    return '%s-%s' % (prefix, stamp) if prefix else 'snapshot-' + stamp


class CurrentApi:
    """The current family's state, API handlers and controls (mixed into Simulator)."""

    # -- the simulated clock
    # --------------------------------------------------------------------------------------------

    def _reset_current_api(self):
        self._clock = {'real': time.time(), 'sim': time.time(), 'scale': self._config['time_scale']}
        self._instance_snapshots = {}  # id -> snapshot, in creation order
        self._schedules = {}
        self._volume_snapshots = {}
        self._restores = []
        self._instance_changes = {}  # instance id -> (status it reaches, simulated time it reaches it)

    def sim_now(self):
        """Simulated epoch seconds: real time sped up by time_scale, plus every advance_clock()."""
        clock = self._clock
        return clock['sim'] + (time.time() - clock['real']) * clock['scale']

    def _rescale_clock(self, time_scale):
        with self._lock:
            self._clock = {'real': time.time(), 'sim': self.sim_now(), 'scale': time_scale}

    def advance_clock(self, seconds):
        if not is_number(seconds) or seconds < 0:
            raise ValueError('advance must be a number of seconds >= 0')
        with self._lock:
            self._clock['sim'] += seconds
            self._catch_up()
        return self.clock()

    def clock(self):
        with self._lock:
            now = self.sim_now()
            return {'now': rfc3339(now), 'epoch': now, 'time_scale': self._clock['scale']}

    def _catch_up(self):
        """Bring the lazily simulated world up to the clock: schedule runs, finished restores."""
        now = self.sim_now()
        for schedule in list(self._schedules.values()):
            self._run_schedule(schedule, now)
        for instance_id, (status, when) in list(self._instance_changes.items()):
            if now >= when:
                self._instances[instance_id]['status'] = status
                del self._instance_changes[instance_id]
        return now

    # -- controls (also served under /_sim) ---------------------------------------------------------------------------

    def instances(self):
        with self._lock:
            self._catch_up()
            return [dict(instance) for instance in self._instances.values()]

    def instance_snapshots(self, instance_id=None):
        """Instance snapshots in the API shape plus instance_id, schedule_id and phase
        (new/in_progress/complete/failed)."""
        with self._lock:
            now = self._catch_up()
            return [
                self._render_for_control(snap, now)
                for snap in self._instance_snapshots.values()
                if instance_id in (None, snap['instance_id'])
            ]

    def add_instance_snapshots(self, snapshots):
        """Insert snapshots; created_at (default now) starts their progression, an explicit phase freezes them."""
        with self._lock:
            now = self._catch_up()
            built = [self._seed_instance_snapshot(fields, now) for fields in snapshots]
            for snap in built:
                self._instance_snapshots[snap['id']] = snap
            return [self._render_for_control(snap, now) for snap in built]

    def schedules(self):
        with self._lock:
            now = self._catch_up()
            return [self._render_schedule(schedule, now) for schedule in self._schedules.values()]

    def add_schedules(self, schedules):
        """Create schedules as POST /v2/resourcesnapshotschedules does (same rules), plus paused and id; answers
        them."""
        with self._lock:
            added = []
            for fields in schedules:
                if not isinstance(fields, dict) or set(fields) - set(SCHEDULE_SEED_FIELDS):
                    raise ValueError('a schedule is a JSON object with the fields %s' % ', '.join(SCHEDULE_SEED_FIELDS))
                schedule = self._schedules[self._create_schedule(fields, None)[1]['id']]
                schedule['paused'] = parse_bool(fields.get('paused', False), 'paused')
                if fields.get('id'):
                    del self._schedules[schedule['id']]
                    schedule['id'] = str(fields['id'])
                    self._schedules[schedule['id']] = schedule
                added.append(schedule)
            now = self._catch_up()
            return [self._render_schedule(schedule, now) for schedule in added]

    def volume_snapshots(self):
        with self._lock:
            return [dict(snap) for snap in self._volume_snapshots.values()]

    def add_volume_snapshots(self, snapshots):
        with self._lock:
            built = [self._new_volume_snapshot(fields) for fields in snapshots]
            self._volume_snapshots.update((snap['snapshot_id'], snap) for snap in built)
            return [dict(snap) for snap in built]

    def restores(self):
        with self._lock:
            now = self._catch_up()
            return [self._render_restore(restore, now) for restore in self._restores]

    def state(self):
        with self._lock:
            return {
                'clock': self.clock(),
                'instances': self.instances(),
                'instance_snapshots': self.instance_snapshots(),
                'schedules': self.schedules(),
                'volume_snapshots': self.volume_snapshots(),
                'restores': self.restores(),
            }

    def _seed_instance_snapshot(self, fields, now):
        if not isinstance(fields, dict):
            raise ValueError('an instance snapshot is a JSON object')
        unknown = set(fields) - set(INSTANCE_SNAPSHOT_SEED_FIELDS)
        if unknown:
            raise ValueError('unknown instance snapshot fields: %s' % ', '.join(sorted(unknown)))
        instance = self._instances.get(str(fields.get('instance_id')))
        if instance is None:
            raise ValueError('instance_id must name an existing instance, got %r' % (fields.get('instance_id'),))
        name = fields.get('name') or 'seeded-%s' % uuid.uuid4().hex[:8]
        check_snapshot_name(name)
        phase = fields.get('phase')
        if phase is not None and phase not in PHASES:
            raise ValueError('phase must be one of %s' % ', '.join(PHASES))
        snap = self._new_instance_snapshot(
            instance,
            name,
            fields.get('description') or '',
            _epoch(fields.get('created_at', now), 'created_at'),
            fields.get('schedule_id'),
        )
        if fields.get('id'):
            snap['id'] = str(fields['id'])
        if 'included_volumes' in fields:
            snap['included_volumes'] = [str(volume) for volume in fields['included_volumes']]
        if phase is not None:
            snap['phase'], snap['frozen'] = phase, True
        return snap

    def _new_volume_snapshot(self, fields):
        if not isinstance(fields, dict) or not fields.get('name'):
            raise ValueError('a volume snapshot needs a name')
        unknown = set(fields) - set(VOLUME_SNAPSHOT_FIELDS)
        if unknown:
            raise ValueError('unknown volume snapshot fields: %s' % ', '.join(sorted(unknown)))
        snap = {
            'name': None,
            'snapshot_id': str(uuid.uuid4()),
            'snapshot_description': '',
            'volume_id': str(uuid.uuid4()),
            'instance_id': None,
            'source_volume_name': '',
            'restore_size': 20,
            'state': 'Ready',
            'creation_time': rfc3339(self.sim_now()),
        }
        snap.update(fields)
        return snap

    # -- shared pieces
    # ---------------------------------------------------------------------------------------------------

    def _require_current_api(self, region):
        offered = self._config['current_api']
        if offered is True or (
            isinstance(offered, list) and (region or DEFAULT_REGION) in [r.upper() for r in offered]
        ):
            return
        raise ApiError(
            404,
            'not_found',
            'Instance snapshots, resource snapshots and snapshot schedules are not available '
            'in region %s' % (region or DEFAULT_REGION),
        )

    def _instance_in_region(self, instance_id, region):
        instance = self._instances.get(instance_id)
        if instance is None or region not in (None, instance['region']):
            raise ApiError(404, 'database_instance_not_found', 'The instance %s could not be found' % instance_id)
        return instance

    def _count_snapshots(self):
        return len(self._snapshots) + len(self._instance_snapshots)

    def _check_quota(self):
        quota = self._config['quota']
        if quota is not None and self._count_snapshots() >= quota:
            raise ApiError(403, 'quota_limit_reached', 'The snapshot quota (%d) is reached' % quota)

    def _find_snapshot(self, id_or_name, candidates):
        """By id, else the first (oldest) by name."""
        candidates = list(candidates)
        found = next((s for s in candidates if s['id'] == id_or_name), None) or next(
            (s for s in candidates if s['name'] == id_or_name), None
        )
        if found is None:
            raise ApiError(404, 'database_snapshot_not_found', 'The snapshot %s could not be found' % id_or_name)
        return found

    def _snapshots_of(self, instance_id):
        return (snap for snap in self._instance_snapshots.values() if snap['instance_id'] == instance_id)

    def _snapshots_in(self, region):
        return (
            snap
            for snap in self._instance_snapshots.values()
            if region in (None, self._instances[snap['instance_id']]['region'])
        )

    def _new_instance_snapshot(self, instance, name, description, created_at, schedule_id=None, include_volumes=True):
        return {
            'id': str(uuid.uuid4()),
            'instance_id': instance['id'],
            'name': name,
            'description': description,
            'included_volumes': list(instance.get('volumes') or []) if include_volumes else [],
            'created_at': created_at,
            'phase': 'new',
            'frozen': False,
            'fails': bool(instance.get('fail_snapshots')),
            'schedule_id': schedule_id,
        }

    def _phase(self, snap, now):
        """Lazily move a snapshot along new -> in_progress -> complete/failed on the simulated clock; never
        backwards."""
        if not snap['frozen'] and snap['phase'] not in FINAL_PHASES:
            elapsed, config = now - snap['created_at'], self._config
            if elapsed >= config['new_seconds'] + config['progress_seconds']:
                snap['phase'] = 'failed' if snap['fails'] else 'complete'
            elif elapsed >= config['new_seconds']:
                snap['phase'] = 'in_progress'
        return snap['phase']

    def _spell(self, phase):
        states = self._config['instance_snapshot_states']
        return (states if isinstance(states, dict) else STATE_PRESETS[states])[phase]

    def _render_instance_snapshot(self, snap, now):
        state = self._spell(self._phase(snap, now))
        return {
            'id': snap['id'],
            'name': snap['name'],
            'description': snap['description'],
            'included_volumes': list(snap['included_volumes']),
            'status': {
                'state': state,
                'volumes': [{'id': volume, 'state': state} for volume in snap['included_volumes']],
            },
            'created_at': rfc3339(snap['created_at']),
        }

    def _render_for_control(self, snap, now):
        out = self._render_instance_snapshot(snap, now)
        out.update(instance_id=snap['instance_id'], schedule_id=snap['schedule_id'], phase=snap['phase'])
        return out

    def _render_resource_snapshot(self, snap, now):
        inner = self._render_instance_snapshot(snap, now)
        instance = self._instances[snap['instance_id']]
        inner.update(id=instance['id'], name=instance['hostname'], description=instance.get('description') or '')
        return {
            'id': snap['id'],
            'name': snap['name'],
            'description': snap['description'],
            'resource_type': 'instance',
            'created_at': inner['created_at'],
            'instance': inner,
        }

    def _rename_snapshot(self, snap, params):
        """PUT {name?, description?} on an instance snapshot, by either path."""
        name, description = _optional_text(params, 'name'), _optional_text(params, 'description')
        if name is not None:
            check_snapshot_name(name)
            if self._config['instance_snapshot_unique_names'] and any(
                other['name'] == name and other is not snap for other in self._snapshots_of(snap['instance_id'])
            ):
                raise ApiError(
                    409, 'database_snapshot_name_taken', 'The instance already has a snapshot named %s' % name
                )
            snap['name'] = name
        if description is not None:
            snap['description'] = description

    # -- /v2/instances/:id/snapshots
    # ------------------------------------------------------------------------------------

    def _list_instance_snapshots(self, _params, region, instance_id):
        instance = self._instance_in_region(instance_id, region)
        now = self._catch_up()
        return 200, [self._render_instance_snapshot(snap, now) for snap in self._snapshots_of(instance['id'])]

    def _create_instance_snapshot(self, params, region, instance_id):
        instance = self._instance_in_region(instance_id, region)
        name, description = params.get('name'), _optional_text(params, 'description') or ''
        check_snapshot_name(name)
        if self._config['instance_snapshot_unique_names'] and any(
            s['name'] == name for s in self._snapshots_of(instance['id'])
        ):
            raise ApiError(409, 'database_snapshot_name_taken', 'The instance already has a snapshot named %s' % name)
        self._check_quota()
        now = self._catch_up()
        snap = self._new_instance_snapshot(instance, name, description, now)
        self._instance_snapshots[snap['id']] = snap
        return 201, self._render_instance_snapshot(snap, now)

    def _get_instance_snapshot(self, _params, region, instance_id, snapshot_id):
        instance = self._instance_in_region(instance_id, region)
        now = self._catch_up()
        return 200, self._render_instance_snapshot(
            self._find_snapshot(snapshot_id, self._snapshots_of(instance['id'])), now
        )

    def _update_instance_snapshot(self, params, region, instance_id, snapshot_id):
        instance = self._instance_in_region(instance_id, region)
        snap = self._find_snapshot(snapshot_id, self._snapshots_of(instance['id']))
        self._rename_snapshot(snap, params)
        return 200, self._render_instance_snapshot(snap, self._catch_up())

    def _delete_instance_snapshot(self, _params, region, instance_id, snapshot_id):
        instance = self._instance_in_region(instance_id, region)
        del self._instance_snapshots[self._find_snapshot(snapshot_id, self._snapshots_of(instance['id']))['id']]
        return 200, {'result': 'success'}

    def _restore_instance_snapshot(self, params, region, instance_id, snapshot_id):
        instance = self._instance_in_region(instance_id, region)
        snap = self._find_snapshot(snapshot_id, self._snapshots_of(instance['id']))
        restore = self._restore(snap, params, include_volumes=False)
        if self._config['restore_shape'] == 'wrapped':
            return 200, {'resource_type': 'instance', 'instance': restore}
        return 200, restore

    # -- /v2/resourcesnapshots
    # ------------------------------------------------------------------------------------------

    def _list_resource_snapshots(self, _params, region):
        now = self._catch_up()
        return 200, [self._render_resource_snapshot(snap, now) for snap in self._snapshots_in(region)]

    def _get_resource_snapshot(self, _params, region, snapshot_id):
        now = self._catch_up()
        return 200, self._render_resource_snapshot(self._find_snapshot(snapshot_id, self._snapshots_in(region)), now)

    def _update_resource_snapshot(self, params, region, snapshot_id):
        snap = self._find_snapshot(snapshot_id, self._snapshots_in(region))
        self._rename_snapshot(snap, params)
        return 200, self._render_resource_snapshot(snap, self._catch_up())

    def _delete_resource_snapshot(self, _params, region, snapshot_id):
        del self._instance_snapshots[self._find_snapshot(snapshot_id, self._snapshots_in(region))['id']]
        return 200, {'result': 'success'}

    def _restore_resource_snapshot(self, params, region, snapshot_id):
        snap = self._find_snapshot(snapshot_id, self._snapshots_in(region))
        options = params.get('instance')
        if not isinstance(options, dict):
            raise ApiError(422, 'parameter_instance_missing', 'The restore options go in an "instance" object')
        include_volumes = parse_bool(options.get('include_volumes', False), 'include_volumes', 422)
        return 200, {'resource_type': 'instance', 'instance': self._restore(snap, options, include_volumes)}

    # -- restore
    # ---------------------------------------------------------------------------------------------------------

    def _restore(self, snap, options, include_volumes):
        """Check and start a restore; answers the flat InstanceRestoreInfo. A new instance or the source is then busy
        (BUILDING / RESTORING) for restore_seconds of simulated time."""
        hostname, description = _optional_text(options, 'hostname'), _optional_text(options, 'description') or ''
        private_ipv4 = _optional_text(options, 'private_ipv4')
        overwrite = parse_bool(options.get('overwrite_existing', False), 'overwrite_existing', 422)
        if not hostname and not overwrite:
            raise ApiError(
                422,
                'parameter_hostname_missing',
                'A restore needs a hostname for a new instance, or overwrite_existing: true to restore the source '
                'instance',
            )
        now = self._catch_up()
        if self._phase(snap, now) != 'complete':
            raise ApiError(
                409,
                'database_snapshot_not_complete',
                'The snapshot %s is not complete (it is %s), so it cannot be restored' % (snap['name'], snap['phase']),
            )
        source = self._instances[snap['instance_id']]
        ready_at = now + self._config['restore_seconds']
        if overwrite:
            if source['status'] not in ('ACTIVE', 'SHUTOFF'):
                raise ApiError(
                    409,
                    'instance_state_must_be_active_or_shutoff',
                    'The instance %s is %s; it cannot be restored now' % (source['hostname'], source['status']),
                )
            target = source
            target.update(status='RESTORING', restored_from=snap['id'])
        else:
            if any(instance['hostname'] == hostname for instance in self._instances.values()):
                raise ApiError(
                    409, 'database_instance_hostname_taken', 'An instance named %s already exists' % hostname
                )
            # Built from the snapshot: civogo's Instance says so with source_type, source_id and snapshot_id.
            target = self.add_instances(
                [
                    {
                        'hostname': hostname,
                        'status': 'BUILDING',
                        'region': source['region'],
                        'disk_gb': source['disk_gb'],
                        'template_id': source['template_id'],
                        'description': description,
                        'restored_from': snap['id'],
                        'source_type': 'instance_snapshot',
                        'source_id': snap['id'],
                        'snapshot_id': snap['id'],
                        'volumes': [str(uuid.uuid4()) for _volume in snap['included_volumes']]
                        if include_volumes
                        else [],
                    }
                ]
            )[0]
            target = self._instances[target['id']]
        if private_ipv4:
            target['private_ipv4'] = private_ipv4
        self._instance_changes[target['id']] = ('ACTIVE', ready_at)
        restore = {
            'id': 'restore-' + str(uuid.uuid4()),
            'name': 'restore-' + snap['name'],
            'hostname': target['hostname'],
            'description': description,
            'from_snapshot': snap['id'],
            'private_ipv4': target.get('private_ipv4', ''),
            'overwrite_existing': overwrite,
            'created_at': now,
            'ready_at': ready_at,
            'instance_id': target['id'],
        }
        self._restores.append(restore)
        return self._render_restore(restore, now)

    @staticmethod
    def _render_restore(restore, now):
        done = now >= restore['ready_at']
        out = {
            key: restore[key]
            for key in ('id', 'name', 'hostname', 'description', 'from_snapshot', 'private_ipv4', 'overwrite_existing')
        }
        out.update(
            status={'state': 'completed' if done else 'in_progress'},
            created_at=rfc3339(restore['created_at']),
            completed_at=rfc3339(restore['ready_at']) if done else None,
        )
        return out

    # -- /v2/resourcesnapshotschedules
    # ----------------------------------------------------------------------------------

    def _list_schedules(self, _params, region):
        now = self._catch_up()
        return 200, [self._render_schedule(s, now) for s in self._schedules.values() if region in (None, s['region'])]

    def _find_schedule(self, schedule_id, region):
        schedule = self._schedules.get(schedule_id) or next(
            (s for s in self._schedules.values() if s['name'] == schedule_id), None
        )
        if schedule is None or region not in (None, schedule['region']):
            raise ApiError(
                404, 'database_snapshot_schedule_not_found', 'The snapshot schedule %s could not be found' % schedule_id
            )
        return schedule

    def _get_schedule(self, _params, region, schedule_id):
        now = self._catch_up()
        return 200, self._render_schedule(self._find_schedule(schedule_id, region), now)

    def _create_schedule(self, params, region):
        name = params.get('name')
        if not isinstance(name, str) or not name.strip():
            raise ApiError(422, 'parameter_name_invalid', 'name is required')
        description = _optional_text(params, 'description') or ''
        cron = self._check_cron(params.get('cron_expression'))
        max_snapshots = self._check_retention(params.get('retention'))
        members = self._check_schedule_instances(params.get('instances'), region)
        now = self._catch_up()
        schedule = {
            'id': str(uuid.uuid4()),
            'name': name,
            'description': description,
            'cron_expression': params['cron_expression'],
            'cron': cron,
            'paused': False,
            'max_snapshots': max_snapshots,
            'instances': members,
            'region': region or self._instances[members[0][0]]['region'],
            'created_at': now,
            'checked_until': now // 60 * 60,
            'last_snapshot_id': None,
            'last_snapshot_name': '',
        }
        self._schedules[schedule['id']] = schedule
        return 201, self._render_schedule(schedule, now)

    @staticmethod
    def _check_cron(text):
        if not isinstance(text, str) or not text.strip():
            raise ApiError(422, 'parameter_cron_expression_invalid', 'cron_expression is required')
        try:
            cron = Cron(text)
        except ValueError as error:
            raise ApiError(422, 'parameter_cron_expression_invalid', 'cron_expression %r: %s' % (text, error)) from None
        if cron.shortest_gap_minutes() < MIN_SCHEDULE_GAP_MINUTES:
            raise ApiError(
                422,
                'parameter_cron_expression_invalid',
                'cron_expression %r runs %d minutes apart; the minimum '
                'interval is %d minutes' % (text, cron.shortest_gap_minutes(), MIN_SCHEDULE_GAP_MINUTES),
            )
        return cron

    @staticmethod
    def _check_retention(retention):
        if not isinstance(retention, dict):
            raise ApiError(
                422, 'parameter_retention_invalid', 'retention is required: {"max_snapshots": 1-%d}' % MAX_RETAINED
            )
        if 'period' in retention:
            raise ApiError(
                422, 'parameter_retention_invalid', 'retention.period is no longer supported; use max_snapshots'
            )
        count = retention.get('max_snapshots')
        if not isinstance(count, int) or isinstance(count, bool) or not 1 <= count <= MAX_RETAINED:
            raise ApiError(
                422,
                'parameter_retention_invalid',
                'retention.max_snapshots is required, an integer from 1 to %d, got %r' % (MAX_RETAINED, count),
            )
        return count

    def _check_schedule_instances(self, entries, region):
        if not isinstance(entries, list) or not entries:
            raise ApiError(
                422,
                'parameter_instances_invalid',
                'instances is required: a non-empty list of {"instance_id": ..., "include_volumes": ...}',
            )
        members = []
        for entry in entries:
            if not isinstance(entry, dict) or not isinstance(entry.get('instance_id'), str):
                raise ApiError(
                    422,
                    'parameter_instances_invalid',
                    'each entry of instances needs an instance_id, got %r' % (entry,),
                )
            instance = self._instances.get(entry['instance_id'])
            if instance is None or region not in (None, instance['region']):
                raise ApiError(
                    422,
                    'parameter_instances_invalid',
                    'instances: the instance %s does not exist' % entry['instance_id'],
                )
            members.append((instance['id'], parse_bool(entry.get('include_volumes', False), 'include_volumes', 422)))
        return members

    def _update_schedule(self, params, region, schedule_id):
        schedule = self._find_schedule(schedule_id, region)
        name, description = _optional_text(params, 'name'), _optional_text(params, 'description')
        if name is not None and not name.strip():
            raise ApiError(422, 'parameter_name_invalid', 'name must not be empty')
        paused = None if params.get('paused') is None else parse_bool(params['paused'], 'paused', 422)
        now = self._catch_up()  # runs due before the change happen under the old settings
        for key, value in (('name', name), ('description', description), ('paused', paused)):
            if value is not None:
                schedule[key] = value
        return 200, self._render_schedule(schedule, now)

    def _delete_schedule(self, _params, region, schedule_id):
        del self._schedules[self._find_schedule(schedule_id, region)['id']]
        return 200, {'result': 'success'}

    def _render_schedule(self, schedule, now):
        last = self._instance_snapshots.get(schedule['last_snapshot_id'])
        members = []
        for instance_id, include_volumes in schedule['instances']:
            instance = self._instances[instance_id]
            members.append(
                {
                    'id': instance_id,
                    'size': instance.get('size', 'g3.small'),
                    'included_volumes': list(instance.get('volumes') or []) if include_volumes else [],
                }
            )
        return {
            'id': schedule['id'],
            'name': schedule['name'],
            'description': schedule['description'],
            'cron_expression': schedule['cron_expression'],
            'paused': schedule['paused'],
            'retention': {'max_snapshots': schedule['max_snapshots']},
            'instances': members,
            'status': {
                'state': 'active',
                'last_snapshot': {
                    'id': schedule['last_snapshot_id'] or '',
                    'name': schedule['last_snapshot_name'],
                    'state': self._spell(self._phase(last, now)) if last else '',
                },
            },
            'created_at': rfc3339(schedule['created_at']),
        }

    def _run_schedule(self, schedule, now):
        """Take the snapshots of every cron minute passed since the last look (none while paused), then prune."""
        minute = max(schedule['checked_until'] + 60, (now // 60 - SCHEDULE_CATCH_UP_LIMIT) * 60)
        while minute <= now:
            if not schedule['paused'] and schedule['cron'].matches(minute):
                self._take_scheduled_snapshots(schedule, minute)
            minute += 60
        schedule['checked_until'] = max(schedule['checked_until'], now // 60 * 60)

    def _take_scheduled_snapshots(self, schedule, minute):
        name = _schedule_snapshot_name(schedule['name'], minute)
        for instance_id, include_volumes in schedule['instances']:
            snap = self._new_instance_snapshot(
                self._instances[instance_id], name, schedule['description'], minute, schedule['id'], include_volumes
            )
            self._instance_snapshots[snap['id']] = snap
            schedule['last_snapshot_id'], schedule['last_snapshot_name'] = snap['id'], name
            taken = sorted(
                (s for s in self._snapshots_of(instance_id) if s['schedule_id'] == schedule['id']),
                key=lambda s: s['created_at'],
            )
            for old in taken[: max(0, len(taken) - schedule['max_snapshots'])]:
                del self._instance_snapshots[old['id']]
