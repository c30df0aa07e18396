# -*- coding: utf-8 -*-
# Copyright: (c) 2026, civo.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The input rules every civo.cloud module and the snapshot_backup role check before the first request.

Each ``*_problem`` function returns why a value is unusable, as a sentence for the user, or None;
the module skeleton (module.py) ends the module with all of them at once, before any request.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ipaddress
import re

NAME_MAX_LENGTH = 100
NAME_PATTERN = re.compile(r'^[A-Za-z0-9][A-Za-z0-9._-]*$')
# Names of the per-instance snapshot API (snapshot_api=instance): an RFC 1123 label, as Civo's API pages demand.
LABEL_MAX_LENGTH = 63
LABEL_PATTERN = re.compile(r'^[a-z0-9]([a-z0-9-]*[a-z0-9])?$')
DURATION_PATTERN = re.compile(r'^(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$')
DURATION_UNITS = (7 * 86400, 86400, 3600, 60, 1)
# RFC 1123 host names: dot-separated labels of letters, digits and '-', not starting or ending with '-'.
HOSTNAME_LABEL = r'[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?'
HOSTNAME_PATTERN = re.compile(r'^%s(?:\.%s)*$' % (HOSTNAME_LABEL, HOSTNAME_LABEL))
HOSTNAME_MAX_LENGTH = 253


def empty_filters(params, options):
    """The filter options given as empty or blank strings, in the order of ``options``."""
    # An empty filter is nearly always a variable that did not template; listing everything instead would be a trap.
    return [option for option in options if params.get(option) is not None and not params[option].strip()]


def name_problem(name):
    """Why a snapshot name is unusable, or None."""
    if not name:
        return 'name must not be empty.'
    if len(name) > NAME_MAX_LENGTH:
        return 'name is %d characters long; at most %d are allowed.' % (len(name), NAME_MAX_LENGTH)
    if not NAME_PATTERN.match(name):
        return (
            "name '%s' may only contain letters, digits, '.', '_' and '-', and must start with a letter or digit "
            "(it becomes part of the API path)." % name.encode('unicode_escape').decode('ascii')
        )
    return None


def label_name_problem(name):
    """Why a snapshot name is not an RFC 1123 label (lowercase letters, digits and '-', at most 63), or None."""
    if not name:
        return 'name must not be empty.'
    if len(name) > LABEL_MAX_LENGTH:
        return 'name is %d characters long; with snapshot_api=instance at most %d are allowed (an RFC 1123 label).' % (
            len(name),
            LABEL_MAX_LENGTH,
        )
    if not LABEL_PATTERN.match(name):
        return (
            "name '%s' is not an RFC 1123 label, which snapshot_api=instance demands: only lowercase letters, digits "
            "and '-', starting and ending with a letter or digit (for example web-1-nightly)."
            % name.encode('unicode_escape').decode('ascii')
        )
    return None


def duration_problem(option, text):
    """Why a duration option (max_age, older_than, ...) is unusable, or None."""
    if text is not None and parse_duration(text) is None:
        return (
            "%s '%s' is not a duration: use a positive number followed by s, m, h, d or w, such as 30m, 12h or 7d."
            % (option, text)
        )
    return None


def hostname_problem(hostname, option='hostname'):
    """Why a host name (RFC 1123) is unusable for an instance, or None."""
    if not hostname or not hostname.strip():
        return '%s must not be empty.' % option
    if len(hostname) > HOSTNAME_MAX_LENGTH or not HOSTNAME_PATTERN.match(hostname):
        return (
            "%s '%s' is not a host name: use letters, digits and '-' in dot-separated parts of at most 63 characters, "
            "not starting or ending with '-'." % (option, hostname.encode('unicode_escape').decode('ascii'))
        )
    return None


def safe_problem(safe, snapshot_api):
    """Why safe=true cannot be asked for with this snapshot API, or None."""
    if safe and snapshot_api == 'instance':
        return (
            'safe=true needs snapshot_api=account: the per-instance API (snapshot_api=instance) cannot shut the '
            'instance down.'
        )
    return None


def ipv4_problem(address, option):
    """Why a value is not an IPv4 address, or None."""
    try:
        ipaddress.IPv4Address(address)
    except ValueError:
        return "%s '%s' is not an IPv4 address such as 192.168.1.10." % (option, address)
    return None


def parse_duration(text):
    """'90s', '30m', '12h', '7d', '2w' or combined like '1d12h' -> seconds; None if malformed or zero."""
    match = DURATION_PATTERN.match((text or '').strip().lower())
    if not match or not any(match.groups()):
        return None
    seconds = sum(int(value) * unit for value, unit in zip(match.groups(), DURATION_UNITS) if value)
    return seconds or None


_CRON_FIELDS = (
    ('minute', 0, 59, None),
    ('hour', 0, 23, None),
    ('day of month', 1, 31, None),
    ('month', 1, 12, ('JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC')),
    ('day of week', 0, 7, ('SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT')),
)


def cron_problem(expression, option='cron_timing'):
    """Why a 5-field cron expression is malformed, or None. option names the module option in the message."""
    fields = (expression or '').split()
    if len(fields) != 5:
        return "%s '%s' must have 5 fields (minute hour day-of-month month day-of-week), for example '0 3 * * *'." % (
            option,
            expression,
        )
    for text, (label, low, high, names) in zip(fields, _CRON_FIELDS):
        for item in text.split(','):
            if not _cron_item_ok(item, low, high, names):
                return "%s '%s': the %s field '%s' is not valid (allowed %d-%d, '*', ranges, steps and lists)." % (
                    option,
                    expression,
                    label,
                    text,
                    low,
                    high,
                )
    return None


# Civo's schedules API: "a minimum interval of 10 minutes" between runs, and at most 10 snapshots kept per instance.
SCHEDULE_MIN_INTERVAL_MINUTES = 10
MAX_SNAPSHOTS_RANGE = (1, 10)


def cron_interval_problem(expression, option='cron_expression', minimum=SCHEDULE_MIN_INTERVAL_MINUTES):
    """Why a valid cron expression runs closer together than `minimum` minutes (the API's rule), or None.

    Counted over the times of day it runs, from one to the next and from the last of a day to the first of the next
    day, whatever the day fields say: the cautious reading, so that the API never refuses what passed here (a refused
    create after recreate's delete would leave no schedule). Call cron_problem first: this assumes a valid expression.
    """
    minutes, hours = [_cron_set(text, spec) for text, spec in zip(expression.split()[:2], _CRON_FIELDS)]
    times = sorted(hour * 60 + minute for hour in hours for minute in minutes)
    gaps = [(later - earlier, earlier, later) for earlier, later in zip(times, times[1:])]
    gaps.append((1440 - times[-1] + times[0], times[-1], times[0]))
    gap, earlier, later = min(gaps)
    if gap >= minimum:
        return None
    return (
        "%s '%s' runs only %d minute%s apart (for example at %02d:%02d and %02d:%02d); Civo's rule for snapshot "
        "schedules is that runs are at least %d minutes apart."
        % (
            option,
            expression,
            gap,
            '' if gap == 1 else 's',
            earlier // 60,
            earlier % 60,
            later // 60,
            later % 60,
            minimum,
        )
    )


def max_snapshots_problem(value):
    """Why a schedule's max_snapshots (snapshots kept per instance) is out of the API's range, or None."""
    low, high = MAX_SNAPSHOTS_RANGE
    if value is None or not low <= value <= high:
        return 'max_snapshots must be from %d to %d (the snapshots a schedule keeps per instance), got %s.' % (
            low,
            high,
            value,
        )
    return None


def _cron_set(text, spec):
    """Every value a valid cron field stands for."""
    dummy, low, high, names = spec
    values = set()
    for item in text.split(','):
        span, _sep, step = item.partition('/')
        if span == '*':
            first, last = low, high
        else:
            bounds = [_cron_value(bound, names) for bound in span.split('-')]
            # 'a/step' runs from a to the end of the range, as in Vixie cron.
            first, last = bounds[0], bounds[-1] if len(bounds) == 2 or not _sep else high
        values.update(range(first, last + 1, int(step) if _sep else 1))
    return values


def _cron_item_ok(item, low, high, names):
    span, _sep, step = item.partition('/')
    if _sep and not (step.isdigit() and int(step) > 0):
        return False
    if span == '*':
        return True
    bounds = span.split('-')
    if len(bounds) > 2:
        return False
    values = [_cron_value(bound, names) for bound in bounds]
    if any(value is None or not low <= value <= high for value in values):
        return False
    return len(values) == 1 or values[0] <= values[1]


def _cron_value(text, names):
    if text.isdigit():
        return int(text)
    if names and text.upper() in names:
        return names.index(text.upper()) + (1 if len(names) == 12 else 0)
    return None
