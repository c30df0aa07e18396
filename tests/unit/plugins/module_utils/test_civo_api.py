# -*- coding: utf-8 -*-
# Copyright: (c) 2026, civo.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The shared HTTP client at the transport level: requests' Session.request is replaced, nothing goes over the wire."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import time

import pytest
import requests

from ansible_collections.civo.cloud.plugins.module_utils import civo_api
from ansible_collections.civo.cloud.plugins.module_utils.civo_api import CivoAPI, CivoAPIError, backoff_delay

TOKEN = 'unit-secret-token-0123456789'


class ModuleFailed(Exception):
    pass


class FakeModule:
    """The part of AnsibleModule the client uses."""

    def __init__(self, **params):
        self.params = dict(api_token=TOKEN, api_url='https://api.civo.test', region=None, api_timeout=5,
                           api_retries=3, validate_certs=True)
        self.params.update(params)
        self.warnings = []

    def fail_json(self, **result):
        raise ModuleFailed(result['msg'])

    def warn(self, message):
        self.warnings.append(message)


def response(status=200, body=None, headers=None, text=None):
    resp = requests.Response()
    resp.status_code = status
    resp._content = (text if text is not None else json.dumps(body if body is not None else {})).encode()
    resp.headers.update(headers or {})
    return resp


class Transport:
    """Answers queued responses (or raises queued exceptions) and records every call."""

    def __init__(self, *answers):
        self.answers = list(answers)
        self.calls = []

    def __call__(self, method, url, **kwargs):
        self.calls.append(dict(method=method, url=url, **kwargs))
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer


@pytest.fixture
def sleeps(monkeypatch):
    slept = []
    monkeypatch.setattr(civo_api.time, 'sleep', slept.append)
    return slept


def client(transport, **params):
    api = CivoAPI(FakeModule(**params))
    api.session.request = transport
    return api


def test_success_returns_json_and_sends_auth_user_agent_and_region(sleeps):
    transport = Transport(response(200, [{'name': 'a'}]))
    api = client(transport, region='LON1')
    assert api.get('/v2/snapshots') == [{'name': 'a'}]
    call = transport.calls[0]
    assert call['method'] == 'GET' and call['url'] == 'https://api.civo.test/v2/snapshots'
    assert call['params'] == {'region': 'LON1'}
    assert call['timeout'] == 5
    assert api.session.headers['Authorization'] == 'bearer ' + TOKEN
    assert api.session.headers['User-Agent'].startswith('civo.cloud/%s' % civo_api.COLLECTION_VERSION)
    assert api.session.verify is True
    assert sleeps == []


def test_put_sends_form_data():
    transport = Transport(response(200, {'name': 'x'}))
    client(transport).put('/v2/snapshots/x', {'instance_id': 'i-1', 'safe': 'true'})
    assert transport.calls[0]['data'] == {'instance_id': 'i-1', 'safe': 'true'}


@pytest.mark.parametrize('status', [429, 500, 502, 503, 504])
def test_transient_statuses_are_retried_until_success(status, sleeps):
    transport = Transport(response(status, {'code': 'busy'}), response(status, {'code': 'busy'}), response(200, []))
    assert client(transport).get('/v2/snapshots') == []
    assert len(transport.calls) == 3
    assert len(sleeps) == 2


def test_retries_are_bounded_and_the_error_names_request_status_code_and_attempts(sleeps):
    transport = Transport(*[response(503, {'code': 'service_unavailable', 'reason': 'Try later'})] * 4)
    with pytest.raises(CivoAPIError) as caught:
        client(transport, api_retries=3).get('/v2/snapshots')
    error = caught.value
    assert len(transport.calls) == 4 and len(sleeps) == 3
    assert (error.status, error.code, error.reason, error.attempts) == (503, 'service_unavailable', 'Try later', 4)
    assert str(error) == 'Civo API request GET /v2/snapshots failed after 4 attempts with HTTP 503 (service_unavailable): Try later'
    assert error.as_result()['api_error']['status'] == 503


def test_zero_retries_means_one_attempt(sleeps):
    transport = Transport(response(500, {}))
    with pytest.raises(CivoAPIError):
        client(transport, api_retries=0).get('/v2/snapshots')
    assert len(transport.calls) == 1 and sleeps == []


@pytest.mark.parametrize('status, code', [(400, 'parameter_invalid'), (403, 'quota_limit_reached'),
                                          (404, 'database_snapshot_not_found'), (409, 'x')])
def test_client_errors_are_not_retried(status, code, sleeps):
    transport = Transport(response(status, {'code': code, 'reason': 'Because', 'details': 'more'}))
    with pytest.raises(CivoAPIError) as caught:
        client(transport).delete('/v2/snapshots/x')
    assert len(transport.calls) == 1 and sleeps == []
    assert str(caught.value) == 'Civo API request DELETE /v2/snapshots/x failed with HTTP %d (%s): Because [more]' % (status, code)


def test_non_json_error_body_is_reported_as_text():
    transport = Transport(response(400, text='<html>Bad Gateway at the edge</html>'))
    with pytest.raises(CivoAPIError) as caught:
        client(transport).get('/v2/snapshots')
    assert caught.value.code is None
    assert 'HTTP 400: <html>Bad Gateway at the edge</html>' in str(caught.value)


def test_retry_after_is_honoured_with_small_jitter(sleeps):
    transport = Transport(response(429, {}, {'Retry-After': '7'}), response(200, []))
    client(transport).get('/v2/snapshots')
    assert 7 <= sleeps[0] <= 7.25


def test_rate_limit_reset_is_used_when_429_has_no_retry_after(sleeps):
    reset = int(time.time()) + 10
    transport = Transport(response(429, {}, {'X-Ratelimit-Remaining': '0', 'X-Ratelimit-Reset': str(reset)}), response(200, []))
    client(transport).get('/v2/snapshots')
    assert 8 <= sum(sleeps) <= 11


def test_retry_after_beyond_the_ceiling_fails_at_once(sleeps):
    transport = Transport(response(503, {'code': 'maintenance'}, {'Retry-After': '3600'}))
    with pytest.raises(CivoAPIError) as caught:
        client(transport).get('/v2/snapshots')
    assert sleeps == [] and 'retry after 3600s' in str(caught.value)


def test_timeouts_and_dropped_connections_are_retried(sleeps):
    transport = Transport(requests.exceptions.ReadTimeout('slow'), requests.exceptions.ConnectionError('reset by peer'), response(200, []))
    assert client(transport).get('/v2/snapshots') == []
    assert len(sleeps) == 2


def test_timeout_beyond_budget_names_the_timeout(sleeps):
    transport = Transport(*[requests.exceptions.ReadTimeout('slow')] * 2)
    with pytest.raises(CivoAPIError) as caught:
        client(transport, api_retries=1, api_timeout=3).put('/v2/snapshots/x', {})
    assert str(caught.value) == 'Civo API request PUT /v2/snapshots/x failed after 2 attempts: no answer within api_timeout=3s'


def test_tls_errors_are_not_retried_and_explain_validate_certs(sleeps):
    transport = Transport(requests.exceptions.SSLError('CERTIFICATE_VERIFY_FAILED self-signed certificate'))
    with pytest.raises(CivoAPIError) as caught:
        client(transport).get('/v2/snapshots')
    assert sleeps == []
    assert 'TLS certificate verification failed' in str(caught.value) and 'validate_certs=false' in str(caught.value)


def test_malformed_json_on_success_is_retried_then_reported(sleeps):
    transport = Transport(response(200, text='{"name": '), response(200, text='not json'))
    with pytest.raises(CivoAPIError) as caught:
        client(transport, api_retries=1).get('/v2/snapshots')
    assert len(transport.calls) == 2
    assert 'not JSON' in str(caught.value)


def test_empty_success_body_is_an_empty_dict():
    assert client(Transport(response(202, text=''))).delete('/v2/snapshots/x') == {}


def test_backoff_is_exponential_capped_and_jittered():
    for attempt in range(12):
        ceiling = min(civo_api.BACKOFF_CAP, civo_api.BACKOFF_BASE * 2 ** attempt)
        delays = [backoff_delay(attempt) for dummy in range(50)]
        assert all(ceiling / 2 <= delay <= ceiling for delay in delays)
        assert len(set(delays)) > 1
    assert backoff_delay(30) <= civo_api.BACKOFF_CAP


def test_pacing_spreads_the_rest_of_a_nearly_used_window(sleeps):
    reset = int(time.time()) + 20
    transport = Transport(response(200, [], {'X-Ratelimit-Remaining': '1', 'X-Ratelimit-Reset': str(reset)}), response(200, []))
    api = client(transport)
    api.get('/v2/snapshots')
    api.get('/v2/snapshots')
    assert len(sleeps) == 1 and 8 <= sleeps[0] <= 10.5


def test_no_pacing_while_the_window_has_room(sleeps):
    transport = Transport(response(200, [], {'X-Ratelimit-Remaining': '40', 'X-Ratelimit-Reset': str(int(time.time()) + 30)}),
                          response(200, []))
    api = client(transport)
    api.get('/v2/snapshots')
    api.get('/v2/snapshots')
    assert sleeps == []


@pytest.mark.parametrize('url', ['ftp://api.civo.com', 'api.civo.com', 'https://', ''])
def test_api_url_must_be_http_or_https(url):
    with pytest.raises(ModuleFailed, match='api_url must be an http:// or https:// URL'):
        CivoAPI(FakeModule(api_url=url or 'x'))


def test_missing_token_names_the_environment_variable():
    with pytest.raises(ModuleFailed, match='CIVO_TOKEN'):
        CivoAPI(FakeModule(api_token=None))


@pytest.mark.parametrize('option, value', [('api_timeout', 0), ('api_timeout', -1), ('api_retries', -1)])
def test_timeout_and_retries_are_checked(option, value):
    with pytest.raises(ModuleFailed, match=option):
        CivoAPI(FakeModule(**{option: value}))


def test_plain_http_warns_except_on_loopback():
    assert CivoAPI(FakeModule(api_url='http://127.0.0.1:8080')).module.warnings == []
    assert CivoAPI(FakeModule(api_url='http://localhost:8080')).module.warnings == []
    module = CivoAPI(FakeModule(api_url='http://api.example.com')).module
    assert len(module.warnings) == 1 and 'unencrypted' in module.warnings[0]


def test_validate_certs_false_reaches_the_session():
    assert CivoAPI(FakeModule(validate_certs=False)).session.verify is False


def test_the_token_never_appears_in_errors(sleeps):
    answers = [response(401, {'code': 'authentication_invalid_key', 'reason': 'bad key'}),
               requests.exceptions.ConnectionError('connection to https://api.civo.test refused'),
               response(500, text='oops')]
    for answer in answers:
        with pytest.raises(CivoAPIError) as caught:
            client(Transport(answer), api_retries=0).get('/v2/snapshots')
        assert TOKEN not in str(caught.value) and TOKEN not in json.dumps(caught.value.as_result())


def test_missing_requests_fails_with_missing_required_lib(monkeypatch):
    monkeypatch.setattr(civo_api, 'requests', None)
    monkeypatch.setattr(civo_api, 'REQUESTS_IMPORT_ERROR', 'Traceback: No module named requests')
    with pytest.raises(ModuleFailed, match='requests'):
        CivoAPI(FakeModule())


@pytest.mark.parametrize('status, code', [(404, 'database_account_not_found'), (401, 'authentication_invalid_key')])
def test_a_rejected_token_says_what_civo_means_by_it(status, code, sleeps):
    # The real service answers a wrong or revoked token with 404 database_account_not_found.
    transport = Transport(response(status, {'code': code, 'reason': 'The account could not be found'}))
    with pytest.raises(CivoAPIError) as caught:
        client(transport).get('/v2/snapshots')
    assert len(transport.calls) == 1
    assert str(caught.value).startswith('Civo API request GET /v2/snapshots failed with HTTP %d (%s): The account could not be found. '
                                        % (status, code))
    assert 'wrong or revoked API token' in str(caught.value) and 'CIVO_TOKEN' in str(caught.value)


def test_a_404_for_a_missing_snapshot_has_no_token_hint(sleeps):
    transport = Transport(response(404, {'code': 'database_snapshot_not_found', 'reason': 'The snapshot was not found'}))
    with pytest.raises(CivoAPIError) as caught:
        client(transport).delete('/v2/snapshots/x')
    assert 'token' not in str(caught.value)


def test_a_connection_error_names_the_url_it_tried(sleeps):
    refused = requests.exceptions.ConnectionError('[Errno 111] Connection refused')
    transport = Transport(refused, refused)
    with pytest.raises(CivoAPIError) as caught:
        client(transport, api_retries=1).get('/v2/snapshots')
    assert 'connection error (tried https://api.civo.test): ' in str(caught.value)


class ReportingModule(FakeModule):
    """A module whose exit_json/fail_json record the result, as AnsibleModule would print it."""

    def __init__(self, verbosity=0, **params):
        super(ReportingModule, self).__init__(**params)
        self._verbosity = verbosity
        self.results = []

    def exit_json(self, **result):
        self.results.append(result)

    def fail_json(self, **result):
        self.results.append(result)


def test_the_result_says_how_many_requests_were_retried_and_why(sleeps):
    module = ReportingModule()
    api = CivoAPI(module)
    api.session.request = Transport(response(503), response(429, headers={'Retry-After': '1'}), response(503), response(200, []))
    api.get('/v2/snapshots')
    module.exit_json(changed=False)
    assert module.results == [dict(changed=False, retried_requests=dict(count=3, reasons={'HTTP 503': 2, 'HTTP 429': 1}))]


def test_without_retries_the_report_is_zero_and_a_failure_carries_it_too(sleeps):
    module = ReportingModule()
    api = CivoAPI(module)
    api.session.request = Transport(response(200, []))
    api.get('/v2/snapshots')
    module.fail_json(msg='later failure')
    assert module.results == [dict(msg='later failure', retried_requests=dict(count=0, reasons={}))]


def test_from_vvv_on_each_retry_is_listed(sleeps):
    module = ReportingModule(verbosity=3)
    api = CivoAPI(module)
    api.session.request = Transport(requests.exceptions.ConnectionError('reset by peer'), response(200, []))
    api.get('/v2/instances')
    module.exit_json(changed=False)
    report = module.results[0]['retried_requests']
    assert report['count'] == 1 and report['reasons'] == {'connection error': 1}
    assert report['attempts'] == [dict(request='GET /v2/instances', attempt=1, reason='connection error', waited=round(sleeps[0], 1))]
