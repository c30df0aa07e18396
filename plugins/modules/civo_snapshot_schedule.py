#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, civo.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: civo_snapshot_schedule
short_description: Ensure a Civo snapshot schedule is present or absent
version_added: 0.2.0
description:
  - Creates, updates or deletes a server-side snapshot schedule of Civo's current API
    (C(/v2/resourcesnapshotschedules)). At every time of its cron expression Civo snapshots each instance of the
    schedule, and keeps the newest O(max_snapshots) snapshots of each instance, deleting the oldest.
  - A schedule is found by its exact O(name).
  - The API changes only the name, the description and whether the schedule is paused in place. A difference in
    O(cron_expression), O(max_snapshots), O(instances) or O(include_volumes) fails the task before anything changes,
    unless O(recreate=true) allows replacing the schedule (deleting it, then creating it anew).
  - Snapshots that a schedule took are never deleted by this module, also not when the schedule is deleted or replaced.
    Delete them with M(civo.cloud.civo_snapshot) or the Civo dashboard.
author:
  - civo.cloud contributors (@civo-community)
extends_documentation_fragment:
  - civo.cloud.civo
  - civo.cloud.snapshot_api.instance_only
attributes:
  check_mode:
    support: full
    description: Only read-only requests are sent; the result predicts the schedule the API would hold.
  diff_mode:
    support: full
    description: Returns the schedule before and after the task; a replacement shows the old and the new schedule.
  action_group:
    support: full
    description: Use C(group/civo.cloud.civo) in C(module_defaults) to set the connection options once.
    membership:
      - civo.cloud.civo
options:
  name:
    description:
      - Name of the schedule. The schedule is found by this exact name.
      - Fails if several schedules have this name.
    type: str
    required: true
  rename_from:
    description:
      - Rename the schedule of this name to O(name), when no schedule is named O(name) yet.
      - Once renamed, the task finds the schedule by O(name), so running it again changes nothing.
      - When neither schedule exists, a new schedule named O(name) is created. Not used with O(state=absent).
    type: str
  description:
    description:
      - Description of the schedule. Left as it is when not set.
    type: str
  cron_expression:
    description:
      - When the schedule runs, as a 5-field cron expression (minute hour day-of-month month day-of-week), for example
        V(0 3 * * *) for 03:00 every night. Times are as the Civo region keeps them.
      - Two runs must be at least 10 minutes apart (Civo's rule); the module checks this before any request.
      - Required to create a schedule. Cannot be changed in place, see O(recreate).
    type: str
  max_snapshots:
    description:
      - How many snapshots of each instance the schedule keeps, from V(1) to V(10). When a run takes one more, the
        oldest snapshot of that instance is deleted.
      - Required to create a schedule. Cannot be changed in place, see O(recreate).
    type: int
  instances:
    description:
      - The instances to snapshot, each a hostname or an instance ID.
      - An entry is an ID when it is the ID of an instance of the existing schedule or of an instance in the region,
        else it is a hostname, looked up among the instances of the region (the list is read once however many entries
        there are). An unknown hostname, or one that several instances share, fails the task before anything changes.
      - The list is read only when some entry is not an instance ID of the existing schedule, so a run that names the
        schedule's instances by ID costs one request.
      - The order and repeats do not matter. Required to create a schedule. Cannot be changed in place, see O(recreate).
    type: list
    elements: str
  include_volumes:
    description:
      - Whether each snapshot also includes the volumes attached to the instance.
      - The API answers with the volumes it included, not with this flag. When no volume is listed the two settings look
        alike, so a difference is only found when the schedule lists volumes and O(include_volumes=false).
      - Cannot be changed in place, see O(recreate).
    type: bool
    default: false
  paused:
    description:
      - Whether the schedule is paused (takes no snapshots). V(false) resumes a paused schedule.
      - Not set, the schedule stays as it is (paused or not), also when O(recreate) replaces it; a new schedule starts
        active.
      - A new schedule with O(paused=true) is created, then paused (the create request has no such field).
    type: bool
  state:
    description:
      - V(present) ensures the schedule exists as described; V(absent) deletes it if it exists.
    type: str
    choices: [present, absent]
    default: present
  recreate:
    description:
      - When O(cron_expression), O(max_snapshots), O(instances) or O(include_volumes) differ from the existing schedule,
        replace it with a schedule that has the new settings (settings not given are taken from the old schedule,
        O(paused) too).
      - The old schedule is deleted only once its replacement exists. The replacement is created under the temporary
        name C(NAME-replacement) (and paused if the old one was), then the old schedule is deleted, then the replacement
        is renamed to O(name). A failure at any point leaves the old schedule, its replacement or both; the task says
        which, returns the old schedule's settings, and running it again finishes the replacement without creating a
        second one.
      - The new schedule has a new ID. The snapshots the old one took are kept, and no longer count against the new
        one's O(max_snapshots).
      - Without it, such a difference fails the task and lists what differs.
    type: bool
    default: false
notes:
  - Snapshot schedules are part of Civo's current snapshot API, which Civo documents for CivoStack Enterprise private
    regions. A region without them answers with an API error, which the task reports with its HTTP status and reason.
  - Requests of a run that changes nothing, one list of schedules, and one list of instances when O(instances) names an
    instance that is not in the schedule by ID.
seealso:
  - module: civo.cloud.civo_snapshot_schedule_info
  - module: civo.cloud.civo_snapshot
'''

EXAMPLES = r'''
- name: Snapshot web-1 and db-1 every night at 03:00 and keep a week of snapshots
  civo.cloud.civo_snapshot_schedule:
    name: nightly
    description: Nightly snapshots of the web and database servers
    cron_expression: "0 3 * * *"
    max_snapshots: 7
    instances:
      - web-1
      - db-1

- name: Pause the schedule during a migration
  civo.cloud.civo_snapshot_schedule:
    name: nightly
    paused: true

- name: Resume it under a clearer name
  civo.cloud.civo_snapshot_schedule:
    name: nightly-web-db
    rename_from: nightly
    paused: false

- name: Keep ten nights instead (the most the API allows) and run at 02:30, which replaces the schedule (its snapshots
    so far are kept)
  civo.cloud.civo_snapshot_schedule:
    name: nightly-web-db
    max_snapshots: 10
    cron_expression: "30 2 * * *"
    recreate: true

- name: Delete the schedule
  civo.cloud.civo_snapshot_schedule:
    name: nightly-web-db
    state: absent
'''

RETURN = r'''
schedule:
  description:
    - The schedule as the API holds it after the task; in check mode, what it would hold.
    - An empty dict when the schedule is absent.
    - When O(recreate) fails half-way, the old schedule's settings (RV(replacement) holds the replacement, if it
      exists).
  returned: always
  type: dict
  contains:
    id:
      description: ID of the schedule (null in check mode before it exists).
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
      description: State of the schedule as the API tells it, for example V(active); null when it does not tell (check
        mode).
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
      description: When the schedule was created, ISO 8601 in UTC (null in check mode before it exists).
      type: str
      sample: "2026-11-29T15:00:00+00:00"
replacement:
  description:
    - When O(recreate) failed half-way, the replacement as it exists now (C(NAME-replacement), or already renamed), with
      the same keys as RV(schedule); an empty dict when it was not created. Running the task again finishes the
      replacement.
  returned: when a recreate failed
  type: dict
  version_added: 0.2.0
  sample: {id: 7e6d5c4b-3a2f-4e1d-9c8b-7a6f5e4d3c2b, name: nightly-replacement, max_snapshots: 10}
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

from ansible_collections.civo.cloud.plugins.module_utils.errors import CivoError
from ansible_collections.civo.cloud.plugins.module_utils.input_rules import (
    cron_interval_problem,
    cron_problem,
    max_snapshots_problem,
)
from ansible_collections.civo.cloud.plugins.module_utils.module import INSTANCE_SNAPSHOT_API, CivoModule, CivoResource
from ansible_collections.civo.cloud.plugins.module_utils.snapshot_schedules import (
    Schedules,
    create_body,
    find_by_name,
    includes_volumes,
    public,
    resolve_instances,
)

ARGUMENT_SPEC = dict(
    name=dict(type='str', required=True),
    rename_from=dict(type='str'),
    description=dict(type='str'),
    cron_expression=dict(type='str'),
    max_snapshots=dict(type='int'),
    instances=dict(type='list', elements='str'),
    include_volumes=dict(type='bool', default=False),
    paused=dict(type='bool'),
    state=dict(type='str', choices=['present', 'absent'], default='present'),
    recreate=dict(type='bool', default=False),
)
# What must be known to create a schedule: the API has no defaults for them.
REQUIRED_TO_CREATE = ('cron_expression', 'max_snapshots', 'instances')


def check_input(params):
    """Every rule that can be checked without the API, so that bad input never sends a request."""
    problems = []
    if not params['name'].strip():
        problems.append('name must not be empty.')
    if params['rename_from'] is not None and params['rename_from'] in ('', params['name']):
        problems.append('rename_from must be the current name of the schedule, other than name.')
    if params['cron_expression'] is not None:
        problems.append(
            cron_problem(params['cron_expression'], option='cron_expression')
            or cron_interval_problem(params['cron_expression'])
        )
    if params['max_snapshots'] is not None:
        problems.append(max_snapshots_problem(params['max_snapshots']))
    if params['instances'] is not None:
        if not params['instances']:
            problems.append('instances must name at least one instance (a hostname or an instance ID).')
        elif any(not (entry or '').strip() for entry in params['instances']):
            problems.append('instances must not have empty entries.')
    return problems


def replacement_name(name):
    """The temporary name of a schedule's replacement while recreate replaces it (it is renamed once the old one is
    gone).

    Always this name, so that a re-run after a failure half-way finds the replacement it made instead of making another.
    """
    return '%s-replacement' % name


class Schedule(CivoResource):
    """Brings one schedule to the state asked for. A schedule is never deleted before its replacement exists."""

    def run(self):
        self.schedules = Schedules(self.api)
        self.before = {}
        self.recreated = False
        schedule = self.present() if self.params['state'] == 'present' else self.absent()
        self.result = dict(schedule=schedule, diff=self.diff(schedule))

    def present(self):
        existing, replacement = self.find_existing()
        self.before = public(existing)
        self.result = dict(schedule=self.before)
        instance_ids = self.instance_ids_wanted(existing)
        if existing is None:
            return self.create(instance_ids)
        if existing is replacement:  # a recreate that stopped after deleting the old schedule: finish it
            self.recreated = True
            return self.finish_replacement(replacement, None, self.wanted(existing, instance_ids))
        fixed = self.fixed_differences(existing, instance_ids)
        if fixed and not self.params['recreate']:
            raise CivoError(
                "Snapshot schedule '%s' differs in what the API cannot change in place: %s. Nothing was changed. Set "
                "recreate: true to replace the schedule (a new schedule is created with these settings, then the old "
                "one "
                "is deleted); the snapshots it took are kept." % (existing['name'], '; '.join(fixed))
            )
        if fixed:
            return self.replace(existing, replacement, self.wanted(existing, instance_ids))
        return self.update(existing)

    def absent(self):
        existing = find_by_name(self.schedules.list(), self.params['name'])
        self.before = public(existing)
        if existing is not None:
            self.changed = True
            if not self.check_mode:
                self.schedules.delete(existing['id'])
        return {}

    def find_existing(self):
        """(the schedule to bring to the state asked for, the replacement an interrupted recreate left), from one list.

        The schedule is the one named name; else the replacement, when a recreate stopped after deleting the old one;
        else (with rename_from) the schedule to rename; else None.
        """
        self.listed = self.schedules.list()
        replacement = find_by_name(self.listed, replacement_name(self.params['name']))
        existing = find_by_name(self.listed, self.params['name']) or replacement
        if existing is None and self.params['rename_from'] is not None:
            existing = find_by_name(self.listed, self.params['rename_from'])
        return existing, replacement

    def instance_ids_wanted(self, existing):
        """The instance ids asked for, or None when instances is not set; an entry that names no instance fails here."""
        if self.params['instances'] is None:
            return None
        known = set(existing['instances']) if existing else set()
        return resolve_instances(self.params['instances'], known, self.instances)

    def fixed_differences(self, existing, instance_ids):
        """What differs that the API cannot change in place, as sentences 'setting (now -> wanted)'."""
        differences = []
        for key in ('cron_expression', 'max_snapshots'):
            if self.params[key] is not None and self.params[key] != existing[key]:
                differences.append('%s (%s -> %s)' % (key, existing[key], self.params[key]))
        if instance_ids is not None and set(instance_ids) != set(existing['instances']):
            added = sorted(set(instance_ids) - set(existing['instances']))
            removed = sorted(set(existing['instances']) - set(instance_ids))
            differences.append(
                'instances (%s)' % ', '.join(['add %s' % i for i in added] + ['remove %s' % i for i in removed])
            )
        volumes = includes_volumes(existing['_raw'])
        if volumes is not None and volumes != self.params['include_volumes']:
            differences.append('include_volumes (%s -> %s)' % (volumes, self.params['include_volumes']))
        return differences

    def in_place_changes(self, existing):
        """The PUT body: only what is given and differs of name, description and paused."""
        changes = {}
        if existing['name'] != self.params['name']:
            changes['name'] = self.params['name']
        for key in ('description', 'paused'):
            if self.params[key] is not None and self.params[key] != existing[key]:
                changes[key] = self.params[key]
        return changes

    def wanted(self, existing, instance_ids):
        """Every setting of the schedule asked for: each option given, else the existing schedule's."""
        wanted = dict(
            (key, existing[key] if self.params[key] is None else self.params[key])
            for key in ('cron_expression', 'max_snapshots', 'description', 'paused')
        )
        wanted['instances'] = instance_ids or existing['instances']
        return wanted

    def create(self, instance_ids):
        missing = [key for key in REQUIRED_TO_CREATE if self.params[key] is None]
        if missing:
            raise CivoError(
                "Snapshot schedule '%s' does not exist, and creating it needs %s. Nothing was changed."
                % (self.params['name'], ', '.join(missing))
            )
        wanted = dict(
            cron_expression=self.params['cron_expression'],
            max_snapshots=self.params['max_snapshots'],
            instances=instance_ids,
            description=self.params['description'],
            paused=bool(self.params['paused']),
        )
        return public(self.send_create(self.params['name'], wanted))

    def replace(self, existing, replacement, wanted):
        """Create the replacement under a temporary name, delete the old schedule, then give the replacement its name.

        At every point the user has a schedule: the old one, or the replacement, or both. A replacement left by an
        earlier run is used when it already has the settings asked for (else it is deleted: it never ran as the
        schedule).
        """
        self.recreated = True
        if replacement is not None and self.fixed_differences(replacement, wanted['instances']):
            self.step(
                existing,
                replacement,
                'deleting an outdated replacement left by an earlier run',
                self.delete,
                replacement,
            )
            replacement = None
        if replacement is None:
            replacement = self.step(
                existing,
                None,
                'creating the replacement',
                self.send_create,
                replacement_name(self.params['name']),
                wanted,
            )
        return self.finish_replacement(replacement, existing, wanted)

    def finish_replacement(self, replacement, existing, wanted):
        """Pause the replacement as asked, delete the old schedule (if still there), give the replacement its name."""
        if wanted['paused'] and not replacement['paused']:
            replacement = self.step(
                existing, replacement, 'pausing the replacement', self.send_update, replacement, dict(paused=True)
            )
        if existing is not None:
            self.step(existing, replacement, 'deleting the old schedule', self.delete, existing)
        changes = dict(name=self.params['name'])
        if wanted['description'] != replacement['description']:
            changes['description'] = wanted['description']
        return public(self.step(None, replacement, 'renaming the replacement', self.send_update, replacement, changes))

    def step(self, existing, replacement, what, action, *args):
        """One request of a recreate; on failure, say which schedules exist now and what a re-run does."""
        try:
            return action(*args)
        except CivoError as e:
            now = []
            if existing is not None:
                now.append("the schedule '%s' (%s) with its old settings" % (existing['name'], existing['id']))
            if replacement is not None:
                now.append(
                    "its replacement '%s' (%s) with the new settings%s"
                    % (
                        replacement['name'],
                        replacement['id'],
                        '' if existing is not None else ' (the old schedule was deleted)',
                    )
                )
            raise CivoError(
                "Replacing snapshot schedule '%s' failed while %s: %s. The schedules that exist now: %s. Run the task "
                'again to finish the replacement: it creates no second one.'
                % (self.params['name'], what, e, ' and '.join(now) or 'none'),
                **dict(e.result, schedule=public(existing or self.before), replacement=public(replacement)),
            )

    def delete(self, schedule):
        self.changed = True
        if not self.check_mode:
            self.schedules.delete(schedule['id'])

    def send_create(self, name, wanted):
        self.changed = True
        if self.check_mode:
            return dict(
                id=None,
                name=name,
                description=wanted['description'] or '',
                cron_expression=wanted['cron_expression'],
                paused=wanted['paused'],
                max_snapshots=wanted['max_snapshots'],
                instances=wanted['instances'],
                included_volumes=[],
                status=None,
                last_snapshot=None,
                created_at=None,
                _raw={},
            )
        body = create_body(
            name,
            wanted['description'],
            wanted['cron_expression'],
            wanted['max_snapshots'],
            wanted['instances'],
            self.params['include_volumes'],
        )
        schedule = self.schedules.create(body, known=self.listed)
        if wanted['paused'] and not schedule['paused']:
            schedule = self.send_update(schedule, dict(paused=True))
        return schedule

    def update(self, existing):
        changes = self.in_place_changes(existing)
        if not changes:
            return public(existing)
        return public(self.send_update(existing, changes))

    def send_update(self, existing, changes):
        self.changed = True
        if self.check_mode:
            return dict(existing, **changes)
        updated = self.schedules.update(existing['id'], changes)
        # An answer without the schedule (only a result) means the PUT did what it was asked.
        return updated if updated['id'] else dict(existing, **changes)

    def diff(self, after):
        diff = dict(before=self.before, after=after)
        if self.recreated:
            diff['before_header'] = 'schedule %s (deleted)' % self.before.get('id')
            diff['after_header'] = 'schedule %s (created to replace it)' % (after.get('id') or '(new)')
        return diff


def main():
    CivoModule(ARGUMENT_SPEC, check_input=check_input, snapshot_api=INSTANCE_SNAPSHOT_API).run(Schedule)


if __name__ == '__main__':
    main()
