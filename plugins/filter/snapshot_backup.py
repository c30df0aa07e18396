# -*- coding: utf-8 -*-
# Copyright: (c) 2026, civo.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The rules of the snapshot_backup role: its plan, which backups are recent, which to delete, and its failure message.

The role's tasks only send requests (through the modules) and pass what they registered to these filters. The rules
themselves (names, durations, statuses, timestamps, instance lookup) are the ones the modules use, from module_utils.
Documented in the YAML files beside this one (one per filter).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime
import json
import re

from ansible.errors import AnsibleFilterError
from ansible.utils.display import Display

from ansible_collections.civo.cloud.plugins.module_utils.errors import LookupFailed
from ansible_collections.civo.cloud.plugins.module_utils.instances import match_hostname
from ansible_collections.civo.cloud.plugins.module_utils.input_rules import NAME_PATTERN, label_name_problem, name_problem, parse_duration
from ansible_collections.civo.cloud.plugins.module_utils.snapshots import (
    COMPLETE, PENDING_STATUSES, age_seconds, newest_first,
)

PLACEHOLDERS = ('{prefix}', '{hostname}', '{timestamp}')
# The run's time in snapshot names: UTC, and only characters that names allow.
TIMESTAMP_FORMAT = '%Y%m%dT%H%M%SZ'
TIMESTAMP_REGEX = '[0-9]{8}T[0-9]{6}Z'
# snapshot_api=instance: names are RFC 1123 labels (lowercase), so the timestamp in them is lowercase too.
LABEL_TIMESTAMP_REGEX = '[0-9]{8}t[0-9]{6}z'
# Besides the placeholders, a name pattern holds what names hold. An empty rest is fine ('{prefix}{hostname}{timestamp}').
PATTERN_TEXT = re.compile(r'^[A-Za-z0-9._-]*$')
ITEM_NAME = re.compile(r'^[A-Za-z0-9._-]+$')
DURATION_HINT = 'use a positive number followed by s, m, h, d or w, or a combination such as 1d12h (for example 20h)'


def _integer(options, key, minimum, problems, why):
    """options[key] as an int; before ansible-core 2.19 templated numbers arrive as strings."""
    value = options.get(key)
    try:
        number = int(value)
    except (TypeError, ValueError):
        problems.append('snapshot_backup_%s must be a whole number, got %r.' % (key, value))
        return None
    if number < minimum:
        problems.append('snapshot_backup_%s must be at least %d (%s), got %d.' % (key, minimum, why, number))
    return number


def _items(instances):
    """snapshot_backup_instances as a list: a comma-separated string is what the argument spec's list type accepts too."""
    if isinstance(instances, str):
        return [item.strip() for item in instances.split(',') if item.strip()]
    return list(instances or [])


def _item_label_and_id(item):
    """(label, id) of a well-formed item of snapshot_backup_instances, else None."""
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
        problems.append("snapshot_backup_name_pattern '%s' must contain each of {prefix}, {hostname} and {timestamp} exactly once." % pattern)
    rest = pattern
    for placeholder in PLACEHOLDERS:
        rest = rest.replace(placeholder, '')
    if not PATTERN_TEXT.match(rest):
        problems.append("snapshot_backup_name_pattern '%s': besides {prefix}, {hostname} and {timestamp} it may only contain letters, "
                        "digits, '.', '_' and '-'." % pattern)
    return problems


def _entry(pattern, prefix, label, instance_id, timestamp, labels):
    """One instance of the plan: its run snapshot's name and what marks the snapshots of its backup set.

    labels: names must be RFC 1123 labels (snapshot_api=instance), so the timestamp is written in lowercase.
    """
    head = pattern.replace('{prefix}', prefix).replace('{hostname}', label)
    return {
        'label': label,
        'id': instance_id,
        'instance_id': instance_id,
        'name': head.replace('{timestamp}', timestamp.lower() if labels else timestamp),
        # What civo_snapshot_info can filter on, and the exact rule: this prefix and label and any timestamp.
        'name_prefix': head.split('{timestamp}')[0],
        'name_regex': '^%s$' % re.escape(head).replace(re.escape('{timestamp}'), LABEL_TIMESTAMP_REGEX if labels else TIMESTAMP_REGEX),
    }


def _resolve(entries, instances, region):
    """Set instance_id (and hostname) of every entry from the listing; the problems (unknown, ambiguous, twice)."""
    problems, given_as = [], {}
    hostnames = dict((item.get('id'), item.get('hostname')) for item in instances)
    for entry in entries:
        if entry['id']:
            if entry['id'] not in hostnames:
                problems.append("No instance with id '%s' (given for %s; %d instances looked at%s)." % (
                    entry['id'], entry['label'], len(instances), ' in region %s' % region if region else ''))
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
            problems.append('%s are the same instance (%s): give each instance only once.' % (' and '.join(labels), instance_id))
    return problems


def snapshot_backup_plan(options, instances=None, timestamp=None, region=None, now=None):
    """The role's options -> {problems, entries, timestamp, deadline, min_interval_seconds, keep, ...}.

    Without instances only the input is checked (no request needed); with the instance listing every instance is
    resolved too. Every problem is reported, not only the first.
    """
    if not isinstance(options, dict):
        raise AnsibleFilterError('snapshot_backup_plan expects a dict of the role options, got %s.' % type(options).__name__)
    now = now or datetime.datetime.now(datetime.timezone.utc)
    timestamp = timestamp or now.strftime(TIMESTAMP_FORMAT)
    problems = []
    items = _items(options.get('instances'))
    if not items:
        problems.append('snapshot_backup_instances is empty; give at least one instance.')
    prefix = '' if options.get('prefix') is None else str(options['prefix'])
    if not NAME_PATTERN.match(prefix):
        problems.append("snapshot_backup_prefix '%s' may only contain letters, digits, '.', '_' and '-', and must start with a letter "
                        "or digit." % prefix)
    pattern = str(options.get('name_pattern') or '{prefix}-{hostname}-{timestamp}')
    problems.extend(_pattern_problems(pattern))
    keep = _integer(options, 'keep', 1, problems, 'the snapshot just taken is always kept')
    wait_timeout = _integer(options, 'wait_timeout', 1, problems, 'seconds')
    if options.get('poll_interval') not in (None, '') and instances is None:
        # Only on the first call of a run (the input check), so that the warning is given once.
        Display().deprecated('snapshot_backup_poll_interval has no effect: the wait polls on the schedule of civo.cloud.civo_snapshot. '
                             'Remove it from the role\'s variables.', version='1.0.0', collection_name='civo.cloud')
    snapshot_api = options.get('snapshot_api') or 'account'
    if snapshot_api not in ('account', 'instance'):
        problems.append("snapshot_backup_snapshot_api must be account or instance, got '%s'." % snapshot_api)
    labels = snapshot_api == 'instance'
    min_interval = options.get('min_interval')
    min_interval_seconds = 0
    if min_interval not in (None, ''):
        min_interval_seconds = parse_duration(str(min_interval))
        if min_interval_seconds is None:
            problems.append("snapshot_backup_min_interval '%s' is not a duration: %s." % (min_interval, DURATION_HINT))

    malformed = [item for item in items if _item_label_and_id(item) is None]
    entries = []
    if malformed:
        problems.append("Each item of snapshot_backup_instances must be a hostname, or a dict with the keys name (used in the snapshot "
                        "names; letters, digits, '.', '_' and '-') and, optionally, id (the instance ID). Not so: %s." %
                        ', '.join(json.dumps(item, default=str) for item in malformed))
    elif not problems:
        # Names are only worked out from well-formed options and items.
        entries = [_entry(pattern, prefix, label, instance_id, timestamp, labels)
                   for label, instance_id in (_item_label_and_id(item) for item in items)]
        problems.extend(_names_problems(entries, labels))
        if instances is not None and not problems:
            problems.extend(_resolve(entries, instances, region))

    return {
        'problems': problems,
        'entries': entries,
        'timestamp': timestamp,
        'keep': keep,
        'min_interval_seconds': min_interval_seconds or 0,
        # The wait of the whole run ends at the same time, however many instances it waits for.
        'deadline': (now.timestamp() + wait_timeout) if wait_timeout else None,
    }


def _names_problems(entries, labels):
    problems = []
    for name in (entry['name'] for entry in entries):
        if labels:
            problem = label_name_problem(name)
            hint = ('With snapshot_backup_snapshot_api=instance use a lowercase prefix, pattern and instance names with only '
                    "'-' between words, at most 63 characters in all.")
        else:
            problem = name_problem(name)
            hint = 'Shorten the prefix or the pattern.'
        if problem:
            problems.append('Snapshot name %s: %s %s' % (name, problem, hint))
    names = [entry['name'] for entry in entries]
    ids = [entry['id'] for entry in entries if entry['id']]
    if len(set(names)) != len(names) or len(set(ids)) != len(ids):
        problems.append('Each instance must be given only once, and the snapshot names must be unique: %s.' % ', '.join(names))
    return problems


def _is_backup_of(entry, snapshot):
    """Whether the snapshot belongs to the entry's backup set: its instance, and its whole name follows the pattern."""
    return (snapshot.get('instance_id') == entry['instance_id'] and not snapshot.get('cron_timing')
            and re.match(entry['name_regex'], snapshot.get('name') or '') is not None)


def snapshot_backup_recent(plan, snapshots, now=None):
    """The entries whose newest backup (complete or still being taken) is younger than min_interval, with that backup.

    A backup whose age cannot be told is not recent; failed ones do not count.
    """
    seconds = plan.get('min_interval_seconds') or 0
    recent = []
    if not seconds:
        return recent
    for entry in plan['entries']:
        backups = [snapshot for snapshot in snapshots or [] if _is_backup_of(entry, snapshot)
                   and snapshot.get('status') in PENDING_STATUSES + (COMPLETE,)]
        newest = newest_first(backups)[:1]
        age = age_seconds(newest[0], now) if newest else None
        if age is not None and age < seconds:
            recent.append({'item': entry, 'snapshot': newest[0]})
    return recent


def snapshot_backup_rotation(plan, run, snapshots, check_mode=False):
    """The snapshots to delete: per instance, its complete backups beyond keep (the run's snapshot counts as one).

    Nothing at all unless every instance of the plan has a run snapshot that is complete in the listing (in check mode:
    that would be taken). Worked out from the results rather than trusting that a failure stopped the role: a caller may
    have set ignore_errors on it. Snapshots of the run, still being taken, failed or scheduled are neither counted nor deleted.
    """
    run = list(run or [])
    snapshots = list(snapshots or [])
    run_names = set(snapshot.get('name') for snapshot in run)
    status = dict((snapshot.get('name'), snapshot.get('status')) for snapshot in snapshots)
    covered = set(snapshot.get('instance_id') for snapshot in run)
    if any(entry['instance_id'] not in covered for entry in plan['entries']):
        return []
    if not check_mode and any(status.get(name) != COMPLETE for name in run_names):
        return []
    keep = int(plan['keep'])
    doomed = []
    for entry in plan['entries']:
        older = [snapshot for snapshot in snapshots if _is_backup_of(entry, snapshot) and snapshot.get('status') == COMPLETE
                 and snapshot.get('name') not in run_names]
        doomed.extend(newest_first(older)[keep - 1:])
    return doomed


def snapshot_backup_failures(results, what, plan=None):
    """One message for the failed items of a loop the role ran with ignore_errors: which snapshot, which instance, why."""
    labels = dict((entry['instance_id'], entry['label']) for entry in (plan or {}).get('entries', []))
    reasons = []
    for result in results or []:
        if not result.get('failed'):
            continue
        item = result.get('item') or {}
        snapshot = result.get('snapshot') or {}
        name = item.get('name') or snapshot.get('name') or '?'
        instance_id = item.get('instance_id') or snapshot.get('instance_id')
        instance = (item.get('label') or labels.get(instance_id) or item.get('hostname') or snapshot.get('hostname')
                    or instance_id or '?')
        reasons.append('%s of %s: %s' % (name, instance, (result.get('msg') or 'failed, without a message').strip()))
    if not reasons:
        return ''
    return '%s %s' % (what, ' '.join(reason if reason.endswith('.') else reason + '.' for reason in reasons))


class FilterModule(object):
    def filters(self):
        return {
            'snapshot_backup_plan': snapshot_backup_plan,
            'snapshot_backup_recent': snapshot_backup_recent,
            'snapshot_backup_rotation': snapshot_backup_rotation,
            'snapshot_backup_failures': snapshot_backup_failures,
        }
