# -*- coding: utf-8 -*-
# Copyright: (c) 2026, civo.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""waiting.py: the poll schedule and wait_until, on the virtual clock (conftest.py)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import itertools

import pytest

from ansible_collections.civo.cloud.plugins.module_utils import waiting
from ansible_collections.civo.cloud.plugins.module_utils.errors import CivoError, WaitFailed
from ansible_collections.civo.cloud.plugins.module_utils.waiting import deadline_in, seconds_left, wait_until


def test_poll_schedule_starts_fast_backs_off_capped_and_stays_under_civos_limit():
    intervals = waiting.poll_intervals()
    schedule = [next(intervals) for dummy in range(200)]
    assert schedule[0] <= 1.0
    assert schedule == sorted(schedule) and max(schedule) == waiting.POLL_MAX_INTERVAL
    elapsed, polls_per_minute = 0.0, {}
    for interval in schedule:
        elapsed += interval
        polls_per_minute[int(elapsed // 60)] = polls_per_minute.get(int(elapsed // 60), 0) + 1
    assert max(polls_per_minute.values()) < 50


def test_deadline_and_seconds_left_read_the_clock(clock):
    deadline = deadline_in(30)
    assert deadline == clock.now + 30
    clock.sleep(12)
    assert seconds_left(deadline) == 18


class Reads:
    """read(): the next of the values given (the last one again once they run out); counts the reads."""

    def __init__(self, *values):
        self.values = list(values)
        self.count = 0

    def __call__(self):
        self.count += 1
        return self.values.pop(0) if len(self.values) > 1 else self.values[0]


def timeout(value):
    return WaitFailed('timed out at %s' % value, last=value)


def test_without_a_value_the_first_read_is_at_once_and_the_polls_follow_the_schedule(clock):
    read = Reads('new', 'new', 'new', 'complete')
    assert wait_until(read, lambda value: value == 'complete', deadline_in(60), timeout) == 'complete'
    assert read.count == 4
    assert clock.slept == list(itertools.islice(waiting.poll_intervals(), 3))


def test_a_value_read_already_is_judged_first_and_the_first_read_waits_one_interval(clock):
    read = Reads('complete')
    assert wait_until(read, lambda value: value == 'complete', deadline_in(60), timeout, value='complete') == 'complete'
    assert read.count == 0 and clock.slept == []
    assert wait_until(read, lambda value: value == 'complete', deadline_in(60), timeout, value='new') == 'complete'
    assert read.count == 1 and clock.slept == [waiting.POLL_FIRST_INTERVAL]


def test_a_value_of_none_counts_as_read():
    read = Reads('never read')
    assert wait_until(read, lambda value: value is None, deadline_in(60), timeout, value=None) is None
    assert read.count == 0


def test_the_deadline_raises_what_on_timeout_makes_of_the_last_value_and_never_sleeps_past_it(clock):
    start = clock.now
    read = Reads(*range(1000))
    with pytest.raises(WaitFailed) as caught:
        wait_until(read, lambda value: False, deadline_in(20), timeout)
    assert clock.now == pytest.approx(start + 20) and sum(clock.slept) == pytest.approx(20)
    assert caught.value.result == {'last': read.count - 1} and str(caught.value) == 'timed out at %d' % (read.count - 1)


def test_a_deadline_already_past_judges_the_first_value_then_times_out(clock):
    read = Reads('new')
    with pytest.raises(WaitFailed):
        wait_until(read, lambda value: value == 'complete', deadline_in(0), timeout)
    assert read.count == 1 and clock.slept == []
    assert wait_until(Reads('complete'), lambda value: value == 'complete', deadline_in(0), timeout) == 'complete'


def test_settled_may_end_the_wait_with_its_own_error(clock):
    def settled(value):
        if value == 'failed':
            raise CivoError('it failed', state=value)
        return value == 'complete'

    with pytest.raises(CivoError) as caught:
        wait_until(Reads('new', 'failed', 'complete'), settled, deadline_in(60), timeout)
    assert str(caught.value) == 'it failed' and caught.value.result == {'state': 'failed'}
    assert len(clock.slept) == 1


def test_a_long_wait_polls_at_most_every_max_interval(clock):
    wait_until(Reads(*([False] * 200 + [True])), bool, deadline_in(3600), timeout)
    assert max(clock.slept) == waiting.POLL_MAX_INTERVAL and len(clock.slept) == 200


def test_a_schedule_already_waited_on_goes_on_where_it_is():
    whole = list(itertools.islice(waiting.poll_intervals(), 12))
    # 3.5 s into 1 + 1.5 + 2.25: what is left of the third interval, then the fourth and on.
    resumed = list(itertools.islice(waiting.poll_intervals(waited=3.5), 4))
    assert resumed == pytest.approx([1.0 + 1.5 + 2.25 - 3.5] + whole[3:6])
    # Hours in: at the cap, the rest of the current 15 s.
    left = waiting.POLL_MAX_INTERVAL - (3600 + 7 - sum(whole[:8])) % waiting.POLL_MAX_INTERVAL
    assert list(itertools.islice(waiting.poll_intervals(waited=3600 + 7), 2)) == pytest.approx(
        [left, waiting.POLL_MAX_INTERVAL]
    )


def test_a_wait_begun_earlier_polls_on_its_schedule_not_a_new_one(clock):
    read = Reads('new', 'complete')
    since = clock.now - 3.5
    done = wait_until(read, lambda value: value == 'complete', deadline_in(60), timeout, value='new', since=since)
    assert done == 'complete'
    # The poll due 4.75 s after the wait began, then the one after it: never a first interval of 1 s again.
    assert clock.slept == pytest.approx([1.25, 3.375])


def test_a_poll_after_pause_at_is_left_to_the_next_call_which_goes_on_from_there(clock):
    read = Reads('new', 'new', 'new', 'new', 'complete')

    def settled(value):
        return value == 'complete'

    since, deadline = clock.now, deadline_in(600)
    # Polls after 1, 2.5 and 4.75 s; the next (8.125 s) would come after pause_at: handed back unsettled, unread.
    assert wait_until(read, settled, deadline, timeout, value='new', since=since, pause_at=clock.now + 6) == 'new'
    assert read.count == 3 and clock.slept == pytest.approx([1.0, 1.5, 2.25])
    clock.sleep(1.0)  # the time between two module runs
    assert wait_until(read, settled, deadline, timeout, value='new', since=since, pause_at=clock.now + 60) == 'complete'
    assert read.count == 5 and clock.now - since == pytest.approx(8.125 + 5.0625)


def test_the_deadline_still_wins_over_pause_at(clock):
    read = Reads('new')
    with pytest.raises(WaitFailed):
        wait_until(
            read, lambda value: False, deadline_in(5), timeout, value='new', since=clock.now, pause_at=clock.now + 60
        )
    assert sum(clock.slept) == pytest.approx(5)


def test_due_may_bring_the_next_poll_forward_but_never_pushes_it_back(clock):
    read = Reads('new', 'complete')
    start = clock.now
    hints = [start + 0.4, start + 100.0]  # asked after each value judged: sooner than the schedule's 1 s, then later

    def due(value):
        return hints.pop(0) if hints else None

    done = wait_until(read, lambda value: value == 'complete', deadline_in(60), timeout, value='new', due=due)
    assert done == 'complete'
    assert clock.slept == pytest.approx([0.4, 1.5]) and read.count == 2
