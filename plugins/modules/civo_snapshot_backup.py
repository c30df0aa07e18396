#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, civo.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: civo_snapshot_backup
short_description: Snapshot a fleet of Civo instances, wait until all are complete, keep the newest N of each
version_added: 0.2.0
description:
  - Takes a snapshot of every instance of O(instances), all at once, waits until all of them are complete, and then
    deletes the oldest snapshots of each instance beyond O(keep). The role C(civo.cloud.snapshot_backup) is this module
    with the role's variable names.
  - Every snapshot gets a name of its own, O(name_pattern), by default C(<prefix>-<hostname>-<UTC timestamp>), for
    example C(nightly-web-1-20261129T030002Z); the timestamp is the same for every instance of one run. A new snapshot
    therefore never replaces an old one, and a snapshot that fails never costs the last good backup.
  - Every input is checked before the first request. Then one instance listing resolves every instance (an unknown or
    ambiguous hostname, an unknown ID or one instance given twice fails before any snapshot starts) and, with
    O(min_interval), one snapshot listing finds the instances backed up recently. Every snapshot is then started, and
    one listing per poll follows all of them (C(GET /v2/snapshots) with O(snapshot_api=account), C(GET
    /v2/resourcesnapshots) with O(snapshot_api=instance)); the last listing also decides the rotation. In steady state a
    run over N instances sends about 2N + 5 requests (one create and one delete per instance, and a few listings for all
    of them).
  - Rotation only deletes snapshots of an instance of the run whose whole name follows the pattern with this prefix and
    that instance's name and some timestamp, and whose status is C(complete). It never deletes a snapshot of the current
    run, nor one still being taken, failed or scheduled (those are not counted either), and nothing at all unless every
    snapshot of the run is complete.
  - A failure names each snapshot, its instance and what the API answered, and deletes nothing unless every snapshot of
    the run completed. A snapshot that failed is reported, never taken again under its name.
  - With O(min_interval), an instance whose newest backup in the set (complete or still being taken) is younger than
    that gets no new snapshot; a backup of it still being taken is waited for. A job that runs twice or is retried then
    does not pile up backups, and its second run changes nothing.
  - "Progress is shown while it runs. The module runs in steps of at most a minute (its action plugin runs it again
    until the backup is done) and the log gets a line such as
    C(snapshot_backup: 37 of 100 complete, 0 failed, 63 being taken (2m10s)) after each, then one recap line such as
    C(snapshot_backup: took 98, skipped 2 (recent), deleted 98, failed 0)."
author:
  - civo.cloud contributors (@civo-community)
extends_documentation_fragment:
  - civo.cloud.civo
  - civo.cloud.snapshot_api
attributes:
  check_mode:
    support: full
    description:
      - Only the two listings are sent (instances and snapshots); RV(taken) is what would be taken (status C(new), what
        only the API can tell null) and RV(deleted) what would be deleted.
  diff_mode:
    support: none
    description: The results (RV(taken), RV(deleted)) say what changed; there is no diff.
  action_group:
    support: full
    description: Use C(group/civo.cloud.civo) in C(module_defaults) to set the connection options and O(snapshot_api)
                 once.
    membership:
      - civo.cloud.civo
options:
  instances:
    description:
      - The instances to back up. One or many; a single hostname string is accepted too.
      - Each item is either a hostname (a string), looked up among the instances of the region, or a dict with the keys
        V(name) and V(id). With V(id) the instance is addressed by its ID (needed when several instances share a
        hostname) and V(name) is only used in the snapshot names (usually the instance's hostname). V(name) is always
        required.
      - Names may contain letters, digits, V(.), V(_) and V(-). Each instance may be given only once.
    type: list
    elements: raw
    required: true
  prefix:
    description:
      - Prefix of the snapshot names; identifies this backup set. Rotation only considers snapshots with this prefix.
      - Letters, digits, V(.), V(_) and V(-), starting with a letter or digit.
      - Use different prefixes for backup sets that must not rotate each other, for example V(nightly) and
        V(pre-upgrade).
    type: str
    required: true
  name_pattern:
    description:
      - How snapshot names are made. V({prefix}), V({hostname}) and V({timestamp}) are replaced by the prefix, the name
        of the instance and the UTC time of the run in the form C(YYYYMMDDTHHMMSSZ) (C(20261129T030002Z)).
      - Each of the three placeholders must appear exactly once; any other text may only hold letters, digits, V(.),
        V(_) and V(-). A name is at most 100 characters long.
      - With O(snapshot_api=instance) every name must be an RFC 1123 label (lowercase letters, digits and V(-), at most
        63 characters), and the timestamp is written in lowercase, C(20261129t030002z).
      - Changing the pattern starts a new backup set; rotation does not recognise names made with another pattern.
    type: str
    default: "{prefix}-{hostname}-{timestamp}"
  keep:
    description:
      - How many complete snapshots of each instance to keep in this backup set (prefix and pattern), counting the one
        just taken. At least 1.
    type: int
    default: 3
  min_interval:
    description:
      - Take no new snapshot of an instance whose newest backup in this set (complete or still being taken; failed ones
        do not count) was requested less than this long ago. Such a backup stands in for a new one (it is waited for,
        and rotation counts it as the run's).
      - A number followed by V(s), V(m), V(h), V(d) or V(w), or a combination such as V(1d12h); for example V(20h) for a
        nightly job.
      - Ages are measured from the API's C(requested_at) to the clock of the host that runs the module.
      - Not set, every run takes new snapshots.
    type: str
  safe:
    description:
      - Shut each instance down while its snapshot is taken, so that files are consistent (for example databases).
      - Only with O(snapshot_api=account); V(true) with O(snapshot_api=instance) fails before any request.
    type: bool
    default: false
  wait:
    description:
      - Wait until every snapshot of the run is complete, then rotate.
      - With V(false) the snapshots are only started, and no rotation happens in that run (rotation needs complete
        snapshots); a later run with V(true) rotates.
    type: bool
    default: true
  wait_timeout:
    description:
      - How many seconds to wait, in all, for the snapshots of the run to complete, counted from the start of the run.
        On timeout the task fails, deletes nothing, and the snapshots go on being taken; with O(min_interval) set,
        running it again waits for them instead of taking others.
    type: int
    default: 1800
  progress_interval:
    description:
      - The most seconds between two lines of progress in the log while the run goes on. The module runs in steps of
        this length, one module run each, and its action plugin shows where the run stands after each.
      - From V(5) to V(600).
    type: int
    default: 50
  poll_interval:
    description:
      - Deprecated and without effect; it will be removed in 1.0.0. Set, the task gives a deprecation warning and goes
        on.
      - Only here so that the role C(civo.cloud.snapshot_backup) can hand on its deprecated
        C(snapshot_backup_poll_interval). The wait polls on the collection's schedule (1 second at first, backing off to
        15 seconds), one listing per poll for every snapshot of the run.
    type: int
  step:
    description:
      - "Internal: set by the action plugin of this module, which runs it in steps of at most a minute and hands each
        step what the one before did (the plan, the snapshots of the run, the deadline). Leave it unset: the module is
        always run through its action plugin, and unset, a run does the whole backup in one step."
    type: dict
notes:
  - The snapshots are started one after another without waiting; Civo takes them in parallel. With Civo's limit of 50
    requests a minute a run over N instances lasts at least 2N / 50 minutes plus the time of the slowest snapshot; the
    collection's client paces its requests on the API's rate-limit headers instead of running into refusals.
  - Polling while waiting starts at one listing a second and backs off to one every 15 seconds, whatever the number of
    instances.
seealso:
  - module: civo.cloud.civo_snapshot
  - module: civo.cloud.civo_snapshot_info
'''

EXAMPLES = r'''
- name: Snapshot web-1, web-2 and db-1, wait until all are complete, keep the newest 7 of each
  civo.cloud.civo_snapshot_backup:
    instances: [web-1, web-2, db-1]
    prefix: nightly
    keep: 7
    # A job that is retried, or runs twice in one night, takes nothing new.
    min_interval: 20h
  register: nightly

- name: Report the night's backups
  ansible.builtin.debug:
    msg: >-
      Taken {{ nightly.counts.taken }}, already taken earlier {{ nightly.counts.skipped }},
      deleted {{ nightly.counts.deleted }}: {{ nightly.taken | map(attribute='name') | join(', ') or 'none' }}

- name: Before a change, snapshot the database servers (one of them given by ID, as two share a hostname)
  civo.cloud.civo_snapshot_backup:
    instances:
      - db-1
      - name: cache-1
        id: 4b1c5a1e-3c2f-4d1a-9a51-0c6f2a7e1004
    prefix: pre-upgrade
    keep: 2
    safe: true

- name: Only start the snapshots, without waiting (and so without rotation, which a later run with wait does)
  civo.cloud.civo_snapshot_backup:
    instances: [worker-1]
    prefix: hourly
    wait: false
'''

RETURN = r'''
taken:
  description:
    - The snapshots this run took, in the order of O(instances), each as M(civo.cloud.civo_snapshot) returns a snapshot,
      in its latest known state (complete after the wait; as predicted in check mode, with status C(new)).
    - Also when the task fails, with the snapshots started so far.
  returned: always
  type: list
  elements: dict
  sample: [{name: nightly-web-1-20261129T030002Z, instance_id: 0f7a3c1e-3b1c-4b7e-9d6f-1b2c3d4e5f60, hostname: web-1,
            status: complete, requested_at: "2026-11-29T03:00:02+00:00", completed_at: "2026-11-29T03:04:41+00:00"}]
recent:
  description:
    - The recent backups that stood in for new ones because of O(min_interval), one per instance skipped, in their
      latest known state (complete after the wait). The role sets them as C(snapshot_backup_skipped).
  returned: always
  type: list
  elements: dict
  sample: [{name: nightly-db-1-20261128T221502Z, hostname: db-1, status: complete}]
deleted:
  description: The snapshots rotation deleted (in check mode, would delete).
  returned: always
  type: list
  elements: dict
  sample: [{name: nightly-web-1-20261122T030001Z, hostname: web-1, status: complete}]
failures:
  description:
    - Each snapshot that could not be started, did not complete, or could not be deleted, with its instance and why;
      empty when nothing failed.
  returned: always
  type: list
  elements: dict
  sample: [{name: nightly-db-1-20261129T030002Z, instance: db-1, instance_id: 4b1c5a1e-3c2f-4d1a-9a51-0c6f2a7e1003,
            reason: "Civo API request PUT /v2/snapshots/nightly-db-1-20261129T030002Z failed with HTTP 403
              (quota_limit_reached): ..."}]
  contains:
    name:
      description: Name of the snapshot.
      type: str
    instance:
      description: The instance as O(instances) names it.
      type: str
    instance_id:
      description: ID of the instance.
      type: str
    reason:
      description: What went wrong, with the API's answer (HTTP status, Civo's code and reason) where there was one.
      type: str
    api_error:
      description: The API's answer as fields (method, path, status, code, reason, details), when a request failed.
      returned: when a request failed
      type: dict
counts:
  description: How many snapshots were taken, skipped (recent), deleted and failed; the recap line says the same.
  returned: always
  type: dict
  sample: {taken: 98, skipped: 2, deleted: 98, failed: 0}
  contains:
    taken:
      description: Length of RV(taken).
      type: int
    skipped:
      description: Length of RV(recent).
      type: int
    deleted:
      description: Length of RV(deleted).
      type: int
    failed:
      description: Length of RV(failures).
      type: int
timestamp:
  description: The UTC time of the run as it is written in the snapshot names.
  returned: when the input was usable
  type: str
  sample: 20261129T030002Z
module_runs:
  description: How many times the action plugin ran the module for this task (its steps).
  returned: always
  type: int
  sample: 2
retried_requests:
  description:
    - How many API requests of this task were retried (after HTTP 429 or 5xx, a timeout or a dropped connection) and
      why, over all its steps.
    - With C(-vvv) or more also RV(retried_requests.attempts), each retry in order.
  returned: always
  type: dict
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
    attempts:
      description: Each retry, from C(-vvv) on.
      returned: when the verbosity is 3 or more
      type: list
      elements: dict
'''

import datetime
import time

from ansible_collections.civo.cloud.plugins.module_utils.backup_rules import (
    failure_message,
    input_problems,
    plan_entries,
    recent,
    resolve,
    rotation,
    run_timestamp,
)
from ansible_collections.civo.cloud.plugins.module_utils.errors import CivoError
from ansible_collections.civo.cloud.plugins.module_utils.input_rules import parse_duration
from ansible_collections.civo.cloud.plugins.module_utils.module import BOTH_SNAPSHOT_APIS, CivoModule, CivoResource
from ansible_collections.civo.cloud.plugins.module_utils.snapshots import COMPLETE, PENDING_STATUSES, state_word
from ansible_collections.civo.cloud.plugins.module_utils.waiting import wait_until

ARGUMENT_SPEC = dict(
    instances=dict(type='list', elements='raw', required=True),
    prefix=dict(type='str', required=True),
    name_pattern=dict(type='str', default='{prefix}-{hostname}-{timestamp}'),
    keep=dict(type='int', default=3),
    min_interval=dict(type='str'),
    safe=dict(type='bool', default=False),
    wait=dict(type='bool', default=True),
    wait_timeout=dict(type='int', default=1800),
    progress_interval=dict(type='int', default=50),
    poll_interval=dict(type='int'),
    step=dict(type='dict'),
)
# The shortest and the longest step (progress_interval), in seconds.
PROGRESS_INTERVALS = (5, 600)
# The phases of a run, in order; a step goes on from the phase the one before stopped in.
START = 'start'
WAIT = 'wait'
ROTATE = 'rotate'
DONE = 'done'
# A snapshot of the run that the listing no longer holds.
GONE = 'gone'
# Seconds after the time the last snapshot of the run should be complete (see completion_due) that it is looked for.
COMPLETION_MARGIN = 0.5


def utc_now():
    """Now, on the clock every wait and step of the module reads (time.time())."""
    return datetime.datetime.fromtimestamp(time.time(), datetime.timezone.utc)


def check_input(params):
    """Every rule that can be checked without the API, so that bad input never sends a request."""
    problems = input_problems(params, run_timestamp(utc_now(), params['snapshot_api']))
    if not PROGRESS_INTERVALS[0] <= params['progress_interval'] <= PROGRESS_INTERVALS[1]:
        problems.append(
            'progress_interval must be from %d to %d seconds, got %d.'
            % (PROGRESS_INTERVALS + (params['progress_interval'],))
        )
    return problems


class FleetBackup(CivoResource):
    """One backup run over a fleet, in phases (start, wait, rotate), as far as this step's time allows.

    self.run_state is what a later step needs (it goes back to the action plugin and returns in the option step):
    timestamp, started_at, deadline, entries (the resolved instances), phase, snapshots ({label: the run's snapshot of
    that instance, latest state}), recent (the labels skipped because of min_interval), started ({label: when this run
    started its snapshot}), first_start (the wait's schedule counts from it), completion_due (see completion_due()),
    failures, doomed (left to delete) and deleted.
    """

    def run(self):
        step = self.params['step'] or {}
        self.pause_at = time.time() + step['seconds'] if step.get('seconds') else None
        self.listing = None  # the latest snapshot listing of this step, if one was read
        self.run_state = step.get('state')
        self.paused = False
        try:
            if self.run_state is None:
                self.warn_deprecated()
                self.run_state = self.plan()
            if self.check_mode:
                self.predict()
            else:
                self.advance()
        finally:
            self.result = self.report()

    def warn_deprecated(self):
        if self.params['poll_interval'] is not None:
            self.module.deprecate(
                "poll_interval (the role's snapshot_backup_poll_interval) has no effect: the wait "
                "polls on the collection's own schedule. Remove it.",
                version='1.0.0',
                collection_name='civo.cloud',
            )

    # -- the plan: one instance listing, and one snapshot listing for min_interval (or to predict, in check mode)
    def plan(self):
        now = utc_now()
        timestamp = run_timestamp(now, self.snapshots.name)
        entries = plan_entries(self.params, timestamp)
        started_at = now.timestamp()
        state = dict(
            timestamp=timestamp,
            started_at=started_at,
            deadline=started_at + self.params['wait_timeout'],
            first_start=None,
            started={},
            completion_due=None,
            entries=entries,
            phase=START,
            snapshots={},
            recent=[],
            failures=[],
            doomed=None,
            deleted=[],
        )
        problems = resolve(entries, self.instances.all(), self.api.region)
        if problems:
            self.run_state = state
            raise CivoError('No snapshot was started. %s' % ' '.join(problems))
        min_interval = parse_duration(self.params['min_interval']) if self.params['min_interval'] else 0
        if min_interval or self.check_mode:
            self.listing = self.list_snapshots(entries)
            found = recent(entries, self.listing, min_interval, now)
            state['snapshots'] = found
            state['recent'] = [entry['label'] for entry in entries if entry['label'] in found]
        return state

    def list_snapshots(self, entries):
        """Every snapshot of the account (or region), with the hostname and region of the run's instances filled in."""
        by_id = dict((entry['instance_id'], entry) for entry in entries)
        listing = self.snapshots.list()
        for snapshot in listing:
            entry = by_id.get(snapshot.get('instance_id'))
            if entry:
                snapshot['hostname'] = snapshot.get('hostname') or entry['hostname']
            snapshot['region'] = snapshot.get('region') or self.api.region
        return listing

    def advance(self):
        """Go on from the phase the run is in, until it is done or this step's time is up (self.paused)."""
        phases = {START: self.start, WAIT: self.wait, ROTATE: self.rotate}
        while self.run_state['phase'] != DONE and not self.paused:
            self.paused = not phases[self.run_state['phase']]()

    def out_of_time(self):
        return self.pause_at is not None and time.time() >= self.pause_at

    # -- start every snapshot
    def start(self):
        state = self.run_state
        failed = set(failure['instance'] for failure in state['failures'])
        for entry in state['entries']:
            if entry['label'] in state['snapshots'] or entry['label'] in failed:
                continue
            try:
                snapshot = self.snapshots.take(
                    entry['name'], self.target(entry), dict(safe=self.params['safe']), known=self.known(entry)
                )
            except CivoError as e:
                state['failures'].append(self.failure(entry, entry['name'], e.message, e.result.get('api_error')))
            else:
                self.changed = True
                snapshot['hostname'] = snapshot.get('hostname') or entry['hostname']
                state['snapshots'][entry['label']] = snapshot
                state['started'][entry['label']] = time.time()
                state['first_start'] = state['first_start'] or state['started'][entry['label']]
            if self.out_of_time():
                return False
        if state['failures']:
            raise CivoError(
                failure_message('Not every snapshot could be started, so no snapshot was deleted.', state['failures'])
            )
        state['phase'] = WAIT if self.params['wait'] else DONE
        return True

    def target(self, entry):
        return dict(id=entry['instance_id'], hostname=entry['hostname'], region=self.api.region)

    def known(self, entry):
        """The instance's snapshots of this name already listed: one found after a lost answer is not among them."""
        return [
            snapshot
            for snapshot in self.listing or []
            if snapshot['name'] == entry['name'] and snapshot.get('instance_id') == entry['instance_id']
        ]

    # -- wait for all of them, with one listing per poll
    def wait(self):
        state = self.run_state
        current = wait_until(
            self.poll,
            self.settled,
            state['deadline'],
            self.timed_out,
            value=state['snapshots'],
            since=state['first_start'] or state['started_at'],
            pause_at=self.pause_at,
            due=self.completion_due,
        )
        state['snapshots'] = current
        if not self.settled(current):
            return False
        failures = [
            self.failure(entry, current[entry['label']]['name'], self.why_not_complete(current[entry['label']]))
            for entry in state['entries']
            if current[entry['label']]['status'] != COMPLETE
        ]
        if failures:
            state['failures'].extend(failures)
            raise CivoError(
                failure_message('Not every snapshot of this run completed, so no snapshot was deleted.', failures)
            )
        state['phase'] = ROTATE
        return True

    def poll(self):
        """The run's snapshots as one listing shows them now (status GONE when it no longer holds one)."""
        self.listing = self.list_snapshots(self.run_state['entries'])
        by_id = dict((snapshot['id'], snapshot) for snapshot in self.listing if snapshot.get('id'))
        # The run's names are its own (they carry its timestamp): one of its instance is the run's snapshot too.
        by_name = dict(((snapshot.get('instance_id'), snapshot['name']), snapshot) for snapshot in self.listing)
        current = {}
        for label, snapshot in self.run_state['snapshots'].items():
            found = by_id.get(snapshot.get('id')) or by_name.get((snapshot.get('instance_id'), snapshot['name']))
            current[label] = found or dict(snapshot, status=GONE)
        return current

    def completion_due(self, current):
        """When the last snapshot of the run should be complete, once a poll finds some complete and some still being
        taken; None before, and once that time is past (the poll schedule goes on).

        The snapshots of a fleet take about as long as each other, and were started one after another: the one started
        last among those complete took at most the time from its start to this poll, so the one started last of all
        should be complete that long after its start. One poll then, rather than the schedule's next, which may be up to
        15 s later; if the estimate is early, one request more.
        """
        state = self.run_state
        if state['completion_due'] is None:
            # The snapshots this run started, on its own clock (the API's times are in whole seconds).
            started = state['started']
            complete = [
                started[label]
                for label, snapshot in current.items()
                if label in started and snapshot['status'] == COMPLETE
            ]
            pending = [
                started[label]
                for label, snapshot in current.items()
                if label in started and snapshot['status'] in PENDING_STATUSES
            ]
            if not complete or not pending:
                return None
            took_at_most = time.time() - max(complete)
            state['completion_due'] = max(pending) + took_at_most + COMPLETION_MARGIN
        return state['completion_due'] if state['completion_due'] > time.time() else None

    @staticmethod
    def settled(current):
        return not any(snapshot['status'] in PENDING_STATUSES for snapshot in current.values())

    def why_not_complete(self, snapshot):
        if snapshot['status'] == GONE:
            return "Snapshot '%s' disappeared while waiting for it to complete." % snapshot['name']
        if snapshot['status'] in PENDING_STATUSES:
            return "Timed out after %ss waiting for snapshot '%s' to complete (status now '%s')." % (
                self.params['wait_timeout'],
                snapshot['name'],
                state_word(snapshot),
            )
        word = state_word(snapshot)
        api_word = " (the API says '%s')" % word if word != snapshot['status'] else ''
        return "Snapshot '%s' ended with status '%s'%s instead of complete." % (
            snapshot['name'],
            snapshot['status'],
            api_word,
        )

    def timed_out(self, current):
        state = self.run_state
        state['snapshots'] = current
        failures = [
            self.failure(entry, current[entry['label']]['name'], self.why_not_complete(current[entry['label']]))
            for entry in state['entries']
            if current[entry['label']]['status'] != COMPLETE
        ]
        state['failures'].extend(failures)
        return CivoError(
            failure_message(
                'Not every snapshot of this run completed, so no snapshot was deleted. A snapshot still being taken '
                'goes on being taken: raise wait_timeout, or set min_interval and run again to wait for it instead of '
                'taking another.',
                failures,
            )
        )

    # -- rotate, from the listing that showed every snapshot of the run complete
    def rotate(self):
        state = self.run_state
        if state['doomed'] is None:
            # The listing of the poll that found every snapshot complete (or the plan's, when none was being taken).
            self.listing = self.listing if self.listing is not None else self.list_snapshots(state['entries'])
            state['doomed'] = rotation(state['entries'], state['snapshots'], self.listing, self.params['keep'])
        failures = []
        while state['doomed']:
            snapshot = state['doomed'].pop(0)
            try:
                if self.snapshots.delete(snapshot):
                    self.changed = True
                    state['deleted'].append(snapshot)
            except CivoError as e:
                failures.append(
                    self.failure(self.entry_of(snapshot), snapshot['name'], e.message, e.result.get('api_error'))
                )
            if self.out_of_time() and state['doomed']:
                break
        state['failures'].extend(failures)
        if failures:
            raise CivoError(
                failure_message('Not every old snapshot could be deleted (the new ones are complete).', failures)
            )
        if state['doomed']:
            return False
        state['phase'] = DONE
        return True

    def entry_of(self, snapshot):
        return next(entry for entry in self.run_state['entries'] if entry['instance_id'] == snapshot.get('instance_id'))

    # -- check mode: what a run would take and delete, from the plan's listings
    def predict(self):
        state = self.run_state
        run = dict(state['snapshots'])
        for entry in state['entries']:
            if entry['label'] not in run:
                run[entry['label']] = self.snapshots.predict(
                    entry['name'], self.target(entry), dict(safe=self.params['safe'])
                )
                self.changed = True
        state['snapshots'] = run
        if self.params['wait']:
            state['deleted'] = rotation(state['entries'], run, self.listing, self.params['keep'], assume_complete=True)
            self.changed = self.changed or bool(state['deleted'])
        state['phase'] = DONE

    # -- what the task returns
    def failure(self, entry, name, reason, api_error=None):
        failure = dict(name=name, instance=entry['label'], instance_id=entry['instance_id'], reason=reason)
        if api_error:
            failure['api_error'] = api_error
        return failure

    def report(self):
        state = self.run_state
        if state is None:
            return dict(taken=[], recent=[], deleted=[], failures=[], counts=counts([], [], [], []))
        recent_labels = set(state['recent'])
        run = [
            (entry['label'], state['snapshots'][entry['label']])
            for entry in state['entries']
            if entry['label'] in state['snapshots']
        ]
        taken = [snapshot for label, snapshot in run if label not in recent_labels]
        skipped = [snapshot for label, snapshot in run if label in recent_labels]
        result = dict(
            taken=taken,
            recent=skipped,
            deleted=state['deleted'],
            failures=state['failures'],
            counts=counts(taken, skipped, state['deleted'], state['failures']),
            timestamp=state['timestamp'],
        )
        if self.paused:
            result['next_step'] = dict(state=state, progress=self.progress())
        return result

    def progress(self):
        """Where the run is, for the line the action plugin shows between steps."""
        state = self.run_state
        statuses = [snapshot['status'] for snapshot in state['snapshots'].values()]
        pending = sum(1 for status in statuses if status in PENDING_STATUSES)
        ended = len(statuses) - statuses.count(COMPLETE) - pending  # failed or gone
        return dict(
            phase=state['phase'],
            instances=len(state['entries']),
            started=len(state['snapshots']),
            complete=statuses.count(COMPLETE),
            pending=pending,
            failed=len(state['failures']) + ended,
            to_delete=len(state['doomed'] or []),
            deleted=len(state['deleted']),
            seconds=time.time() - state['started_at'],
        )


def counts(taken, skipped, deleted, failures):
    return dict(taken=len(taken), skipped=len(skipped), deleted=len(deleted), failed=len(failures))


def main():
    CivoModule(ARGUMENT_SPEC, check_input=check_input, snapshot_api=BOTH_SNAPSHOT_APIS).run(FleetBackup)


if __name__ == '__main__':
    main()
