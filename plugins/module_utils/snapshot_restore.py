# -*- coding: utf-8 -*-
# Copyright: (c) 2026, civo.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Restoring an instance snapshot of Civo's current API: ``POST /v2/instances/:id/snapshots/:sid/restore``.

The shapes (current-api.md 1a, 1b): the restore answers a restore *operation*, flat (civogo v0.7.0) or wrapped as
``{resource_type, instance}`` (the resource-level form), and there is no endpoint to read that operation again. So a
restore is followed by polling the instance: by id when restored in place, by hostname when it is a new instance.

Finding the snapshot, reading its state and waiting for it are the instance snapshot backend's (snapshot_instance.py).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import time

from ansible.module_utils.six.moves.urllib.parse import quote

from ansible_collections.civo.cloud.plugins.module_utils.civo_api import CivoAPIError
from ansible_collections.civo.cloud.plugins.module_utils.civo_instances import InstanceLookup
from ansible_collections.civo.cloud.plugins.module_utils.snapshot_common import normalise_timestamp, poll_intervals

# The fields of civogo's InstanceRestoreInfo, the one shape `restore` is returned in.
RESTORE_FIELDS = ('id', 'name', 'hostname', 'description', 'from_snapshot', 'private_ipv4', 'overwrite_existing',
                  'status', 'created_at', 'completed_at')
# The snapshot as the module returns it: a few keys of snapshot_instance's shape, with `state` for its api_status.
RESTORED_SNAPSHOT_FIELDS = ('id', 'name', 'description', 'status', 'created_at')

INSTANCE_ACTIVE = 'ACTIVE'
INSTANCE_RESTORING = 'RESTORING'
INSTANCE_BROKEN_STATES = ('ERROR', 'FAILED')
# The restore answer does not say when the instance leaves ACTIVE. Right after an in-place restore an instance still
# listed ACTIVE may not have started restoring yet: trust ACTIVE only once it was seen busy, or after this long.
IN_PLACE_SETTLE_SECONDS = 10.0


class RestoreError(Exception):
    """A restore that cannot be done as asked, explained for the user; `result` goes into the module's result."""

    def __init__(self, message, **result):
        super(RestoreError, self).__init__(message)
        self.result = result


class InstanceWaitError(Exception):
    """Waiting ended without the instance becoming ACTIVE."""

    def __init__(self, message, instance):
        super(InstanceWaitError, self).__init__(message)
        self.instance = instance


def normalise_restore(body):
    """The restore operation in one shape (InstanceRestoreInfo), whether the API answered it flat or wrapped."""
    body = body if isinstance(body, dict) else {}
    if isinstance(body.get('instance'), dict) and 'resource_type' in body:
        body = body['instance']
    restore = dict((field, body.get(field)) for field in RESTORE_FIELDS)
    status = body.get('status')
    restore['status'] = dict(status) if isinstance(status, dict) else {'state': status}
    restore['overwrite_existing'] = bool(restore['overwrite_existing'])
    restore['created_at'] = normalise_timestamp(restore['created_at'])
    restore['completed_at'] = normalise_timestamp(restore['completed_at'])
    return restore


def restored_snapshot(snapshot):
    """An instance snapshot (snapshot_instance's shape) as the restore reports it; {} for none."""
    if not snapshot:
        return {}
    restored = dict((field, snapshot.get(field)) for field in RESTORED_SNAPSHOT_FIELDS)
    restored['state'] = snapshot.get('api_status')
    return restored


def instance_status(instance):
    return ((instance or {}).get('status') or '').strip().upper()


def is_restoring_from(instance, snapshot_id):
    """Whether an instance is in the middle of a restore that may be this snapshot's (the API may not say which)."""
    if instance_status(instance) != INSTANCE_RESTORING:
        return False
    restored_from = instance.get('restored_from')
    return restored_from in (None, snapshot_id)


class SnapshotRestoreAPI:
    """The requests of one restore: the source instance, the restore itself, and the wait for the restored instance."""

    def __init__(self, api):
        self.api = api

    def instance(self, instance_id):
        """The instance with this id (GET /v2/instances/:id, which every region answers); RestoreError if unknown."""
        try:
            return self.api.get('/v2/instances/%s' % quote(instance_id, safe=''))
        except CivoAPIError as e:
            if e.status == 404:
                raise RestoreError("No instance with id '%s'%s (HTTP 404, %s). Check instance_id, or give the hostname as instance." % (
                    instance_id, self._in_region(), e.code or e.reason), **e.as_result())
            raise

    def instances_with_hostname(self, hostname):
        """Every instance listed with this hostname, read afresh (a restore may just have added one)."""
        return [item for item in InstanceLookup(self.api).all() if item.get('hostname') == hostname]

    def restore(self, instance, snapshot, options):
        """Start the restore; the operation, normalised. options: description, hostname, private_ipv4, overwrite_existing."""
        path = '/v2/instances/%s/snapshots/%s/restore' % (quote(instance['id'], safe=''), quote(snapshot['id'], safe=''))
        body = dict((key, value) for key, value in options.items() if value)
        try:
            return normalise_restore(self.api.post(path, body))
        except CivoAPIError as e:
            if not self._started_by_lost_attempt(e, instance, snapshot, options):
                raise
            # The operation's answer was lost; what is known of it is what was asked.
            return normalise_restore(dict(body, from_snapshot=snapshot['id'], status={'state': 'in_progress'}))

    def _started_by_lost_attempt(self, error, instance, snapshot, options):
        """Whether a 409 on a retried POST only says that the first, unanswered attempt was carried out.

        The client retries a POST whose answer was lost (a timeout, a 5xx from a proxy); the retry then finds the
        hostname taken, or the instance restoring, because of the task's own first attempt.
        """
        if error.status != 409 or error.attempts < 2:
            return False
        if options.get('overwrite_existing'):
            return is_restoring_from(self.instance(instance['id']), snapshot['id'])
        return len(self.instances_with_hostname(options['hostname'])) == 1

    def wait_active(self, deadline, instance_id=None, hostname=None, seen_busy=False):
        """Poll the instance (by id, or by hostname) until it is ACTIVE; InstanceWaitError if it breaks or time runs out.

        seen_busy=False (right after an in-place restore): ACTIVE counts only after the instance was seen in another
        status, or IN_PLACE_SETTLE_SECONDS after the start.
        """
        trusted_after = time.time() + (0 if seen_busy else IN_PLACE_SETTLE_SECONDS)
        instance = None
        for interval in poll_intervals():
            instance = self._read_instance(instance_id, hostname)
            status = instance_status(instance)
            if status == INSTANCE_ACTIVE and time.time() >= trusted_after:
                return instance
            if instance is not None and status != INSTANCE_ACTIVE:
                trusted_after = 0
            if status in INSTANCE_BROKEN_STATES:
                raise InstanceWaitError("The restored instance %s is %s: the restore failed. Look at it in the Civo dashboard." % (
                    hostname or instance_id, status), instance)
            left = deadline - time.time()
            if left <= 0:
                raise InstanceWaitError(
                    "Timed out waiting for the restored instance %s to be ACTIVE (it is %s). The restore goes on: run the task "
                    "again to resume waiting, without restoring again, or raise wait_timeout." % (
                        hostname or instance_id, status or 'not listed yet'), instance or {})
            time.sleep(min(interval, left))
        return instance  # pragma: no cover (the generator never ends)

    def _read_instance(self, instance_id, hostname):
        if instance_id:
            return self.api.get('/v2/instances/%s' % quote(instance_id, safe=''))
        found = self.instances_with_hostname(hostname)
        return found[0] if found else None

    def _in_region(self):
        return ' in region %s' % self.api.region if self.api.region else ''
