# -*- coding: utf-8 -*-
# Copyright: (c) 2026, civo.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The rules of a fleet backup (civo_snapshot_backup, and through it the role snapshot_backup): its input, the names of
its snapshots, which instances it resolves to, which backups are recent, which to delete, and its failure message.

Pure functions of what the API listed: no requests. An *entry* is one instance of the run, a plain dict (it travels
between the module runs of one backup): ``label`` (its name in snapshot names), ``id`` (as given, or None),
``instance_id`` and ``hostname`` (once resolved), ``name`` (of the run's snapshot) and ``name_regex`` (what marks the
snapshots of its backup set).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import re

from ansible_collections.civo.cloud.plugins.module_utils.errors import LookupFailed
from ansible_collections.civo.cloud.plugins.module_utils.input_rules import (
    NAME_PATTERN,
    duration_problem,
    label_name_problem,
    name_problem,
    safe_problem,
)
from ansible_collections.civo.cloud.plugins.module_utils.instances import in_region, match_hostname
from ansible_collections.civo.cloud.plugins.module_utils.snapshots import (
    COMPLETE,
    PENDING_STATUSES,
    age_seconds,
    newest_first,
)

DEFAULT_NAME_PATTERN = '{prefix}-{hostname}-{timestamp}'
PLACEHOLDERS = ('{prefix}', '{hostname}', '{timestamp}')
# The run's time in snapshot names: UTC, and only characters that names allow.
TIMESTAMP_FORMAT = '%Y%m%dT%H%M%SZ'
TIMESTAMP_REGEX = '[0-9]{8}T[0-9]{6}Z'
# snapshot_api=instance: names are RFC 1123 labels (lowercase), so the timestamp in them is lowercase too.
LABEL_TIMESTAMP_REGEX = '[0-9]{8}t[0-9]{6}z'
# Besides the placeholders, a name pattern holds what names hold. An empty rest is fine:
# '{prefix}{hostname}{timestamp}'.
PATTERN_TEXT = re.compile(r'^[A-Za-z0-9._-]*$')
ITEM_NAME = re.compile(r'^[A-Za-z0-9._-]+$')


def run_timestamp(now, snapshot_api):
    """The timestamp of a run started at `now` (an aware UTC datetime), as it goes into the names of that API."""
    stamp = now.strftime(TIMESTAMP_FORMAT)
    return stamp.lower() if snapshot_api == 'instance' else stamp


# -- the input -------------------------------------------------------------------------------------------------------


def input_problems(params, timestamp):
    """Every problem of the options (the module's parameters), checked before any request; [] when they are usable.

    timestamp: any timestamp of the run's form (names are checked with it; the run's own is only known when it starts).
    """
    problems = []
    items = params['instances'] or []
    if not items:
        problems.append('instances is empty; give at least one instance.')
    if not NAME_PATTERN.match(params['prefix'] or ''):
        problems.append(
            "prefix '%s' may only contain letters, digits, '.', '_' and '-', and must start with a letter "
            'or digit.' % params['prefix']
        )
    problems.extend(_pattern_problems(params['name_pattern']))
    if params['keep'] < 1:
        problems.append('keep must be at least 1 (the snapshot just taken is always kept), got %d.' % params['keep'])
    if params['wait_timeout'] < 1:
        problems.append('wait_timeout must be at least 1 (seconds), got %d.' % params['wait_timeout'])
    problems.append(duration_problem('min_interval', params['min_interval']))
    problems.append(safe_problem(params['safe'], params['snapshot_api']))
    problems = [problem for problem in problems if problem]

    malformed = [item for item in items if _label_and_id(item) is None]
    if malformed:
        problems.append(
            "Each item of instances must be a hostname, or a dict with the keys name (used in the snapshot "
            "names; letters, digits, '.', '_' and '-') and, optionally, id (the instance ID). Not so: %s."
            % ', '.join(json.dumps(item, default=str) for item in malformed)
        )
    elif not problems:
        # Names are only worked out from well-formed options and items.
        problems.extend(_names_problems(plan_entries(params, timestamp), params['snapshot_api'] == 'instance'))
    return problems


def _label_and_id(item):
    """(label, id) of a well-formed item of instances, else None."""
    if isinstance(item, str):
        return (item, None) if ITEM_NAME.match(item) else None
    if not isinstance(item, dict) or set(item) - {'name', 'id'}:
        return None
    label, instance_id = item.get('name'), item.get('id')
    if not isinstance(label, str) or not ITEM_NAME.match(label):
        return None
    if instance_id is None:
        return label, None
    if not isinstance(instance_id, str) or not instance_id.strip():
        return None
    return label, instance_id.strip()


def _pattern_problems(pattern):
    problems = []
    if any(pattern.count(placeholder) != 1 for placeholder in PLACEHOLDERS):
        problems.append(
            "name_pattern '%s' must contain each of {prefix}, {hostname} and {timestamp} exactly once." % pattern
        )
    rest = pattern
    for placeholder in PLACEHOLDERS:
        rest = rest.replace(placeholder, '')
    if not PATTERN_TEXT.match(rest):
        problems.append(
            "name_pattern '%s': besides {prefix}, {hostname} and {timestamp} it may only contain letters, "
            "digits, '.', '_' and '-'." % pattern
        )
    return problems


def _names_problems(entries, labels):
    problems = []
    for name in (entry['name'] for entry in entries):
        if labels:
            problem = label_name_problem(name)
            hint = (
                "With snapshot_api=instance use a lowercase prefix, pattern and instance names with only '-' "
                'between words, at most 63 characters in all.'
            )
        else:
            problem = name_problem(name)
            hint = 'Shorten the prefix or the pattern.'
        if problem:
            problems.append('Snapshot name %s: %s %s' % (name, problem, hint))
    names = [entry['name'] for entry in entries]
    ids = [entry['id'] for entry in entries if entry['id']]
    if len(set(names)) != len(names) or len(set(ids)) != len(ids):
        problems.append(
            'Each instance must be given only once, and the snapshot names must be unique: %s.' % ', '.join(names)
        )
    return problems


# -- the plan --------------------------------------------------------------------------------------------------------


def plan_entries(params, timestamp):
    """One entry per item of instances, in the order given, named for the run at `timestamp` (the input is usable)."""
    labels = params['snapshot_api'] == 'instance'
    return [
        _entry(params['name_pattern'], params['prefix'], label, instance_id, timestamp, labels)
        for label, instance_id in (_label_and_id(item) for item in params['instances'])
    ]


def _entry(pattern, prefix, label, instance_id, timestamp, labels):
    head = pattern.replace('{prefix}', prefix).replace('{hostname}', label)
    regex = re.escape(head).replace(re.escape('{timestamp}'), LABEL_TIMESTAMP_REGEX if labels else TIMESTAMP_REGEX)
    return dict(
        label=label,
        id=instance_id,
        instance_id=instance_id,
        hostname=None,
        name=head.replace('{timestamp}', timestamp),
        name_regex='^%s$' % regex,
    )


def resolve(entries, instances, region=None):
    """Set instance_id and hostname of every entry from the instance listing; return the problems (an instance unknown,
    ambiguous or given twice)."""
    problems, given_as = [], {}
    hostnames = dict((item.get('id'), item.get('hostname')) for item in instances)
    for entry in entries:
        if entry['id']:
            if entry['id'] not in hostnames:
                problems.append(
                    "No instance with id '%s' (given for %s; %d instances looked at%s)."
                    % (entry['id'], entry['label'], len(instances), in_region(region))
                )
                continue
            entry['hostname'] = hostnames[entry['id']]
        else:
            try:
                entry['instance_id'] = match_hostname(instances, entry['label'], region)['id']
            except LookupFailed as e:
                problems.append(str(e))
                continue
            entry['hostname'] = entry['label']
        given_as.setdefault(entry['instance_id'], []).append(entry['label'])
    for instance_id, labels in sorted(given_as.items()):
        if len(labels) > 1:
            problems.append(
                '%s are the same instance (%s): give each instance only once.' % (' and '.join(labels), instance_id)
            )
    return problems


def is_backup_of(entry, snapshot):
    """Whether the snapshot belongs to the entry's backup set: of its instance, not scheduled, and its whole name
    follows the pattern with this prefix and label and some timestamp."""
    return (
        snapshot.get('instance_id') == entry['instance_id']
        and not snapshot.get('cron_timing')
        and re.match(entry['name_regex'], snapshot.get('name') or '') is not None
    )


def recent(entries, snapshots, min_interval_seconds, now=None):
    """{label: snapshot}: the entries whose newest backup (complete or still being taken) is younger than min_interval.

    A backup whose age cannot be told is not recent; failed ones do not count.
    """
    found = {}
    if not min_interval_seconds:
        return found
    for entry in entries:
        backups = [
            snapshot
            for snapshot in snapshots
            if is_backup_of(entry, snapshot) and snapshot.get('status') in PENDING_STATUSES + (COMPLETE,)
        ]
        newest = newest_first(backups)[:1]
        age = age_seconds(newest[0], now) if newest else None
        if age is not None and age < min_interval_seconds:
            found[entry['label']] = newest[0]
    return found


def rotation(entries, run, snapshots, keep, assume_complete=False):
    """The snapshots to delete: per entry, its complete backups beyond keep (its run snapshot counts as one).

    run: {label: the run's snapshot of that entry}, taken now or recent enough to stand in for a new one. Nothing at
    all unless every entry has one and it is complete in `snapshots` (assume_complete: it would be, for check mode).
    The run's snapshots, those still being taken, failed or scheduled are neither counted nor deleted.
    """
    if any(entry['label'] not in run for entry in entries):
        return []
    run_names = set(snapshot['name'] for snapshot in run.values())
    if not assume_complete:
        status = dict(
            (snapshot.get('name'), snapshot.get('status'))
            for snapshot in snapshots
            if snapshot.get('name') in run_names
        )
        if any(status.get(name) != COMPLETE for name in run_names):
            return []
    doomed = []
    for entry in entries:
        older = [
            snapshot
            for snapshot in snapshots
            if is_backup_of(entry, snapshot)
            and snapshot.get('status') == COMPLETE
            and snapshot.get('name') not in run_names
        ]
        doomed.extend(newest_first(older)[keep - 1 :])
    return doomed


# -- reporting -------------------------------------------------------------------------------------------------------


def failure_message(why, failures):
    """One message for the snapshots that failed: why the run stopped, then each snapshot, its instance and the reason.

    failures: dicts with name, instance (its label) and reason.
    """
    reasons = [
        '%s of %s: %s' % (failure['name'], failure['instance'], failure['reason'].strip()) for failure in failures
    ]
    return ' '.join([why] + [reason if reason.endswith('.') else reason + '.' for reason in reasons])
