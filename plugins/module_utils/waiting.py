# -*- coding: utf-8 -*-
# Copyright: (c) 2026, civo.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The one wait of the collection: read something again and again, on one schedule, until it settles or time runs out.

Every wait (a snapshot completing or going, a restored instance becoming active, a fleet of snapshots completing) is
:func:`wait_until` with its own read and its own idea of settled.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import time

# Polling: notice completion within a second at first, then back off for long waits. The first minute costs about a
# dozen requests, well inside Civo's 50 a minute, and a long wait settles at one request every 15 s (4 a minute).
POLL_FIRST_INTERVAL = 1.0
POLL_GROWTH = 1.5
POLL_MAX_INTERVAL = 15.0

_UNREAD = object()


def poll_intervals(waited=0.0):
    """Seconds to sleep before each poll: 1, 1.5, 2.25, ... up to POLL_MAX_INTERVAL.

    waited: seconds of this schedule already behind (a wait that began in an earlier module run): the schedule goes on
    from there, its first interval being what is left of the one it is in.
    """
    interval = POLL_FIRST_INTERVAL
    while waited >= interval and interval < POLL_MAX_INTERVAL:
        waited -= interval
        interval = min(POLL_MAX_INTERVAL, interval * POLL_GROWTH)
    if interval >= POLL_MAX_INTERVAL:
        waited %= interval
    yield interval - waited
    while True:
        interval = min(POLL_MAX_INTERVAL, interval * POLL_GROWTH)
        yield interval


def deadline_in(seconds):
    """The time (time.time()) `seconds` from now."""
    return time.time() + seconds


def seconds_left(deadline):
    return deadline - time.time()


def wait_until(read, settled, deadline, on_timeout, value=_UNREAD, since=None, pause_at=None, due=None):
    """read() on the poll schedule until settled(value) is true, and return that value.

    value: what was read already (a snapshot just created): it is judged first, and the first read waits one interval;
    without it the first read is at once. settled may raise a CivoError itself, to end the wait with a failure (a
    snapshot that failed). When the deadline passes first, on_timeout(last value) is raised: the CivoError that says so.

    For a wait that goes on over several module runs: since is when it began (time.time()), so that the schedule goes
    on where it is rather than starting over; pause_at is when this run hands back. A poll that would come after it is
    left to the next run: the last value read is returned, not settled (the caller tells by settled()).

    due(value), asked after each read, may name a time (time.time()) for the next poll sooner than the schedule's, when
    what was read tells when the wait should be over (a fleet's last snapshots); None keeps the schedule.
    """
    if value is _UNREAD:
        value = read()
    waited = 0.0 if since is None else max(0.0, time.time() - since)
    for interval in poll_intervals(waited):
        if settled(value):
            return value
        left = seconds_left(deadline)
        if left <= 0:
            raise on_timeout(value)
        pause = min(interval, left)
        sooner = due(value) if due is not None else None
        if sooner is not None:
            pause = min(pause, max(0.0, sooner - time.time()))
        if pause_at is not None and time.time() + pause > pause_at:
            return value
        time.sleep(pause)
        value = read()
    return value  # pragma: no cover (the generator never ends)
