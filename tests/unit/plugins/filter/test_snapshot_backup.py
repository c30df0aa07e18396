# -*- coding: utf-8 -*-
# Copyright: (c) 2026, civo.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The snapshot_backup role's rules: plan and input check, instance resolution, min_interval, rotation, failure message."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime

import pytest

from ansible_collections.civo.cloud.plugins.filter import snapshot_backup as rules
from ansible_collections.civo.cloud.plugins.filter.snapshot_backup import (
    snapshot_backup_failures, snapshot_backup_plan, snapshot_backup_recent, snapshot_backup_rotation,
)

NOW = datetime.datetime(2026, 11, 29, 3, 0, 2, tzinfo=datetime.timezone.utc)
STAMP = '20261129T030002Z'
INSTANCES = [
    {'id': 'i-web-1', 'hostname': 'web-1'},
    {'id': 'i-web-2', 'hostname': 'web-2'},
    {'id': 'i-twin-a', 'hostname': 'twin'},
    {'id': 'i-twin-b', 'hostname': 'twin'},
]


def options(**changes):
    base = dict(instances=['web-1', 'web-2'], prefix='nightly', name_pattern='{prefix}-{hostname}-{timestamp}', keep=3,
                wait_timeout=1800, poll_interval=None, min_interval=None)
    base.update(changes)
    return base


def plan(listing=None, **changes):
    return snapshot_backup_plan(options(**changes), instances=INSTANCES if listing is None else listing, now=NOW)


def test_plan_names_every_instance_with_one_timestamp_and_resolves_it():
    result = plan()
    assert result['problems'] == []
    assert result['timestamp'] == STAMP
    assert result['deadline'] == NOW.timestamp() + 1800
    assert [(entry['name'], entry['instance_id'], entry['name_prefix']) for entry in result['entries']] == [
        ('nightly-web-1-' + STAMP, 'i-web-1', 'nightly-web-1-'), ('nightly-web-2-' + STAMP, 'i-web-2', 'nightly-web-2-')]


def test_numbers_as_strings_are_cast_as_before_ansible_core_2_19():
    result = plan(keep='2', wait_timeout='60', min_interval='20h')
    assert result['problems'] == [] and result['keep'] == 2 and result['min_interval_seconds'] == 72000


@pytest.mark.parametrize('value, warned', [(None, False), ('', False), (10, True), ('1', True)])
def test_poll_interval_is_a_deprecated_no_op_that_warns_once_when_set(monkeypatch, value, warned):
    deprecations = []
    monkeypatch.setattr(rules.Display, 'deprecated', lambda self, msg, **kwargs: deprecations.append((msg, kwargs)))
    checked = snapshot_backup_plan(options(poll_interval=value), now=NOW)
    resolved = snapshot_backup_plan(options(poll_interval=value), instances=INSTANCES, now=NOW)
    assert checked['problems'] == [] and resolved['problems'] == []
    assert len(deprecations) == (1 if warned else 0)
    if warned:
        assert 'snapshot_backup_poll_interval has no effect' in deprecations[0][0]
        assert deprecations[0][1] == {'version': '1.0.0', 'collection_name': 'civo.cloud'}


def test_the_instance_api_gets_label_names_with_a_lowercase_timestamp():
    result = plan(snapshot_api='instance')
    assert result['problems'] == []
    assert [entry['name'] for entry in result['entries']] == ['nightly-web-1-20261129t030002z', 'nightly-web-2-20261129t030002z']
    assert [entry['name_regex'] for entry in result['entries']][0] == r'^nightly\-web\-1\-[0-9]{8}t[0-9]{6}z$'
    backup = {'name': 'nightly-web-1-20261128t030002z', 'instance_id': 'i-web-1', 'status': 'complete'}
    assert rules._is_backup_of(result['entries'][0], backup)
    assert not rules._is_backup_of(plan()['entries'][0], backup)


@pytest.mark.parametrize('changes, words', [
    (dict(prefix='Nightly'), 'is not an RFC 1123 label'),
    (dict(prefix='night_ly'), 'is not an RFC 1123 label'),
    (dict(prefix='n' * 50), 'at most 63 are allowed'),
    (dict(snapshot_api='volume'), 'snapshot_backup_snapshot_api must be account or instance'),
])
def test_the_instance_api_names_are_checked_before_any_request(changes, words):
    problems = ' '.join(snapshot_backup_plan(options(snapshot_api=changes.pop('snapshot_api', 'instance'), **changes), now=NOW)['problems'])
    assert words in problems


def test_without_instances_only_the_input_is_checked():
    result = snapshot_backup_plan(options(instances='web-1, web-3'), now=NOW)
    assert result['problems'] == []
    assert [entry['instance_id'] for entry in result['entries']] == [None, None]


def test_every_problem_of_the_options_at_once():
    problems = ' '.join(plan(instances=[], keep=0, min_interval='20 hours', prefix='night ly', name_pattern='{prefix}/{hostname}',
                             wait_timeout='x')['problems'])
    for expected in ('snapshot_backup_instances is empty', 'snapshot_backup_keep must be at least 1',
                     "snapshot_backup_min_interval '20 hours' is not a duration", "snapshot_backup_prefix 'night ly' may only contain",
                     'must contain each of {prefix}, {hostname} and {timestamp} exactly once',
                     'besides {prefix}, {hostname} and {timestamp} it may only contain',
                     "snapshot_backup_wait_timeout must be a whole number, got 'x'"):
        assert expected in problems


def test_malformed_items_are_shown_as_given():
    result = plan(instances=['web-1', {'id': 'i-1'}, {'name': 'db-1', 'hostname': 'db-1'}, 'web 2', {'name': 'x', 'id': ' '}])
    assert result['entries'] == []
    assert result['problems'] == [
        "Each item of snapshot_backup_instances must be a hostname, or a dict with the keys name (used in the snapshot names; letters, "
        "digits, '.', '_' and '-') and, optionally, id (the instance ID). "
        'Not so: {"id": "i-1"}, {"name": "db-1", "hostname": "db-1"}, "web 2", {"name": "x", "id": " "}.']


@pytest.mark.parametrize('instances, expected', [
    (['web-1', 'web-2', 'web-3'], "No instance with hostname 'web-3' (4 instances looked at in region LON1)"),
    (['web-1', 'twin'], "Hostname 'twin' is ambiguous: 2 instances have it (i-twin-a, i-twin-b). Give the instance's ID instead."),
    (['web-1', {'name': 'web-one', 'id': 'i-web-1'}], 'web-1 and web-one are the same instance (i-web-1): give each instance only once.'),
    (['web-1', 'web-1'], 'Each instance must be given only once'),
    ([{'name': 'db-1', 'id': 'i-gone'}], "No instance with id 'i-gone' (given for db-1; 4 instances looked at in region LON1)."),
])
def test_unknown_ambiguous_and_duplicate_instances_are_problems(instances, expected):
    result = snapshot_backup_plan(options(instances=instances), instances=INSTANCES, region='LON1', now=NOW)
    assert any(expected in problem for problem in result['problems']), result['problems']


def test_an_id_item_keeps_its_label_and_gets_the_listed_hostname():
    entry = plan(instances=[{'name': 'twin-a', 'id': 'i-twin-a'}])['entries'][0]
    assert (entry['name'], entry['instance_id'], entry['hostname']) == ('nightly-twin-a-' + STAMP, 'i-twin-a', 'twin')


def test_names_longer_than_the_modules_allow():
    problems = plan(prefix='x' * 90)['problems']
    assert problems and 'characters long; at most 100' in problems[0]


def snap(name, instance_id='i-web-1', status='complete', hours_ago=1.0, **fields):
    requested = NOW - datetime.timedelta(hours=hours_ago)
    return dict(dict(name=name, instance_id=instance_id, status=status, cron_timing=None,
                     requested_at=requested.strftime('%Y-%m-%dT%H:%M:%S+00:00')), **fields)


def test_recent_counts_only_this_set_and_not_failed_ones():
    current = plan(instances=['web-1', 'web-2'], min_interval='20h')
    listing = [
        snap('nightly-web-1-20261128T070000Z', hours_ago=20.5),
        snap('nightly-web-1-20261128T220000Z', status='failed', hours_ago=5),
        snap('nightly-web-1-manual', hours_ago=1),
        snap('other-web-1-20261129T010000Z', hours_ago=2),
        snap('nightly-web-2-20261129T010000Z', instance_id='i-web-2', status='in-progress', hours_ago=2),
        snap('nightly-web-2-20261129T020000Z', instance_id='i-web-1', hours_ago=1),  # another instance's snapshot
    ]
    recent = snapshot_backup_recent(current, listing, now=NOW)
    assert [(entry['item']['label'], entry['snapshot']['name']) for entry in recent] == [('web-2', 'nightly-web-2-20261129T010000Z')]
    assert snapshot_backup_recent(plan(), listing, now=NOW) == []  # without min_interval, nothing is recent


def rotation_listing():
    return [
        snap('nightly-web-1-' + STAMP, hours_ago=0),
        snap('nightly-web-1-20261128T030000Z', hours_ago=24),
        snap('nightly-web-1-20261127T030000Z', hours_ago=48),
        snap('nightly-web-1-20261126T030000Z', hours_ago=72),
        snap('nightly-web-1-20261125T030000Z', status='failed', hours_ago=96),
        snap('nightly-web-1-20261124T030000Z', hours_ago=120, cron_timing='0 3 * * *'),
        snap('nightly-web-1-20261123T030000Z-keep', hours_ago=144),
        snap('nightly-web-1-20261122T030000Z', instance_id='i-web-2', hours_ago=168),
    ]


def test_rotation_keeps_the_run_snapshot_and_the_newest_others():
    current = plan(instances=['web-1'], keep=2)
    run = [snap('nightly-web-1-' + STAMP, hours_ago=0)]
    doomed = snapshot_backup_rotation(current, run, rotation_listing())
    assert [item['name'] for item in doomed] == ['nightly-web-1-20261127T030000Z', 'nightly-web-1-20261126T030000Z']


@pytest.mark.parametrize('run_status, run_names', [('in-progress', ['web-1']), ('failed', ['web-1']), ('complete', [])])
def test_rotation_deletes_nothing_unless_every_run_snapshot_is_complete(run_status, run_names):
    current = plan(instances=['web-1'], keep=1)
    listing = [dict(item, status=run_status) if item['name'].endswith(STAMP) else item for item in rotation_listing()]
    run = [snap('nightly-web-1-' + STAMP, hours_ago=0)] if run_names else []
    assert snapshot_backup_rotation(current, run, listing) == []


def test_rotation_in_check_mode_predicts_from_the_predicted_run():
    current = plan(instances=['web-1'], keep=3)
    run = [snap('nightly-web-1-' + STAMP, status='new', hours_ago=0)]
    listing = [item for item in rotation_listing() if not item['name'].endswith(STAMP)]
    doomed = snapshot_backup_rotation(current, run, listing, check_mode=True)
    assert [item['name'] for item in doomed] == ['nightly-web-1-20261126T030000Z']


def test_failures_name_the_snapshot_the_instance_and_the_reason():
    results = [
        {'failed': False, 'item': {'name': 'n-web-1', 'label': 'web-1'}},
        {'failed': True, 'item': {'name': 'n-web-2', 'label': 'web-2'},
         'msg': 'PUT /v2/snapshots/n-web-2: HTTP 403 (quota_limit): quota reached'},
        {'failed': True, 'snapshot': {'name': 'n-db-1', 'instance_id': 'i-db-1'}},
    ]
    assert snapshot_backup_failures(results, 'Could not start:') == (
        'Could not start: n-web-2 of web-2: PUT /v2/snapshots/n-web-2: HTTP 403 (quota_limit): quota reached. '
        'n-db-1 of i-db-1: failed, without a message.')
    assert snapshot_backup_failures(results[:1], 'Could not start:') == ''


def test_every_filter_is_registered():
    assert sorted(rules.FilterModule().filters()) == [
        'snapshot_backup_failures', 'snapshot_backup_plan', 'snapshot_backup_recent', 'snapshot_backup_rotation']
