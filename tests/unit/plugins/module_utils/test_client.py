# -*- coding: utf-8 -*-
# Copyright: (c) 2026, civo.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""client.py, the HTTP client, at the transport level: requests' Session.request is the wire of conftest.py (nothing
leaves the process), sleeping is the virtual clock's."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import email.utils
import json

import pytest
import requests

from ansible_collections.civo.cloud.plugins.module_utils import client
from ansible_collections.civo.cloud.plugins.module_utils.client import backoff_delay
from ansible_collections.civo.cloud.plugins.module_utils.errors import CivoAPIError, CivoError


def http_date(epoch):
    return email.utils.formatdate(epoch, usegmt=True)


# Sending, and what comes back


def test_success_returns_json_and_sends_auth_user_agent_and_region(wire, clock, token):
    api = wire.client(wire.reply(200, [{'name': 'a'}]), region='LON1')
    assert api.get('/v2/snapshots') == [{'name': 'a'}]
    call = wire.calls[0]
    assert call['method'] == 'GET' and call['url'] == 'https://api.civo.test/v2/snapshots'
    assert call['params'] == {'region': 'LON1'}
    assert call['timeout'] == 5
    assert api.session.headers['Authorization'] == 'bearer ' + token
    assert api.session.headers['User-Agent'].startswith('civo.cloud/%s' % client.COLLECTION_VERSION)
    assert api.session.verify is True
    assert clock.slept == []


def test_put_sends_form_data_and_a_json_body_when_given(wire):
    api = wire.client(wire.reply(200, {'name': 'x'}), wire.reply(200, {}))
    api.put('/v2/snapshots/x', {'instance_id': 'i-1', 'safe': 'true'})
    api.put('/v2/resourcesnapshotschedules/s-1', json_body={'paused': True})
    assert wire.calls[0]['data'] == {'instance_id': 'i-1', 'safe': 'true'} and wire.calls[0]['json'] is None
    assert wire.calls[1]['json'] == {'paused': True} and wire.calls[1]['data'] is None


def test_empty_success_body_is_an_empty_dict(wire):
    assert wire.client(wire.reply(202, text='')).delete('/v2/snapshots/x') == {}


@pytest.mark.parametrize('validate_certs', [True, False])
def test_validate_certs_is_passed_with_every_request(wire, validate_certs):
    # validate_certs=false was ignored when REQUESTS_CA_BUNDLE or CURL_CA_BUNDLE is set (psf/requests#3829).
    api = wire.client(wire.reply(200, []), validate_certs=validate_certs)
    api.get('/v2/snapshots')
    assert wire.calls[0]['verify'] is validate_certs and api.session.verify is validate_certs


# Retrying what is safe to retry


@pytest.mark.parametrize('status', [429, 500, 502, 503, 504])
def test_transient_statuses_are_retried_until_success(wire, clock, status):
    api = wire.client(wire.reply(status, {'code': 'busy'}), wire.reply(status, {'code': 'busy'}), wire.reply(200, []))
    assert api.get('/v2/snapshots') == []
    assert len(wire.calls) == 3
    assert len(clock.slept) == 2


def test_retries_are_bounded_and_the_error_names_request_status_code_and_attempts(wire, clock):
    api = wire.client(*[wire.reply(503, {'code': 'service_unavailable', 'reason': 'Try later'})] * 4, api_retries=3)
    with pytest.raises(CivoAPIError) as caught:
        api.get('/v2/snapshots')
    error = caught.value
    assert len(wire.calls) == 4 and len(clock.slept) == 3
    assert (error.status, error.code, error.reason, error.attempts) == (503, 'service_unavailable', 'Try later', 4)
    assert (
        str(error)
        == 'Civo API request GET /v2/snapshots failed after 4 attempts with HTTP 503 (service_unavailable): Try later'
    )
    assert error.result['api_error']['status'] == 503


def test_zero_retries_means_one_attempt(wire, clock):
    with pytest.raises(CivoAPIError):
        wire.client(wire.reply(500, {}), api_retries=0).get('/v2/snapshots')
    assert len(wire.calls) == 1 and clock.slept == []


@pytest.mark.parametrize(
    'status, code',
    [(400, 'parameter_invalid'), (403, 'quota_limit_reached'), (404, 'database_snapshot_not_found'), (409, 'x')],
)
def test_client_errors_are_not_retried(wire, clock, status, code):
    with pytest.raises(CivoAPIError) as caught:
        wire.client(wire.reply(status, {'code': code, 'reason': 'Because', 'details': 'more'})).delete(
            '/v2/snapshots/x'
        )
    assert len(wire.calls) == 1 and clock.slept == []
    assert str(caught.value) == 'Civo API request DELETE /v2/snapshots/x failed with HTTP %d (%s): Because [more]' % (
        status,
        code,
    )


def test_non_json_error_body_is_reported_as_text(wire):
    with pytest.raises(CivoAPIError) as caught:
        wire.client(wire.reply(400, text='<html>Bad Gateway at the edge</html>')).get('/v2/snapshots')
    assert caught.value.code is None
    assert 'HTTP 400: <html>Bad Gateway at the edge</html>' in str(caught.value)


def test_retry_after_is_honoured_with_small_jitter(wire, clock):
    wire.client(wire.reply(429, {}, {'Retry-After': '7'}), wire.reply(200, [])).get('/v2/snapshots')
    assert 7 <= clock.slept[0] <= 7.25


def test_retry_after_as_an_http_date_is_honoured(wire, clock):
    now = clock.now
    api = wire.client(
        wire.reply(503, {}, {'Retry-After': http_date(now + 6), 'Date': http_date(now)}), wire.reply(200, [])
    )
    api.get('/v2/snapshots')
    assert 4.5 <= clock.slept[0] <= 7.3


def test_rate_limit_reset_is_used_when_429_has_no_retry_after(wire, clock):
    reset = int(clock.now) + 10
    api = wire.client(
        wire.reply(429, {}, {'X-Ratelimit-Remaining': '0', 'X-Ratelimit-Reset': str(reset)}), wire.reply(200, [])
    )
    api.get('/v2/snapshots')
    assert 8 <= sum(clock.slept) <= 11


@pytest.mark.parametrize('skew', [600, -600], ids=['our-clock-behind', 'our-clock-ahead'])
def test_rate_limit_reset_is_read_against_the_api_clock_when_ours_is_off(wire, clock, skew):
    server_now = clock.now + skew
    headers = {
        'X-Ratelimit-Remaining': '0',
        'X-Ratelimit-Reset': str(int(server_now) + 10),
        'Date': http_date(server_now),
    }
    wire.client(wire.reply(429, {}, headers), wire.reply(200, [])).get('/v2/snapshots')
    assert 8 <= sum(clock.slept) <= 11.5


def test_retry_after_beyond_the_ceiling_fails_at_once(wire, clock):
    with pytest.raises(CivoAPIError) as caught:
        wire.client(wire.reply(503, {'code': 'maintenance'}, {'Retry-After': '3600'})).get('/v2/snapshots')
    assert clock.slept == [] and 'retry after 3600s' in str(caught.value)
    assert caught.value.result['api_error']['details'] == 'the API asked to retry after 3600s'


def test_timeouts_and_dropped_connections_are_retried(wire, clock):
    api = wire.client(
        requests.exceptions.ReadTimeout('slow'),
        requests.exceptions.ConnectionError('reset by peer'),
        wire.reply(200, []),
    )
    assert api.get('/v2/snapshots') == []
    assert len(clock.slept) == 2


def test_timeout_beyond_budget_names_the_timeout(wire):
    api = wire.client(*[requests.exceptions.ReadTimeout('slow')] * 2, api_retries=1, api_timeout=3)
    with pytest.raises(CivoAPIError) as caught:
        api.put('/v2/snapshots/x', {})
    assert (
        str(caught.value)
        == 'Civo API request PUT /v2/snapshots/x failed after 2 attempts: no answer within api_timeout=3s'
    )


def test_malformed_json_on_success_is_retried_then_reported(wire):
    with pytest.raises(CivoAPIError) as caught:
        wire.client(wire.reply(200, text='{"name": '), wire.reply(200, text='not json'), api_retries=1).get(
            '/v2/snapshots'
        )
    assert len(wire.calls) == 2
    assert 'not JSON' in str(caught.value)


def test_backoff_is_exponential_capped_and_jittered():
    for attempt in range(12):
        ceiling = min(client.BACKOFF_CAP, client.BACKOFF_BASE * 2**attempt)
        delays = [backoff_delay(attempt) for dummy in range(50)]
        assert all(ceiling / 2 <= delay <= ceiling for delay in delays)
        assert len(set(delays)) > 1
    assert backoff_delay(30) <= client.BACKOFF_CAP


# TLS: a certificate failure is final and says why; another TLS failure is a transient connection problem.


def test_tls_errors_are_not_retried_and_explain_validate_certs(wire, clock):
    with pytest.raises(CivoAPIError) as caught:
        wire.client(requests.exceptions.SSLError('CERTIFICATE_VERIFY_FAILED self-signed certificate')).get(
            '/v2/snapshots'
        )
    assert clock.slept == []
    assert 'TLS certificate verification failed' in str(caught.value) and 'validate_certs=false' in str(caught.value)


def test_certificate_failure_names_the_reason_and_is_not_retried(wire, clock):
    text = (
        "HTTPSConnectionPool(host='127.0.0.1', port=8443): Max retries exceeded with url: /v2/snapshots (Caused by "
        "SSLError(SSLCertVerificationError(1, '[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: "
        "self-signed certificate (_ssl.c:1006)')))"
    )
    with pytest.raises(CivoAPIError) as caught:
        wire.client(requests.exceptions.SSLError(text)).get('/v2/snapshots')
    assert len(wire.calls) == 1 and clock.slept == []
    assert (
        'TLS certificate verification failed for https://api.civo.test (certificate verify failed: self-signed '
        'certificate)'
    ) in str(caught.value)


def test_a_tls_handshake_cut_short_is_retried(wire, clock):
    api = wire.client(
        requests.exceptions.SSLError('EOF occurred in violation of protocol (_ssl.c:2427)'), wire.reply(200, [])
    )
    assert api.get('/v2/snapshots') == []
    assert len(clock.slept) == 1


# Connection trouble, in plain words


def test_a_connection_error_names_the_url_it_tried(wire):
    refused = requests.exceptions.ConnectionError('[Errno 111] Connection refused')
    with pytest.raises(CivoAPIError) as caught:
        wire.client(refused, refused, api_retries=1).get('/v2/snapshots')
    assert 'connection error (tried https://api.civo.test): ' in str(caught.value)


@pytest.mark.parametrize(
    'text, plain',
    [
        (
            "HTTPConnectionPool(host='x', port=1): Max retries exceeded with url: /v2/snapshots (Caused by "
            "NewConnectionError('<urllib3.connection.HTTPConnection object at 0x7f>: Failed to establish a new "
            "connection: [Errno 111] Connection refused'))",
            'Connection refused',
        ),
        (
            "('Connection aborted.', RemoteDisconnected('Remote end closed connection without response'))",
            'the connection was closed without an answer',
        ),
        (
            "('Connection aborted.', ConnectionResetError(104, 'Connection reset by peer'))",
            'the connection was closed without an answer',
        ),
        ('Connection reset by peer', 'the connection was reset'),
        ('something else entirely', 'something else entirely'),
    ],
)
def test_connection_trouble_is_said_in_a_few_plain_words(wire, text, plain):
    with pytest.raises(CivoAPIError) as caught:
        wire.client(requests.exceptions.ConnectionError(text), api_retries=0).get('/v2/snapshots')
    assert (
        str(caught.value)
        == 'Civo API request GET /v2/snapshots failed: connection error (tried https://api.civo.test): ' + plain
    )


# The token


def test_whitespace_around_the_token_is_ignored(wire, token):
    api = wire.client(wire.reply(200, []), api_token='  %s\n' % token)
    api.get('/v2/snapshots')
    assert api.session.headers['Authorization'] == 'bearer ' + token


def test_the_token_never_appears_in_errors(wire, token):
    answers = [
        wire.reply(401, {'code': 'authentication_invalid_key', 'reason': 'bad key'}),
        requests.exceptions.ConnectionError('connection to https://api.civo.test refused'),
        wire.reply(500, text='oops'),
    ]
    for answer in answers:
        with pytest.raises(CivoAPIError) as caught:
            wire.client(answer, api_retries=0).get('/v2/snapshots')
        assert token not in str(caught.value) and token not in json.dumps(caught.value.result)


def test_a_request_that_cannot_be_built_is_not_retried_and_never_quotes_the_token(wire, clock, token):
    # A token with a newline (a vault value, a file) made requests reject the header and quote it, token included.
    header_error = requests.exceptions.InvalidHeader(
        "Invalid return character(s) in header value: 'bearer %s\\n'" % token
    )
    with pytest.raises(CivoAPIError) as caught:
        wire.client(header_error).get('/v2/snapshots')
    assert len(wire.calls) == 1 and clock.slept == []
    assert token not in str(caught.value) and token not in repr(caught.value.args)
    assert 'could not be built (InvalidHeader)' in str(caught.value)


def test_an_api_error_echoing_the_token_is_masked(wire, token):
    echo = wire.reply(
        401, {'code': 'authentication_invalid_key', 'reason': 'Key %s is not valid' % token, 'details': token}
    )
    with pytest.raises(CivoAPIError) as caught:
        wire.client(echo).get('/v2/snapshots')
    assert token not in str(caught.value) and token not in json.dumps(caught.value.result)
    assert 'Key ******** is not valid' in str(caught.value)


def test_a_connection_error_quoting_the_token_is_masked(wire, token):
    with pytest.raises(CivoAPIError) as caught:
        wire.client(requests.exceptions.ConnectionError('proxy said: bad bearer %s' % token), api_retries=0).get(
            '/v2/snapshots'
        )
    assert token not in str(caught.value)


@pytest.mark.parametrize('status, code', [(404, 'database_account_not_found'), (401, 'authentication_invalid_key')])
def test_a_rejected_token_says_what_civo_means_by_it(wire, status, code):
    # The real service answers a wrong or revoked token with 404 database_account_not_found.
    with pytest.raises(CivoAPIError) as caught:
        wire.client(wire.reply(status, {'code': code, 'reason': 'The account could not be found'})).get('/v2/snapshots')
    assert len(wire.calls) == 1
    assert str(caught.value).startswith(
        'Civo API request GET /v2/snapshots failed with HTTP %d (%s): The account could not be found. ' % (status, code)
    )
    assert 'wrong or revoked API token' in str(caught.value) and 'CIVO_TOKEN' in str(caught.value)


def test_a_404_for_a_missing_snapshot_has_no_token_hint(wire):
    with pytest.raises(CivoAPIError) as caught:
        wire.client(
            wire.reply(404, {'code': 'database_snapshot_not_found', 'reason': 'The snapshot was not found'})
        ).delete('/v2/snapshots/x')
    assert 'token' not in str(caught.value)


# Connection options, refused before any request (as a CivoError, which the module skeleton turns into the failure)


@pytest.mark.parametrize('url', ['ftp://api.civo.com', 'api.civo.com', 'https://', ''])
def test_api_url_must_be_http_or_https(wire, url):
    with pytest.raises(CivoError, match='api_url must be an http:// or https:// URL'):
        wire.client(api_url=url or 'x')
    assert wire.calls == []


def test_missing_token_names_the_environment_variable(wire):
    with pytest.raises(CivoError, match='CIVO_TOKEN'):
        wire.client(api_token=None)


@pytest.mark.parametrize('separator', [' ', '\n', '\x00', '\u00e9'])
def test_a_token_with_inner_whitespace_or_odd_characters_fails_without_quoting_it(wire, separator):
    with pytest.raises(CivoError) as caught:
        wire.client(api_token='secretpartone%ssecretparttwo' % separator)
    assert 'only printable ASCII' in str(caught.value)
    assert 'secretpart' not in str(caught.value) and 'secretpart' not in repr(caught.value.result)


@pytest.mark.parametrize('option, value', [('api_timeout', 0), ('api_timeout', -1), ('api_retries', -1)])
def test_timeout_and_retries_are_checked(wire, option, value):
    with pytest.raises(CivoError, match=option):
        wire.client(**{option: value})


def test_plain_http_warns_except_on_loopback(wire):
    assert wire.client(api_url='http://127.0.0.1:8080').module.warnings == []
    assert wire.client(api_url='http://localhost:8080').module.warnings == []
    module = wire.client(api_url='http://api.example.com').module
    assert len(module.warnings) == 1 and 'unencrypted' in module.warnings[0]


@pytest.mark.parametrize(
    'url, warns',
    [
        ('http://127.0.0.1:8080', False),
        ('http://127.8.9.10', False),
        ('http://localhost', False),
        ('http://[::1]:8080', False),
        ('http://127.attacker.example', True),
        ('http://localhost.attacker.example', True),
        ('http://10.0.0.5', True),
        ('https://127.attacker.example', False),
    ],
)
def test_plain_http_warning_only_spares_real_loopback(wire, url, warns):
    # Plain http to a name that merely starts with "127." was taken for loopback.
    assert bool(wire.client(api_url=url).module.warnings) is warns


def test_validate_certs_false_reaches_the_session(wire):
    assert wire.client(validate_certs=False).session.verify is False


def test_missing_requests_fails_with_missing_required_lib(wire, monkeypatch):
    monkeypatch.setattr(client, 'requests', None)
    monkeypatch.setattr(client, 'REQUESTS_IMPORT_ERROR', 'Traceback: No module named requests')
    with pytest.raises(CivoError, match='requests') as caught:
        wire.client()
    assert caught.value.result == {'exception': 'Traceback: No module named requests'}


# Pacing within the rate-limit window


def test_pacing_spreads_the_rest_of_a_nearly_used_window(wire, clock):
    reset = int(clock.now) + 20
    api = wire.client(
        wire.reply(200, [], {'X-Ratelimit-Remaining': '1', 'X-Ratelimit-Reset': str(reset)}), wire.reply(200, [])
    )
    api.get('/v2/snapshots')
    api.get('/v2/snapshots')
    assert len(clock.slept) == 1 and 8 <= clock.slept[0] <= 10.5


def test_no_pacing_while_the_window_has_room(wire, clock):
    headers = {'X-Ratelimit-Remaining': '40', 'X-Ratelimit-Reset': str(int(clock.now) + 30)}
    api = wire.client(wire.reply(200, [], headers), wire.reply(200, []))
    api.get('/v2/snapshots')
    api.get('/v2/snapshots')
    assert clock.slept == []


def test_pacing_never_waits_longer_than_a_rate_window_whatever_the_clocks_say(wire, clock):
    far_reset = int(clock.now) + 3600  # no Date header to correct it: only the cap protects the task from hanging
    api = wire.client(
        wire.reply(200, [], {'X-Ratelimit-Remaining': '0', 'X-Ratelimit-Reset': str(far_reset)}), wire.reply(200, [])
    )
    api.get('/v2/snapshots')
    api.get('/v2/snapshots')
    assert len(clock.slept) == 1 and clock.slept[0] <= client.RATE_WINDOW_MAX


# The retry report (the module skeleton puts it in every result: test_module.py)


def test_the_report_says_how_many_requests_were_retried_and_why(wire):
    api = wire.client(
        wire.reply(503), wire.reply(429, headers={'Retry-After': '1'}), wire.reply(503), wire.reply(200, [])
    )
    api.get('/v2/snapshots')
    assert api.retry_report() == dict(count=3, reasons={'HTTP 503': 2, 'HTTP 429': 1})


def test_without_retries_the_report_is_zero(wire):
    api = wire.client(wire.reply(200, []))
    api.get('/v2/snapshots')
    assert api.retry_report() == dict(count=0, reasons={})


def test_from_vvv_on_each_retry_is_listed(wire, clock):
    api = wire.client(requests.exceptions.ConnectionError('reset by peer'), wire.reply(200, []), verbosity=3)
    api.get('/v2/instances')
    report = api.retry_report()
    assert report['count'] == 1 and report['reasons'] == {'connection error': 1}
    assert report['attempts'] == [
        dict(request='GET /v2/instances', attempt=1, reason='connection error', waited=round(clock.slept[0], 1))
    ]


# POST: never resent blindly. After a lost answer, find_created looks for what the request created.


class Finder:
    """find_created: answers each of `found` in turn (the last one again once they run out; an exception is raised),
    and counts how often it was asked."""

    def __init__(self, *found):
        self.found = list(found)
        self.asked = 0

    def __call__(self):
        self.asked += 1
        found = self.found.pop(0) if len(self.found) > 1 else self.found[0]
        if isinstance(found, Exception):
            raise found
        return found


CREATED = {'id': 'sched-9', 'name': 'nightly'}


def lost_answer(wire, kind):
    """An answer that does not say whether the POST was carried out."""
    return {
        'connection error': requests.exceptions.ConnectionError(
            "('Connection aborted.', RemoteDisconnected('closed without response'))"
        ),
        'timeout': requests.exceptions.ReadTimeout('slow'),
        '502': wire.reply(502, text='Bad Gateway'),
        '503': wire.reply(503, {'code': 'unavailable'}),
        'not json': wire.reply(201, text='<html>'),
    }[kind]


@pytest.mark.parametrize(
    'kind, reason',
    [
        ('connection error', 'connection error'),
        ('timeout', 'no answer within api_timeout=5s'),
        ('502', 'HTTP 502'),
        ('503', 'HTTP 503 (unavailable)'),
        ('not json', 'HTTP 201 with a body that is not JSON'),
    ],
)
def test_after_a_lost_answer_what_the_post_created_is_found_and_returned_without_resending(wire, clock, kind, reason):
    find_created = Finder(CREATED)
    api = wire.client(lost_answer(wire, kind))
    assert api.post('/v2/resourcesnapshotschedules', {'name': 'nightly'}, find_created) == CREATED
    assert [call['method'] for call in wire.calls] == ['POST'] and find_created.asked == 1
    assert wire.calls[0]['json'] == {'name': 'nightly'} and clock.slept == []
    report = api.retry_report()
    assert report['count'] == 0
    assert report['lost_answers'] == [
        'POST /v2/resourcesnapshotschedules: the answer was lost (%s); what it created was found (sched-9), so it was '
        'not sent again.' % reason
    ]


def test_a_post_is_resent_only_when_nothing_was_created(wire, clock):
    find_created = Finder(None)
    api = wire.client(requests.exceptions.ReadTimeout('slow'), wire.reply(503), wire.reply(200, CREATED))
    assert api.post('/v2/resourcesnapshotschedules', {'name': 'nightly'}, find_created) == CREATED
    assert [call['method'] for call in wire.calls] == ['POST'] * 3 and find_created.asked == 2
    report = api.retry_report()
    assert (
        report == dict(count=2, reasons={'no answer within api_timeout=5s': 1, 'HTTP 503': 1}) and len(clock.slept) == 2
    )


def test_a_post_found_on_a_later_attempt_is_not_sent_again(wire):
    find_created = Finder(None, CREATED)
    api = wire.client(wire.reply(503), wire.reply(504))
    assert api.post('/v2/x', {'name': 'n'}, find_created) == CREATED
    assert [call['method'] for call in wire.calls] == ['POST', 'POST'] and find_created.asked == 2
    assert api.retry_report()['count'] == 1 and len(api.retry_report()['lost_answers']) == 1


def test_a_post_whose_answer_stays_lost_fails_after_its_retries(wire):
    find_created = Finder(None)
    api = wire.client(*[requests.exceptions.ReadTimeout('slow')] * 3, api_retries=2)
    with pytest.raises(CivoAPIError, match='after 3 attempts: no answer within api_timeout=5s'):
        api.post('/v2/x', {'name': 'n'}, find_created)
    assert len(wire.calls) == 3 and find_created.asked == 3 and 'lost_answers' not in api.retry_report()


def test_a_429_is_a_refusal_resent_without_looking(wire, clock):
    find_created = Finder(CREATED)
    api = wire.client(wire.reply(429, {'code': 'rate_limit'}, {'Retry-After': '2'}), wire.reply(200, {'id': 'sched-1'}))
    assert api.post('/v2/x', {'name': 'n'}, find_created) == {'id': 'sched-1'}
    assert find_created.asked == 0 and len(wire.calls) == 2 and 2 <= clock.slept[0] <= 2.25
    assert api.retry_report() == dict(count=1, reasons={'HTTP 429 (rate_limit)': 1})


@pytest.mark.parametrize(
    'status, code',
    [(400, 'parameter_invalid'), (404, 'database_instance_not_found'), (409, 'name_taken'), (422, 'unknown_instance')],
)
def test_a_4xx_is_a_refusal_not_looked_for_and_not_resent(wire, status, code):
    find_created = Finder(CREATED)
    with pytest.raises(CivoAPIError) as caught:
        wire.client(wire.reply(status, {'code': code, 'reason': 'no'})).post('/v2/x', {'name': 'n'}, find_created)
    assert caught.value.status == status and find_created.asked == 0 and len(wire.calls) == 1


def test_a_failing_look_up_says_that_nothing_was_resent(wire, token):
    lookup_error = CivoAPIError('GET', '/v2/resourcesnapshotschedules', status=500, code='internal', reason='oops')
    find_created = Finder(lookup_error)
    api = wire.client(wire.reply(502, text='Bad Gateway'))
    with pytest.raises(CivoError) as caught:
        api.post('/v2/resourcesnapshotschedules', {'name': 'nightly'}, find_created)
    error = caught.value
    assert not isinstance(error, CivoAPIError) and len(wire.calls) == 1
    assert str(error) == (
        'The answer to POST /v2/resourcesnapshotschedules was lost (HTTP 502), and looking for what it may have '
        'created failed too: Civo API request GET /v2/resourcesnapshotschedules failed with HTTP 500 (internal): oops. '
        'It was not sent again, so that nothing is created twice; run the task again once the API answers.'
    )
    assert error.result == lookup_error.result and token not in str(error)


def test_a_look_up_through_the_client_itself_is_retried_like_any_get(wire, clock):
    api = wire.client(requests.exceptions.ReadTimeout('slow'), wire.reply(503), wire.reply(200, [CREATED]))
    found = api.post(
        '/v2/resourcesnapshotschedules',
        {'name': 'nightly'},
        lambda: next(
            iter(item for item in api.get('/v2/resourcesnapshotschedules') if item['name'] == 'nightly'), None
        ),
    )
    assert found == CREATED and [call['method'] for call in wire.calls] == ['POST', 'GET', 'GET']
    assert api.retry_report()['reasons'] == {'HTTP 503': 1}


def test_a_retry_after_beyond_the_ceiling_still_looks_before_failing(wire, clock):
    find_created = Finder(None)
    with pytest.raises(CivoAPIError, match='retry after 3600s'):
        wire.client(wire.reply(503, {}, {'Retry-After': '3600'})).post('/v2/x', {'name': 'n'}, find_created)
    assert find_created.asked == 1 and len(wire.calls) == 1 and clock.slept == []
