# -*- coding: utf-8 -*-
# Copyright: (c) 2026, civo.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The account-wide snapshot API (``/v2/snapshots``, names unique in the account): ``snapshot_api: account``.

Since 2025 the same path also serves volume snapshots (``snapshot_id``, ``volume_id``, ``creation_time``): this
backend never matches, lists, waits on or deletes anything that is not an instance snapshot of this API.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import time

from ansible.module_utils.six.moves.urllib.parse import quote

from ansible_collections.civo.cloud.plugins.module_utils.civo_api import CivoAPIError
from ansible_collections.civo.cloud.plugins.module_utils.snapshot_common import (
    COMPLETE, PENDING_STATUSES, SnapshotWaitError, as_bool, normalise_timestamp, poll_intervals,
)

SNAPSHOT_FIELDS = (
    'id', 'name', 'instance_id', 'hostname', 'safe', 'status', 'cron_timing',
    'size_gb', 'requested_at', 'completed_at', 'region',
)
# Keys only a volume snapshot has (current-api.md 1d); an instance snapshot of this API has none of them.
VOLUME_SNAPSHOT_KEYS = ('snapshot_id', 'volume_id', 'creation_time', 'source_volume_name', 'restore_size')


def is_instance_snapshot(raw):
    """Whether an item of GET /v2/snapshots is an instance snapshot of this API (not a volume snapshot)."""
    if not isinstance(raw, dict) or raw.get('resource_type') not in (None, 'instance'):
        return False
    return not any(key in raw for key in VOLUME_SNAPSHOT_KEYS)


def normalise_snapshot(raw):
    """The API's snapshot in one shape, whichever the server spoke.

    The reference says ``status`` and a boolean ``safe``; recorded traffic from
    the real service says ``state`` and 0/1, with millisecond timestamps.
    """
    raw = raw or {}
    snapshot = dict((field, raw.get(field)) for field in SNAPSHOT_FIELDS)
    snapshot['status'] = raw.get('status') or raw.get('state')
    snapshot['safe'] = as_bool(raw.get('safe'))
    snapshot['cron_timing'] = raw.get('cron_timing') or None
    snapshot['requested_at'] = normalise_timestamp(raw.get('requested_at'))
    snapshot['completed_at'] = normalise_timestamp(raw.get('completed_at'))
    return snapshot


def is_scheduled(snapshot):
    return bool(snapshot.get('cron_timing'))


class AccountSnapshots:
    """The snapshot endpoints of the account-wide API, in the shape the modules use."""

    api_name = 'account'

    def __init__(self, api):
        self.api = api

    def list(self):
        """All instance snapshots in the account (one request: the API does not paginate them)."""
        return [normalise_snapshot(item) for item in self._list_raw()]

    def find(self, name):
        """The snapshot of this name, or None. Only the match is normalised: the account may hold thousands."""
        for item in self._list_raw():
            if item.get('name') == name:
                return normalise_snapshot(item)
        return None

    def _list_raw(self):
        body = self.api.get('/v2/snapshots')
        if not isinstance(body, list):
            raise CivoAPIError('GET', '/v2/snapshots', cause='expected a JSON array of snapshots, got %s' % type(body).__name__)
        return [item for item in body if is_instance_snapshot(item)]

    def put(self, name, instance_id, safe, cron_timing=None):
        data = {'instance_id': instance_id, 'safe': 'true' if safe else 'false'}
        if cron_timing:
            data['cron_timing'] = cron_timing
        try:
            return normalise_snapshot(self.api.put('/v2/snapshots/%s' % quote(name, safe=''), data))
        except CivoAPIError as e:
            started = self._started_by_lost_attempt(e, name, instance_id, safe, cron_timing)
            if started is None:
                raise
            return started

    def _started_by_lost_attempt(self, error, name, instance_id, safe, cron_timing):
        """The snapshot an unanswered earlier attempt of this PUT started, when that is why a retry was refused; else None.

        A PUT whose answer was lost (a timeout, a dropped connection, a 5xx from a proxy) may still have been carried
        out. Its retry then finds that snapshot being taken and gets a 409: the task's own snapshot, not a conflict.
        """
        if error.status != 409 or error.code != 'database_snapshot_create_already_in_process' or error.attempts < 2:
            return None
        found = self.find(name)
        if found is None or found['status'] not in PENDING_STATUSES + (COMPLETE,):
            return None
        if (found['instance_id'], found['safe'], found['cron_timing'] or None) != (instance_id, bool(safe), cron_timing or None):
            return None
        return found

    def delete(self, name):
        """Delete by name; True if it went, False if it was already gone."""
        try:
            self.api.delete('/v2/snapshots/%s' % quote(name, safe=''))
        except CivoAPIError as e:
            # 404 with this code means "no such snapshot": the goal is reached. A 404 with any
            # other code (a bad token can answer 404 database_account_not_found) is a real error.
            if e.status == 404 and e.code == 'database_snapshot_not_found':
                return False
            raise
        return True

    def wait_complete(self, name, timeout, snapshot=None):
        """Poll until the snapshot is complete; SnapshotWaitError if it fails, vanishes or time runs out."""
        deadline = time.time() + timeout
        for interval in poll_intervals():
            if snapshot is not None:
                status = snapshot.get('status')
                if status == COMPLETE:
                    return snapshot
                if status not in PENDING_STATUSES:
                    raise SnapshotWaitError("Snapshot '%s' ended with status '%s' instead of complete." % (name, status), snapshot)
            left = deadline - time.time()
            if left <= 0:
                raise SnapshotWaitError(
                    "Timed out after %ss waiting for snapshot '%s' to complete (status now '%s'). It is still being taken: "
                    "run the task again to resume waiting, or raise wait_timeout (large disks take long)." % (
                        timeout, name, (snapshot or {}).get('status')), snapshot)
            time.sleep(min(interval, left))
            found = self.find(name)
            if found is None:
                raise SnapshotWaitError("Snapshot '%s' disappeared while waiting for it to complete." % name, snapshot)
            snapshot = found
        return snapshot  # pragma: no cover (the generator never ends)

    def wait_gone(self, name, timeout):
        """Poll until no snapshot of this name is listed; SnapshotWaitError on timeout."""
        deadline = time.time() + timeout
        for interval in poll_intervals():
            found = self.find(name)
            if found is None:
                return
            left = deadline - time.time()
            if left <= 0:
                raise SnapshotWaitError("Timed out after %ss waiting for snapshot '%s' to be deleted." % (timeout, name), found)
            time.sleep(min(interval, left))
