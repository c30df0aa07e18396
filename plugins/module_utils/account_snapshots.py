# -*- coding: utf-8 -*-
# Copyright: (c) 2026, civo.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The account-wide snapshot API (``/v2/snapshots``, names unique in the account): ``snapshot_api: account``.

Since 2025 the same path also serves volume snapshots (``snapshot_id``, ``volume_id``, ``creation_time``): this
backend never matches, lists, waits on or deletes anything that is not an instance snapshot of this API.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from urllib.parse import quote

from ansible_collections.civo.cloud.plugins.module_utils.errors import CivoAPIError
from ansible_collections.civo.cloud.plugins.module_utils.snapshots import (
    COMPLETE,
    PENDING_STATUSES,
    SnapshotAPI,
    as_bool,
    normalise_timestamp,
)

SNAPSHOT_FIELDS = (
    'id',
    'name',
    'instance_id',
    'hostname',
    'safe',
    'status',
    'cron_timing',
    'size_gb',
    'requested_at',
    'completed_at',
    'region',
)
# Keys only a volume snapshot has (current-api.md 1d); an instance snapshot of this API has none of them.
VOLUME_SNAPSHOT_KEYS = ('snapshot_id', 'volume_id', 'creation_time', 'source_volume_name', 'restore_size')
SNAPSHOT_GONE_CODES = ('database_snapshot_not_found',)


def is_instance_snapshot(raw):
    """Whether an item of GET /v2/snapshots is an instance snapshot of this API (not a volume snapshot)."""
    if not isinstance(raw, dict) or raw.get('resource_type') not in (None, 'instance'):
        return False
    return not any(key in raw for key in VOLUME_SNAPSHOT_KEYS)


def normalise_snapshot(raw, target=None):
    """The API's snapshot in one shape, whichever the server spoke.

    The reference says ``status`` and a boolean ``safe``; recorded traffic from the real service says ``state`` and 0/1,
    with millisecond timestamps. The target fills what the answer leaves out (the hostname, the region).
    """
    raw = raw or {}
    target = target or {}
    snapshot = dict((field, raw.get(field)) for field in SNAPSHOT_FIELDS)
    snapshot['status'] = raw.get('status') or raw.get('state')
    snapshot['safe'] = as_bool(raw.get('safe'))
    snapshot['cron_timing'] = raw.get('cron_timing') or None
    snapshot['requested_at'] = normalise_timestamp(raw.get('requested_at'))
    snapshot['completed_at'] = normalise_timestamp(raw.get('completed_at'))
    if snapshot['instance_id'] == target.get('id'):
        snapshot['hostname'] = snapshot['hostname'] or target.get('hostname')
        snapshot['region'] = snapshot['region'] or target.get('region')
    return snapshot


def is_scheduled(snapshot):
    return bool(snapshot.get('cron_timing'))


def _path(name):
    return '/v2/snapshots/%s' % quote(name, safe='')


class AccountSnapshots(SnapshotAPI):
    """The snapshot endpoints of the account-wide API. Taking a name that exists overwrites it at once (a PUT)."""

    name = 'account'
    replaces_in_place = True

    def list(self, target=None):
        """The instance snapshots in the account (one request: the API does not paginate them); of one instance if
        given."""
        return [
            normalise_snapshot(item, target)
            for item in self._list_raw()
            if target is None or item.get('instance_id') == target['id']
        ]

    def named(self, name, target=None):
        """The snapshot of this name, whichever instance it is of (names are unique in the account): [] or [it]."""
        found = self._find_raw(name)
        return [normalise_snapshot(found, target)] if found else []

    def read(self, snapshot):
        found = self._find_raw(snapshot['name'])
        return (
            normalise_snapshot(
                found,
                dict(id=snapshot.get('instance_id'), hostname=snapshot.get('hostname'), region=snapshot.get('region')),
            )
            if found
            else None
        )

    def _find_raw(self, name):
        """Only the match is normalised: the account may hold thousands."""
        for item in self._list_raw():
            if item.get('name') == name:
                return item
        return None

    def _list_raw(self):
        body = self.api.get('/v2/snapshots')
        if not isinstance(body, list):
            raise CivoAPIError(
                'GET', '/v2/snapshots', cause='expected a JSON array of snapshots, got %s' % type(body).__name__
            )
        return [item for item in body if is_instance_snapshot(item)]

    def take(self, name, target, settings, known=()):
        """PUT the snapshot (an upsert: a snapshot of this name is overwritten at once). settings: safe, cron_timing."""
        safe, cron_timing = bool(settings.get('safe')), settings.get('cron_timing') or None
        data = {'instance_id': target['id'], 'safe': 'true' if safe else 'false'}
        if cron_timing:
            data['cron_timing'] = cron_timing
        try:
            return normalise_snapshot(self.api.put(_path(name), data), target)
        except CivoAPIError as e:
            started = self._started_by_lost_attempt(e, name, target, safe, cron_timing)
            if started is None:
                raise
            return started

    def _started_by_lost_attempt(self, error, name, target, safe, cron_timing):
        """The snapshot an unanswered earlier attempt of this PUT started, when that is why a retry was refused; else
        None.

        A PUT whose answer was lost (a timeout, a dropped connection, a 5xx from a proxy) may still have been carried
        out. Its retry then finds that snapshot being taken and gets a 409: the task's own snapshot, not a conflict.
        """
        if error.status != 409 or error.code != 'database_snapshot_create_already_in_process' or error.attempts < 2:
            return None
        found = self.named(name, target)
        if not found or found[0]['status'] not in PENDING_STATUSES + (COMPLETE,):
            return None
        if (found[0]['instance_id'], found[0]['safe'], found[0]['cron_timing']) != (target['id'], safe, cron_timing):
            return None
        return found[0]

    def predict(self, name, target, settings, current=None):
        """The snapshot a PUT would make: the current one (if any) overwritten, restarted as new."""
        snapshot = dict(
            current or {},
            name=name,
            instance_id=target['id'],
            safe=bool(settings.get('safe')),
            cron_timing=settings.get('cron_timing') or None,
            status='new',
            size_gb=None,
            requested_at=None,
            completed_at=None,
        )
        snapshot.setdefault('id', None)
        snapshot['region'] = snapshot.get('region') or target.get('region')
        if not current or current.get('instance_id') != target['id']:
            snapshot['hostname'] = target.get('hostname')
        return snapshot

    def update(self, snapshot, changes):
        raise NotImplementedError('the account API changes no snapshot in place')

    def delete(self, snapshot):
        """Delete by name; True if it went, False if it was already gone."""
        try:
            self.api.delete(_path(snapshot['name']))
        except CivoAPIError as e:
            # 404 with this code means "no such snapshot": the goal is reached. A 404 with any
            # other code (a bad token can answer 404 database_account_not_found) is a real error.
            if e.is_gone(SNAPSHOT_GONE_CODES):
                return False
            raise
        return True
