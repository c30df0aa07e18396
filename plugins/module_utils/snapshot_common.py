# -*- coding: utf-8 -*-
# Copyright: (c) 2026, civo.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""What both snapshot backends share: the statuses the modules report, timestamps, ordering and waiting.

Each backend (snapshot_account, snapshot_instance) turns its API's answers into the same snapshot dict, with
``status`` one of KNOWN_STATUSES and ``requested_at`` a normalised timestamp, so that the modules, the role and
playbooks read both APIs alike.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime
import re

PENDING_STATUSES = ('new', 'in-progress')
COMPLETE = 'complete'
FAILED = 'failed'
KNOWN_STATUSES = ('new', 'in-progress', 'complete', 'failed')

# The words the current API family uses for a snapshot's state disagree between Civo's sources (current-api.md 0.5):
# they are matched case-insensitively, with '-', '_' and spaces alike. A word not listed counts as still being taken
# (waiting on it is bounded by wait_timeout); a word with 'fail' or 'error' in it fails at once.
API_STATE_WORDS = {
    'new': ('', 'new', 'pending', 'queued', 'requested', 'scheduled', 'accepted'),
    'in-progress': ('in progress', 'progress', 'creating', 'running', 'processing', 'snapshotting', 'uploading', 'started'),
    COMPLETE: ('complete', 'completed', 'available', 'ready', 'done', 'success', 'succeeded', 'finished'),
}
FAILURE_WORD_PARTS = ('fail', 'error', 'cancel', 'abort')

# Polling: notice completion within a second at first, then back off for long
# snapshots. The first minute costs about a dozen requests, well inside Civo's
# 50 a minute, and a long wait settles at one request every 15 s (4 a minute).
POLL_FIRST_INTERVAL = 1.0
POLL_GROWTH = 1.5
POLL_MAX_INTERVAL = 15.0


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


def status_of_api_state(word):
    """The API's own word for a snapshot's state (any spelling) -> one of KNOWN_STATUSES."""
    text = ' '.join((word or '').strip().lower().replace('-', ' ').replace('_', ' ').split())
    if any(part in text for part in FAILURE_WORD_PARTS):
        return FAILED
    for status, words in API_STATE_WORDS.items():
        if text in words:
            return status
    return 'in-progress'


def as_bool(value):
    if isinstance(value, str):
        return value.strip().lower() in ('1', 'true', 'yes')
    return bool(value) if value is not None else False


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


def poll_intervals():
    """Seconds to sleep before each poll: 1, 1.5, 2.25, ... up to POLL_MAX_INTERVAL."""
    interval = POLL_FIRST_INTERVAL
    while True:
        yield interval
        interval = min(POLL_MAX_INTERVAL, interval * POLL_GROWTH)
