# -*- coding: utf-8 -*-
# Copyright: (c) 2026, civo.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Restoring an instance snapshot of Civo's current API: ``POST /v2/instances/:id/snapshots/:sid/restore``.

The shapes (current-api.md 1a, 1b): the restore answers a restore *operation*, flat (civogo v0.7.0) or wrapped as
``{resource_type, instance}`` (the resource-level form), and there is no endpoint to read that operation again. So a
restore is followed by polling the instance: by id when restored in place, by hostname when it is a new instance.

Finding the snapshot, reading its state and waiting for it are the per-instance snapshot API's (instance_snapshots.py).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import time
from urllib.parse import quote

from ansible_collections.civo.cloud.plugins.module_utils.errors import CivoAPIError, WaitFailed
from ansible_collections.civo.cloud.plugins.module_utils.snapshots import normalise_timestamp
from ansible_collections.civo.cloud.plugins.module_utils.waiting import wait_until

# The fields of civogo's InstanceRestoreInfo, the one shape `restore` is returned in.
RESTORE_FIELDS = (
    'id',
    'name',
    'hostname',
    'description',
    'from_snapshot',
    'private_ipv4',
    'overwrite_existing',
    'status',
    'created_at',
    'completed_at',
)
# The snapshot as the module returns it: a few keys of instance_snapshots' shape, with `state` for its api_status.
RESTORED_SNAPSHOT_FIELDS = ('id', 'name', 'description', 'status', 'created_at')

INSTANCE_ACTIVE = 'ACTIVE'
INSTANCE_RESTORING = 'RESTORING'
INSTANCE_BROKEN_STATES = ('ERROR', 'FAILED')
# The restore answer does not say when the instance leaves ACTIVE. Right after an in-place restore an instance still
# listed ACTIVE may not have started restoring yet: trust ACTIVE only once it was seen busy, or after this long.
IN_PLACE_SETTLE_SECONDS = 10.0


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
    """An instance snapshot (instance_snapshots' shape) as the restore reports it; {} for none."""
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
    restored_from = instance.get('restored_from') or instance.get('snapshot_id')
    return restored_from in (None, '', snapshot_id)


# Where civogo's Instance says it was built from (current-api.md 6).
SOURCE_ID_FIELDS = ('snapshot_id', 'source_id')


def built_from(instance, snapshot_id):
    """Whether the instance's own record says it was built from this snapshot: True, False, or None when it names no
    source."""
    named = [instance.get(field) for field in SOURCE_ID_FIELDS if instance.get(field)]
    if snapshot_id in named:
        return True
    return False if named or instance.get('source_type') else None


def source_of(instance):
    """What an instance's record says it was built from, in words ('diskimage ubuntu-jammy')."""
    words = [instance.get('source_type'), instance.get('source_id') or instance.get('snapshot_id')]
    return ' '.join(word for word in words if word) or 'an unknown source'


class SnapshotRestores:
    """The requests of one restore: the restore itself, and the wait for the restored instance.

    instances: the module's Instances (instances.py), through which instances are read.
    """

    def __init__(self, api, instances):
        self.api = api
        self.instances = instances

    def restore(self, instance, snapshot, options):
        """Start the restore; the operation, normalised. options: description, hostname, private_ipv4,
        overwrite_existing.

        After a lost answer, the restore it started is the instance restoring from this snapshot (in place) or the
        instance with the new hostname: the operation is then known only as it was asked for.
        """
        path = '/v2/instances/%s/snapshots/%s/restore' % (
            quote(instance['id'], safe=''),
            quote(snapshot['id'], safe=''),
        )
        body = dict((key, value) for key, value in options.items() if value)
        asked = dict(body, from_snapshot=snapshot['id'], status={'state': 'in_progress'})

        def find_created():
            if options.get('overwrite_existing'):
                return asked if is_restoring_from(self.instances.get(instance['id']), snapshot['id']) else None
            return asked if self.instances.with_hostname(options['hostname'], fresh=True) else None

        return normalise_restore(self.api.post(path, body, find_created))

    def wait_active(self, timeout, deadline, instance_id=None, hostname=None, seen_busy=False):
        """Poll the instance (by id, or by hostname) until it is ACTIVE; WaitFailed if it breaks or time runs out.

        seen_busy=False (right after an in-place restore): ACTIVE counts only after the instance was seen in another
        status, or IN_PLACE_SETTLE_SECONDS after the start.
        """
        trusted_after = [time.time() + (0 if seen_busy else IN_PLACE_SETTLE_SECONDS)]
        name = hostname or instance_id

        def read():
            try:
                if instance_id:
                    return self.instances.get(instance_id)
                found = self.instances.with_hostname(hostname, fresh=True)
                return found[0] if found else None
            except CivoAPIError as e:
                raise WaitFailed(
                    'The Civo API stopped answering while the task waited for the restored instance %s: %s. The '
                    'restore '
                    'goes on: run the task again to resume waiting, without restoring again.' % (name, e),
                    **e.result,
                )

        def settled(instance):
            status = instance_status(instance)
            if status == INSTANCE_ACTIVE and time.time() >= trusted_after[0]:
                return True
            if instance is not None and status != INSTANCE_ACTIVE:
                trusted_after[0] = 0
            if status in INSTANCE_BROKEN_STATES:
                raise WaitFailed(
                    'The restored instance %s is %s: the restore failed. Look at it in the Civo dashboard.'
                    % (name, status),
                    instance=instance,
                )
            return False

        def timed_out(instance):
            return WaitFailed(
                'Timed out after %ss waiting for the restored instance %s to be ACTIVE (it is %s). The restore goes '
                'on: run the task again to resume waiting, without restoring again, or raise wait_timeout.'
                % (timeout, name, instance_status(instance) or 'not listed yet'),
                instance=instance or {},
            )

        return wait_until(read, settled, deadline, timed_out)
