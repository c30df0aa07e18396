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
  - Lists the snapshots in the account, newest first, optionally filtered.
  - All filters given must match (they are combined with AND). No match returns an empty list; a filter never falls back to all snapshots.
author:
  - civo.cloud contributors (@civo-community)
extends_documentation_fragment:
  - civo.cloud.civo
attributes:
  check_mode:
    support: full
    description: Runs normally in check mode; it only reads.
  diff_mode:
    support: N/A
    description: Changes nothing, so there is nothing to diff.
  action_group:
    support: full
    description: Use C(group/civo.cloud.civo) in C(module_defaults) to set the connection options once.
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
'''

RETURN = r'''
snapshots:
  description:
    - The snapshots that match every filter, newest C(requested_at) first; snapshots not yet requested come last, by name.
    - Each has the same keys as the C(snapshot) that M(civo.cloud.civo_snapshot) returns.
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
      description: Whether the instance is shut down during the snapshot.
      type: bool
      sample: false
    status:
      description: V(new), V(in-progress), V(complete) or V(failed).
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
      description: Region of the snapshot, when the API tells it.
      type: str
      sample: LON1
'''

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.civo.cloud.plugins.module_utils.civo_api import CivoAPI, CivoAPIError, civo_argument_spec
from ansible_collections.civo.cloud.plugins.module_utils.civo_instances import InstanceLookup, InstanceLookupError
from ansible_collections.civo.cloud.plugins.module_utils.snapshot_backend import snapshot_backend
from ansible_collections.civo.cloud.plugins.module_utils.snapshot_common import newest_first


def matches(snapshot, filters):
    """Whether a snapshot passes every filter that is set."""
    return all((
        filters['name'] is None or snapshot['name'] == filters['name'],
        filters['name_prefix'] is None or (snapshot['name'] or '').startswith(filters['name_prefix']),
        filters['instance_id'] is None or snapshot['instance_id'] == filters['instance_id'],
        filters['status'] is None or snapshot['status'] == filters['status'],
    ))


def main():
    argument_spec = civo_argument_spec()
    argument_spec.update(
        name=dict(type='str'),
        name_prefix=dict(type='str'),
        instance_id=dict(type='str'),
        instance=dict(type='str'),
        status=dict(type='str', choices=['new', 'in-progress', 'complete', 'failed']),
    )
    module = AnsibleModule(
        argument_spec=argument_spec,
        mutually_exclusive=[('instance_id', 'instance')],
        supports_check_mode=True,
    )
    empty = [key for key in ('name', 'name_prefix', 'instance_id', 'instance') if module.params[key] is not None and not module.params[key].strip()]
    if empty:
        # An empty filter is nearly always a variable that did not template; listing everything instead would be a trap.
        module.fail_json(msg='Filters must not be empty strings: %s. Leave a filter out to not filter by it.' % ', '.join(empty))
    filters = dict((key, module.params[key]) for key in ('name', 'name_prefix', 'instance_id', 'status'))
    api = CivoAPI(module)
    snapshots = snapshot_backend(module, api)
    try:
        if module.params['instance'] is not None:
            filters['instance_id'] = InstanceLookup(api).resolve_hostname(module.params['instance'])
        found = [snapshot for snapshot in snapshots.list() if matches(snapshot, filters)]
    except InstanceLookupError as e:
        module.fail_json(msg=str(e))
    except CivoAPIError as e:
        module.fail_json(msg=str(e), **e.as_result())
    module.exit_json(changed=False, snapshots=newest_first(found))


if __name__ == '__main__':
    main()
