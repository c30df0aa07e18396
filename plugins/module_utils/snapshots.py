# -*- coding: utf-8 -*-
# Copyright: (c) 2026, civo.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""What both of Civo's snapshot APIs offer the modules, in one shape: the interface (:class:`SnapshotAPI`) that
account_snapshots.py and instance_snapshots.py implement, the statuses, timestamps and ordering, and the waits.

Each API's answers become the same snapshot dict, with ``status`` one of KNOWN_STATUSES and ``requested_at`` a
normalised timestamp, so that the modules, the role and playbooks read both APIs alike.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime
import re

from ansible_collections.civo.cloud.plugins.module_utils.errors import CivoAPIError, WaitFailed
from ansible_collections.civo.cloud.plugins.module_utils.waiting import deadline_in, wait_until

PENDING_STATUSES = ('new', 'in-progress')
COMPLETE = 'complete'
FAILED = 'failed'
KNOWN_STATUSES = ('new', 'in-progress', 'complete', 'failed')

# The words the current API family uses for a snapshot's state disagree between Civo's sources (current-api.md 0.5):
# they are matched case-insensitively, with '-', '_' and spaces alike. A word not listed counts as still being taken
# (waiting on it is bounded by wait_timeout); a word with 'fail' or 'error' in it fails at once.
API_STATE_WORDS = {
    'new': ('', 'new', 'pending', 'queued', 'requested', 'scheduled', 'accepted'),
    'in-progress': (
        'in progress',
        'progress',
        'creating',
        'running',
        'processing',
        'snapshotting',
        'uploading',
        'started',
    ),
    COMPLETE: ('complete', 'completed', 'available', 'ready', 'done', 'success', 'succeeded', 'finished'),
}
FAILURE_WORD_PARTS = ('fail', 'error', 'cancel', 'abort')

# ISO 8601 as the API writes it: with or without fraction, 'Z' or an offset (with or without a colon).
TIMESTAMP_PATTERN = re.compile(
    r'^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(\.\d+)?(?:(Z)|([+-])(\d{2}):?(\d{2}))?$'
)
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


def describe(snapshot):
    """A snapshot as messages name it: 'NAME' (ID) of instance HOST."""
    text = "'%s'" % snapshot.get('name')
    if snapshot.get('id'):
        text += ' (%s)' % snapshot['id']
    instance = snapshot.get('hostname') or snapshot.get('instance_id')
    return text + (' of instance %s' % instance if instance else '')


def state_word(snapshot):
    """The API's own word for a snapshot's state where it has one (api_status), else the status."""
    return snapshot.get('api_status') or snapshot.get('status')


class SnapshotAPI:
    """The interface of a snapshot API, in the modules' snapshot shape. A *target* is an instance as
    instances.target() makes it: dict(id, hostname, region); results carry its hostname and region.

    Subclasses set `name` (the snapshot_api value) and `replaces_in_place`: whether taking a snapshot of a name that
    exists overwrites that snapshot at once (the account API) rather than adding a new one beside it (the instance API).
    """

    name = None
    replaces_in_place = None

    def __init__(self, api):
        self.api = api

    def list(self, target=None):
        """The instance snapshots of the target instance, or of the whole account or region."""
        raise NotImplementedError

    def named(self, name, target):
        """The snapshots that a task naming `name` for the target instance is about, newest first."""
        raise NotImplementedError

    def take(self, name, target, settings, known=()):
        """Take a snapshot; settings: the API's own (safe, cron_timing or description); known: the snapshots of this
        name before, so that one found after a lost answer is known to be the new one."""
        raise NotImplementedError

    def predict(self, name, target, settings, current=None):
        """What take(name, target, settings) would return, for check mode: what only the API can tell is None."""
        raise NotImplementedError

    def update(self, snapshot, changes):
        """Change a snapshot in place (only what the API changes in place); the snapshot as it is now."""
        raise NotImplementedError

    def delete(self, snapshot):
        """Delete it; True if it went, False if it was gone already."""
        raise NotImplementedError

    def read(self, snapshot):
        """The snapshot as the API holds it now, or None when it is gone."""
        raise NotImplementedError

    def wait_complete(self, snapshot, timeout):
        """Poll until the snapshot is complete; WaitFailed if it fails, vanishes or time runs out."""
        last = [snapshot]

        def read():
            try:
                found = self.read(last[0])
            except CivoAPIError as e:
                raise WaitFailed(
                    'The Civo API stopped answering while the task waited for snapshot %s to complete: %s. The '
                    'snapshot was requested and goes on being taken: run the task again to resume waiting (it '
                    'takes no second snapshot).' % (describe(last[0]), e),
                    **dict(e.result, snapshot=last[0]),
                )
            if found is None:
                raise WaitFailed(
                    'Snapshot %s disappeared while waiting for it to complete.' % describe(last[0]), snapshot=last[0]
                )
            return found

        def settled(current):
            last[0] = current
            if current['status'] == COMPLETE:
                return True
            if current['status'] not in PENDING_STATUSES:
                raise WaitFailed(
                    "Snapshot %s ended in state '%s' instead of complete." % (describe(current), state_word(current)),
                    snapshot=current,
                )
            return False

        def timed_out(current):
            return WaitFailed(
                "Timed out after %ss waiting for snapshot %s to complete (state now '%s'). It is still being taken: "
                'run the task again to resume waiting, or raise wait_timeout (large disks take long).'
                % (timeout, describe(current), state_word(current)),
                snapshot=current,
            )

        return wait_until(read, settled, deadline_in(timeout), timed_out, value=snapshot)

    def wait_gone(self, snapshot, timeout):
        """Poll until the API no longer knows the snapshot (the first look at once); WaitFailed on timeout."""

        def timed_out(current):
            return WaitFailed(
                'Timed out after %ss waiting for snapshot %s to be deleted.' % (timeout, describe(snapshot)),
                snapshot=current or snapshot,
            )

        wait_until(lambda: self.read(snapshot), lambda current: current is None, deadline_in(timeout), timed_out)
