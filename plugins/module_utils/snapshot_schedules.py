# -*- coding: utf-8 -*-
# Copyright: (c) 2026, civo.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Civo's snapshot schedules (/v2/resourcesnapshotschedules): the request bodies, and every answer made into one shape.

The API names things differently going in and coming out: a create sends ``instances: [{instance_id,
include_volumes}]`` and gets back ``instances: [{id, size, included_volumes}]``. Sources also disagree on smaller
points (status as an object or a string, retention nested or flat), so every variant seen is read here, once.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.civo.cloud.plugins.module_utils.errors import CivoAPIError, LookupFailed
from ansible_collections.civo.cloud.plugins.module_utils.instances import match_hostname
from ansible_collections.civo.cloud.plugins.module_utils.snapshots import as_bool, normalise_timestamp

SCHEDULES_PATH = '/v2/resourcesnapshotschedules'
SCHEDULE_GONE_CODES = ('database_snapshot_schedule_not_found',)
# The settings the API changes in place (PUT); any other difference needs a new schedule.
IN_PLACE_FIELDS = ('name', 'description', 'paused')


def normalise_schedule(raw):
    """A schedule as the modules return it, from any shape the API answers in."""
    raw = raw or {}
    status = raw.get('status')
    state, last_snapshot = (
        (status.get('state'), status.get('last_snapshot')) if isinstance(status, dict) else (status, None)
    )
    retention = raw.get('retention') if isinstance(raw.get('retention'), dict) else {}
    max_snapshots = retention.get('max_snapshots', raw.get('max_snapshots'))
    entries = [_instance_entry(item) for item in raw.get('instances') or raw.get('instance_ids') or []]
    return dict(
        id=raw.get('id'),
        name=raw.get('name'),
        description=raw.get('description') or '',
        cron_expression=raw.get('cron_expression'),
        paused=as_bool(raw.get('paused')),
        max_snapshots=int(max_snapshots) if str(max_snapshots).isdigit() else None,
        instances=[entry['id'] for entry in entries],
        included_volumes=[volume for entry in entries for volume in entry['included_volumes']],
        status=state or None,
        last_snapshot=_last_snapshot(last_snapshot or raw.get('last_snapshot')),
        created_at=normalise_timestamp(raw.get('created_at')),
    )


def _instance_entry(item):
    """One instance of a schedule: {id, included_volumes, include_volumes (True/False, or None when the API does not
    say)}."""
    if not isinstance(item, dict):
        return dict(id=str(item), included_volumes=[], include_volumes=None)
    volumes = item.get('included_volumes') or []
    flag = item.get('include_volumes')
    return dict(
        id=item.get('id') or item.get('instance_id'),
        included_volumes=list(volumes),
        include_volumes=as_bool(flag) if flag is not None else (True if volumes else None),
    )


def _last_snapshot(value):
    """The last snapshot a schedule took, or None: civogo sends an object of empty strings before the first run."""
    if not isinstance(value, dict) or not any(value.get(key) for key in ('id', 'name', 'state')):
        return None
    return dict(id=value.get('id') or None, name=value.get('name') or None, state=value.get('state') or None)


def includes_volumes(raw):
    """Whether the schedule snapshots the instances' volumes: True, False, or None when its answer cannot tell.

    The response lists the volumes it included, not the flag: with no volume listed, true and false look alike.
    """
    flags = [_instance_entry(item)['include_volumes'] for item in (raw or {}).get('instances') or []]
    if any(flag is True for flag in flags):
        return True
    if flags and all(flag is False for flag in flags):
        return False
    return None


def create_body(name, description, cron_expression, max_snapshots, instance_ids, include_volumes):
    """The POST body. Never retention.period: the API no longer takes it (civo/cli#540)."""
    body = dict(
        name=name,
        cron_expression=cron_expression,
        retention=dict(max_snapshots=max_snapshots),
        instances=[dict(instance_id=instance_id, include_volumes=include_volumes) for instance_id in instance_ids],
    )
    if description:
        body['description'] = description
    return body


def schedule_list(body):
    """The schedules in a list answer: a bare array (civogo), or a page object with items."""
    if isinstance(body, dict):
        return body.get('items') or []
    return body or []


class Schedules:
    """The schedules endpoints, answering in normalised schedules (the raw answer is kept under _raw for
    comparisons)."""

    def __init__(self, api):
        self.api = api

    def list(self):
        return [self._read(raw) for raw in schedule_list(self.api.get(SCHEDULES_PATH))]

    def create(self, body, known=()):
        """POST a schedule. After a lost answer, a schedule of its name that is not among `known` is the one it
        created."""
        known_ids = set(schedule['id'] for schedule in known)

        def find_created():
            created = [
                raw
                for raw in schedule_list(self.api.get(SCHEDULES_PATH))
                if isinstance(raw, dict) and raw.get('name') == body['name'] and raw.get('id') not in known_ids
            ]
            return created[-1] if created else None

        return self._read(self.api.post(SCHEDULES_PATH, body, find_created))

    def update(self, schedule_id, changes):
        return self._read(self.api.put('%s/%s' % (SCHEDULES_PATH, schedule_id), json_body=changes))

    def delete(self, schedule_id):
        """Delete it; True if it went, False if it was gone already (the 404 of a retried DELETE whose answer was
        lost)."""
        try:
            self.api.delete('%s/%s' % (SCHEDULES_PATH, schedule_id))
        except CivoAPIError as e:
            if e.is_gone(SCHEDULE_GONE_CODES):
                return False
            raise
        return True

    @staticmethod
    def _read(raw):
        schedule = normalise_schedule(raw if isinstance(raw, dict) else {})
        schedule['_raw'] = raw
        return schedule


def find_by_name(schedules, name):
    """The schedule with exactly this name among schedules, or None; LookupFailed when several have it."""
    matches = [schedule for schedule in schedules if schedule['name'] == name]
    if len(matches) > 1:
        raise LookupFailed(
            "%d snapshot schedules are named '%s' (%s): delete the extra ones, for example with civo "
            "snapshot schedule delete ID." % (len(matches), name, ', '.join(s['id'] for s in matches))
        )
    return matches[0] if matches else None


def public(schedule):
    """A schedule without the raw answer kept for comparisons ({} stays {})."""
    return dict((key, value) for key, value in (schedule or {}).items() if not key.startswith('_'))


def resolve_instances(entries, known_ids, instances):
    """The instance ids that `instances` entries (ids or hostnames) stand for, in order, without repeats.

    An entry is an id when it is one of known_ids (the existing schedule's) or the id of a listed instance, else
    a hostname that must name exactly one instance. The instance list is read only when some entry is not in
    known_ids, and then once. Every unknown or ambiguous entry is reported together, as one LookupFailed.
    """
    if all(entry in known_ids for entry in entries):
        return _unique(entries)
    listed = instances.all()
    listed_ids = set(item.get('id') for item in listed)
    resolved, problems = [], []
    for entry in entries:
        if entry in known_ids or entry in listed_ids:
            resolved.append(entry)
            continue
        try:
            resolved.append(match_hostname(listed, entry, instances.api.region)['id'])
        except LookupFailed as e:
            problems.append(str(e))
    if problems:
        raise LookupFailed('instances: %s Nothing was changed.' % ' '.join(problems))
    return _unique(resolved)


def _unique(values):
    seen = set()
    return [value for value in values if not (value in seen or seen.add(value))]
