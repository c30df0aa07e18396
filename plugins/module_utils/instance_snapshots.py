# -*- coding: utf-8 -*-
# Copyright: (c) 2026, civo.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The per-instance snapshot API (``/v2/instances/:id/snapshots``, ``/v2/resourcesnapshots``): ``snapshot_api:
instance``.

Snapshots belong to an instance and are addressed by id; a name need not be unique (several snapshots of one instance
may share it unless the API refuses that with a 409). Shapes as in current-api.md 1a and 1b (civogo v0.7.0).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from urllib.parse import quote

from ansible_collections.civo.cloud.plugins.module_utils.errors import CivoAPIError, CivoError, LookupFailed
from ansible_collections.civo.cloud.plugins.module_utils.instances import INSTANCE_NOT_FOUND_CODES
from ansible_collections.civo.cloud.plugins.module_utils.snapshots import (
    SnapshotAPI,
    newest_first,
    normalise_timestamp,
    status_of_api_state,
)

# A 404 with one of these codes (or none) means "no such snapshot": the goal of a delete is reached.
SNAPSHOT_GONE_CODES = (None, '', 'database_snapshot_not_found')
# What the 404 of a region without this API advises by default: civo_snapshot and civo_snapshot_info can use the other
# API.
USE_THE_ACCOUNT_API = 'Use snapshot_api: account (the default) in this region.'


def _path(*parts):
    return '/v2/' + '/'.join(quote(part, safe='') for part in parts)


def normalise_snapshot(raw, target=None, region=None):
    """One snapshot of /v2/instances/:id/snapshots (or the ``instance`` of a resource snapshot) in the modules'
    shape."""
    raw = raw if isinstance(raw, dict) else {}
    target = target or {}
    status = raw.get('status') if isinstance(raw.get('status'), dict) else {}
    # civogo's shape is status.state; a bare status or state word is read too, should an answer be flatter.
    api_status = next(
        (word for word in (status.get('state'), raw.get('status'), raw.get('state')) if isinstance(word, str)), ''
    )
    created_at = normalise_timestamp(raw.get('created_at'))
    return dict(
        id=raw.get('id'),
        name=raw.get('name'),
        instance_id=target.get('id'),
        hostname=target.get('hostname'),
        safe=None,
        status=status_of_api_state(api_status),
        cron_timing=None,
        size_gb=None,
        requested_at=created_at,
        completed_at=None,
        region=target.get('region') or region,
        description=raw.get('description') or '',
        included_volumes=list(raw.get('included_volumes') or []),
        volumes=[
            dict(id=volume.get('id'), state=volume.get('state'))
            for volume in status.get('volumes') or []
            if isinstance(volume, dict)
        ],
        created_at=created_at,
        api_status=api_status,
    )


def normalise_resource_snapshot(raw, region=None):
    """One item of GET /v2/resourcesnapshots: its own id, name and dates, the instance's id and state."""
    raw = raw if isinstance(raw, dict) else {}
    instance = raw.get('instance') if isinstance(raw.get('instance'), dict) else {}
    # instance.description may describe the instance rather than the snapshot (the sources disagree): not used.
    return normalise_snapshot(
        dict(
            instance,
            id=raw.get('id'),
            name=raw.get('name'),
            description=raw.get('description'),
            created_at=raw.get('created_at') or instance.get('created_at'),
        ),
        dict(id=instance.get('id')),
        region,
    )


class InstanceSnapshots(SnapshotAPI):
    """The snapshot endpoints of the per-instance API. A new snapshot of a name is added beside the old ones.

    unavailable_advice ends the error of a region without this API: what the caller can do instead.
    """

    name = 'instance'
    replaces_in_place = False

    def __init__(self, api, unavailable_advice=USE_THE_ACCOUNT_API):
        super(InstanceSnapshots, self).__init__(api)
        self.unavailable_advice = unavailable_advice

    # Reading
    def list(self, target=None):
        """The snapshots of one instance (one request), or of every instance in the region (GET /v2/resourcesnapshots).

        The API lists in creation order; the list is handed on reversed so that snapshots created within one second
        (timestamps have whole seconds) still sort newest first in newest_first, which keeps the order of equals.
        """
        if target is None:
            items = self._array('GET', _path('resourcesnapshots'))
            return [
                normalise_resource_snapshot(item, self.api.region)
                for item in reversed(items)
                if isinstance(item, dict) and item.get('resource_type') in (None, 'instance')
            ]
        items = self._array('GET', _path('instances', target['id'], 'snapshots'), target)
        return [normalise_snapshot(item, target, self.api.region) for item in reversed(items) if isinstance(item, dict)]

    def named(self, name, target):
        """Every snapshot of this exact name of the instance, newest first (one request)."""
        return newest_first([snapshot for snapshot in self.list(target) if snapshot['name'] == name])

    def find(self, target, id_or_name):
        """The instance's one snapshot with this id, else with this name (one request); LookupFailed if none or several.

        The list is read rather than a GET by id: no source confirms that the API resolves a name in the path.
        """
        snapshots = self.list(target)
        matches = [snapshot for snapshot in snapshots if snapshot['id'] == id_or_name] or [
            snapshot for snapshot in snapshots if snapshot['name'] == id_or_name
        ]
        if len(matches) == 1:
            return matches[0]
        instance = target.get('hostname') or target['id']
        if not matches:
            names = ', '.join(sorted(set(snapshot['name'] or snapshot['id'] for snapshot in snapshots))) or 'none'
            raise LookupFailed(
                "Instance %s has no snapshot with id or name '%s' (its snapshots: %s)." % (instance, id_or_name, names)
            )
        raise LookupFailed(
            "Instance %s has %d snapshots named '%s' (ids %s): give the id instead."
            % (instance, len(matches), id_or_name, ', '.join(snapshot['id'] for snapshot in matches))
        )

    def read(self, snapshot):
        """The snapshot by id, or None when it is gone."""
        target = dict(id=snapshot['instance_id'], hostname=snapshot.get('hostname'), region=snapshot.get('region'))
        body = self._call('GET', _path('instances', target['id'], 'snapshots', snapshot['id']), target, gone_ok=True)
        return None if body is None else normalise_snapshot(body, target, self.api.region)

    # Changing
    def take(self, name, target, settings, known=()):
        """POST a new snapshot (settings: description). After a lost answer, the snapshot of this name that is not among
        `known` is the one it created."""
        body = dict(name=name)
        if settings.get('description'):
            body['description'] = settings['description']
        known_ids = set(snapshot['id'] for snapshot in known)

        path = _path('instances', target['id'], 'snapshots')

        def find_created():
            created = [
                item
                for item in self._array('GET', path, target)
                if isinstance(item, dict) and item.get('name') == name and item.get('id') not in known_ids
            ]
            return created[-1] if created else None  # the API lists in creation order

        raw = self._call('POST', path, target, json_body=body, find_created=find_created)
        return normalise_snapshot(raw, target, self.api.region)

    def predict(self, name, target, settings, current=None):
        """The snapshot a POST would add: new, with the description given or carried over."""
        snapshot = normalise_snapshot(
            dict(name=name, description=settings.get('description') or ''), target, self.api.region
        )
        return dict(snapshot, api_status=None)

    def update(self, snapshot, changes):
        """PUT the changes (name, description)."""
        target = dict(id=snapshot['instance_id'], hostname=snapshot.get('hostname'), region=snapshot.get('region'))
        raw = self._call(
            'PUT', _path('instances', target['id'], 'snapshots', snapshot['id']), target, json_body=changes
        )
        updated = normalise_snapshot(raw, target, self.api.region)
        if not updated['id']:  # an answer without the object: what was sent is what it now holds
            return dict(snapshot, **changes)
        return updated

    def delete(self, snapshot):
        """Delete by id; True if it went, False if it was already gone."""
        target = dict(id=snapshot['instance_id'])
        return (
            self._call('DELETE', _path('instances', target['id'], 'snapshots', snapshot['id']), target, gone_ok=True)
            is not None
        )

    # The transport, and telling "no such snapshot" from "no such instance" from "no such API here"
    def _call(self, method, path, target=None, json_body=None, gone_ok=False, find_created=None):
        """The answer (a DELETE's may be {}), or None for a 404 that names the snapshot when gone_ok."""
        try:
            if find_created is not None:
                return self.api.post(path, json_body, find_created)
            return self.api.request(method, path, json_body=json_body)
        except CivoAPIError as e:
            if e.status != 404:
                raise
            if gone_ok and e.code in SNAPSHOT_GONE_CODES:
                return None
            raise self._explain_404(e, target)

    def _explain_404(self, error, target):
        region = 'region %s' % self.api.region if self.api.region else "the account's default region"
        unavailable = CivoError(
            "The Civo API in %s does not offer the per-instance snapshot API (snapshot_api=instance): %s. Civo "
            "documents it for CivoStack Enterprise private regions. %s" % (region, error, self.unavailable_advice),
            **error.result,
        )
        if target is None:
            return unavailable
        if error.code in INSTANCE_NOT_FOUND_CODES:
            return self._unknown_instance(target, error)
        try:
            self.api.get(_path('instances', target['id']))
        except CivoAPIError as probe:
            if probe.status == 404:
                return self._unknown_instance(target, probe)
            raise
        return unavailable

    def _unknown_instance(self, target, error):
        region = 'region %s' % self.api.region if self.api.region else "the account's default region"
        return LookupFailed(
            "No instance with id '%s' in %s (%s). Check instance_id, or give the hostname as instance."
            % (target['id'], region, error),
            **error.result,
        )

    def _array(self, method, path, target=None):
        body = self._call(method, path, target)
        if not isinstance(body, list):
            raise CivoAPIError(method, path, cause='expected a JSON array of snapshots, got %s' % type(body).__name__)
        return body
