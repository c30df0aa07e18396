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
  - Takes, retakes, schedules or deletes a snapshot of a Civo instance, idempotently, on either of Civo's snapshot APIs
    (O(snapshot_api)).
  - With O(snapshot_api=account) (the default) a snapshot is identified by its O(name), which is unique in the account;
    the API overwrites a snapshot of the same name, even one of another instance (the task then warns and names that
    instance).
  - With O(snapshot_api=instance) a snapshot belongs to an instance and is identified by its O(name) among that
    instance's snapshots.
  - With O(state=present) nothing is sent when a matching snapshot exists, unless O(force) is set or the existing one is
    older than O(max_age). By default the task waits until the snapshot is complete, so that the next step of a runbook
    can rely on it.
author:
  - civo.cloud contributors (@civo-community)
extends_documentation_fragment:
  - civo.cloud.civo
  - civo.cloud.snapshot_api
attributes:
  check_mode:
    support: full
    description:
      - Only read-only requests are sent; the result predicts what the API would hold.
      - The predicted snapshot has O(name), C(instance_id), C(hostname) (when the instance was given by hostname, or the
        existing snapshot tells it), C(region) (from O(region), else the instance's) and C(status=new). What only the
        API's answer can tell is null (or empty) for a new snapshot, C(id), C(requested_at), C(created_at),
        C(completed_at), C(size_gb), C(included_volumes), C(volumes) and C(api_status).
  diff_mode:
    support: full
    description: Returns the snapshot before and after the task, under a header that names the snapshot.
  action_group:
    support: full
    description: Use C(group/civo.cloud.civo) in C(module_defaults) to set the connection options and O(snapshot_api)
      once.
    membership:
      - civo.cloud.civo
options:
  name:
    description:
      - Name of the snapshot.
      - With O(snapshot_api=account), unique in the account. Letters, digits, V(.), V(_) and V(-), starting with a
        letter or digit; at most 100 characters.
      - With O(snapshot_api=instance), an RFC 1123 label as the API demands, checked before any request. Lowercase
        letters, digits and V(-), starting and ending with a letter or digit; at most 63 characters.
    type: str
    required: true
  state:
    description:
      - V(present) ensures the snapshot exists (taking it if needed); V(absent) deletes it if it exists.
      - With O(snapshot_api=instance) and O(state=absent), every snapshot of this name of the instance is deleted. A
        snapshot that is already gone (HTTP 404) counts as deleted.
    type: str
    choices: [present, absent]
    default: present
  instance_id:
    description:
      - ID of the instance to snapshot.
      - One of O(instance_id) or O(instance) is required with O(state=present), and with O(snapshot_api=instance) for
        every state.
    type: str
  instance:
    description:
      - Hostname of the instance to snapshot, looked up among all instances (all pages) in the region.
      - Fails if no instance or more than one instance has this hostname; use O(instance_id) then.
    type: str
  description:
    description:
      - Description of the snapshot. Only with O(snapshot_api=instance); the account API keeps none.
      - When only the description differs from the existing snapshot's, the snapshot is updated in place, not taken
        again.
      - Not set means the existing description is kept (and carried over to a snapshot that is taken again).
    type: str
    version_added: 0.2.0
  safe:
    description:
      - Shut the instance down while the snapshot is taken, so that files are consistent (for example databases).
      - Not set, a new snapshot is taken with the instance running (a small risk of an inconsistent snapshot), and a
        snapshot taken again (O(force), O(max_age), a failed one) keeps the setting it was taken with.
      - It says how a snapshot is taken, not what it holds, so a different value never replaces a complete snapshot; the
        task warns instead. To take it again with the new value, set O(force=true).
      - Only with O(snapshot_api=account); V(true) with O(snapshot_api=instance) fails before any request.
    type: bool
  cron_timing:
    description:
      - Schedule the snapshot with a 5-field cron expression (minute hour day-of-month month day-of-week), for example
        V(0 3 * * 0).
      - A scheduled snapshot repeats and overwrites itself each time. The task never waits for a scheduled snapshot.
      - Not set, it is not managed (a scheduled snapshot stays scheduled, and a one-off stays a one-off). Set to another
        expression than the snapshot's, it replaces the snapshot at once (the API overwrites it), and the task warns
        which snapshot it overwrote.
      - Cannot be combined with O(max_age), which does not apply to a scheduled snapshot.
      - Only with O(snapshot_api=account); with O(snapshot_api=instance) it fails before any request. Schedules of the
        per-instance API are managed with C(civo.cloud.civo_snapshot_schedule).
    type: str
  force:
    description:
      - Take the snapshot again even if a matching one exists. The task then always reports a change.
      - With O(snapshot_api=account) the old snapshot is replaced at once, when the new one is requested (the API
        overwrites it); if the new one then fails, there is no snapshot of this name.
      - With O(snapshot_api=instance) the old snapshot is deleted only after the new one is complete. With O(wait=false)
        the old one is kept (the task warns) and a later run of the task deletes it once the new one is complete. If the
        API refuses two snapshots of one name (HTTP 409), the task fails and keeps the old one. Failed snapshots of the
        name are deleted as soon as the new one is requested (a failed snapshot is not a backup).
      - Settings not given (O(safe), O(cron_timing), O(description)) are carried over from the snapshot taken again.
    type: bool
    default: false
  retake_failed:
    description:
      - What to do with O(state=present) when the snapshot of this name already exists and has failed.
      - V(true) takes it again (with O(snapshot_api=account) the failed one is overwritten; with
        O(snapshot_api=instance) it is deleted once the new one is complete).
      - V(false) takes nothing and fails the task with the failed snapshot in RV(snapshot), naming the snapshot, its
        instance and its status; use it where a failure must be reported rather than repaired, for example to wait for a
        snapshot that was started earlier (the role C(civo.cloud.snapshot_backup) does). O(force=true) takes it again
        all the same.
    type: bool
    default: true
    version_added: 0.2.0
  max_age:
    description:
      - Take the snapshot again if the existing one was requested (with O(snapshot_api=instance), created) longer ago
        than this.
      - A number followed by V(s), V(m), V(h), V(d) or V(w), or a combination such as V(1d12h).
      - Makes a recurring backup step idempotent, for example a nightly job with O(max_age=20h) that is retried.
      - Replacing works as for O(force). With O(snapshot_api=instance) the old snapshot is deleted only after the new
        one is complete. With O(snapshot_api=account) the old snapshot is overwritten at once (the API replaces it), so
        a new one that fails leaves no snapshot of this name; give each run's snapshot a name of its own there instead
        (see EXAMPLES).
      - Does not apply to a scheduled snapshot (O(cron_timing)), which renews itself on its schedule.
    type: str
  wait:
    description:
      - Wait until the snapshot is complete (with O(state=present)) or gone (with O(state=absent)).
      - If the snapshot fails, the task fails at once.
      - Never waits for a scheduled snapshot (O(cron_timing)).
      - With O(snapshot_api=instance) the API's state words are matched case-insensitively (V(pending), V(in_progress),
        V(creating), V(completed), V(Complete), V(available), V(Ready), ...); a word with V(fail) or V(error) in it
        fails the task at once, and a word not known counts as still being taken, bounded by O(wait_timeout).
    type: bool
    default: true
  wait_timeout:
    description:
      - How many seconds to wait. Snapshots of large disks can take long.
      - On timeout the task fails but the snapshot goes on being taken; run the task again to resume waiting, without
        taking another.
    type: int
    default: 1800
notes:
  - Requests are retried on rate limits and transient errors, see O(api_retries). Polling while waiting starts at one
    request a second and backs off to one every 15 seconds, well within Civo's limit of 50 requests a minute.
  - With O(snapshot_api=instance) a task that changes nothing sends one request (two when the instance is given by
    hostname); a region that does not offer the per-instance API fails with a message saying so, and an unknown instance
    with its own message.
seealso:
  - module: civo.cloud.civo_snapshot_info
'''

EXAMPLES = r'''
- name: Snapshot web-1 and wait until the snapshot is complete
  civo.cloud.civo_snapshot:
    name: web-1-before-upgrade
    instance: web-1

# With the account API, re-taking a name overwrites its snapshot when the new one starts: if the new one then fails,
# the previous backup is gone. A name of its own each night keeps the previous one (the role civo.cloud.snapshot_backup
# does this for a fleet, and deletes the old ones only once the new ones are complete).
- name: Nightly backup of db-1, under a name of its own each day, with the instance shut down while it is taken
  civo.cloud.civo_snapshot:
    name: "db-1-nightly-{{ now(utc=true, fmt='%Y%m%d') }}"
    instance: db-1
    safe: true

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
    - "db-1-nightly-{{ now(utc=true, fmt='%Y%m%d') }}"
    - web-2-weekly

- name: >-
    With the per-instance API (CivoStack Enterprise), a nightly snapshot of web-1 taken at most once a day, even when
    the job is retried; the previous one is deleted only once the new one is complete
  civo.cloud.civo_snapshot:
    snapshot_api: instance
    name: web-1-nightly
    instance: web-1
    description: Nightly backup of web-1
    max_age: 20h

- name: Retake it; the old snapshot is deleted only once the new one is complete
  civo.cloud.civo_snapshot:
    snapshot_api: instance
    name: web-1-nightly
    instance: web-1
    force: true

- name: Delete it (the per-instance API needs the instance for every state)
  civo.cloud.civo_snapshot:
    snapshot_api: instance
    name: web-1-nightly
    instance: web-1
    state: absent
'''

RETURN = r'''
snapshot:
  description:
    - The snapshot as the API holds it after the task; in check mode, what it would hold.
    - An empty dict when the snapshot is absent.
    - The same keys on both APIs (see O(snapshot_api)), with C(status) in the same four values; a key the API in use
      does not tell is null. With O(snapshot_api=instance) it also has C(api_status), C(created_at), C(description),
      C(included_volumes) and C(volumes).
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
      description: Whether the instance is shut down during the snapshot; null with O(snapshot_api=instance).
      type: bool
      sample: false
    status:
      description:
        - V(new), V(in-progress), V(complete) or V(failed), on both APIs.
        - With O(snapshot_api=account), read from C(status) or, as the real service sends it, C(state).
        - With O(snapshot_api=instance), mapped from the API's own word, which C(api_status) keeps.
      type: str
      sample: complete
    api_status:
      description:
        - The API's own word for the state, as it sent it (for example V(pending), V(completed), V(Complete),
          V(available)).
        - Null in check mode.
      returned: with snapshot_api=instance
      type: str
      sample: completed
      version_added: 0.2.0
    cron_timing:
      description: The schedule of a scheduled snapshot, else null.
      type: str
      sample: "0 3 * * 0"
    size_gb:
      description: Size of the snapshot in GB, null until known (always null with O(snapshot_api=instance)).
      type: int
      sample: 25
    requested_at:
      description:
        - When the snapshot was requested, ISO 8601 in UTC.
        - With O(snapshot_api=instance), the same as C(created_at), so that O(max_age) and ordering work alike.
      type: str
      sample: "2026-11-29T03:00:02+00:00"
    created_at:
      description: When the snapshot was created, ISO 8601 in UTC.
      returned: with snapshot_api=instance
      type: str
      sample: "2026-11-29T03:00:02+00:00"
      version_added: 0.2.0
    completed_at:
      description: When the snapshot completed, ISO 8601 in UTC, else null (always null with O(snapshot_api=instance)).
      type: str
      sample: "2026-11-29T03:04:41+00:00"
    region:
      description: Region of the snapshot, when the API tells it; with O(snapshot_api=instance), the region asked for.
      type: str
      sample: LON1
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

from ansible_collections.civo.cloud.plugins.module_utils.account_snapshots import is_scheduled
from ansible_collections.civo.cloud.plugins.module_utils.errors import CivoAPIError, CivoError, WaitFailed
from ansible_collections.civo.cloud.plugins.module_utils.input_rules import (
    cron_problem,
    duration_problem,
    label_name_problem,
    name_problem,
    parse_duration,
    safe_problem,
)
from ansible_collections.civo.cloud.plugins.module_utils.module import BOTH_SNAPSHOT_APIS, CivoModule, CivoResource
from ansible_collections.civo.cloud.plugins.module_utils.snapshots import (
    COMPLETE,
    FAILED,
    PENDING_STATUSES,
    age_seconds,
    describe,
)

ARGUMENT_SPEC = dict(
    name=dict(type='str', required=True),
    state=dict(type='str', choices=['present', 'absent'], default='present'),
    instance_id=dict(type='str'),
    instance=dict(type='str'),
    description=dict(type='str'),
    safe=dict(type='bool'),
    cron_timing=dict(type='str'),
    force=dict(type='bool', default=False),
    retake_failed=dict(type='bool', default=True),
    max_age=dict(type='str'),
    wait=dict(type='bool', default=True),
    wait_timeout=dict(type='int', default=1800),
)
# What a snapshot keeps of how it was asked for, and each API's own: what is carried over when it is taken again.
SETTINGS = ('safe', 'cron_timing', 'description')


def check_input(params):
    """Every rule that can be checked without the API, so that bad input never sends a request."""
    per_instance = params['snapshot_api'] == 'instance'
    problems = [label_name_problem(params['name']) if per_instance else name_problem(params['name'])]
    problems.append(safe_problem(params['safe'], params['snapshot_api']))
    if per_instance and params['cron_timing'] is not None:
        problems.append(
            'cron_timing needs snapshot_api=account: with snapshot_api=instance, schedule snapshots with '
            'civo.cloud.civo_snapshot_schedule.'
        )
    elif params['cron_timing'] is not None:
        problems.append(cron_problem(params['cron_timing']))
    if not per_instance and params['description'] is not None:
        problems.append(
            'description needs snapshot_api=instance: the account API (snapshot_api=account) keeps no description.'
        )
    problems.append(duration_problem('max_age', params['max_age']))
    if params['wait_timeout'] <= 0:
        problems.append('wait_timeout must be a positive number of seconds, got %d.' % params['wait_timeout'])
    if params['instance_id'] is None and params['instance'] is None:
        if per_instance:
            problems.append(
                'snapshot_api=instance needs the instance for every state: set instance (a hostname) or instance_id.'
            )
        elif params['state'] == 'present':
            problems.append('state=present needs the instance to snapshot: set instance (a hostname) or instance_id.')
    if params['instance'] is not None and not params['instance'].strip():
        problems.append('instance must be a hostname, got an empty string.')
    if params['instance_id'] is not None and not params['instance_id'].strip():
        problems.append('instance_id must not be empty.')
    return problems


class Snapshot(CivoResource):
    """One snapshot brought to the state asked for, on either snapshot API (self.snapshots)."""

    def run(self):
        named, target = self.named_and_target()
        self.before = named[0] if named else {}
        snapshot = self.present(named, target) if self.params['state'] == 'present' else self.absent(named)
        self.result = dict(
            snapshot=snapshot,
            diff=dict(before=self.before, after=snapshot, before_header=self.header(), after_header=self.header()),
        )

    def named_and_target(self):
        """The snapshots of the name, newest first, and the instance asked for (None when not given).

        With the account API a name is unique in the account: it is read first, and a hostname its snapshot already
        tells needs no lookup. With the instance API the snapshots are the instance's own, so the instance comes first.
        """
        if self.snapshots.replaces_in_place:
            named = self.snapshots.named(self.params['name'])
            return named, self.target(named[0] if named else None)
        target = self.target()
        return self.snapshots.named(self.params['name'], target), target

    def target(self, existing=None):
        """The instance asked for, as dict(id, hostname, region); None when neither instance nor instance_id is
        given."""
        hostname = self.params['instance']
        if existing and hostname and existing.get('hostname') == hostname:
            return dict(
                id=existing['instance_id'], hostname=hostname, region=existing.get('region') or self.params['region']
            )
        if self.params['instance_id'] or hostname:
            return self.instances.target(self.params['instance_id'], hostname)
        return None

    def header(self):
        if self.snapshots.replaces_in_place:
            return "snapshot '%s'" % self.params['name']
        return "snapshot '%s' of instance %s" % (
            self.params['name'],
            self.params['instance'] or self.params['instance_id'],
        )

    # state=present
    def present(self, named, target):
        current = named[0] if named else None
        reason = self.reason_to_take(current, target)
        if reason is None:
            return self.keep(current, named[1:])
        if current and current['instance_id'] != target['id']:
            self.warn_other_instance(current, target)
        settings = self.settings(current, target)
        if self.check_mode:
            self.changed = True
            return self.snapshots.predict(self.params['name'], target, settings, current)
        if current and current['status'] == 'in-progress' and self.snapshots.replaces_in_place and self.params['wait']:
            self.wait_complete(
                current
            )  # the API refuses to replace a snapshot that is being taken: let it finish first
        try:
            snapshot = self.snapshots.take(self.params['name'], target, settings, known=named)
        except CivoAPIError as e:
            if e.status == 409 and current and not self.snapshots.replaces_in_place:
                raise CivoError(
                    "The API refused a second snapshot named '%s' on instance %s (%s). The existing snapshot %s was "
                    "kept: it is never "
                    "deleted before its replacement is complete. To replace it anyway, delete it first (state=absent) "
                    "and take it "
                    "again, or give each snapshot its own name (for example with the date)."
                    % (self.params['name'], target['id'], e, current['id']),
                    snapshot=current,
                    **e.result,
                )
            raise
        self.changed = True  # only now: a request the API refused changed nothing
        if not named:
            return self.settle(snapshot)
        if self.snapshots.replaces_in_place:
            return self.settle(
                snapshot,
                note=" The previous snapshot '%s' was overwritten when the re-take started (with "
                "snapshot_api=account the API replaces a snapshot of the same name at once), so "
                "no complete snapshot of this name exists now." % current['name'],
            )
        return self.replace(snapshot, named)

    def reason_to_take(self, current, target):
        """Why a snapshot must be taken, or None when the current one already is what was asked for."""
        if current is None:
            return 'absent'
        if self.params['force']:
            return 'force'
        if current['instance_id'] != target['id']:
            return 'instance differs'
        # An option left out is not managed: only a cron_timing given, and different, replaces the snapshot.
        cron_timing = self.params['cron_timing']
        if cron_timing is not None and cron_timing != (current['cron_timing'] or None):
            self.warn(
                "Snapshot '%s' (%s) %s replaced by one scheduled '%s', because cron_timing differs (it was %s)."
                % (
                    current['name'],
                    current['status'],
                    'would be' if self.check_mode else 'is',
                    cron_timing,
                    "'%s'" % current['cron_timing'] if current['cron_timing'] else 'a one-off snapshot',
                )
            )
            return 'cron_timing differs'
        reason = self.failed_or_aged(current)
        if (
            reason is None
            and self.params['safe'] is not None
            and current['safe'] is not None
            and self.params['safe'] != current['safe']
        ):
            # How a snapshot is taken, not what it holds: a complete snapshot is never replaced for it.
            self.warn(
                "Snapshot '%s' was taken with safe=%s; it is kept as it is, because safe only says how a snapshot is "
                "taken. "
                'To take it again with safe=%s, set force: true (with snapshot_api=account the old snapshot is then '
                'overwritten when the new one starts).'
                % (current['name'], str(current['safe']).lower(), str(self.params['safe']).lower())
            )
        return reason

    def failed_or_aged(self, existing):
        """Why an existing snapshot of the right instance must be taken again (failed, max_age), or None."""
        if existing['status'] not in PENDING_STATUSES + (COMPLETE,):
            # retake_failed=false: settle() reports the failed snapshot instead.
            return 'previous snapshot %s' % existing['status'] if self.params['retake_failed'] else None
        max_age = parse_duration(self.params['max_age']) if self.params['max_age'] else None
        if max_age is not None and not is_scheduled(existing):  # a scheduled snapshot renews itself on its schedule
            age = age_seconds(existing)
            if age is None or age > max_age:
                return 'older than max_age'
        return None

    def settings(self, current, target):
        """What the new snapshot is taken with: each setting given, else the one the current snapshot of the instance
        has."""
        own = current if current and current['instance_id'] == target['id'] else {}
        return dict((key, self.params[key] if self.params[key] is not None else own.get(key)) for key in SETTINGS)

    def keep(self, current, older):
        """The newest snapshot of the name stays: update what changes in place, wait for it, then drop older ones."""
        snapshot = current
        description = self.params['description']
        if description is not None and description != current.get('description'):
            self.changed = True
            snapshot = (
                dict(current, description=description)
                if self.check_mode
                else self.snapshots.update(current, dict(description=description))
            )
        snapshot = self.settle(snapshot)
        self.remove_superseded(snapshot, older)
        return snapshot

    def replace(self, snapshot, named):
        """Instance API: the new snapshot is added beside the others of the name. Failed ones go at once (a failed
        snapshot is not a backup); the others only once the new one is complete: never lose the last good one."""
        self.delete_all(old for old in named if old['status'] == FAILED)
        kept = next((old for old in named if old['status'] == COMPLETE), None)
        if not self.params['wait']:
            if kept:
                self.warn(
                    "The previous snapshot %s is kept until the new one (%s) is complete, because wait=false does not "
                    "wait "
                    "for it. A later run of this task deletes it once the new snapshot is complete."
                    % (describe(kept), snapshot['id'])
                )
            return snapshot
        note = (
            (' The previous snapshot %s was kept.' % describe(kept))
            if kept
            else ' No complete snapshot of this name exists.'
        )
        snapshot = self.wait_complete(snapshot, note)
        self.remove_superseded(snapshot, [old for old in named if old['status'] != FAILED])
        return snapshot

    def remove_superseded(self, snapshot, older):
        """Delete older snapshots of the name, but only once the newest is complete: never lose the last good one."""
        if not older or snapshot['status'] != COMPLETE:
            return
        self.delete_all(older)

    def delete_all(self, snapshots):
        snapshots = list(snapshots)
        if snapshots:
            self.changed = True
        if not self.check_mode:
            for snapshot in snapshots:
                self.snapshots.delete(snapshot)

    def settle(self, snapshot, note=''):
        """Wait for a snapshot being taken, when asked to; report a failed one. note: what a failure leaves behind."""
        if snapshot['status'] == COMPLETE or is_scheduled(snapshot):
            return snapshot
        if snapshot['status'] in PENDING_STATUSES:
            return self.wait_complete(snapshot, note) if self.params['wait'] and not self.check_mode else snapshot
        if self.params['retake_failed']:
            raise CivoError(
                "Snapshot '%s' has status '%s'. Take it again with force=true."
                % (snapshot['name'], snapshot['status']),
                snapshot=snapshot,
            )
        raise CivoError(
            "Snapshot '%s' of instance %s has status '%s'; it was not taken again (retake_failed=false)."
            % (snapshot['name'], snapshot.get('hostname') or snapshot.get('instance_id'), snapshot['status']),
            snapshot=snapshot,
        )

    def wait_complete(self, snapshot, note=''):
        """Wait until the snapshot is complete; note: what a failure leaves behind (the previous snapshot kept ...)."""
        try:
            return self.snapshots.wait_complete(snapshot, self.params['wait_timeout'])
        except WaitFailed as e:
            raise CivoError(e.message + note, **dict(e.result, snapshot=e.result.get('snapshot') or snapshot))

    def warn_other_instance(self, existing, target):
        """Names are unique in the account: re-taking the name replaces another instance's snapshot. Say whose."""
        other = existing['instance_id']
        hostname = existing.get('hostname') or self.instances.hostname_of(other) or 'unknown hostname'
        replacement = '%s (%s)' % (target['hostname'], target['id']) if target['hostname'] else target['id']
        self.warn(
            "Snapshot '%s' was a snapshot of instance %s (%s); it %s by a snapshot of instance %s, because with "
            "snapshot_api=account "
            "a name is unique in the account. Give each instance its own snapshot names to keep both."
            % (
                self.params['name'],
                hostname,
                other,
                'would be replaced' if self.check_mode else 'is replaced',
                replacement,
            )
        )

    # state=absent
    def absent(self, named):
        """Delete the snapshot (with the instance API every snapshot of the name of the instance); gone counts as
        deleted."""
        if not named:
            return {}
        self.changed = True
        if not self.check_mode:
            deleted = [snapshot for snapshot in named if self.snapshots.delete(snapshot)]
            if self.params['wait']:
                for snapshot in deleted:
                    self.wait_gone(snapshot)
        return {}

    def wait_gone(self, snapshot):
        self.snapshots.wait_gone(snapshot, self.params['wait_timeout'])


def main():
    CivoModule(
        ARGUMENT_SPEC,
        check_input=check_input,
        snapshot_api=BOTH_SNAPSHOT_APIS,
        mutually_exclusive=[('instance_id', 'instance'), ('cron_timing', 'max_age')],
    ).run(Snapshot)


if __name__ == '__main__':
    main()
