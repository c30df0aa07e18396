"""Issue 5, part 5: the API token never shows, not even when the API rejects it.

Every ansible-playbook run of the suite is already audited (reliability_harness: stdout, stderr and results of
each -vvvv --diff run are searched for every token in play). This file adds the runs where the token itself is
the problem: rejected in both answer shapes, given as an option or through CIVO_TOKEN (as an AWX credential
injects it), with surrounding whitespace (as a vault value or a file read without stripping carries it), and
revoked between two calls. A rejected token is never retried: one request, then a clear failure.
"""

import json

import pytest

from reliability_harness import (
    REPORT,
    WEB_1,
    Cell,
    child_env,
    leaked_tokens,
    new_token,
    outcome,
    run_cells,
    start_simulators,
    stop_simulators,
    table,
)

VALID_PADDED = new_token('valid-padded')

SNAPSHOT = {'name': 'nightly-web-1', 'instance_id': WEB_1}


def case(
    label,
    args,
    expected,
    token,
    module='civo_snapshot',
    requests=1,
    sim=None,
    fault=None,
    check_mode=False,
    valid=False,
):
    """One scenario with a token of its own, so that a leak in the shared output points at the row it came from.

    expected is 'ok' or a part of the failure message; requests is how many requests may reach the API on failure;
    valid makes the token the one the scenario's simulator accepts (otherwise the simulator accepts only SESSION_TOKEN).
    The token goes in api_token unless args already hold it (padded with whitespace, for example).
    """
    args = dict(args)
    args.setdefault('api_token', token)
    sim = dict(sim or {}, token=token.strip()) if valid else dict(sim or {})
    return dict(
        label=label,
        args=args,
        expected=expected,
        token=token.strip(),
        module=module,
        requests=requests,
        sim=sim,
        fault=fault,
        check_mode=check_mode,
    )


CASES = (
    case(
        'rejected token (reference shape: 401)',
        SNAPSHOT,
        'HTTP 401 (authentication_invalid_key)',
        new_token('wrong-ref'),
    ),
    case(
        'rejected token (real-service shape: 404)',
        SNAPSHOT,
        'HTTP 404 (database_account_not_found)',
        new_token('wrong-real'),
        sim={'real_shape': True},
    ),
    case(
        'rejected token, state=absent, check mode',
        {'name': 'nightly-web-1', 'state': 'absent'},
        'HTTP 401',
        new_token('wrong-check'),
        check_mode=True,
    ),
    case('rejected token, civo_snapshot_info', {}, 'HTTP 401', new_token('wrong-info'), module='civo_snapshot_info'),
    case('rejected token with a trailing newline', SNAPSHOT, 'HTTP 401', new_token('wrong-newline') + '\n'),
    case(
        'valid token with surrounding whitespace',
        dict(SNAPSHOT, api_token='  %s\n' % VALID_PADDED),
        'ok',
        VALID_PADDED,
        valid=True,
    ),
    case(
        'token revoked before the PUT (401 on PUT)',
        SNAPSHOT,
        'PUT /v2/snapshots/nightly-web-1 failed with HTTP 401',
        new_token('revoked'),
        requests=2,
        fault={'method': 'PUT', 'kind': 'status', 'status': 401},
        valid=True,
    ),
    case('valid token, snapshot taken, diff shown', SNAPSHOT, 'ok', new_token('valid-diff'), valid=True),
)
# Run with CIVO_TOKEN set to a rejected token in the environment of ansible-playbook, as an AWX credential injects it.
WRONG_FROM_ENV = new_token('wrong-env')
ENV_CASES = (
    dict(case('rejected token from CIVO_TOKEN', SNAPSHOT, 'HTTP 401', WRONG_FROM_ENV), args=dict(SNAPSHOT)),
    dict(
        case(
            'rejected token from CIVO_TOKEN, civo_snapshot_info',
            {},
            'HTTP 401',
            WRONG_FROM_ENV,
            module='civo_snapshot_info',
        ),
        args={},
    ),
)


def build(cases, prefix):
    cells = []
    for index, scenario in enumerate(cases):
        sim = start_simulators(1, new_seconds=0.1, progress_seconds=0.2, **scenario['sim'])[0]
        if scenario['fault']:
            sim.add_fault(**scenario['fault'])
        cells.append(
            Cell(
                '%s_%02d' % (prefix, index),
                sim,
                scenario['args'],
                module=scenario['module'],
                check_mode=scenario['check_mode'],
                api_retries=2,
                secret_tokens=[scenario['token']],
                labels=scenario,
            )
        )
    return cells


@pytest.fixture(scope='module')
def secret_runs():
    cells = build(CASES, 'secret')
    env_cells = build(ENV_CASES, 'secret_env')
    try:
        runs = [
            run_cells('secrets', cells),
            run_cells('secrets_env', env_cells, env=child_env(CIVO_TOKEN=WRONG_FROM_ENV)),
        ]
        logs = dict((cell.name, cell.sim.log()) for cell in cells + env_cells)
    finally:
        stop_simulators([cell.sim for cell in cells + env_cells])
    rows = []
    for run in runs:
        for cell in run.cells.values():
            result = run.result(cell.name)
            leaks = leaked_tokens((run.stdout, run.stderr, json.dumps(run.results)), [cell.labels['token']])
            rows.append(
                [
                    cell.labels['label'],
                    'yes' if cell.check_mode else 'no',
                    outcome(result),
                    len(logs[cell.name]),
                    'yes' if leaks else 'no',
                    (result.get('msg') or '-')[:100],
                ]
            )
    REPORT.add(
        'secrets_rejected',
        'Secrets: the token itself as the problem',
        table(['scenario', 'check mode', 'task', 'requests', 'token found in output', 'message'], rows),
    )
    return runs, logs


def all_cases():
    return [(0, 'secret_%02d' % index, scenario) for index, scenario in enumerate(CASES)] + [
        (1, 'secret_env_%02d' % index, scenario) for index, scenario in enumerate(ENV_CASES)
    ]


@pytest.mark.parametrize(
    'run_index, name, scenario', all_cases(), ids=[scenario['label'] for _i, _n, scenario in all_cases()]
)
def test_token_problem_is_reported_without_the_token(secret_runs, run_index, name, scenario):
    runs, logs = secret_runs
    run = runs[run_index]
    result = run.result(name)
    if scenario['expected'] == 'ok':
        assert outcome(result) == 'ok', result
    else:
        assert outcome(result) == 'failed', result
        assert scenario['expected'] in result['msg'], result
        # An authentication failure is final: retrying it would only hammer the API with a bad credential.
        assert len(logs[name]) == scenario['requests'], logs[name]
    assert leaked_tokens((run.stdout, run.stderr, json.dumps(run.results)), [scenario['token']]) == []


def test_runs_leaked_no_token_and_check_mode_wrote_nothing(secret_runs):
    runs, _logs = secret_runs
    assert [run.leaks for run in runs] == [[], []]
    assert [run.check_mode_writes for run in runs] == [[], []]
