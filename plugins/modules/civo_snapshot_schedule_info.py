#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, civo.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: civo_snapshot_schedule_info
short_description: List Civo snapshot schedules
version_added: 0.2.0
description:
  - Lists the snapshot schedules of Civo's current API (C(/v2/resourcesnapshotschedules)), sorted by name, optionally
    only the one of a name.
  - One request. No match returns an empty list.
author:
  - civo.cloud contributors (@civo-community)
extends_documentation_fragment:
  - civo.cloud.civo
  - civo.cloud.snapshot_api.instance_only
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
    description: Only schedules with exactly this name.
    type: str
notes:
  - Snapshot schedules are part of Civo's current snapshot API, which Civo documents for CivoStack Enterprise private
    regions.
seealso:
  - module: civo.cloud.civo_snapshot_schedule
'''

EXAMPLES = r'''
- name: List every snapshot schedule
  civo.cloud.civo_snapshot_schedule_info:
  register: all_schedules

- name: Show the paused ones
  ansible.builtin.debug:
    msg: "{{ all_schedules.schedules | selectattr('paused') | map(attribute='name') | list }}"

- name: Look up one schedule by name
  civo.cloud.civo_snapshot_schedule_info:
    name: nightly
  register: nightly
'''

RETURN = r'''
schedules:
  description:
    - The schedules, sorted by name, each with the same keys as the C(schedule) that
      M(civo.cloud.civo_snapshot_schedule) returns.
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: ID of the schedule.
      type: str
      sample: 5d3c2b1a-0f9e-4d8c-b7a6-1e2f3a4b5c6d
    name:
      description: Name of the schedule.
      type: str
      sample: nightly
    description:
      description: Description of the schedule, an empty string when it has none.
      type: str
      sample: Nightly snapshots of the web and database servers
    cron_expression:
      description: When the schedule runs, a 5-field cron expression.
      type: str
      sample: "0 3 * * *"
    paused:
      description: Whether the schedule is paused.
      type: bool
      sample: false
    max_snapshots:
      description: How many snapshots of each instance the schedule keeps.
      type: int
      sample: 7
    instances:
      description: IDs of the instances the schedule snapshots, as a plain list whatever shape the API answered in.
      type: list
      elements: str
      sample: [4b1c5a1e-3c2f-4d1a-9a51-0c6f2a7e1001]
    included_volumes:
      description: IDs of the volumes the schedule includes in the snapshots, of all its instances.
      type: list
      elements: str
      sample: []
    status:
      description: State of the schedule as the API tells it, for example V(active).
      type: str
      sample: active
    last_snapshot:
      description: The last snapshot the schedule took, null before its first run.
      type: dict
      contains:
        id:
          description: ID of the snapshot.
          type: str
        name:
          description: Name of the snapshot.
          type: str
        state:
          description: State of the snapshot as the API tells it.
          type: str
    created_at:
      description: When the schedule was created, ISO 8601 in UTC.
      type: str
      sample: "2026-11-29T15:00:00+00:00"
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
from ansible_collections.civo.cloud.plugins.module_utils.module import INSTANCE_SNAPSHOT_API, CivoModule, CivoResource
from ansible_collections.civo.cloud.plugins.module_utils.snapshot_schedules import Schedules, public

ARGUMENT_SPEC = dict(name=dict(type='str'))


def check_input(params):
    if empty_filters(params, ['name']):
        return ['name must not be an empty string. Leave it out to list every schedule.']
    return []


class ScheduleListing(CivoResource):
    """The schedules (one request), sorted by name, or those of the name asked for."""

    def run(self):
        name = self.params['name']
        found = [
            public(schedule) for schedule in Schedules(self.api).list() if name is None or schedule['name'] == name
        ]
        self.result = dict(schedules=sorted(found, key=lambda schedule: (schedule['name'] or '', schedule['id'] or '')))


def main():
    CivoModule(ARGUMENT_SPEC, check_input=check_input, snapshot_api=INSTANCE_SNAPSHOT_API).run(ScheduleListing)


if __name__ == '__main__':
    main()
