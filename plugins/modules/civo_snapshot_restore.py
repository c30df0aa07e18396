#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, civo.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: civo_snapshot_restore
short_description: Restore a Civo instance snapshot, as a new instance or over the instance itself
version_added: 0.2.0
description:
  - Restores a snapshot of Civo's current instance snapshot API (C(/v2/instances/:id/snapshots)), either into a new
    instance with the hostname O(hostname), or in place over the instance the snapshot was taken of
    (O(overwrite_existing=true)).
  - A restore in place B(destroys the instance's current disk state). It is never implied; with neither O(hostname) nor
    O(overwrite_existing=true) the module refuses before sending any request.
  - A restore into a new instance is idempotent by hostname. If an instance with that hostname exists, and its own
    record says it was built from this snapshot, nothing is sent (and if it is still being built, the task waits for
    it); if its record names another source, the task fails and says what it was built from.
  - A restore in place is always a change, like M(ansible.builtin.command) (the API cannot tell whether the disk already
    holds the snapshot's state). The one exception is an instance already restoring, after a task that timed out; the
    task then waits for that restore instead of starting another.
  - The module always speaks the per-instance API; O(snapshot) must be a snapshot of that API, not one of the
    account-wide C(/v2/snapshots) API of M(civo.cloud.civo_snapshot). The E(CIVO_SNAPSHOT_API) setting does not apply.
  - Civo documents this API for CivoStack Enterprise private regions. Where a region does not offer it, the task fails
    and says so.
author:
  - civo.cloud contributors (@civo-community)
extends_documentation_fragment:
  - civo.cloud.civo
  - civo.cloud.snapshot_api.instance_only
attributes:
  check_mode:
    support: full
    description: Only read-only requests are sent. The task checks the instance and the snapshot and predicts the
      result.
  diff_mode:
    support: full
    description: Returns the restored instance before and after the task, with the snapshot it is restored from.
  action_group:
    support: full
    description: Use C(group/civo.cloud.civo) in C(module_defaults) to set the connection options once.
    membership:
      - civo.cloud.civo
options:
  instance:
    description:
      - Hostname of the instance the snapshot belongs to, looked up among all instances (all pages) in the region.
      - Fails if no instance or more than one instance has this hostname; use O(instance_id) then.
      - One of O(instance) and O(instance_id) is required.
    type: str
  instance_id:
    description:
      - ID of the instance the snapshot belongs to.
    type: str
  snapshot:
    description:
      - ID or name of the snapshot of that instance to restore. An ID is matched first.
      - Fails if several snapshots of the instance have this name; give the ID then.
    type: str
    required: true
  hostname:
    description:
      - Restore into a new instance with this hostname.
      - If an instance with this hostname already exists, nothing is restored. It is taken for this restore (done by an
        earlier run; the task reports no change and waits for it if it is still being built) only when the API's record
        of it says it was built from this snapshot (civogo's C(snapshot_id), C(source_id) and C(source_type)); a re-run
        of a runbook therefore neither fails nor restores twice. An instance built from anything else fails the task,
        naming what it was built from, so that later tasks never act on the wrong machine. When the record names no
        source at all, the task warns that it could not be confirmed.
      - The snapshot must exist, also when the instance does.
      - Cannot be the hostname of the instance the snapshot belongs to, and cannot be combined with
        O(overwrite_existing=true).
    type: str
  overwrite_existing:
    description:
      - Restore the snapshot over the instance it was taken of. B(Everything written to the instance's disk since the
        snapshot is lost.)
      - Must be set explicitly; the module never restores in place otherwise.
    type: bool
    default: false
  private_ipv4:
    description:
      - Private IPv4 address to give the restored instance, passed on to the API.
    type: str
  description:
    description:
      - Description of the restore operation, passed on to the API.
    type: str
  wait:
    description:
      - Wait until the snapshot is complete (if it is still being taken) and then until the restored instance is
        C(ACTIVE).
      - With O(wait=false), a snapshot still being taken makes the task fail without restoring, and the task returns as
        soon as the API has accepted the restore.
      - The API offers no way to read a restore operation, so the instance is polled; by ID for a restore in place, by
        hostname for a new instance.
    type: bool
    default: true
  wait_timeout:
    description:
      - How many seconds to wait in all, for the snapshot and the restored instance together.
      - On timeout after the restore was started, the task fails with C(changed=true) and the operation; run the same
        task again to resume waiting, without restoring again.
    type: int
    default: 1800
notes:
  - Requests are retried on rate limits and transient errors, see O(api_retries). If the answer to the restore request
    itself was lost and its retry is refused because the first attempt was carried out, the task goes on with that
    restore.
  - Civo's restore answer does not say when an instance restored in place leaves C(ACTIVE). The task trusts C(ACTIVE)
    only after it has seen the instance in another status, or 10 seconds after the restore was started.
seealso:
  - module: civo.cloud.civo_snapshot
  - name: Civo API, instance snapshots
    description: Restoring is C(POST /v2/instances/:id/snapshots/:snapshot_id/restore).
    link: https://www.civo.com/api/instance-snapshots
'''

EXAMPLES = r'''
- name: Snapshot web-1 with the per-instance API, without waiting for it to complete
  civo.cloud.civo_snapshot:
    snapshot_api: instance
    name: web-1-before-upgrade
    instance: web-1
    wait: false

- name: Build a copy of web-1 from the snapshot, as web-1-copy (waits for the snapshot, then for the new instance)
  civo.cloud.civo_snapshot_restore:
    instance: web-1
    snapshot: web-1-before-upgrade
    hostname: web-1-copy
  register: copy

- name: Show the new instance's ID
  ansible.builtin.debug:
    msg: "web-1-copy is {{ copy.instance.id }}, restored by operation {{ copy.restore.id }}"

- name: List web-1's snapshots, newest first
  civo.cloud.civo_snapshot_info:
    snapshot_api: instance
    instance: web-1
  register: web_1_snapshots

- name: See what restoring web-1 in place would do, without doing it
  civo.cloud.civo_snapshot_restore:
    instance: web-1
    snapshot: web-1-before-upgrade
    overwrite_existing: true
  check_mode: true

- name: Put web-1 back to the state of its newest snapshot, by ID (its current disk state is lost)
  civo.cloud.civo_snapshot_restore:
    instance: web-1
    snapshot: "{{ web_1_snapshots.snapshots[0].id }}"
    overwrite_existing: true
    description: upgrade to 2.4 failed, going back
'''

RETURN = r'''
restore:
  description:
    - The restore operation as the API answered it, in one shape whether the API answered it flat or as
      C({resource_type, instance}).
    - In check mode, what the task would start (with RV(restore.id) null).
    - An empty dict when nothing was restored (a new instance's hostname already exists, or the task waited for a
      restore started before).
  returned: always
  type: dict
  contains:
    id:
      description: ID of the restore operation (not the ID of an instance).
      type: str
      sample: restore-5d7e0c1a-1c4e-4b8e-a0b2-6c1f0e9d2a77
    name:
      description: Name of the restore operation.
      type: str
      sample: restore-web-1-before-upgrade
    hostname:
      description: Hostname of the instance restored into.
      type: str
      sample: web-1-copy
    description:
      description: Description of the restore operation.
      type: str
      sample: upgrade to 2.4 failed, going back
    from_snapshot:
      description: ID of the snapshot restored.
      type: str
      sample: 0c7c3f0e-2a7b-4b1d-9f3e-8d6a5b4c3e21
    private_ipv4:
      description: Private IPv4 address of the restored instance, when the API tells it.
      type: str
      sample: 192.168.1.10
    overwrite_existing:
      description: Whether the restore is in place.
      type: bool
      sample: false
    status:
      description: State of the operation when it was answered, as C({state}), for example V(in_progress).
      type: dict
      sample: {state: in_progress}
    created_at:
      description: When the restore started, ISO 8601 in UTC.
      type: str
      sample: "2026-11-29T03:10:00+00:00"
    completed_at:
      description: When it completed, ISO 8601 in UTC; null while it runs.
      type: str
      sample: null
instance:
  description:
    - The restored instance as the API lists it, once it is C(ACTIVE); the new instance, or the instance restored in
      place.
    - With O(wait=false) or in check mode, what is known or predicted of it (in check mode, a new instance has no
      C(id)).
  returned: always
  type: dict
  sample: {id: 7a1d0c3e-4f5b-4e6a-8b7c-9d0e1f2a3b4c, hostname: web-1-copy, status: ACTIVE, region: LON1}
snapshot:
  description: The snapshot restored (or that would be); an empty dict when the task did not need to look at it.
  returned: always
  type: dict
  contains:
    id:
      description: ID of the snapshot.
      type: str
      sample: 0c7c3f0e-2a7b-4b1d-9f3e-8d6a5b4c3e21
    name:
      description: Name of the snapshot.
      type: str
      sample: web-1-before-upgrade
    description:
      description: Description of the snapshot.
      type: str
      sample: before the 2.4 upgrade
    status:
      description: V(new), V(in-progress), V(complete) or V(failed), whichever spelling the API used.
      type: str
      sample: complete
    state:
      description: The state exactly as the API spelled it, for example V(completed) or V(Complete).
      type: str
      sample: completed
    created_at:
      description: When the snapshot was taken, ISO 8601 in UTC.
      type: str
      sample: "2026-11-29T03:00:02+00:00"
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


from ansible_collections.civo.cloud.plugins.module_utils.errors import CivoError, LookupFailed, WaitFailed
from ansible_collections.civo.cloud.plugins.module_utils.input_rules import hostname_problem, ipv4_problem
from ansible_collections.civo.cloud.plugins.module_utils.module import INSTANCE_SNAPSHOT_API, CivoModule, CivoResource
from ansible_collections.civo.cloud.plugins.module_utils.snapshot_restores import (
    INSTANCE_ACTIVE,
    SnapshotRestores,
    built_from,
    instance_status,
    is_restoring_from,
    normalise_restore,
    restored_snapshot,
    source_of,
)
from ansible_collections.civo.cloud.plugins.module_utils.snapshots import COMPLETE, FAILED, describe
from ansible_collections.civo.cloud.plugins.module_utils.waiting import deadline_in, seconds_left

ARGUMENT_SPEC = dict(
    instance=dict(type='str'),
    instance_id=dict(type='str'),
    snapshot=dict(type='str', required=True),
    hostname=dict(type='str'),
    overwrite_existing=dict(type='bool', default=False),
    private_ipv4=dict(type='str'),
    description=dict(type='str'),
    wait=dict(type='bool', default=True),
    wait_timeout=dict(type='int', default=1800),
)


def check_input(params):
    """Every rule that can be checked without the API, so that bad input never sends a request."""
    problems = []
    if not params['hostname'] and not params['overwrite_existing']:
        problems.append(
            'Say which restore you want: hostname: NEW-HOSTNAME restores the snapshot into a new instance; '
            'overwrite_existing: true restores it over the instance itself, and its current disk state is lost.'
        )
    if params['hostname'] is not None and params['overwrite_existing']:
        problems.append(
            'hostname and overwrite_existing: true ask for two different restores: give hostname for a new instance, '
            'or overwrite_existing: true (without hostname) to restore the instance itself.'
        )
    if params['hostname']:
        problems.append(hostname_problem(params['hostname']))
    if params['instance'] is not None:
        problems.append(hostname_problem(params['instance'], 'instance'))
    if params['instance_id'] is not None and not params['instance_id'].strip():
        problems.append('instance_id must not be empty.')
    if not params['snapshot'].strip():
        problems.append('snapshot must be the ID or name of a snapshot, got an empty string.')
    if params['private_ipv4'] is not None:
        problems.append(ipv4_problem(params['private_ipv4'], 'private_ipv4'))
    if params['wait_timeout'] <= 0:
        problems.append('wait_timeout must be a positive number of seconds, got %d.' % params['wait_timeout'])
    return problems


class SnapshotRestore(CivoResource):
    """Restores one snapshot as asked, or finds it already done."""

    def run(self):
        self.restores = SnapshotRestores(self.api, self.instances)
        self.deadline = deadline_in(self.params['wait_timeout'])
        self.before = {}
        self.result = dict(restore={}, instance={}, snapshot={})
        source = self.source_instance()
        if self.params['overwrite_existing']:
            self.in_place(source)
        else:
            self.new_instance(source)
        self.result['diff'] = self.diff()

    def source_instance(self):
        if self.params['instance_id']:
            return self.instances.get(self.params['instance_id'])
        return self.instances.by_hostname(self.params['instance'])

    def new_instance(self, source):
        hostname = self.params['hostname']
        if hostname == source.get('hostname'):
            raise CivoError(
                "hostname '%s' is the instance the snapshot belongs to. To restore that instance itself, leave "
                "hostname "
                "out and set overwrite_existing: true (its current disk state is then lost)." % hostname
            )
        snapshot = self.find_snapshot(source)  # it must exist, also when the hostname is taken already
        existing = self.instances.with_hostname(hostname)
        if len(existing) > 1:
            raise CivoError(
                "%d instances already have the hostname '%s' (%s); choose another hostname."
                % (len(existing), hostname, ', '.join(item.get('id') for item in existing))
            )
        if existing:
            # Restored by an earlier run, or another machine entirely: only its own record can tell. Never restore
            # twice.
            self.before = self.result['instance'] = existing[0]
            self.confirm_restored(existing[0], snapshot)
            self.settle(existing[0], hostname=hostname, seen_busy=True)
            return
        snapshot = self.ready(snapshot)
        self.start(
            source,
            snapshot,
            dict(
                hostname=hostname,
                status=INSTANCE_ACTIVE,
                region=source.get('region'),
                private_ipv4=self.params['private_ipv4'],
            ),
        )
        self.settle(self.result['instance'], hostname=hostname)

    def confirm_restored(self, instance, snapshot):
        """An instance of the hostname asked for is this restore only when its record says it was built from the
        snapshot."""
        found = built_from(instance, snapshot['id'])
        if found is False:
            raise CivoError(
                "An instance with the hostname '%s' exists already (%s), built from %s, not from snapshot %s: it is "
                'not this restore, and nothing was restored. Choose another hostname, or delete that instance first.'
                % (instance.get('hostname'), instance.get('id'), source_of(instance), describe(snapshot))
            )
        if found is None:
            self.warn(
                "An instance with the hostname '%s' exists already (%s). The API's record of it names no source, so it "
                "could "
                'not be confirmed that it was restored from snapshot %s; it is taken for the restore of an earlier '
                'run, and nothing was restored. Check it before acting on it.'
                % (instance.get('hostname'), instance.get('id'), describe(snapshot))
            )

    def in_place(self, source):
        self.before = source
        snapshot = self.find_snapshot(source)
        if is_restoring_from(source, snapshot['id']):
            # A restore that an earlier run started (and timed out waiting for) is still going: wait for it.
            self.settle(source, instance_id=source['id'], seen_busy=True)
            return
        snapshot = self.ready(snapshot)
        predicted = dict(source, status=INSTANCE_ACTIVE)
        if self.params['private_ipv4']:
            predicted['private_ipv4'] = self.params['private_ipv4']
        self.start(source, snapshot, predicted)
        self.settle(predicted, instance_id=source['id'])

    def find_snapshot(self, source):
        try:
            snapshot = self.snapshots.find(
                dict(id=source['id'], hostname=source.get('hostname')), self.params['snapshot']
            )
        except LookupFailed as e:
            raise LookupFailed('%s Nothing was changed.' % e, **e.result)
        self.result['snapshot'] = restored_snapshot(snapshot)
        return snapshot

    def ready(self, snapshot):
        """The snapshot once complete; fails on a failed one, or on one still being taken with wait=false."""
        if snapshot['status'] == FAILED:
            raise CivoError(
                "Snapshot '%s' failed (state '%s'): it cannot be restored. Nothing was changed."
                % (snapshot['name'], snapshot['api_status'])
            )
        if snapshot['status'] == COMPLETE or self.check_mode:
            return snapshot
        if not self.params['wait']:
            raise CivoError(
                "Snapshot '%s' is still being taken (state '%s'). Nothing was restored: run the task again once it is "
                "complete, or set wait: true to wait for it first." % (snapshot['name'], snapshot['api_status'])
            )
        try:
            # wait_timeout covers the snapshot and the restored instance together: the snapshot gets what is left of it.
            snapshot = self.snapshots.wait_complete(snapshot, int(round(seconds_left(self.deadline))))
        except WaitFailed as e:
            raise CivoError('%s Nothing was restored.' % e, snapshot=restored_snapshot(e.result.get('snapshot')))
        self.result['snapshot'] = restored_snapshot(snapshot)
        return snapshot

    def start(self, source, snapshot, predicted_instance):
        options = dict(
            hostname=self.params['hostname'],
            overwrite_existing=self.params['overwrite_existing'],
            private_ipv4=self.params['private_ipv4'],
            description=self.params['description'],
        )
        self.result['instance'] = predicted_instance
        if self.check_mode:
            self.changed = True
            self.result['restore'] = normalise_restore(
                dict(
                    options,
                    hostname=predicted_instance.get('hostname'),
                    from_snapshot=snapshot['id'],
                    status={'state': 'in_progress'},
                )
            )
            return
        self.result['restore'] = self.restores.restore(source, snapshot, options)
        self.changed = True  # only now: a POST the API refused changed nothing

    def settle(self, instance, instance_id=None, hostname=None, seen_busy=False):
        """Wait for the restored instance to be ACTIVE, when asked to (never in check mode)."""
        self.result['instance'] = instance
        if self.check_mode or not self.params['wait'] or (seen_busy and instance_status(instance) == INSTANCE_ACTIVE):
            return
        self.result['instance'] = self.restores.wait_active(
            self.params['wait_timeout'], self.deadline, instance_id=instance_id, hostname=hostname, seen_busy=seen_busy
        )

    def diff(self):
        after = dict(self.result['instance'])
        if self.result['restore']:
            after['restored_from_snapshot'] = '%s (%s)' % (
                self.result['snapshot'].get('name'),
                self.result['snapshot'].get('id'),
            )
        return dict(before=self.before, after=after)


def main():
    CivoModule(
        ARGUMENT_SPEC,
        check_input=check_input,
        snapshot_api=INSTANCE_SNAPSHOT_API,
        mutually_exclusive=[('instance', 'instance_id')],
        required_one_of=[('instance', 'instance_id')],
    ).run(SnapshotRestore)


if __name__ == '__main__':
    main()
