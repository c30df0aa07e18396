"""Issue 5, part 2: Retry-After is honoured (at least that long, not much longer); backoff grows, is capped and
jittered.

The waits are measured where they matter, at the server: the simulator logs the arrival time of every request,
so the gap between a refused request and its retry is what the client really waited (plus a little transport).
The backoff's cap and jitter are properties of many draws, so they are checked on the client's own function.
"""

import math
import statistics

import pytest

from ansible_collections.civo.cloud.plugins.module_utils import client
from reliability_harness import REPORT, WEB_1, Cell, outcome, run_cells, start_simulators, stop_simulators, table

SNAPSHOT = {'name': 'nightly-web-1', 'instance_id': WEB_1}
# Transport and scheduling on a busy 2-core machine: how much later than asked a retry may arrive.
SLACK = 0.75
RETRY_AFTER_JITTER = 0.25
RATE_WINDOW = 3.0


def timing_cases():
    """(label, task arguments, api_retries, simulator setup, expected gaps in s as (low, high) per retry, or a special
    check)."""
    base = client.BACKOFF_BASE
    return [
        dict(
            label='429 with Retry-After: 2 on the list',
            setup=[{'method': 'GET', 'path': '/v2/snapshots', 'kind': 'status', 'status': 429, 'retry_after': 2}],
            retries=1,
            gaps=[(2.0, 2.0 + RETRY_AFTER_JITTER + SLACK)],
        ),
        dict(
            label='503 with Retry-After: 1 on the PUT, twice',
            setup=[
                {
                    'method': 'PUT',
                    'path': '/v2/snapshots/*',
                    'kind': 'status',
                    'status': 503,
                    'retry_after': 1,
                    'times': 2,
                }
            ],
            retries=2,
            gaps=[(1.0, 1.0 + RETRY_AFTER_JITTER + SLACK)] * 2,
        ),
        dict(
            label='503 without Retry-After, 3 times: exponential backoff',
            setup=[{'method': 'GET', 'path': '/v2/snapshots', 'kind': 'status', 'status': 503, 'times': 3}],
            retries=3,
            gaps=[(base * 2**n / 2, base * 2**n + SLACK) for n in range(3)],
        ),
        dict(
            label='429 without Retry-After, X-Ratelimit-Reset in %gs windows' % RATE_WINDOW,
            rate_window=RATE_WINDOW,
            setup=[{'method': 'GET', 'path': '/v2/snapshots', 'kind': 'status', 'status': 429}],
            retries=1,
            gaps='reset',
        ),
        dict(
            label='429 with Retry-After: 600 (beyond the 120 s the client accepts)',
            setup=[{'method': 'GET', 'path': '/v2/snapshots', 'kind': 'status', 'status': 429, 'retry_after': 600}],
            retries=3,
            gaps='refused',
        ),
    ]


@pytest.fixture(scope='module')
def timing_run():
    cases = timing_cases()
    cells = []
    for index, case in enumerate(cases):
        sim = start_simulators(1, new_seconds=0.1, progress_seconds=0.2)[0]
        if case.get('rate_window'):
            # A limit far above what the task needs, only for the X-Ratelimit-* headers on every answer.
            sim.configure(rate_limit=1000, rate_window=case['rate_window'])
        for fault in case['setup']:
            sim.add_fault(**fault)
        cells.append(
            Cell('timing_%02d' % index, sim, SNAPSHOT, api_retries=case['retries'], api_timeout=5, labels=case)
        )
    try:
        run = run_cells('retry_timing', cells)
        logs = dict((cell.name, cell.sim.log()) for cell in cells)
    finally:
        stop_simulators([cell.sim for cell in cells])
    rows = []
    for cell in cells:
        measured = retry_gaps(logs[cell.name])
        gaps = cell.labels['gaps']
        if gaps == 'reset':
            until_reset = reset_wait(logs[cell.name])
            expected = 'until X-Ratelimit-Reset: %.2f-%.2f' % (until_reset, until_reset + RETRY_AFTER_JITTER + SLACK)
        elif gaps == 'refused':
            expected = 'none: fail at once'
        else:
            expected = ', '.join('%.2f-%.2f' % pair for pair in gaps)
        rows.append(
            [
                cell.labels['label'],
                expected,
                ', '.join('%.2f' % gap for gap in measured) or '-',
                outcome(run.result(cell.name)),
            ]
        )
    REPORT.add(
        'retry_timing',
        'Retry-After and backoff, measured at the server',
        table(['scenario', 'expected wait(s), s', 'measured wait(s), s', 'task'], rows),
    )
    return run, cells, logs


def reset_wait(log):
    """Seconds from the first (refused) request to the end of its rate-limit window as the simulator announced it.

    The window opened at that request; X-Ratelimit-Reset gives its end rounded up to the second.
    """
    return math.ceil(log[0]['time'] + RATE_WINDOW) - log[0]['time'] if log else 0.0


def retry_gaps(log):
    """Seconds between each refused request and the next request (the client's wait before retrying)."""
    return [
        later['time'] - earlier['time']
        for earlier, later in zip(log, log[1:])
        if earlier['status'] not in range(200, 300)
    ]


def test_waits_are_as_long_as_asked_and_not_much_longer(timing_run):
    run, cells, logs = timing_run
    for cell in cells[:3]:
        assert outcome(run.result(cell.name)) == 'ok', run.result(cell.name)
        gaps = retry_gaps(logs[cell.name])
        assert len(gaps) == len(cell.labels['gaps']), (cell.labels['label'], gaps)
        for gap, (low, high) in zip(gaps, cell.labels['gaps']):
            assert low <= gap <= high, (cell.labels['label'], gaps)


def test_429_without_retry_after_waits_for_the_rate_limit_reset(timing_run):
    run, cells, logs = timing_run
    cell = cells[3]
    log = logs[cell.name]
    assert outcome(run.result(cell.name)) == 'ok', run.result(cell.name)
    until_reset = reset_wait(log)
    wait = log[1]['time'] - log[0]['time']
    assert until_reset - 0.05 <= wait <= until_reset + RETRY_AFTER_JITTER + SLACK, (wait, until_reset)


def test_a_retry_after_too_long_to_wait_fails_at_once_saying_so(timing_run):
    run, cells, logs = timing_run
    cell = cells[4]
    result = run.result(cell.name)
    assert outcome(result) == 'failed'
    assert 'HTTP 429' in result['msg'] and 'retry after 600s' in result['msg'], result['msg']
    assert len(logs[cell.name]) == 1


def test_backoff_is_capped():
    delays = [client.backoff_delay(attempt) for attempt in range(40) for dummy in range(20)]
    assert max(delays) <= client.BACKOFF_CAP
    assert min(client.backoff_delay(30) for dummy in range(200)) >= client.BACKOFF_CAP / 2


@pytest.mark.parametrize('attempt', [0, 2, 5, 20])
def test_backoff_is_jittered_over_the_upper_half(attempt):
    ceiling = min(client.BACKOFF_CAP, client.BACKOFF_BASE * 2**attempt)
    delays = [client.backoff_delay(attempt) for dummy in range(2000)]
    assert ceiling / 2 <= min(delays) and max(delays) <= ceiling
    # Spread over the whole half (uniform: standard deviation (c/2)/sqrt(12) = 0.144 c), so forks do not retry in step.
    assert statistics.pstdev(delays) > 0.1 * ceiling
    assert min(delays) < 0.55 * ceiling and max(delays) > 0.95 * ceiling


def test_run_leaked_no_token(timing_run):
    run, _cells, _logs = timing_run
    assert run.leaks == []
