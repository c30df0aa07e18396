"""Issue 5, part 1 (and 7): every fault kind injected on every call kind, within and beyond the retry budget.

Each cell is one civo.cloud.civo_snapshot task against a simulator of its own that holds two bystander snapshots
(and, for DELETE, the target). Within the budget (as many faults as api_retries) the task must succeed with the
right final state; beyond it (one fault more) it must fail with a message that names the fault and the request,
leaving the account consistent. The same cells also run in check mode: no PUT and no DELETE may reach the API.
"""

import pytest

from reliability_harness import (
    DB_1,
    REPORT,
    WEB_1,
    WEB_2,
    Cell,
    outcome,
    run_cells,
    start_simulators,
    stop_simulators,
    table,
)

API_RETRIES = 2
API_TIMEOUT = 1
SLOW_DELAY = API_TIMEOUT + 0.6
TARGET = 'nightly-web-1'
TARGET_PATH = '/v2/snapshots/' + TARGET
# Long enough in-progress that a retried PUT can meet the snapshot its own lost first attempt started.
NEW_SECONDS = 0.2
PROGRESS_SECONDS = 2.0

# fault label -> (simulator fault, what the error message must say about it)
FAULTS = (
    ('HTTP 500', {'kind': 'status', 'status': 500}, 'HTTP 500'),
    ('HTTP 502', {'kind': 'status', 'status': 502}, 'HTTP 502'),
    ('HTTP 503', {'kind': 'status', 'status': 503}, 'HTTP 503'),
    ('HTTP 504', {'kind': 'status', 'status': 504}, 'HTTP 504'),
    ('429 + Retry-After: 1', {'kind': 'status', 'status': 429, 'retry_after': 1}, 'HTTP 429'),
    ('429, no Retry-After', {'kind': 'status', 'status': 429}, 'HTTP 429'),
    ('dropped connection', {'kind': 'drop'}, 'connection'),
    ('slower than api_timeout', {'kind': 'delay', 'delay': SLOW_DELAY}, 'api_timeout=%ds' % API_TIMEOUT),
    ('malformed JSON, HTTP 200', {'kind': 'malformed'}, 'not JSON'),
)

# call kind -> (task arguments, where the fault goes, the request the message must name)
CALLS = (
    ('list', {'name': TARGET, 'instance_id': WEB_1}, {'method': 'GET', 'path': '/v2/snapshots'}, 'GET /v2/snapshots'),
    ('PUT', {'name': TARGET, 'instance_id': WEB_1}, {'method': 'PUT', 'path': TARGET_PATH}, 'PUT ' + TARGET_PATH),
    ('DELETE', {'name': TARGET, 'state': 'absent'}, {'method': 'DELETE', 'path': TARGET_PATH}, 'DELETE ' + TARGET_PATH),
    # The first list is the lookup of the existing snapshot; every later one is a poll while waiting.
    (
        'poll during wait',
        {'name': TARGET, 'instance_id': WEB_1},
        {'method': 'GET', 'path': '/v2/snapshots', 'skip': 1},
        'GET /v2/snapshots',
    ),
    (
        'instance lookup',
        {'name': TARGET, 'instance': 'web-1'},
        {'method': 'GET', 'path': '/v2/instances'},
        'GET /v2/instances',
    ),
)

BYSTANDERS = (
    {
        'name': 'keep-web-2-weekly',
        'instance_id': WEB_2,
        'status': 'complete',
        'requested_at': '2026-01-04T03:00:00+00:00',
    },
    {'name': 'keep-db-1-scheduled', 'instance_id': DB_1, 'cron_timing': '0 3 * * 0', 'status': 'new'},
)
BUDGETS = (('within', API_RETRIES), ('beyond', API_RETRIES + 1))
# Marks the problems that mean the account was left inconsistent (counted apart in the report).
ACCOUNT_PROBLEMS = 'account: '
# Check mode sends only reads, so a fault armed on a PUT or DELETE must never fire, and a fault on a read must be
# survived
# as in normal mode: two kinds of fault per call kind show both without paying for all nine again.
CHECK_MODE_FAULTS = ('HTTP 503', 'dropped connection')


def cell_name(call, fault, budget, check_mode=False):
    slug = '%s__%s__%s' % (call, fault, budget)
    slug = ''.join(char if char.isalnum() else '_' for char in slug.lower())
    return ('check__' if check_mode else '') + slug


def build_cells():
    plans = []
    for call, args, where, request in CALLS:
        for fault, injected, says in FAULTS:
            for budget, times in BUDGETS:
                plans.append(
                    dict(
                        call=call,
                        args=args,
                        where=where,
                        request=request,
                        fault=fault,
                        injected=injected,
                        says=says,
                        budget=budget,
                        times=times,
                        check_mode=False,
                    )
                )
            if fault in CHECK_MODE_FAULTS:
                plans.append(
                    dict(
                        call=call,
                        args=args,
                        where=where,
                        request=request,
                        fault=fault,
                        injected=injected,
                        says=says,
                        budget='within',
                        times=API_RETRIES,
                        check_mode=True,
                    )
                )
    sims = start_simulators(len(plans), new_seconds=NEW_SECONDS, progress_seconds=PROGRESS_SECONDS)
    cells = []
    for plan, sim in zip(plans, sims):
        sim.add_snapshots([dict(item) for item in BYSTANDERS])
        if plan['call'] == 'DELETE':
            sim.add_snapshots([{'name': TARGET, 'instance_id': WEB_1, 'status': 'complete'}])
        sim.add_fault(times=plan['times'], **dict(plan['where'], **plan['injected']))
        labels = dict(plan, before=dict((snap['name'], snap) for snap in sim.snapshots()))
        check_mode = labels.pop('check_mode')
        cells.append(
            Cell(
                cell_name(plan['call'], plan['fault'], plan['budget'], check_mode),
                sim,
                plan['args'],
                api_timeout=API_TIMEOUT,
                api_retries=API_RETRIES,
                check_mode=check_mode,
                labels=labels,
            )
        )
    return cells


class MatrixRun:
    def __init__(self, run, finals, logs):
        self.run = run
        self.finals = finals
        self.logs = logs
        self.verdicts = {}


@pytest.fixture(scope='module')
def matrix():
    cells = build_cells()
    try:
        run = run_cells('fault_matrix', cells, forks=30)
        finals = dict((cell.name, dict((snap['name'], snap) for snap in cell.sim.snapshots())) for cell in cells)
        logs = dict((cell.name, cell.sim.log()) for cell in cells)
    finally:
        stop_simulators([cell.sim for cell in cells])
    matrix_run = MatrixRun(run, finals, logs)
    matrix_run.verdicts = dict((cell.name, judge(cell, matrix_run)) for cell in cells)
    report(cells, matrix_run, matrix_run.verdicts)
    return matrix_run


def judge(cell, matrix_run):
    """Everything wrong with one cell's outcome (empty when it behaved)."""
    plan = cell.labels
    result = matrix_run.run.result(cell.name)
    final = matrix_run.finals[cell.name]
    before = plan['before']
    writes = [
        '%s %s' % (entry['method'], entry['path'])
        for entry in matrix_run.logs[cell.name]
        if entry['method'] in ('PUT', 'DELETE')
    ]
    problems = []
    for bystander in BYSTANDERS:
        kept = final.get(bystander['name'])
        was = before[bystander['name']]
        if kept is None or (kept['id'], kept['status'], kept['requested_at']) != (
            was['id'],
            was['status'],
            was['requested_at'],
        ):
            problems.append(ACCOUNT_PROBLEMS + 'bystander %s was changed or lost: %s' % (bystander['name'], kept))
    extra = set(final) - set(before) - {TARGET}
    if extra:
        problems.append(ACCOUNT_PROBLEMS + 'unexpected snapshots appeared: %s' % sorted(extra))
    deleting = plan['args'].get('state') == 'absent'
    if deleting and any(write.startswith('PUT') for write in writes):
        problems.append('a deletion sent a PUT: %s' % writes)
    if not deleting and any(write.startswith('DELETE') for write in writes):
        problems.append('a snapshot task sent a DELETE: %s' % writes)
    target = final.get(TARGET)
    if target is not None and target['instance_id'] != WEB_1:
        problems.append(ACCOUNT_PROBLEMS + 'the target snapshot is of the wrong instance: %s' % target)

    if cell.check_mode:
        problems.extend(_judge_check_mode(result, final, before, writes))
    elif plan['budget'] == 'within':
        problems.extend(_judge_survived(result, target, deleting))
    else:
        problems.extend(_judge_failed_clearly(cell, result, target, writes))
    return problems


def _judge_check_mode(result, final, before, writes):
    problems = []
    if outcome(result) != 'ok' or not result.get('changed'):
        problems.append('check mode should predict a change and succeed: %s' % _short(result))
    if writes:
        problems.append('check mode sent %s' % writes)
    if sorted(final) != sorted(before):
        problems.append('check mode changed the account: %s -> %s' % (sorted(before), sorted(final)))
    return problems


def _judge_survived(result, target, deleting):
    problems = []
    if outcome(result) != 'ok':
        problems.append('the task failed within the retry budget: %s' % _short(result))
    if deleting and target is not None:
        problems.append('the snapshot is still there after state=absent: %s' % target)
    if not deleting:
        if target is None or target['status'] != 'complete':
            problems.append('the snapshot is not complete: %s' % target)
        if outcome(result) == 'ok' and (result.get('snapshot') or {}).get('status') != 'complete':
            problems.append('the task returned a snapshot that is not complete: %s' % result.get('snapshot'))
    return problems


def _judge_failed_clearly(cell, result, target, writes):
    plan = cell.labels
    problems = []
    message = result.get('msg') or ''
    if outcome(result) != 'failed':
        problems.append('the task did not fail beyond the retry budget: %s' % _short(result))
    for needed in (plan['request'], plan['says'], 'after %d attempts' % (API_RETRIES + 1)):
        if needed not in message:
            problems.append('the message does not say %r: %r' % (needed, message))
    if plan['call'] in ('list', 'instance lookup'):
        if writes:
            problems.append('a failed read was followed by %s' % writes)
        if target is not None:
            problems.append('a snapshot appeared although the task failed before asking for it: %s' % target)
    if plan['call'] == 'poll during wait' and target is None:
        problems.append(ACCOUNT_PROBLEMS + 'the requested snapshot was lost while waiting for it')
    return problems


def passed(cells, verdicts):
    return '%d / %d' % (sum(1 for cell in cells if not verdicts[cell.name]), len(cells))


def _short(result):
    keys = ('failed', 'changed', 'msg', 'snapshot')
    return dict((key, result.get(key)) for key in keys if key in result) or result


def report(cells, matrix_run, verdicts):
    header = ['fault \\ call'] + [call for call, _args, _where, _request in CALLS]
    rows = []
    for fault, _injected, _says in FAULTS:
        row = [fault]
        for call, _args, _where, _request in CALLS:
            marks = []
            for cell in cells:
                if cell.labels['call'] != call or cell.labels['fault'] != fault:
                    continue
                good = not verdicts[cell.name]
                label = (
                    'check'
                    if cell.check_mode
                    else {'within': 'survived', 'beyond': 'failed clearly'}[cell.labels['budget']]
                )
                marks.append(label if good else label.upper() + ' NOT OK')
            row.append(', '.join(marks))
        rows.append(row)
    normal = [cell for cell in cells if not cell.check_mode]
    within = [cell for cell in normal if cell.labels['budget'] == 'within']
    beyond = [cell for cell in normal if cell.labels['budget'] == 'beyond']
    checks = [cell for cell in cells if cell.check_mode]
    consistent = [cell for cell in cells if not any(ACCOUNT_PROBLEMS in problem for problem in verdicts[cell.name])]
    summary = table(
        [
            'faults tried',
            'within budget: survived',
            'beyond budget: failed clearly',
            'account consistent',
            'check mode: no PUT/DELETE',
            'wall time',
        ],
        [
            [
                len(normal),
                passed(within, verdicts),
                passed(beyond, verdicts),
                '%d / %d' % (len(consistent), len(cells)),
                passed(checks, verdicts),
                '%.0f s' % matrix_run.run.elapsed,
            ]
        ],
    )
    note = [
        '',
        'api_retries=%d, api_timeout=%ds; "within" = %d faults in a row, "beyond" = %d; one simulator per cell, %d '
        'cells in one ansible-playbook run (-vvvv --diff, forks 30).'
        % (API_RETRIES, API_TIMEOUT, API_RETRIES, API_RETRIES + 1, len(cells)),
        '',
    ]
    failures = ['- %s: %s' % (name, '; '.join(problems)) for name, problems in sorted(verdicts.items()) if problems]
    REPORT.add(
        'fault_matrix', 'Fault matrix', summary + note + table(header, rows) + ([''] + failures if failures else [])
    )


PARAMS = [
    cell_name(call, fault, budget) for call, _a, _w, _r in CALLS for fault, _i, _s in FAULTS for budget, _t in BUDGETS
]
PARAMS += [cell_name(call, fault, 'within', True) for call, _a, _w, _r in CALLS for fault in CHECK_MODE_FAULTS]


@pytest.mark.parametrize('name', PARAMS)
def test_cell(matrix, name):
    assert name in matrix.run.results, 'no result for %s (ansible-playbook exit %s, see %s)' % (
        name,
        matrix.run.returncode,
        matrix.run.work_dir,
    )
    assert matrix.verdicts[name] == []


def test_run_leaked_no_token_and_check_mode_wrote_nothing(matrix):
    assert matrix.run.leaks == []
    assert matrix.run.check_mode_writes == []
