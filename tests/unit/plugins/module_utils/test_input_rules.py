# -*- coding: utf-8 -*-
# Copyright: (c) 2026, civo.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""input_rules.py: the rules every module and the snapshot_backup role check before the first request."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.civo.cloud.plugins.module_utils import input_rules as rules


# Durations


@pytest.mark.parametrize(
    'text, seconds',
    [('90s', 90), ('30m', 1800), ('12h', 43200), ('7d', 604800), ('2w', 1209600), ('1d12h', 129600), (' 5M ', 300)],
)
def test_durations(text, seconds):
    assert rules.parse_duration(text) == seconds


@pytest.mark.parametrize('text', ['', '0s', '12', 'h', '-5m', '1.5h', '5 m', '3x', None])
def test_malformed_durations(text):
    assert rules.parse_duration(text) is None


def test_duration_problem_names_the_option_and_passes_what_is_not_set():
    assert rules.duration_problem('max_age', 'soon').startswith("max_age 'soon' is not a duration")
    assert rules.duration_problem('max_age', None) is None and rules.duration_problem('max_age', '1h') is None


# Cron


@pytest.mark.parametrize(
    'cron', ['0 3 * * *', '*/15 * * * *', '0 0 1,15 * MON-FRI', '5 4 * JAN-MAR 0', '0-59/5 0-23 1-31 1-12 0-7']
)
def test_valid_cron(cron):
    assert rules.cron_problem(cron) is None


@pytest.mark.parametrize(
    'cron',
    [
        '',
        '* * * *',
        '* * * * * *',
        '60 * * * *',
        '* 24 * * *',
        '* * 0 * *',
        '* * * 13 *',
        '* * * * 8',
        '*/0 * * * *',
        '5-1 * * * *',
        'a b c d e',
        '@daily',
        '1-2-3 * * * *',
    ],
)
def test_malformed_cron(cron):
    assert rules.cron_problem(cron)


def test_cron_problem_names_the_option():
    assert rules.cron_problem('bad', option='cron_expression').startswith("cron_expression 'bad'")
    assert rules.cron_problem('bad').startswith("cron_timing 'bad'")


@pytest.mark.parametrize(
    'expression, gap',
    [
        ('*/5 * * * *', 5),
        ('* * * * *', 1),
        ('0,5 * * * *', 5),
        ('0,59 * * * *', 1),
        ('0,55 0,23 * * *', 5),  # 23:55 and 00:00 the next day
        ('0,55 0,23 1,2 * *', 5),  # 1st 23:55, 2nd 00:00
        ('0,55 0,23 31 1 1', 5),
        ('0,55 0,23 1 * *', 5),  # one day a month, but counted as the API does: day fields are not looked at
        ('0,55 0,23 * * 1', 5),
    ],
)
def test_cron_interval_rule_finds_the_closest_runs(expression, gap):
    assert rules.cron_problem(expression, option='cron_expression') is None
    problem = rules.cron_interval_problem(expression)
    assert problem and ('only %d minute' % gap) in problem and 'at least 10 minutes apart' in problem


@pytest.mark.parametrize(
    'expression',
    [
        '*/10 * * * *',
        '0 3 * * *',
        '0 * * * *',
        '5/10 * * * *',
        '0-5/10 * * * *',
        '55 23 * * *',
        '0 3 * * 0,7',
        '0 0,12 * * *',
        '50 23 * * *',
    ],
)
def test_cron_interval_rule_allows_ten_minutes_and_more(expression):
    assert rules.cron_problem(expression, option='cron_expression') is None
    assert rules.cron_interval_problem(expression) is None


@pytest.mark.parametrize('value, ok', [(0, False), (1, True), (10, True), (11, False), (None, False), (-3, False)])
def test_max_snapshots_range(value, ok):
    assert (rules.max_snapshots_problem(value) is None) is ok


# Names


@pytest.mark.parametrize('name', ['web-1', 'a', 'db_1.nightly-20261129T0300Z', 'x' * 100])
def test_valid_names(name):
    assert rules.name_problem(name) is None


@pytest.mark.parametrize('name', ['', 'a/b', '-lead', 'sp ace', 'tab\there', 'new\nline', 'x' * 101, 'ünï'])
def test_invalid_names(name):
    assert rules.name_problem(name)


def test_a_name_with_control_characters_is_shown_escaped():
    assert "'new\\nline'" in rules.name_problem('new\nline')


@pytest.mark.parametrize(
    'name, ok',
    [
        ('web-1-nightly', True),
        ('a', True),
        ('0', True),
        ('a' * 63, True),
        ('a' * 64, False),
        ('Web-1', False),
        ('web_1', False),
        ('web.1', False),
        ('-web', False),
        ('web-', False),
        ('', False),
        ('web 1', False),
        ('wéb', False),
    ],
)
def test_the_rfc_1123_label_rule(name, ok):
    assert (rules.label_name_problem(name) is None) is ok


# Host names and addresses (civo_snapshot_restore)


@pytest.mark.parametrize('hostname', ['web-1', 'web-1.example.com', 'A1', 'x' * 63])
def test_good_hostnames(hostname):
    assert rules.hostname_problem(hostname) is None


@pytest.mark.parametrize('hostname', ['', ' ', '-web', 'web-', 'web_1', 'a..b', 'x' * 64, 'web 1', 'w\u00e9b'])
def test_bad_hostnames(hostname):
    assert rules.hostname_problem(hostname, 'hostname').startswith('hostname')


@pytest.mark.parametrize('address, ok', [('10.0.0.5', True), ('10.0.0.256', False), ('::1', False), ('web', False)])
def test_private_ipv4(address, ok):
    assert (rules.ipv4_problem(address, 'private_ipv4') is None) is ok


def test_empty_filters_names_the_blank_ones_and_passes_what_is_not_set():
    params = {'name': '', 'instance': '  ', 'instance_id': None, 'name_prefix': 'web-'}
    assert rules.empty_filters(params, ['name', 'name_prefix', 'instance_id', 'instance']) == ['name', 'instance']
    assert rules.empty_filters(params, ['instance_id', 'name_prefix']) == []
