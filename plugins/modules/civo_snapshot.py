#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, civo.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: civo_snapshot
short_description: Ensure a Civo instance snapshot is present or absent
version_added: 0.1.0
description:
  - Takes, retakes, schedules or deletes a snapshot of a Civo instance, idempotently.
  - A snapshot is identified by its O(name), which is unique in the account; the API overwrites a snapshot of the same name.
  - With O(state=present) nothing is sent when a matching snapshot exists, unless O(force) is set or the existing one is older
    than O(max_age). By default the task waits until the snapshot is complete, so that the next step of a runbook can rely on it.
author:
  - civo.cloud contributors (@civo-community)
extends_documentation_fragment:
  - civo.cloud.civo
attributes:
  check_mode:
    support: full
    description: Only read-only requests are sent; the result predicts what the API would hold.
  diff_mode:
    support: full
    description: Returns the snapshot before and after the task.
  action_group:
    support: full
    description: Use C(group/civo.cloud.civo) in C(module_defaults) to set the connection options once.
    membership:
      - civo.cloud.civo
options:
  name:
    description:
      - Name of the snapshot, unique in the account.
      - Letters, digits, V(.), V(_) and V(-), starting with a letter or digit; at most 100 characters.
    type: str
    required: true
  state:
    description:
      - V(present) ensures the snapshot exists (taking it if needed); V(absent) deletes it if it exists.
    type: str
    choices: [present, absent]
    default: present
  instance_id:
    description:
      - ID of the instance to snapshot.
      - One of O(instance_id) or O(instance) is required with O(state=present).
    type: str
  instance:
    description:
      - Hostname of the instance to snapshot, looked up among all instances (all pages) in the region.
      - Fails if no instance or more than one instance has this hostname; use O(instance_id) then.
    type: str
  safe:
    description:
      - Shut the instance down while the snapshot is taken, so that files are consistent (for example databases).
      - The default keeps the instance running, with a small risk of an inconsistent snapshot.
    type: bool
    default: false
  cron_timing:
    description:
      - Schedule the snapshot with a 5-field cron expression (minute hour day-of-month month day-of-week), for example V(0 3 * * 0).
      - A scheduled snapshot repeats and overwrites itself each time. The task never waits for a scheduled snapshot.
      - Cannot be combined with O(max_age).
    type: str
  force:
    description:
      - Take the snapshot again even if a matching one exists. The task then always reports a change.
    type: bool
    default: false
  max_age:
    description:
      - Take the snapshot again if the existing one was requested longer ago than this.
      - A number followed by V(s), V(m), V(h), V(d) or V(w), or a combination such as V(1d12h).
      - Makes a recurring backup step idempotent, for example a nightly job with O(max_age=20h) that is retried.
    type: str
  wait:
    description:
      - Wait until the snapshot is complete (with O(state=present)) or gone from the list (with O(state=absent)).
      - If the snapshot turns V(failed), the task fails at once.
      - Never waits for a scheduled snapshot (O(cron_timing)).
    type: bool
    default: true
  wait_timeout:
    description:
      - How many seconds to wait. Snapshots of large disks can take long.
      - On timeout the task fails but the snapshot goes on being taken; run the task again to resume waiting, without taking another.
    type: int
    default: 1800
notes:
  - Requests are retried on rate limits and transient errors, see O(api_retries). Polling while waiting starts at one request a second
    and backs off to one every 15 seconds, well within Civo's limit of 50 requests a minute.
seealso:
  - module: civo.cloud.civo_snapshot_info
'''

EXAMPLES = r'''
- name: Snapshot web-1 and wait until the snapshot is complete
  civo.cloud.civo_snapshot:
    name: web-1-before-upgrade
    instance: web-1

- name: Nightly backup that is taken at most once a day, even when the job is retried
  civo.cloud.civo_snapshot:
    name: db-1-nightly
    instance: db-1
    safe: true
    max_age: 20h

- name: Schedule a weekly snapshot, Sundays at 03:00
  civo.cloud.civo_snapshot:
    name: web-2-weekly
    instance: web-2
    cron_timing: "0 3 * * 0"

- name: Take the snapshot again, replacing the old one, without waiting
  civo.cloud.civo_snapshot:
    name: web-1-before-upgrade
    instance: web-1
    force: true
    wait: false

- name: Delete snapshots that are no longer needed
  civo.cloud.civo_snapshot:
    name: "{{ item }}"
    state: absent
  loop:
    - web-1-before-upgrade
    - db-1-nightly
    - web-2-weekly
'''

RETURN = r'''
snapshot:
  description:
    - The snapshot as the API holds it after the task; in check mode, what it would hold.
    - An empty dict when the snapshot is absent.
  returned: always
  type: dict
  contains:
    id:
      description: ID of the snapshot (null in check mode before it exists).
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
      description: Hostname of that instance, when the API or the lookup told it.
      type: str
      sample: web-1
    safe:
      description: Whether the instance is shut down during the snapshot.
      type: bool
      sample: false
    status:
      description:
        - V(new), V(in-progress), V(complete) or V(failed). Read from C(status) or, as the real service sends it, C(state).
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
from ansible_collections.civo.cloud.plugins.module_utils.input_rules import cron_problem, name_problem, parse_duration
from ansible_collections.civo.cloud.plugins.module_utils.snapshot_account import is_scheduled
from ansible_collections.civo.cloud.plugins.module_utils.snapshot_backend import snapshot_backend
from ansible_collections.civo.cloud.plugins.module_utils.snapshot_common import PENDING_STATUSES, SnapshotWaitError, age_seconds


class SnapshotResource:
    """Brings one snapshot to the state asked for and builds the module's result."""

    def __init__(self, module, snapshots, instances):
        self.module = module
        self.params = module.params
        self.snapshots = snapshots
        self.instances = instances
        self.changed = False
        self.before = {}

    def present(self):
        existing = self.snapshots.find(self.params['name'])
        self.before = existing or {}
        instance_id, hostname = self.instance_wanted(existing)
        reason = self.reason_to_take(existing, instance_id)
        if reason is None:
            return self.settle(existing)

        if self.module.check_mode:
            self.changed = True
            return self.predicted(existing, instance_id, hostname)
        if existing and existing['status'] == 'in-progress' and self.params['wait']:
            # The API refuses to replace a snapshot that is being taken: let it finish first.
            self.wait_complete(existing)
        snapshot = self.snapshots.put(self.params['name'], instance_id, self.params['safe'], self.params['cron_timing'])
        self.changed = True  # only now: a PUT the API refused changed nothing
        snapshot['hostname'] = snapshot['hostname'] or hostname
        return self.settle(snapshot)

    def absent(self):
        existing = self.snapshots.find(self.params['name'])
        self.before = existing or {}
        if existing is None:
            return {}
        self.changed = True
        if not self.module.check_mode:
            self.snapshots.delete(self.params['name'])
            if self.params['wait']:
                self.wait(self.snapshots.wait_gone, self.params['name'], self.params['wait_timeout'])
        return {}

    def instance_wanted(self, existing):
        """(instance id, hostname) asked for; a hostname is looked up only when the existing snapshot does not settle it."""
        if self.params['instance_id']:
            return self.params['instance_id'], None
        hostname = self.params['instance']
        if existing and existing.get('hostname') == hostname:
            return existing['instance_id'], hostname
        try:
            return self.instances.resolve_hostname(hostname), hostname
        except InstanceLookupError as e:
            self.module.fail_json(msg=str(e))

    def reason_to_take(self, existing, instance_id):
        """Why a PUT is needed, or None when the existing snapshot already is what was asked for."""
        if existing is None:
            return 'absent'
        if self.params['force']:
            return 'force'
        if existing['instance_id'] != instance_id:
            return 'instance differs'
        if existing['safe'] != self.params['safe']:
            return 'safe differs'
        if (existing['cron_timing'] or None) != (self.params['cron_timing'] or None):
            return 'cron_timing differs'
        if existing['status'] not in PENDING_STATUSES + ('complete',):
            return 'previous snapshot %s' % existing['status']
        max_age = parse_duration(self.params['max_age']) if self.params['max_age'] else None
        if max_age is not None:
            age = age_seconds(existing)
            if age is None or age > max_age:
                return 'older than max_age'
        return None

    def predicted(self, existing, instance_id, hostname):
        snapshot = dict(existing or {}, name=self.params['name'], instance_id=instance_id, safe=self.params['safe'],
                        cron_timing=self.params['cron_timing'], status='new', size_gb=None, requested_at=None, completed_at=None)
        snapshot.setdefault('id', None)
        snapshot.setdefault('region', self.params['region'])
        if not existing or existing.get('instance_id') != instance_id:
            snapshot['hostname'] = hostname
        return snapshot

    def settle(self, snapshot):
        """Wait for a snapshot being taken, when asked to; report a failed one."""
        if snapshot['status'] == 'complete' or is_scheduled(snapshot):
            return snapshot
        if snapshot['status'] in PENDING_STATUSES:
            return self.wait_complete(snapshot) if self.params['wait'] and not self.module.check_mode else snapshot
        self.fail("Snapshot '%s' has status '%s'. Take it again with force=true." % (snapshot['name'], snapshot['status']), snapshot)

    def wait_complete(self, snapshot):
        return self.wait(self.snapshots.wait_complete, snapshot['name'], self.params['wait_timeout'], snapshot)

    def wait(self, waiter, *args):
        try:
            return waiter(*args)
        except SnapshotWaitError as e:
            self.fail(str(e), e.snapshot)

    def fail(self, msg, snapshot):
        self.module.fail_json(msg=msg, changed=self.changed, snapshot=snapshot or {})


def check_input(module):
    """Every rule that can be checked without the API, so that bad input never sends a request."""
    params = module.params
    problems = [name_problem(params['name'])]
    if params['cron_timing'] is not None:
        problems.append(cron_problem(params['cron_timing']))
    if params['max_age'] is not None and parse_duration(params['max_age']) is None:
        problems.append("max_age '%s' is not a duration: use a positive number followed by s, m, h, d or w, such as 30m, 12h or 7d." % params['max_age'])
    if params['wait_timeout'] <= 0:
        problems.append('wait_timeout must be a positive number of seconds, got %d.' % params['wait_timeout'])
    if params['state'] == 'present' and params['instance_id'] is None and params['instance'] is None:
        problems.append('state=present needs the instance to snapshot: set instance (a hostname) or instance_id.')
    if params['instance'] is not None and not params['instance'].strip():
        problems.append('instance must be a hostname, got an empty string.')
    if params['instance_id'] is not None and not params['instance_id'].strip():
        problems.append('instance_id must not be empty.')
    problems = [problem for problem in problems if problem]
    if problems:
        module.fail_json(msg=' '.join(problems))


def main():
    argument_spec = civo_argument_spec()
    argument_spec.update(
        name=dict(type='str', required=True),
        state=dict(type='str', choices=['present', 'absent'], default='present'),
        instance_id=dict(type='str'),
        instance=dict(type='str'),
        safe=dict(type='bool', default=False),
        cron_timing=dict(type='str'),
        force=dict(type='bool', default=False),
        max_age=dict(type='str'),
        wait=dict(type='bool', default=True),
        wait_timeout=dict(type='int', default=1800),
    )
    module = AnsibleModule(
        argument_spec=argument_spec,
        mutually_exclusive=[('instance_id', 'instance'), ('cron_timing', 'max_age')],
        supports_check_mode=True,
    )
    check_input(module)

    api = CivoAPI(module)
    resource = SnapshotResource(module, snapshot_backend(module, api), InstanceLookup(api))
    try:
        snapshot = resource.present() if module.params['state'] == 'present' else resource.absent()
    except CivoAPIError as e:
        module.fail_json(msg=str(e), changed=resource.changed, **e.as_result())
    module.exit_json(changed=resource.changed, snapshot=snapshot, diff=dict(before=resource.before, after=snapshot))


if __name__ == '__main__':
    main()
