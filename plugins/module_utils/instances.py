# -*- coding: utf-8 -*-
# Copyright: (c) 2026, civo.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Civo instances (``/v2/instances``): the listing (every page, read once per module run), one instance by id, and
the one rule by which a hostname names an instance.

A *target* is an instance as the snapshot code needs it: ``dict(id, hostname, region)``, the hostname and region None
where nobody told them.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from urllib.parse import quote

from ansible_collections.civo.cloud.plugins.module_utils.errors import TOKEN_REJECTED_CODES, CivoAPIError, LookupFailed

# What civogo's ListAllInstances asks for: every instance in one page. Should the API cut pages shorter, they are
# followed.
INSTANCES_PER_PAGE = 99999999
# The codes of a 404 that names the instance (a 404 without a code is read the same way by Instances.get).
INSTANCE_NOT_FOUND_CODES = ('database_instance_not_found', 'database_instance_find')


def in_region(region):
    return ' in region %s' % region if region else ''


def match_hostname(instances, hostname, region=None):
    """The one instance of `instances` with this hostname; LookupFailed (saying how many were looked at) if none or
    several."""
    matches = [item for item in instances if item.get('hostname') == hostname]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise LookupFailed(
            "No instance with hostname '%s' (%d instances looked at%s). Check the name, or give the instance's ID."
            % (hostname, len(instances), in_region(region))
        )
    raise LookupFailed(
        "Hostname '%s' is ambiguous: %d instances have it (%s). Give the instance's ID instead."
        % (hostname, len(matches), ', '.join(item.get('id') or '?' for item in matches))
    )


def target(instance, hostname=None, region=None):
    """An instance (as the API lists it) as a target: dict(id, hostname, region)."""
    return dict(
        id=instance.get('id'), hostname=hostname or instance.get('hostname'), region=region or instance.get('region')
    )


class Instances:
    """The instances of the region: listed once per module run, however many hostnames are looked up."""

    def __init__(self, api):
        self.api = api
        self._listed = None

    def all(self, fresh=False):
        """Every instance in the region, following the pagination; read once, then remembered (fresh: read again)."""
        if self._listed is None or fresh:
            found, page, pages = [], 1, 1
            while page <= pages:
                body = self.api.get('/v2/instances', params={'page': page, 'per_page': INSTANCES_PER_PAGE})
                found.extend(body.get('items') or [])
                pages = int(body.get('pages') or 1)
                page += 1
            self._listed = found
        return self._listed

    def get(self, instance_id):
        """The instance with this id (GET /v2/instances/:id, which every region answers); LookupFailed if there is
        none."""
        try:
            return self.api.get('/v2/instances/%s' % quote(instance_id, safe=''))
        except CivoAPIError as e:
            if e.status == 404 and e.code not in TOKEN_REJECTED_CODES:
                raise LookupFailed(
                    "No instance with id '%s'%s (HTTP 404, %s). Check the ID, or give the hostname instead."
                    % (instance_id, in_region(self.api.region), e.code or e.reason),
                    **e.result,
                )
            raise

    def by_hostname(self, hostname):
        """The one instance with this hostname; LookupFailed if none or several."""
        return match_hostname(self.all(), hostname, self.api.region)

    def with_hostname(self, hostname, fresh=False):
        """Every instance listed with this hostname (fresh: listed again, for one a restore may just have added)."""
        return [item for item in self.all(fresh) if item.get('hostname') == hostname]

    def hostname_of(self, instance_id):
        """The hostname of an instance id from the listing, or None when it is not listed."""
        for item in self.all():
            if item.get('id') == instance_id:
                return item.get('hostname')
        return None

    def target(self, instance_id=None, hostname=None):
        """The instance given by id (not looked up: the API answers for it) or by hostname (looked up), as a target."""
        if instance_id:
            return dict(id=instance_id, hostname=hostname, region=self.api.region)
        return target(self.by_hostname(hostname), hostname, self.api.region)
