# -*- coding: utf-8 -*-
# Copyright: (c) 2026, civo.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Civo instance snapshots: the API's shapes, the input rules, and waiting.

The modules see snapshots only through :class:`SnapshotAPI` and
:func:`normalise_snapshot`, so that a second API shape (Civo's newer
``/v2/instances/:id/snapshots``) could be added here without touching them.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime
import re
import time

from ansible.module_utils.six.moves.urllib.parse import quote

from ansible_collections.civo.cloud.plugins.module_utils.civo_api import CivoAPIError

SNAPSHOT_FIELDS = (
    'id', 'name', 'instance_id', 'hostname', 'safe', 'status', 'cron_timing',
    'size_gb', 'requested_at', 'completed_at', 'region',
)
PENDING_STATUSES = ('new', 'in-progress')
COMPLETE = 'complete'
KNOWN_STATUSES = ('new', 'in-progress', 'complete', 'failed')

NAME_MAX_LENGTH = 100
NAME_PATTERN = re.compile(r'^[A-Za-z0-9][A-Za-z0-9._-]*$')
DURATION_PATTERN = re.compile(r'^(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$')
DURATION_UNITS = (7 * 86400, 86400, 3600, 60, 1)

INSTANCES_PER_PAGE = 100

# Polling: notice completion within a second at first, then back off for long
# snapshots. The first minute costs about a dozen requests, well inside Civo's
# 50 a minute, and a long wait settles at one request every 15 s (4 a minute).
POLL_FIRST_INTERVAL = 1.0
POLL_GROWTH = 1.5
POLL_MAX_INTERVAL = 15.0


# ---------------------------------------------------------------- input rules

def name_problem(name):
    """Why a snapshot name is unusable, or None."""
    if not name:
        return 'name must not be empty.'
    if len(name) > NAME_MAX_LENGTH:
        return 'name is %d characters long; at most %d are allowed.' % (len(name), NAME_MAX_LENGTH)
    if not NAME_PATTERN.match(name):
        return ("name '%s' may only contain letters, digits, '.', '_' and '-', and must start with a letter or digit "
                "(it becomes part of the API path)." % name.encode('unicode_escape').decode('ascii'))
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


def cron_problem(expression):
    """Why a 5-field cron expression is malformed, or None."""
    fields = (expression or '').split()
    if len(fields) != 5:
        return ("cron_timing '%s' must have 5 fields (minute hour day-of-month month day-of-week), "
                "for example '0 3 * * *'." % expression)
    for text, (label, low, high, names) in zip(fields, _CRON_FIELDS):
        for item in text.split(','):
            if not _cron_item_ok(item, low, high, names):
                return "cron_timing '%s': the %s field '%s' is not valid (allowed %d-%d, '*', ranges, steps and lists)." % (
                    expression, label, text, low, high)
    return None


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


# ------------------------------------------------------------- API shapes

# ISO 8601 as the API writes it: with or without fraction, 'Z' or an offset (with or without a colon).
TIMESTAMP_PATTERN = re.compile(r'^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(\.\d+)?(?:(Z)|([+-])(\d{2}):?(\d{2}))?$')
# The one form normalise_snapshot writes. A timestamp already in it is passed through and sorts as text,
# which matters at 10,000 snapshots: parsing every timestamp was most of civo_snapshot_info's own time.
NORMALISED_TIMESTAMP = re.compile(r'^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+00:00$')
_UTC = datetime.timezone.utc


def parse_timestamp(value):
    """An API timestamp (ISO 8601, with or without milliseconds, 'Z' or an offset) -> aware UTC datetime, or None."""
    if not value or not isinstance(value, str):
        return None
    # Built from the groups rather than with strptime or fromisoformat: several times faster, and
    # fromisoformat before Python 3.11 rejects offsets without a colon and most fraction lengths.
    match = TIMESTAMP_PATTERN.match(value.strip())
    if not match:
        return None
    year, month, day, hour, minute, second, fraction, _zulu, sign, offset_hours, offset_minutes = match.groups()
    try:
        stamp = datetime.datetime(int(year), int(month), int(day), int(hour), int(minute), int(second), tzinfo=_UTC)
    except ValueError:  # an impossible date such as month 13
        return None
    if fraction:
        stamp += datetime.timedelta(microseconds=int(round(float(fraction) * 1000000)) % 1000000)
    if sign:
        offset = datetime.timedelta(hours=int(offset_hours), minutes=int(offset_minutes))
        stamp = stamp - offset if sign == '+' else stamp + offset
    return stamp


def format_timestamp(stamp):
    return stamp.replace(microsecond=0).isoformat() if stamp else None


def normalise_timestamp(value):
    """The API's timestamp as 'YYYY-MM-DDTHH:MM:SS+00:00'; a value that is not a timestamp is kept as it came."""
    if isinstance(value, str) and NORMALISED_TIMESTAMP.match(value):
        return value
    return format_timestamp(parse_timestamp(value)) or value


def _as_bool(value):
    if isinstance(value, str):
        return value.strip().lower() in ('1', 'true', 'yes')
    return bool(value) if value is not None else False


def normalise_snapshot(raw):
    """The API's snapshot in one shape, whichever the server spoke.

    The reference says ``status`` and a boolean ``safe``; recorded traffic from
    the real service says ``state`` and 0/1, with millisecond timestamps.
    """
    raw = raw or {}
    snapshot = dict((field, raw.get(field)) for field in SNAPSHOT_FIELDS)
    snapshot['status'] = raw.get('status') or raw.get('state')
    snapshot['safe'] = _as_bool(raw.get('safe'))
    snapshot['cron_timing'] = raw.get('cron_timing') or None
    snapshot['requested_at'] = normalise_timestamp(raw.get('requested_at'))
    snapshot['completed_at'] = normalise_timestamp(raw.get('completed_at'))
    return snapshot


def is_scheduled(snapshot):
    return bool(snapshot.get('cron_timing'))


def age_seconds(snapshot, now=None):
    """How long ago the snapshot was requested, or None when the API did not say."""
    requested = parse_timestamp(snapshot.get('requested_at'))
    if requested is None:
        return None
    now = now or datetime.datetime.now(_UTC)
    return (now - requested).total_seconds()


def newest_first(snapshots):
    """Newest requested_at first; snapshots not yet requested last, then by name."""
    def key(snapshot):
        # Normalised timestamps (all UTC, one fixed width) sort as text, newest first after reverse=True.
        requested = normalise_timestamp(snapshot.get('requested_at'))
        dated = isinstance(requested, str) and bool(NORMALISED_TIMESTAMP.match(requested))
        return (dated, requested if dated else '')
    by_name = sorted(snapshots, key=lambda snapshot: snapshot.get('name') or '')
    return sorted(by_name, key=key, reverse=True)  # stable: equal keys keep their order by name


class SnapshotWaitError(Exception):
    """Waiting ended without the snapshot reaching the state asked for."""

    def __init__(self, message, snapshot):
        super(SnapshotWaitError, self).__init__(message)
        self.snapshot = snapshot


class SnapshotAPI:
    """The snapshot endpoints of the Civo API, in the shape the modules use."""

    def __init__(self, api):
        self.api = api

    def list(self):
        """All snapshots in the account (one request: the API does not paginate them)."""
        return [normalise_snapshot(item) for item in self._list_raw()]

    def find(self, name):
        """The snapshot of this name, or None. Only the match is normalised: the account may hold thousands."""
        for item in self._list_raw():
            if isinstance(item, dict) and item.get('name') == name:
                return normalise_snapshot(item)
        return None

    def _list_raw(self):
        body = self.api.get('/v2/snapshots')
        if not isinstance(body, list):
            raise CivoAPIError('GET', '/v2/snapshots', cause='expected a JSON array of snapshots, got %s' % type(body).__name__)
        return body

    def put(self, name, instance_id, safe, cron_timing=None):
        data = {'instance_id': instance_id, 'safe': 'true' if safe else 'false'}
        if cron_timing:
            data['cron_timing'] = cron_timing
        try:
            return normalise_snapshot(self.api.put('/v2/snapshots/%s' % quote(name, safe=''), data))
        except CivoAPIError as e:
            started = self._started_by_lost_attempt(e, name, instance_id, safe, cron_timing)
            if started is None:
                raise
            return started

    def _started_by_lost_attempt(self, error, name, instance_id, safe, cron_timing):
        """The snapshot an unanswered earlier attempt of this PUT started, when that is why a retry was refused; else None.

        A PUT whose answer was lost (a timeout, a dropped connection, a 5xx from a proxy) may still have been carried
        out. Its retry then finds that snapshot being taken and gets a 409: the task's own snapshot, not a conflict.
        """
        if error.status != 409 or error.code != 'database_snapshot_create_already_in_process' or error.attempts < 2:
            return None
        found = self.find(name)
        if found is None or found['status'] not in PENDING_STATUSES + (COMPLETE,):
            return None
        if (found['instance_id'], found['safe'], found['cron_timing'] or None) != (instance_id, bool(safe), cron_timing or None):
            return None
        return found

    def delete(self, name):
        """Delete by name; True if it went, False if it was already gone."""
        try:
            self.api.delete('/v2/snapshots/%s' % quote(name, safe=''))
        except CivoAPIError as e:
            # 404 with this code means "no such snapshot": the goal is reached. A 404 with any
            # other code (a bad token can answer 404 database_account_not_found) is a real error.
            if e.status == 404 and e.code == 'database_snapshot_not_found':
                return False
            raise
        return True

    def instances(self):
        """Every instance, following the pagination."""
        found, page, pages = [], 1, 1
        while page <= pages:
            body = self.api.get('/v2/instances', params={'page': page, 'per_page': INSTANCES_PER_PAGE})
            found.extend(body.get('items') or [])
            pages = int(body.get('pages') or 1)
            page += 1
        return found

    def resolve_hostname(self, hostname):
        """The id of the one instance with this hostname; ValueError if none or several."""
        instances = self.instances()
        matches = [item for item in instances if item.get('hostname') == hostname]
        if len(matches) == 1:
            return matches[0]['id']
        if not matches:
            raise ValueError("No instance with hostname '%s' (%d instances looked at%s). Check the name, or give instance_id." % (
                hostname, len(instances), " in region %s" % self.api.region if self.api.region else ''))
        raise ValueError("Hostname '%s' is ambiguous: %d instances have it (%s). Give instance_id instead." % (
            hostname, len(matches), ', '.join(item.get('id') for item in matches)))

    def poll_intervals(self):
        interval = POLL_FIRST_INTERVAL
        while True:
            yield interval
            interval = min(POLL_MAX_INTERVAL, interval * POLL_GROWTH)

    def wait_complete(self, name, timeout, snapshot=None):
        """Poll until the snapshot is complete; SnapshotWaitError if it fails, vanishes or time runs out."""
        deadline = time.time() + timeout
        for interval in self.poll_intervals():
            if snapshot is not None:
                status = snapshot.get('status')
                if status == COMPLETE:
                    return snapshot
                if status not in PENDING_STATUSES:
                    raise SnapshotWaitError("Snapshot '%s' ended with status '%s' instead of complete." % (name, status), snapshot)
            left = deadline - time.time()
            if left <= 0:
                raise SnapshotWaitError(
                    "Timed out after %ss waiting for snapshot '%s' to complete (status now '%s'). It is still being taken: "
                    "run the task again to resume waiting, or raise wait_timeout (large disks take long)." % (
                        timeout, name, (snapshot or {}).get('status')), snapshot)
            time.sleep(min(interval, left))
            found = self.find(name)
            if found is None:
                raise SnapshotWaitError("Snapshot '%s' disappeared while waiting for it to complete." % name, snapshot)
            snapshot = found
        return snapshot  # pragma: no cover (the generator never ends)

    def wait_gone(self, name, timeout):
        """Poll until no snapshot of this name is listed; SnapshotWaitError on timeout."""
        deadline = time.time() + timeout
        for interval in self.poll_intervals():
            found = self.find(name)
            if found is None:
                return
            left = deadline - time.time()
            if left <= 0:
                raise SnapshotWaitError("Timed out after %ss waiting for snapshot '%s' to be deleted." % (timeout, name), found)
            time.sleep(min(interval, left))
