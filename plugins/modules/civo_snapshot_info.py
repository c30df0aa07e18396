#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, civo.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: civo_snapshot_info
short_description: List Civo instance snapshots
version_added: 0.1.0
description:
  - Lists snapshots newest first, optionally filtered, on either of Civo's snapshot APIs (O(snapshot_api)).
  - With O(snapshot_api=account) (the default), the instance snapshots of the account, in one request (two when filtered
    by O(instance)).
  - With O(snapshot_api=instance) and O(instance_id) or O(instance), that instance's snapshots, in one request (two by
    hostname). Without either, every instance snapshot of the region, from C(GET /v2/resourcesnapshots) in one request
    (its answer holds every instance snapshot of the region, so it grows with their number).
  - All filters given must match (they are combined with AND). No match returns an empty list; a filter never falls back
    to all snapshots.
  - The filters and the ordering work the same on both APIs.
author:
  - civo.cloud contributors (@civo-community)
extends_documentation_fragment:
  - civo.cloud.civo
  - civo.cloud.snapshot_api
attributes:
  check_mode:
    support: full
    description: Runs normally in check mode; it only reads.
  diff_mode:
    support: N/A
    description: Changes nothing, so there is nothing to diff.
  action_group:
    support: full
    description: Use C(group/civo.cloud.civo) in C(module_defaults) to set the connection options and O(snapshot_api)
      once.
    membership:
      - civo.cloud.civo
options:
  name:
    description: Only the snapshot with exactly this name.
    type: str
  name_prefix:
    description: Only snapshots whose name starts with this.
    type: str
  instance_id:
    description: Only snapshots of the instance with this ID.
    type: str
  instance:
    description:
      - Only snapshots of the instance with this hostname, looked up among all instances in the region.
      - Fails if no instance or more than one has this hostname; use O(instance_id) then.
    type: str
  status:
    description: Only snapshots with this status.
    type: str
    choices: [new, in-progress, complete, failed]
  older_than:
    description:
      - Only snapshots requested longer ago than this (by C(requested_at); with O(snapshot_api=instance) that is
        C(created_at)).
      - The same duration syntax as O(civo.cloud.civo_snapshot#module:max_age), for example V(7d), V(12h) or V(1d12h).
      - A snapshot whose C(requested_at) is not known (a scheduled one not yet taken) never matches.
    type: str
    version_added: 0.2.0
  newer_than:
    description:
      - Only snapshots requested less long ago than this (by C(requested_at)); the same syntax as O(older_than).
      - A snapshot whose C(requested_at) is not known never matches.
    type: str
    version_added: 0.2.0
seealso:
  - module: civo.cloud.civo_snapshot
'''

EXAMPLES = r'''
- name: List the complete snapshots of web-1, newest first
  civo.cloud.civo_snapshot_info:
    instance: web-1
    status: complete
  register: web_1_snapshots

- name: Show the newest one
  ansible.builtin.debug:
    msg: "{{ web_1_snapshots.snapshots[0].name | default('no snapshot of web-1 yet') }}"

- name: List every snapshot whose name starts with nightly-
  civo.cloud.civo_snapshot_info:
    name_prefix: nightly-
  register: nightly

- name: Look up one snapshot by name
  civo.cloud.civo_snapshot_info:
    name: db-1-nightly
  register: db_backup

- name: Find the nightly snapshots older than a week
  civo.cloud.civo_snapshot_info:
    name_prefix: nightly-
    older_than: 7d
  register: stale

- name: Prune them
  civo.cloud.civo_snapshot:
    name: "{{ item.name }}"
    state: absent
  loop: "{{ stale.snapshots }}"
  loop_control:
    label: "{{ item.name }}"

- name: With the per-instance API (CivoStack Enterprise), list every instance snapshot of the region
  civo.cloud.civo_snapshot_info:
    snapshot_api: instance
  register: region_snapshots

- name: With the per-instance API, find web-1's nightly snapshots older than a week
  civo.cloud.civo_snapshot_info:
    snapshot_api: instance
    instance: web-1
    name_prefix: nightly-
    older_than: 7d
  register: web_1_stale

- name: Prune them (the per-instance API needs the instance to delete)
  civo.cloud.civo_snapshot:
    snapshot_api: instance
    name: "{{ item.name }}"
    instance_id: "{{ item.instance_id }}"
    state: absent
  loop: "{{ web_1_stale.snapshots }}"
  loop_control:
    label: "{{ item.name }}"
'''

RETURN = r'''
snapshots:
  description:
    - The snapshots that match every filter, newest C(requested_at) first; snapshots not yet requested come last, by
      name.
    - Each has the same keys as the C(snapshot) that M(civo.cloud.civo_snapshot) returns, plus C(age_seconds).
    - With O(snapshot_api=instance) and no instance given, each has the C(instance_id) the region listing tells;
      C(hostname) is then null.
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: ID of the snapshot.
      type: str
      sample: 3b4d1f7e-9b0c-4f57-a7a1-5c2d9a4f7d10
    name:
      description: Name of the snapshot.
      type: str
      sample: web-1-before-upgrade
    instance_id:
      description: ID of the instance the snapshot is of.
      type: str
      sample: 0f7a3c1e-3b1c-4b7e-9d6f-1b2c3d4e5f60
    hostname:
      description: Hostname of that instance, when the API tells it.
      type: str
      sample: web-1
    safe:
      description: Whether the instance is shut down during the snapshot; null with O(snapshot_api=instance).
      type: bool
      sample: false
    status:
      description: V(new), V(in-progress), V(complete) or V(failed), on both APIs.
      type: str
      sample: complete
    cron_timing:
      description: The schedule of a scheduled snapshot, else null.
      type: str
      sample: "0 3 * * 0"
    size_gb:
      description: Size of the snapshot in GB, null until known.
      type: int
      sample: 25
    requested_at:
      description: When the snapshot was requested, ISO 8601 in UTC.
      type: str
      sample: "2026-11-29T03:00:02+00:00"
    completed_at:
      description: When the snapshot completed, ISO 8601 in UTC, else null.
      type: str
      sample: "2026-11-29T03:04:41+00:00"
    region:
      description: Region of the snapshot, when the API tells it; with O(snapshot_api=instance), the region asked for.
      type: str
      sample: LON1
    age_seconds:
      description:
        - How many seconds ago the snapshot was requested (by C(requested_at)), as an integer; null when that is not
          known.
        - The measure of O(older_than) and O(newer_than).
      type: int
      sample: 86400
      version_added: 0.2.0
    api_status:
      description: The API's own word for the state, as it sent it (for example V(pending), V(completed), V(Complete)).
      returned: with snapshot_api=instance
      type: str
      sample: completed
      version_added: 0.2.0
    created_at:
      description: When the snapshot was created, ISO 8601 in UTC; C(requested_at) carries the same.
      returned: with snapshot_api=instance
      type: str
      sample: "2026-11-29T03:00:02+00:00"
      version_added: 0.2.0
    description:
      description: Description of the snapshot.
      returned: with snapshot_api=instance
      type: str
      sample: Nightly backup of web-1
      version_added: 0.2.0
    included_volumes:
      description: IDs of the volumes included in the snapshot.
      returned: with snapshot_api=instance
      type: list
      elements: str
      sample: [9d1e2f3a-0b4c-4d5e-8f6a-7b8c9d0e1f2a]
      version_added: 0.2.0
    volumes:
      description: Each included volume's ID and the API's word for its state.
      returned: with snapshot_api=instance
      type: list
      elements: dict
      sample: [{id: 9d1e2f3a-0b4c-4d5e-8f6a-7b8c9d0e1f2a, state: completed}]
      version_added: 0.2.0
retried_requests:
  description:
    - How many API requests of this task were retried (after HTTP 429 or 5xx, a timeout or a dropped connection) and
      why.
    - With C(-vvv) or more also RV(retried_requests.attempts), each retry in order.
  returned: always
  type: dict
  version_added: 0.2.0
  sample: {count: 1, reasons: {"HTTP 503": 1}}
  contains:
    count:
      description: Number of retried attempts; 0 when every request succeeded at once.
      type: int
    reasons:
      description: Each reason (C(HTTP 503), C(HTTP 429 (rate_limit)), C(connection error), ...) with how many retries
        it caused.
      type: dict
    lost_answers:
      description:
        - Each request that creates something (a POST) whose answer was lost, and what was found of it instead of
          sending it again; a POST is never resent blindly.
      returned: when the answer of such a request was lost
      type: list
      elements: str
      sample:
        - "POST /v2/instances/0f7a.../snapshots: the answer was lost (connection error); what it created was found
          (3b4d...), so it was not sent again."
    attempts:
      description: Each retry, from C(-vvv) on.
      returned: when the verbosity is 3 or more
      type: list
      elements: dict
      sample: [{request: GET /v2/snapshots, attempt: 1, reason: HTTP 503, waited: 0.4}]
'''

from ansible_collections.civo.cloud.plugins.module_utils.errors import LookupFailed
from ansible_collections.civo.cloud.plugins.module_utils.input_rules import (
    duration_problem,
    empty_filters,
    parse_duration,
)
from ansible_collections.civo.cloud.plugins.module_utils.module import BOTH_SNAPSHOT_APIS, CivoModule, CivoResource
from ansible_collections.civo.cloud.plugins.module_utils.snapshots import age_seconds, newest_first

ARGUMENT_SPEC = dict(
    name=dict(type='str'),
    name_prefix=dict(type='str'),
    instance_id=dict(type='str'),
    instance=dict(type='str'),
    status=dict(type='str', choices=['new', 'in-progress', 'complete', 'failed']),
    older_than=dict(type='str'),
    newer_than=dict(type='str'),
)
FILTERS = ('name', 'name_prefix', 'instance_id', 'status', 'older_than', 'newer_than')


def check_input(params):
    """Every rule that can be checked without the API, so that bad input never sends a request."""
    empty = empty_filters(params, ['name', 'name_prefix', 'instance_id', 'instance'])
    problems = (
        ['Filters must not be empty strings: %s. Leave a filter out to not filter by it.' % ', '.join(empty)]
        if empty
        else []
    )
    problems.extend(duration_problem(key, params[key]) for key in ('older_than', 'newer_than'))
    return problems


def matches(snapshot, filters):
    """Whether a snapshot passes every filter that is set (ages in seconds, from its age_seconds)."""
    age = snapshot['age_seconds']
    return all(
        (
            filters['name'] is None or snapshot['name'] == filters['name'],
            filters['name_prefix'] is None or (snapshot['name'] or '').startswith(filters['name_prefix']),
            filters['instance_id'] is None or snapshot['instance_id'] == filters['instance_id'],
            filters['status'] is None or snapshot['status'] == filters['status'],
            filters['older_than'] is None or (age is not None and age > filters['older_than']),
            filters['newer_than'] is None or (age is not None and age < filters['newer_than']),
        )
    )


def age_of(snapshot):
    age = age_seconds(snapshot)
    return None if age is None else int(age)


class SnapshotListing(CivoResource):
    """The snapshots the filters match, read in as few requests as the API in use allows."""

    def run(self):
        filters = dict((key, self.params[key]) for key in FILTERS)
        for key in ('older_than', 'newer_than'):
            filters[key] = parse_duration(self.params[key]) if self.params[key] is not None else None
        target = None
        if self.params['instance'] is not None or self.params['instance_id'] is not None:
            target = self.instances.target(self.params['instance_id'], self.params['instance'])
            filters['instance_id'] = target['id']
        snapshots = [dict(snapshot, age_seconds=age_of(snapshot)) for snapshot in self.read(target)]
        self.result = dict(snapshots=newest_first([snapshot for snapshot in snapshots if matches(snapshot, filters)]))

    def read(self, target):
        """The account API lists the whole account in one request anyway; the instance API one instance's, or the
        region's."""
        try:
            return self.snapshots.list(target)
        except LookupFailed:
            return []  # as with the account API, a filter on an instance that does not exist matches nothing


def main():
    CivoModule(
        ARGUMENT_SPEC,
        check_input=check_input,
        snapshot_api=BOTH_SNAPSHOT_APIS,
        mutually_exclusive=[('instance_id', 'instance')],
    ).run(SnapshotListing)


if __name__ == '__main__':
    main()
