#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, civo.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: civo_instance_info
short_description: List the Civo instances of a region
version_added: 0.2.0
description:
  - Lists the instances of the region, following the pagination, in one listing however many instances there are.
  - With O(hostname), only the instances with that hostname; an empty list when there are none. Several instances may
    share a hostname, which is why M(civo.cloud.civo_snapshot) then needs the
    O(civo.cloud.civo_snapshot#module:instance_id).
  - The role C(civo.cloud.snapshot_backup) uses it to resolve every hostname before it starts any snapshot.
author:
  - civo.cloud contributors (@civo-community)
extends_documentation_fragment:
  - civo.cloud.civo
  - civo.cloud.snapshot_api.ignored
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
  hostname:
    description:
      - Only the instances with exactly this hostname.
    type: str
seealso:
  - module: civo.cloud.civo_snapshot
  - module: civo.cloud.civo_snapshot_info
'''

EXAMPLES = r'''
- name: List every instance of the region
  civo.cloud.civo_instance_info:
  register: civo_instances

- name: Show the hostnames and IDs
  ansible.builtin.debug:
    msg: "{{ civo_instances.instances | items2dict(key_name='hostname', value_name='id') }}"

- name: Find the instances called web-1
  civo.cloud.civo_instance_info:
    hostname: web-1
  register: web_1

- name: Snapshot web-1 by its ID
  civo.cloud.civo_snapshot:
    name: web-1-before-upgrade
    instance_id: "{{ web_1.instances[0].id }}"
  when: web_1.instances | length == 1
'''

RETURN = r'''
instances:
  description:
    - The instances, in the order the API lists them. Keys the API did not send are null.
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: ID of the instance.
      type: str
      sample: 0f7a3c1e-3b1c-4b7e-9d6f-1b2c3d4e5f60
    hostname:
      description: Hostname of the instance (not necessarily unique).
      type: str
      sample: web-1
    status:
      description: The API's status of the instance, for example C(ACTIVE) or C(SHUTOFF).
      type: str
      sample: ACTIVE
    region:
      description: Region of the instance, when the API tells it.
      type: str
      sample: LON1
    size:
      description: Size of the instance, when the API tells it.
      type: str
      sample: g3.medium
    public_ip:
      description: Public IP address, when the instance has one.
      type: str
      sample: 74.220.21.10
    private_ip:
      description: Private IP address, when the API tells it.
      type: str
      sample: 192.168.1.10
    created_at:
      description: When the instance was created, as the API writes it.
      type: str
      sample: "2026-11-01T09:12:44Z"
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

from ansible_collections.civo.cloud.plugins.module_utils.input_rules import empty_filters
from ansible_collections.civo.cloud.plugins.module_utils.module import NO_SNAPSHOT_API, CivoModule, CivoResource

ARGUMENT_SPEC = dict(hostname=dict(type='str'))
# The documented keys only: the API's instance object is large, and carries data such as the initial password.
INSTANCE_FIELDS = ('id', 'hostname', 'status', 'region', 'size', 'public_ip', 'private_ip', 'created_at')


def check_input(params):
    if empty_filters(params, ['hostname']):
        return ['hostname must not be an empty string. Leave it out to list every instance.']
    return []


class InstanceListing(CivoResource):
    """Every instance of the region (one listing), or those with the hostname asked for."""

    def run(self):
        hostname = self.params['hostname']
        listed = self.instances.all() if hostname is None else self.instances.with_hostname(hostname)
        self.result = dict(instances=[dict((key, item.get(key)) for key in INSTANCE_FIELDS) for item in listed])


def main():
    CivoModule(ARGUMENT_SPEC, check_input=check_input, snapshot_api=NO_SNAPSHOT_API).run(InstanceListing)


if __name__ == '__main__':
    main()
