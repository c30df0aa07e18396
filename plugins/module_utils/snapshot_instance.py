# -*- coding: utf-8 -*-
# Copyright: (c) 2026, civo.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The per-instance snapshot API (``/v2/instances/:id/snapshots``, ``/v2/resourcesnapshots``): ``snapshot_api: instance``.

Snapshots belong to an instance and are addressed by id; a name need not be unique (several snapshots of one instance
may share it unless the API refuses that with a 409). Shapes as in current-api.md 1a and 1b (civogo v0.7.0).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import time

from ansible.module_utils.six.moves.urllib.parse import quote

from ansible_collections.civo.cloud.plugins.module_utils.civo_api import CivoAPIError
from ansible_collections.civo.cloud.plugins.module_utils.snapshot_common import (
    COMPLETE, FAILED, SnapshotWaitError, newest_first, normalise_timestamp, poll_intervals, status_of_api_state,
)

# The keys of the account API's snapshot, then what only this API tells.
SNAPSHOT_FIELDS = (
    'id', 'name', 'instance_id', 'hostname', 'safe', 'status', 'cron_timing',
    'size_gb', 'requested_at', 'completed_at', 'region',
    'description', 'included_volumes', 'volumes', 'created_at', 'api_status',
)
# A 404 with one of these codes (or none) means "no such snapshot": the goal of a delete is reached.
SNAPSHOT_GONE_CODES = (None, '', 'database_snapshot_not_found')
INSTANCE_GONE_CODES = ('database_instance_not_found', 'database_instance_find')
# What the 404 of a region without this API advises by default: civo_snapshot and civo_snapshot_info can use the other API.
USE_THE_ACCOUNT_API = 'Use snapshot_api: account (the default) in this region.'


class InstanceSnapshotAPIError(Exception):
    """The family's routes answered 404: the region does not offer it, or the instance does not exist."""

    def __init__(self, message, api_error):
        super(InstanceSnapshotAPIError, self).__init__(message)
        self.api_error = api_error

    def as_result(self):
        return self.api_error.as_result()


def _path(*parts):
    return '/v2/' + '/'.join(quote(part, safe='') for part in parts)


def normalise_snapshot(raw, instance_id=None, region=None):
    """One snapshot of /v2/instances/:id/snapshots (or the ``instance`` of a resource snapshot) in the modules' shape."""
    raw = raw if isinstance(raw, dict) else {}
    status = raw.get('status') if isinstance(raw.get('status'), dict) else {}
    # civogo's shape is status.state; a bare status or state word is read too, should an answer be flatter.
    api_status = next((word for word in (status.get('state'), raw.get('status'), raw.get('state')) if isinstance(word, str)), '')
    created_at = normalise_timestamp(raw.get('created_at'))
    return dict(
        id=raw.get('id'), name=raw.get('name'), instance_id=instance_id, hostname=None,
        safe=None, status=status_of_api_state(api_status), cron_timing=None, size_gb=None,
        requested_at=created_at, completed_at=None, region=region,
        description=raw.get('description') or '',
        included_volumes=list(raw.get('included_volumes') or []),
        volumes=[dict(id=volume.get('id'), state=volume.get('state')) for volume in status.get('volumes') or []
                 if isinstance(volume, dict)],
        created_at=created_at, api_status=api_status,
    )


def normalise_resource_snapshot(raw, region=None):
    """One item of GET /v2/resourcesnapshots: its own id, name and dates, the instance's id and state."""
    raw = raw if isinstance(raw, dict) else {}
    instance = raw.get('instance') if isinstance(raw.get('instance'), dict) else {}
    # instance.description may describe the instance rather than the snapshot (the sources disagree): not used.
    return normalise_snapshot(dict(instance, id=raw.get('id'), name=raw.get('name'), description=raw.get('description'),
                                   created_at=raw.get('created_at') or instance.get('created_at')),
                              instance_id=instance.get('id'), region=region)


class SnapshotLookupError(Exception):
    """No snapshot of the instance has the id or name asked for, or several have that name."""


class InstanceSnapshots:
    """The snapshot endpoints of the per-instance API, in the shape the modules use.

    unavailable_advice ends the error of a region without this API: what the caller can do instead.
    """

    api_name = 'instance'

    def __init__(self, api, unavailable_advice=USE_THE_ACCOUNT_API):
        self.api = api
        self.unavailable_advice = unavailable_advice

    # Reading
    def list(self, instance_id=None):
        """The snapshots of one instance (one request), or of every instance in the region (GET /v2/resourcesnapshots).

        The API lists in creation order; the list is handed on reversed so that snapshots created within one second
        (timestamps have whole seconds) still sort newest first in newest_first, which keeps the order of equals.
        """
        if instance_id is None:
            body = self._call('GET', _path('resourcesnapshots'))
            items = self._array(body, 'GET', _path('resourcesnapshots'))
            return [normalise_resource_snapshot(item, self.api.region) for item in reversed(items)
                    if isinstance(item, dict) and item.get('resource_type') in (None, 'instance')]
        path = _path('instances', instance_id, 'snapshots')
        items = self._array(self._call('GET', path, instance_id), 'GET', path)
        return [normalise_snapshot(item, instance_id, self.api.region) for item in reversed(items) if isinstance(item, dict)]

    def find_all(self, name, instance_id):
        """Every snapshot of this exact name of the instance, newest first (one request)."""
        return newest_first([snapshot for snapshot in self.list(instance_id) if snapshot['name'] == name])

    def find(self, instance_id, id_or_name, hostname=None):
        """The instance's one snapshot with this id, else with this name (one request); SnapshotLookupError if none or several.

        The list is read rather than a GET by id: no source confirms that the API resolves a name in the path.
        """
        snapshots = self.list(instance_id)
        matches = ([snapshot for snapshot in snapshots if snapshot['id'] == id_or_name]
                   or [snapshot for snapshot in snapshots if snapshot['name'] == id_or_name])
        if len(matches) == 1:
            return matches[0]
        instance = hostname or instance_id
        if not matches:
            names = ', '.join(sorted(set(snapshot['name'] or snapshot['id'] for snapshot in snapshots))) or 'none'
            raise SnapshotLookupError("Instance %s has no snapshot with id or name '%s' (its snapshots: %s)." % (instance, id_or_name, names))
        raise SnapshotLookupError("Instance %s has %d snapshots named '%s' (ids %s): give the id instead." % (
            instance, len(matches), id_or_name, ', '.join(snapshot['id'] for snapshot in matches)))

    def get(self, instance_id, snapshot_id):
        """The snapshot by id, or None when it is gone."""
        try:
            body = self._call('GET', _path('instances', instance_id, 'snapshots', snapshot_id), instance_id, gone_ok=True)
        except _Gone:
            return None
        return normalise_snapshot(body, instance_id, self.api.region)

    # Changing
    def create(self, instance_id, name, description=None):
        body = dict(name=name)
        if description:
            body['description'] = description
        raw = self._call('POST', _path('instances', instance_id, 'snapshots'), instance_id, json_body=body)
        return normalise_snapshot(raw, instance_id, self.api.region)

    def update(self, snapshot, description):
        raw = self._call('PUT', _path('instances', snapshot['instance_id'], 'snapshots', snapshot['id']), snapshot['instance_id'],
                         json_body=dict(description=description))
        updated = normalise_snapshot(raw, snapshot['instance_id'], self.api.region)
        if not updated['id']:  # an answer without the object: what was sent is what it now holds
            return dict(snapshot, description=description)
        return dict(updated, hostname=snapshot.get('hostname'))

    def delete(self, snapshot):
        """Delete by id; True if it went, False if it was already gone."""
        try:
            self._call('DELETE', _path('instances', snapshot['instance_id'], 'snapshots', snapshot['id']), snapshot['instance_id'],
                       gone_ok=True)
        except _Gone:
            return False
        return True

    # Waiting
    def wait_complete(self, snapshot, timeout):
        """Poll the snapshot until it is complete; SnapshotWaitError if it fails, vanishes or time runs out."""
        deadline = time.time() + timeout
        for interval in poll_intervals():
            if snapshot['status'] == COMPLETE:
                return snapshot
            if snapshot['status'] == FAILED:
                raise SnapshotWaitError("Snapshot '%s' (%s) of instance %s ended in state '%s' instead of complete." % (
                    snapshot['name'], snapshot['id'], snapshot['instance_id'], snapshot['api_status']), snapshot)
            left = deadline - time.time()
            if left <= 0:
                raise SnapshotWaitError(
                    "Timed out after %ss waiting for snapshot '%s' (%s) to complete (state now '%s'). It is still being taken: "
                    "run the task again to resume waiting, or raise wait_timeout (large disks take long)." % (
                        timeout, snapshot['name'], snapshot['id'], snapshot['api_status']), snapshot)
            time.sleep(min(interval, left))
            found = self.get(snapshot['instance_id'], snapshot['id'])
            if found is None:
                raise SnapshotWaitError("Snapshot '%s' (%s) disappeared while waiting for it to complete." % (
                    snapshot['name'], snapshot['id']), snapshot)
            snapshot = dict(found, hostname=found['hostname'] or snapshot.get('hostname'), region=found['region'] or snapshot.get('region'))
        return snapshot  # pragma: no cover (the generator never ends)

    def wait_gone(self, snapshot, timeout):
        """Poll the snapshot until the API no longer knows it; SnapshotWaitError on timeout. The first look is at once."""
        deadline = time.time() + timeout
        for interval in poll_intervals():
            found = self.get(snapshot['instance_id'], snapshot['id'])
            if found is None:
                return
            left = deadline - time.time()
            if left <= 0:
                raise SnapshotWaitError("Timed out after %ss waiting for snapshot '%s' (%s) to be deleted." % (
                    timeout, snapshot['name'], snapshot['id']), found)
            time.sleep(min(interval, left))

    # The transport, and telling "no such snapshot" from "no such instance" from "no such API here"
    def _call(self, method, path, instance_id=None, json_body=None, gone_ok=False):
        try:
            return self.api.request(method, path, json_body=json_body)
        except CivoAPIError as e:
            if e.status != 404:
                raise
            if gone_ok and e.code in SNAPSHOT_GONE_CODES:
                raise _Gone()
            raise self._explain_404(e, instance_id)

    def _explain_404(self, error, instance_id):
        region = 'region %s' % self.api.region if self.api.region else "the account's default region"
        unavailable = ("The Civo API in %s does not offer the per-instance snapshot API (snapshot_api=instance): %s. Civo documents it "
                       "for CivoStack Enterprise private regions. %s" % (region, error, self.unavailable_advice))
        if instance_id is None:
            return InstanceSnapshotAPIError(unavailable, error)
        if error.code in INSTANCE_GONE_CODES:
            return UnknownInstanceError(instance_id, region, error)
        try:
            self.api.get(_path('instances', instance_id))
        except CivoAPIError as probe:
            if probe.status == 404:
                return UnknownInstanceError(instance_id, region, probe)
            raise
        return InstanceSnapshotAPIError(unavailable, error)

    @staticmethod
    def _array(body, method, path):
        if not isinstance(body, list):
            raise CivoAPIError(method, path, cause='expected a JSON array of snapshots, got %s' % type(body).__name__)
        return body


class UnknownInstanceError(InstanceSnapshotAPIError):
    """The instance whose snapshots were asked for does not exist (in this region)."""

    def __init__(self, instance_id, region, api_error):
        super(UnknownInstanceError, self).__init__(
            "No instance with id '%s' in %s (%s). Check instance_id, or give the hostname as instance." % (
                instance_id, region, api_error), api_error)
        self.instance_id = instance_id


class _Gone(Exception):
    """The snapshot asked for is not there (a 404 that names the snapshot)."""
