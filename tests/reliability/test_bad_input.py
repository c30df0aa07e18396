"""Issue 5, part 4: bad input fails with a clear message before a single request reaches the API.

Every row is one task against a simulator of its own, so that "zero requests" is measured per row. Every other
row runs in check mode, which must not change the outcome.
"""

import pytest

from reliability_harness import (
    REPORT,
    WEB_1,
    Cell,
    new_token,
    outcome,
    run_cells,
    start_simulators,
    stop_simulators,
    table,
)

SNAPSHOT = {'name': 'nightly-web-1', 'instance_id': WEB_1}
# A token pasted with a space in the middle: refused before use, and never quoted back.
SPACED_TOKEN = new_token('spaced').replace('-', ' ', 2)

# (module, what is wrong, task arguments, what the message must say)
BAD_INPUTS = (
    ('civo_snapshot', 'empty name', dict(SNAPSHOT, name=''), 'name must not be empty'),
    ('civo_snapshot', 'name of 101 characters', dict(SNAPSHOT, name='n' * 101), 'at most 100 are allowed'),
    ('civo_snapshot', "'/' in the name", dict(SNAPSHOT, name='web/1'), 'may only contain letters'),
    ('civo_snapshot', 'path traversal in the name', dict(SNAPSHOT, name='../instances'), 'may only contain letters'),
    ('civo_snapshot', 'cron with 4 fields', dict(SNAPSHOT, cron_timing='0 3 * *'), 'must have 5 fields'),
    ('civo_snapshot', 'cron minute 61', dict(SNAPSHOT, cron_timing='61 3 * * *'), "the minute field '61' is not valid"),
    ('civo_snapshot', 'wait_timeout 0', dict(SNAPSHOT, wait_timeout=0), 'wait_timeout must be a positive number'),
    ('civo_snapshot', 'wait_timeout not a number', dict(SNAPSHOT, wait_timeout='soon'), 'wait_timeout'),
    ('civo_snapshot', 'api_timeout -5', dict(SNAPSHOT, api_timeout=-5), 'api_timeout must be a positive number'),
    ('civo_snapshot', 'api_retries -1', dict(SNAPSHOT, api_retries=-1), 'api_retries must be zero or more'),
    ('civo_snapshot', "max_age '3 days'", dict(SNAPSHOT, max_age='3 days'), "max_age '3 days' is not a duration"),
    (
        'civo_snapshot',
        'both instance and instance_id',
        dict(SNAPSHOT, instance='web-1'),
        'mutually exclusive: instance_id|instance',
    ),
    (
        'civo_snapshot',
        'cron_timing with max_age',
        dict(SNAPSHOT, cron_timing='0 3 * * 0', max_age='20h'),
        'mutually exclusive: cron_timing|max_age',
    ),
    ('civo_snapshot', 'state=present without an instance', {'name': 'nightly-web-1'}, 'needs the instance to snapshot'),
    (
        'civo_snapshot',
        'empty instance hostname',
        {'name': 'nightly-web-1', 'instance': ''},
        'instance must be a hostname',
    ),
    ('civo_snapshot', 'unknown state', dict(SNAPSHOT, state='gone'), 'value of state must be one of: present, absent'),
    (
        'civo_snapshot',
        'ftp:// api_url',
        dict(SNAPSHOT, api_url='ftp://api.civo.com'),
        'api_url must be an http:// or https:// URL',
    ),
    ('civo_snapshot', 'empty api_token', dict(SNAPSHOT, api_token=''), 'No Civo API token'),
    (
        'civo_snapshot',
        'api_token with a space inside',
        dict(SNAPSHOT, api_token=SPACED_TOKEN),
        'a token is only printable ASCII',
    ),
    (
        'civo_snapshot_info',
        'both instance and instance_id',
        {'instance': 'web-1', 'instance_id': WEB_1},
        'mutually exclusive: instance_id|instance',
    ),
    ('civo_snapshot_info', 'unknown status', {'status': 'done'}, 'value of status must be one of'),
    ('civo_snapshot_info', 'empty name filter', {'name': ''}, 'Filters must not be empty strings: name'),
    (
        'civo_snapshot_info',
        'file:// api_url',
        {'api_url': 'file:///etc/passwd'},
        'api_url must be an http:// or https:// URL',
    ),
    ('civo_snapshot_info', 'api_timeout 0', {'api_timeout': 0}, 'api_timeout must be a positive number'),
)


def cell_name(index):
    return 'bad_input_%02d' % index


@pytest.fixture(scope='module')
def bad_input_run():
    sims = start_simulators(len(BAD_INPUTS))
    cells = [
        Cell(
            cell_name(index),
            sim,
            args,
            module=module,
            check_mode=index % 2 == 1,
            labels={'what': what, 'says': says},
            secret_tokens=[SPACED_TOKEN.split(' ')[-1]],
        )
        for index, ((module, what, args, says), sim) in enumerate(zip(BAD_INPUTS, sims))
    ]
    try:
        run = run_cells('bad_input', cells, forks=30)
        requests_seen = dict((cell.name, cell.sim.log()) for cell in cells)
    finally:
        stop_simulators(sims)
    rows = []
    for cell in cells:
        result = run.result(cell.name)
        message = (result.get('msg') or '').replace('|', '\\|')
        rows.append(
            [
                cell.module,
                cell.labels['what'],
                'yes' if cell.check_mode else 'no',
                outcome(result),
                len(requests_seen[cell.name]),
                message if len(message) <= 110 else message[:107] + '...',
            ]
        )
    REPORT.add(
        'bad_input',
        'Bad input',
        table(['module', 'bad input', 'check mode', 'task', 'requests', 'message'], rows)
        + [
            '',
            '%d bad inputs, one simulator each, one ansible-playbook run (-vvvv --diff): %.0f s.'
            % (len(cells), run.elapsed),
        ],
    )
    return run, requests_seen


@pytest.mark.parametrize('index', range(len(BAD_INPUTS)), ids=[row[0] + ': ' + row[1] for row in BAD_INPUTS])
def test_bad_input_fails_clearly_without_a_request(bad_input_run, index):
    run, requests_seen = bad_input_run
    result = run.result(cell_name(index))
    says = BAD_INPUTS[index][3]
    assert outcome(result) == 'failed', result
    assert says in result.get('msg', ''), result
    assert not result.get('changed'), result
    assert requests_seen[cell_name(index)] == []


def test_at_least_fifteen_bad_inputs_across_both_modules():
    modules = set(row[0] for row in BAD_INPUTS)
    assert len(BAD_INPUTS) >= 15 and modules == {'civo_snapshot', 'civo_snapshot_info'}


def test_run_leaked_no_token_and_check_mode_wrote_nothing(bad_input_run):
    run, _requests_seen = bad_input_run
    assert run.leaks == []
    assert run.check_mode_writes == []
