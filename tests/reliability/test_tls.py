"""Issue 5, part 6: TLS is verified by default, and a token sent in clear to anything but loopback is warned about.

The simulator serves HTTPS with a self-signed certificate made when it starts. With validate_certs left at its
default the modules must refuse it with a clear certificate error (and not retry: a bad certificate does not
heal); with validate_certs=false they must work, even with REQUESTS_CA_BUNDLE set. Plain http:// to a
non-loopback address must warn.
"""

import socket

import pytest
import requests

from reliability_harness import (
    REPORT,
    WEB_1,
    Cell,
    child_env,
    outcome,
    run_cells,
    start_simulators,
    stop_simulators,
    table,
)

SNAPSHOT = {'name': 'nightly-web-1', 'instance_id': WEB_1}
PLAIN_HTTP_WARNING = 'is plain http: the API token is sent unencrypted'
# An address of no host (TEST-NET-1), for when this machine has no non-loopback address of its own.
UNREACHABLE_ADDRESS = '192.0.2.254'


def non_loopback_address():
    """An IPv4 address of this machine that is not loopback, or None (a UDP connect sends no packet)."""
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        probe.connect(('192.0.2.1', 9))
        address = probe.getsockname()[0]
    except OSError:
        return None
    finally:
        probe.close()
    return None if address.startswith('127.') or address == '0.0.0.0' else address


def tls_case(label, args, expected, module='civo_snapshot', check_mode=False, warns=False, api_retries=2):
    return dict(
        label=label,
        args=args,
        expected=expected,
        module=module,
        check_mode=check_mode,
        warns=warns,
        api_retries=api_retries,
    )


HTTPS_CASES = (
    tls_case('https, validate_certs default (true)', dict(SNAPSHOT), 'certificate'),
    tls_case(
        'https, validate_certs: true, check mode', dict(SNAPSHOT, validate_certs=True), 'certificate', check_mode=True
    ),
    tls_case(
        'https, validate_certs: true, civo_snapshot_info',
        {'validate_certs': True},
        'certificate',
        module='civo_snapshot_info',
    ),
    tls_case('https, validate_certs: false', dict(SNAPSHOT, validate_certs=False), 'ok'),
    tls_case(
        'https, validate_certs: false, civo_snapshot_info', {'validate_certs': False}, 'ok', module='civo_snapshot_info'
    ),
)


@pytest.fixture(scope='module')
def tls_run():
    address = non_loopback_address()
    https_sims = start_simulators(len(HTTPS_CASES), tls=True, new_seconds=0.1, progress_seconds=0.2)
    plain_sims = start_simulators(3, host='0.0.0.0', new_seconds=0.1, progress_seconds=0.2)
    cases = list(HTTPS_CASES)
    port = plain_sims[0].url.rsplit(':', 1)[1]
    if address:
        cases.append(
            tls_case(
                'http:// to this machine\'s non-loopback address %s' % address,
                dict(SNAPSHOT, api_url='http://%s:%s' % (address, port)),
                'ok',
                warns=True,
            )
        )
    else:
        cases.append(
            tls_case(
                'http:// to a non-loopback address %s (unreachable)' % UNREACHABLE_ADDRESS,
                dict(SNAPSHOT, api_url='http://%s:9' % UNREACHABLE_ADDRESS),
                'connection',
                warns=True,
                api_retries=0,
            )
        )
    cases.append(tls_case('http://127.0.0.1 (loopback)', dict(SNAPSHOT, api_url=plain_sims[1].url), 'ok'))
    cases.append(
        tls_case(
            'http://localhost (loopback)',
            dict(SNAPSHOT, api_url=plain_sims[2].url.replace('127.0.0.1', 'localhost')),
            'ok',
        )
    )
    cells = [
        Cell(
            'tls_%02d' % index,
            sim,
            case['args'],
            module=case['module'],
            check_mode=case['check_mode'],
            api_retries=case['api_retries'],
            labels=case,
        )
        for index, (case, sim) in enumerate(zip(cases, https_sims + plain_sims))
    ]
    try:
        # A CA bundle in the environment, as corporate machines and execution environments often set: requests then
        # ignores a session's verify=False (psf/requests#3829), and validate_certs=false must still work.
        run = run_cells('tls', cells, env=child_env(REQUESTS_CA_BUNDLE=requests.certs.where()))
    finally:
        stop_simulators(https_sims + plain_sims)
    rows = []
    for cell in cells:
        result = run.result(cell.name)
        warned = any(PLAIN_HTTP_WARNING in str(warning) for warning in result.get('warnings') or [])
        rows.append(
            [
                cell.labels['label'],
                'yes' if cell.check_mode else 'no',
                outcome(result),
                'yes' if warned else 'no',
                (result.get('msg') or '-')[:160],
            ]
        )
    REPORT.add(
        'tls', 'TLS and plain http', table(['endpoint', 'check mode', 'task', 'plain-http warning', 'message'], rows)
    )
    return run, cells


def test_each_endpoint_is_trusted_or_refused_as_it_should(tls_run):
    run, cells = tls_run
    problems = []
    for cell in cells:
        result = run.result(cell.name)
        expected = cell.labels['expected']
        warned = any(PLAIN_HTTP_WARNING in str(warning) for warning in result.get('warnings') or [])
        if expected == 'ok' and outcome(result) != 'ok':
            problems.append('%s: should work: %s' % (cell.labels['label'], result.get('msg')))
        if expected != 'ok' and (outcome(result) != 'failed' or expected not in result.get('msg', '')):
            problems.append('%s: should fail naming %r: %s' % (cell.labels['label'], expected, result.get('msg')))
        if expected == 'certificate' and 'attempts' in result.get('msg', ''):
            problems.append('%s: a certificate error was retried: %s' % (cell.labels['label'], result.get('msg')))
        if warned != cell.labels['warns']:
            problems.append(
                '%s: plain-http warning %s expected, got %s'
                % (cell.labels['label'], cell.labels['warns'], result.get('warnings'))
            )
    assert problems == []


def test_certificate_error_is_readable(tls_run):
    """The message must carry the reason (the verification failure), not be cut off before it."""
    run, cells = tls_run
    result = run.result(cells[0].name)
    assert 'CERTIFICATE_VERIFY_FAILED' in result['msg'] or 'certificate verify failed' in result['msg'], result['msg']
    assert 'validate_certs' in result['msg']


def test_run_leaked_no_token_and_check_mode_wrote_nothing(tls_run):
    run, _cells = tls_run
    assert run.leaks == []
    assert run.check_mode_writes == []
