# -*- coding: utf-8 -*-
# Copyright: (c) 2026, civo.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Civo instances as the snapshot modules need them: every instance (following the pagination), hostname to id."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

INSTANCES_PER_PAGE = 100


class InstanceLookupError(Exception):
    """A hostname that names no instance, or several."""


class InstanceLookup:
    """Reads the instance list once per module run, however many hostnames are looked up."""

    def __init__(self, api):
        self.api = api
        self._instances = None

    def all(self):
        """Every instance in the region, following the pagination (read once, then remembered)."""
        if self._instances is None:
            found, page, pages = [], 1, 1
            while page <= pages:
                body = self.api.get('/v2/instances', params={'page': page, 'per_page': INSTANCES_PER_PAGE})
                found.extend(body.get('items') or [])
                pages = int(body.get('pages') or 1)
                page += 1
            self._instances = found
        return self._instances

    def by_hostname(self, hostname):
        """The one instance with this hostname; InstanceLookupError if none or several."""
        instances = self.all()
        matches = [item for item in instances if item.get('hostname') == hostname]
        if len(matches) == 1:
            return matches[0]
        if not matches:
            raise InstanceLookupError("No instance with hostname '%s' (%d instances looked at%s). Check the name, or give instance_id." % (
                hostname, len(instances), " in region %s" % self.api.region if self.api.region else ''))
        raise InstanceLookupError("Hostname '%s' is ambiguous: %d instances have it (%s). Give instance_id instead." % (
            hostname, len(matches), ', '.join(item.get('id') for item in matches)))

    def resolve_hostname(self, hostname):
        """The id of the one instance with this hostname; InstanceLookupError if none or several."""
        return self.by_hostname(hostname)['id']

    def hostname_of(self, instance_id):
        """The hostname of an instance id from the listing, or None when it is not listed."""
        for item in self.all():
            if item.get('id') == instance_id:
                return item.get('hostname')
        return None
