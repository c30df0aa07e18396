# -*- coding: utf-8 -*-
# Copyright: (c) 2026, civo.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The rules of a fleet backup (civo_snapshot_backup and the role snapshot_backup): input, names, resolution,
min_interval, rotation and the failure message. Pure functions: no transport to replace."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime

import pytest

from ansible_collections.civo.cloud.plugins.module_utils import backup_rules as rules

NOW = datetime.datetime(2026, 11, 29, 3, 0, 2, tzinfo=datetime.timezone.utc)
STAMP = '20261129T030002Z'
INSTANCES = [
    {'id': 'i-web-1', 'hostname': 'web-1'},
    {'id': 'i-web-2', 'hostname': 'web-2'},
    {'id': 'i-twin-a', 'hostname': 'twin'},
    {'id': 'i-twin-b', 'hostname': 'twin'},
]


def params(**changes):
    """The module's parameters, as AnsibleModule hands them over (types converted, defaults filled)."""
    base = dict(
        instances=['web-1', 'web-2'],
        prefix='nightly',
        name_pattern=rules.DEFAULT_NAME_PATTERN,
        keep=3,
        wait_timeout=1800,
        min_interval=None,
        safe=False,
        snapshot_api='account',
    )
    base.update(changes)
    return base


def problems(**changes):
    current = params(**changes)
    return rules.input_problems(current, rules.run_timestamp(NOW, current['snapshot_api']))


def entries(listing=None, region=None, **changes):
    """The run's entries, resolved against the listing; asserts that nothing was wrong."""
    current = params(**changes)
    planned = rules.plan_entries(current, rules.run_timestamp(NOW, current['snapshot_api']))
    assert rules.resolve(planned, INSTANCES if listing is None else listing, region) == []
    return planned


def test_every_instance_is_named_with_one_timestamp_and_resolved():
    assert problems() == []
    assert [(entry['name'], entry['instance_id'], entry['hostname']) for entry in entries()] == [
        ('nightly-web-1-' + STAMP, 'i-web-1', 'web-1'),
        ('nightly-web-2-' + STAMP, 'i-web-2', 'web-2'),
    ]


def test_the_instance_api_gets_label_names_with_a_lowercase_timestamp():
    assert rules.run_timestamp(NOW, 'instance') == '20261129t030002z'
    planned = entries(snapshot_api='instance')
    assert [entry['name'] for entry in planned] == ['nightly-web-1-20261129t030002z', 'nightly-web-2-20261129t030002z']
    assert planned[0]['name_regex'] == r'^nightly\-web\-1\-[0-9]{8}t[0-9]{6}z$'
    backup = {'name': 'nightly-web-1-20261128t030002z', 'instance_id': 'i-web-1', 'status': 'complete'}
    assert rules.is_backup_of(planned[0], backup)
    assert not rules.is_backup_of(entries()[0], backup)


@pytest.mark.parametrize(
    'changes, words',
    [
        (dict(prefix='Nightly'), 'is not an RFC 1123 label'),
        (dict(prefix='night_ly'), 'is not an RFC 1123 label'),
        (dict(prefix='n' * 50), 'at most 63 are allowed'),
        (dict(safe=True), 'safe=true needs snapshot_api=account'),
    ],
)
def test_the_instance_api_rules_are_checked_before_any_request(changes, words):
    assert words in ' '.join(problems(snapshot_api='instance', **changes))
    assert problems(snapshot_api='account', **dict(changes, prefix='nightly')) == []


def test_every_problem_of_the_options_at_once():
    found = ' '.join(
        problems(
            instances=[],
            keep=0,
            min_interval='20 hours',
            prefix='night ly',
            name_pattern='{prefix}/{hostname}',
            wait_timeout=0,
        )
    )
    for expected in (
        'instances is empty',
        'keep must be at least 1',
        "min_interval '20 hours' is not a duration",
        "prefix 'night ly' may only contain",
        'must contain each of {prefix}, {hostname} and {timestamp} exactly once',
        'besides {prefix}, {hostname} and {timestamp} it may only contain',
        'wait_timeout must be at least 1',
    ):
        assert expected in found


def test_malformed_items_are_shown_as_given():
    malformed = [{'id': 'i-1'}, {'name': 'db-1', 'hostname': 'db-1'}, 'web 2', {'name': 'x', 'id': ' '}]
    assert problems(instances=['web-1'] + malformed) == [
        "Each item of instances must be a hostname, or a dict with the keys name (used in the snapshot names; letters, "
        "digits, '.', '_' and '-') and, optionally, id (the instance ID). "
        'Not so: {"id": "i-1"}, {"name": "db-1", "hostname": "db-1"}, "web 2", {"name": "x", "id": " "}.'
    ]


def test_names_longer_than_the_modules_allow():
    found = problems(prefix='x' * 90)
    assert found and 'characters long; at most 100' in found[0]


def test_the_same_instance_twice_by_name_or_id():
    assert 'Each instance must be given only once' in ' '.join(problems(instances=['web-1', 'web-1']))
    same_id = [{'name': 'a', 'id': 'i-1'}, {'name': 'b', 'id': 'i-1'}]
    assert 'Each instance must be given only once' in ' '.join(problems(instances=same_id))


@pytest.mark.parametrize(
    'instances, expected',
    [
        (['web-1', 'web-2', 'web-3'], "No instance with hostname 'web-3' (4 instances looked at in region LON1)"),
        (
            ['web-1', 'twin'],
            "Hostname 'twin' is ambiguous: 2 instances have it (i-twin-a, i-twin-b). Give the instance's ID instead.",
        ),
        (
            ['web-1', {'name': 'web-one', 'id': 'i-web-1'}],
            'web-1 and web-one are the same instance (i-web-1): give each instance only once.',
        ),
        (
            [{'name': 'db-1', 'id': 'i-gone'}],
            "No instance with id 'i-gone' (given for db-1; 4 instances looked at in region LON1).",
        ),
    ],
)
def test_unknown_ambiguous_and_repeated_instances_are_problems(instances, expected):
    planned = rules.plan_entries(params(instances=instances), STAMP)
    found = rules.resolve(planned, INSTANCES, 'LON1')
    assert any(expected in problem for problem in found), found


def test_every_resolution_problem_at_once():
    planned = rules.plan_entries(params(instances=['web-3', 'twin', {'name': 'x', 'id': 'i-gone'}]), STAMP)
    assert len(rules.resolve(planned, INSTANCES)) == 3


def test_an_id_item_keeps_its_label_and_gets_the_listed_hostname():
    entry = entries(instances=[{'name': 'twin-a', 'id': 'i-twin-a'}])[0]
    assert (entry['name'], entry['instance_id'], entry['hostname']) == ('nightly-twin-a-' + STAMP, 'i-twin-a', 'twin')


def snap(name, instance_id='i-web-1', status='complete', hours_ago=1.0, **fields):
    requested = NOW - datetime.timedelta(hours=hours_ago)
    return dict(
        dict(
            name=name,
            instance_id=instance_id,
            status=status,
            cron_timing=None,
            requested_at=requested.strftime('%Y-%m-%dT%H:%M:%S+00:00'),
        ),
        **fields,
    )


def test_recent_counts_only_this_set_and_not_failed_ones():
    listing = [
        snap('nightly-web-1-20261128T070000Z', hours_ago=20.5),
        snap('nightly-web-1-20261128T220000Z', status='failed', hours_ago=5),
        snap('nightly-web-1-manual', hours_ago=1),
        snap('other-web-1-20261129T010000Z', hours_ago=2),
        snap('nightly-web-2-20261129T010000Z', instance_id='i-web-2', status='in-progress', hours_ago=2),
        snap('nightly-web-2-20261129T020000Z', instance_id='i-web-1', hours_ago=1),  # another instance's snapshot
    ]
    found = rules.recent(entries(), listing, 20 * 3600, now=NOW)
    assert [(label, snapshot['name']) for label, snapshot in found.items()] == [
        ('web-2', 'nightly-web-2-20261129T010000Z')
    ]
    assert rules.recent(entries(), listing, 0, now=NOW) == {}  # without min_interval, nothing is recent


def test_a_backup_of_unknown_age_is_not_recent():
    listing = [snap('nightly-web-1-20261129T010000Z', requested_at=None)]
    assert rules.recent(entries(), listing, 20 * 3600, now=NOW) == {}


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
    run = {'web-1': snap('nightly-web-1-' + STAMP, hours_ago=0)}
    doomed = rules.rotation(entries(instances=['web-1']), run, rotation_listing(), keep=2)
    assert [item['name'] for item in doomed] == ['nightly-web-1-20261127T030000Z', 'nightly-web-1-20261126T030000Z']


@pytest.mark.parametrize('run_status, with_run', [('in-progress', True), ('failed', True), ('complete', False)])
def test_rotation_deletes_nothing_unless_every_run_snapshot_is_complete(run_status, with_run):
    listing = [dict(item, status=run_status) if item['name'].endswith(STAMP) else item for item in rotation_listing()]
    run = {'web-1': snap('nightly-web-1-' + STAMP, hours_ago=0)} if with_run else {}
    assert rules.rotation(entries(instances=['web-1']), run, listing, keep=1) == []


def test_rotation_deletes_nothing_when_a_run_snapshot_is_not_listed():
    listing = [item for item in rotation_listing() if not item['name'].endswith(STAMP)]
    run = {'web-1': snap('nightly-web-1-' + STAMP, hours_ago=0)}
    assert rules.rotation(entries(instances=['web-1']), run, listing, keep=1) == []


def test_rotation_in_check_mode_predicts_from_the_predicted_run():
    run = {'web-1': snap('nightly-web-1-' + STAMP, status='new', hours_ago=0)}
    listing = [item for item in rotation_listing() if not item['name'].endswith(STAMP)]
    doomed = rules.rotation(entries(instances=['web-1']), run, listing, keep=3, assume_complete=True)
    assert [item['name'] for item in doomed] == ['nightly-web-1-20261126T030000Z']


def test_the_failure_message_names_each_snapshot_its_instance_and_the_reason():
    failures = [
        {
            'name': 'n-web-2',
            'instance': 'web-2',
            'reason': 'PUT /v2/snapshots/n-web-2: HTTP 403 (quota_limit): quota reached',
        },
        {
            'name': 'n-db-1',
            'instance': 'db-1',
            'reason': "Snapshot 'n-db-1' ended with status 'failed' instead of complete. ",
        },
    ]
    assert rules.failure_message('Could not start.', failures) == (
        'Could not start. n-web-2 of web-2: PUT /v2/snapshots/n-web-2: HTTP 403 (quota_limit): quota reached. '
        "n-db-1 of db-1: Snapshot 'n-db-1' ended with status 'failed' instead of complete."
    )
