# -*- coding: utf-8 -*-
# Copyright: (c) 2026, civo.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The weaknesses the reliability suite (tests/reliability) found in the shared client, each pinned at the unit level.

Requests' Session.request is replaced (nothing goes over the wire), as in test_civo_api.py.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import email.utils
import json
import os
import time

import pytest
import requests

from ansible_collections.civo.cloud.plugins.module_utils import civo_api
from ansible_collections.civo.cloud.plugins.module_utils import rate_window
from ansible_collections.civo.cloud.plugins.module_utils.civo_api import CivoAPI, CivoAPIError
from ansible_collections.civo.cloud.plugins.module_utils.snapshot_account import AccountSnapshots

from ..virtual_time import VirtualTime
# The fake module, canned responses, transport and sleep recorder of the client's own unit tests.
from .test_civo_api import TOKEN, FakeModule, ModuleFailed, Transport, response, sleeps  # noqa: F401 pylint: disable=unused-import


def client(transport, **params):
    api = CivoAPI(FakeModule(**params))
    api.session.request = transport
    return api


def http_date(epoch):
    return email.utils.formatdate(epoch, usegmt=True)


# validate_certs=false was ignored when REQUESTS_CA_BUNDLE or CURL_CA_BUNDLE is set (psf/requests#3829).

@pytest.mark.parametrize('validate_certs', [True, False])
def test_validate_certs_is_passed_with_every_request(validate_certs):
    transport = Transport(response(200, []))
    client(transport, validate_certs=validate_certs).get('/v2/snapshots')
    assert transport.calls[0]['verify'] is validate_certs


# A token with a newline (a vault value, a file) made requests reject the header and quote it, token included.

def test_whitespace_around_the_token_is_ignored():
    transport = Transport(response(200, []))
    api = client(transport, api_token='  %s\n' % TOKEN)
    api.get('/v2/snapshots')
    assert api.session.headers['Authorization'] == 'bearer ' + TOKEN


@pytest.mark.parametrize('separator', [' ', '\n', '\x00', u'\u00e9'])
def test_a_token_with_inner_whitespace_or_odd_characters_fails_without_quoting_it(separator):
    with pytest.raises(ModuleFailed) as caught:
        CivoAPI(FakeModule(api_token='secretpartone%ssecretparttwo' % separator))
    assert 'only printable ASCII' in str(caught.value)
    assert 'secretpart' not in str(caught.value)


def test_a_request_that_cannot_be_built_is_not_retried_and_never_quotes_the_token(sleeps):
    header_error = requests.exceptions.InvalidHeader("Invalid return character(s) in header value: 'bearer %s\\n'" % TOKEN)
    transport = Transport(header_error)
    with pytest.raises(CivoAPIError) as caught:
        client(transport).get('/v2/snapshots')
    assert len(transport.calls) == 1 and sleeps == []
    assert TOKEN not in str(caught.value) and TOKEN not in repr(caught.value.args)
    assert 'could not be built (InvalidHeader)' in str(caught.value)


def test_an_api_error_echoing_the_token_is_masked(sleeps):
    echo = response(401, {'code': 'authentication_invalid_key', 'reason': 'Key %s is not valid' % TOKEN, 'details': TOKEN})
    with pytest.raises(CivoAPIError) as caught:
        client(Transport(echo)).get('/v2/snapshots')
    assert TOKEN not in str(caught.value) and TOKEN not in json.dumps(caught.value.as_result())
    assert 'Key ******** is not valid' in str(caught.value)


def test_a_connection_error_quoting_the_token_is_masked(sleeps):
    transport = Transport(requests.exceptions.ConnectionError('proxy said: bad bearer %s' % TOKEN))
    with pytest.raises(CivoAPIError) as caught:
        client(transport, api_retries=0).get('/v2/snapshots')
    assert TOKEN not in str(caught.value)


# Plain http to a name that merely starts with "127." was taken for loopback.

@pytest.mark.parametrize('url, warns', [
    ('http://127.0.0.1:8080', False), ('http://127.8.9.10', False), ('http://localhost', False), ('http://[::1]:8080', False),
    ('http://127.attacker.example', True), ('http://localhost.attacker.example', True), ('http://10.0.0.5', True),
    ('https://127.attacker.example', False),
])
def test_plain_http_warning_only_spares_real_loopback(url, warns):
    assert bool(CivoAPI(FakeModule(api_url=url)).module.warnings) is warns


# TLS: a certificate failure is final and says why; another TLS failure is a transient connection problem.

def test_certificate_failure_names_the_reason_and_is_not_retried(sleeps):
    text = ("HTTPSConnectionPool(host='127.0.0.1', port=8443): Max retries exceeded with url: /v2/snapshots (Caused by "
            "SSLError(SSLCertVerificationError(1, '[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: "
            "self-signed certificate (_ssl.c:1006)')))")
    transport = Transport(requests.exceptions.SSLError(text))
    with pytest.raises(CivoAPIError) as caught:
        client(transport).get('/v2/snapshots')
    assert len(transport.calls) == 1 and sleeps == []
    assert 'TLS certificate verification failed for https://api.civo.test (certificate verify failed: self-signed certificate)' in str(
        caught.value)


def test_a_tls_handshake_cut_short_is_retried(sleeps):
    transport = Transport(requests.exceptions.SSLError('EOF occurred in violation of protocol (_ssl.c:2427)'), response(200, []))
    assert client(transport).get('/v2/snapshots') == []
    assert len(sleeps) == 1


# Retry-After as an HTTP date, and times read against the API's clock when ours is off.

def test_retry_after_as_an_http_date_is_honoured(sleeps):
    now = time.time()
    transport = Transport(response(503, {}, {'Retry-After': http_date(now + 6), 'Date': http_date(now)}), response(200, []))
    client(transport).get('/v2/snapshots')
    assert 4.5 <= sleeps[0] <= 7.3


def test_rate_limit_reset_is_read_against_the_api_clock_when_ours_is_behind(sleeps):
    server_now = time.time() + 600  # our clock is ten minutes slow
    headers = {'X-Ratelimit-Remaining': '0', 'X-Ratelimit-Reset': str(int(server_now) + 10), 'Date': http_date(server_now)}
    transport = Transport(response(429, {}, headers), response(200, []))
    client(transport).get('/v2/snapshots')
    assert 8 <= sum(sleeps) <= 11.5


def test_rate_limit_reset_is_read_against_the_api_clock_when_ours_is_ahead(sleeps):
    server_now = time.time() - 600  # our clock is ten minutes fast: the reset would look long past
    headers = {'X-Ratelimit-Remaining': '0', 'X-Ratelimit-Reset': str(int(server_now) + 10), 'Date': http_date(server_now)}
    transport = Transport(response(429, {}, headers), response(200, []))
    client(transport).get('/v2/snapshots')
    assert 8 <= sum(sleeps) <= 11.5


def test_pacing_never_waits_longer_than_a_rate_window_whatever_the_clocks_say(sleeps):
    far_reset = int(time.time()) + 3600  # no Date header to correct it: only the cap protects the task from hanging
    transport = Transport(response(200, [], {'X-Ratelimit-Remaining': '0', 'X-Ratelimit-Reset': str(far_reset)}), response(200, []))
    api = client(transport)
    api.get('/v2/snapshots')
    api.get('/v2/snapshots')
    assert len(sleeps) == 1 and sleeps[0] <= civo_api.RATE_WINDOW_MAX


# A retried PUT refused with 409 because its own unanswered first attempt went through.

class FakeSnapshotsAPI:
    """The CivoAPI surface AccountSnapshots uses: put raises the given error, get lists the given snapshots."""

    def __init__(self, error, listed):
        self.error = error
        self.listed = listed
        self.region = None

    def put(self, path, data):
        raise self.error

    def get(self, path, params=None):
        return self.listed


IN_PROGRESS = {'name': 'nightly', 'instance_id': 'i-1', 'safe': False, 'status': 'in-progress', 'cron_timing': None}


def conflict(attempts):
    return CivoAPIError('PUT', '/v2/snapshots/nightly', status=409, code='database_snapshot_create_already_in_process',
                        reason='The snapshot nightly is being taken', attempts=attempts)


def test_a_retried_put_refused_because_its_own_snapshot_is_being_taken_succeeds():
    snapshot = AccountSnapshots(FakeSnapshotsAPI(conflict(attempts=3), [IN_PROGRESS])).put('nightly', 'i-1', False)
    assert snapshot['status'] == 'in-progress' and snapshot['instance_id'] == 'i-1'


@pytest.mark.parametrize('attempts, listed', [
    (1, [IN_PROGRESS]),  # the first attempt was refused: someone else's snapshot is being taken
    (2, [dict(IN_PROGRESS, instance_id='i-2')]),  # another instance's snapshot under that name
    (2, [dict(IN_PROGRESS, safe=True)]),  # not what this task asked for
    (2, [dict(IN_PROGRESS, status='failed')]),
    (2, []),
])
def test_any_other_409_is_still_an_error(attempts, listed):
    with pytest.raises(CivoAPIError) as caught:
        AccountSnapshots(FakeSnapshotsAPI(conflict(attempts), listed)).put('nightly', 'i-1', False)
    assert caught.value.status == 409


# Every fork's task is a process of its own, blind to the rate-limit window the others have used up.

@pytest.fixture
def remote_tmp(tmp_path):
    (tmp_path / 'ansible-moduletmp-1-x').mkdir()
    return tmp_path


def shared_client(remote_tmp, transport, **params):
    module = FakeModule(**params)
    module.tmpdir = str(remote_tmp / 'ansible-moduletmp-1-x')
    api = CivoAPI(module)
    api.session.request = transport
    return api


def window(remote_tmp):
    return rate_window.SharedRateWindow(str(remote_tmp), 'https://api.civo.test', TOKEN)


@pytest.fixture
def clock(monkeypatch):
    virtual = VirtualTime()
    monkeypatch.setattr(civo_api, 'time', virtual)
    monkeypatch.setattr(rate_window, 'time', virtual)
    return virtual


@pytest.fixture
def other_process(monkeypatch):
    """Make the code under test believe it runs in another process than the one that wrote the shared state."""
    def switch():
        monkeypatch.setattr(rate_window.os, 'getpid', lambda: 999999)
    return switch


def test_a_process_waits_for_the_window_another_process_used_up(remote_tmp, clock, other_process):
    reset = int(clock.now) + 8
    used_up = response(200, [], {'X-Ratelimit-Remaining': '0', 'X-Ratelimit-Reset': str(reset)})
    shared_client(remote_tmp, Transport(used_up)).get('/v2/snapshots')
    other_process()
    transport = Transport(response(200, []))
    shared_client(remote_tmp, transport).get('/v2/snapshots')  # a fresh process: no 429, it waits first
    assert len(transport.calls) == 1
    assert len(clock.slept) == 1 and 6.5 <= clock.slept[0] <= 8.5


def test_requests_are_counted_against_the_shared_window_before_they_are_sent(remote_tmp, other_process):
    shared = window(remote_tmp)
    shared.note(time.time() + 30, 2)
    other_process()
    assert [shared.claim(), shared.claim()] == [0.0, 0.0]
    assert 28 <= shared.claim() <= 30  # the third would be refused: wait for the window to reset


def test_the_process_that_saw_the_window_used_up_leaves_the_wait_to_its_own_pacing(remote_tmp):
    shared = window(remote_tmp)
    shared.note(time.time() + 30, 0)
    assert shared.claim() == 0.0


def test_answers_out_of_order_keep_the_lowest_count_and_old_windows_are_ignored(remote_tmp, other_process):
    shared = window(remote_tmp)
    reset = time.time() + 30
    shared.note(reset, 5)
    shared.note(reset + 0.5, 7)  # same window, an answer to an earlier request
    shared.note(reset - 60, 40)  # a window already over
    other_process()
    assert [shared.claim() for dummy in range(5)] == [0.0] * 5
    assert shared.claim() > 0
    shared.note(reset + 60, 50)  # the next window
    assert shared.claim() == 0.0


def test_no_window_known_means_no_wait(remote_tmp):
    assert window(remote_tmp).claim() == 0.0  # no file yet: nothing is created by asking
    assert not list(remote_tmp.glob('civo-cloud-ratelimit-*'))


def test_the_shared_file_is_private_and_says_nothing_of_url_or_token(remote_tmp):
    shared = window(remote_tmp)
    shared.note(time.time() + 30, 10)
    path = remote_tmp / os.path.basename(shared.path)
    assert oct(path.stat().st_mode & 0o777) == '0o600'
    text = path.name + path.read_text()
    assert TOKEN not in text and 'civo.test' not in text


def test_a_symlink_in_place_of_the_shared_file_is_not_followed(remote_tmp, sleeps):
    target = remote_tmp / 'target'
    target.write_text('keep me')
    os.symlink(str(target), window(remote_tmp).path)
    headers = {'X-Ratelimit-Remaining': '0', 'X-Ratelimit-Reset': str(int(time.time()) + 8)}
    api = shared_client(remote_tmp, Transport(response(200, [], headers), response(200, [])))
    api.get('/v2/snapshots')
    api.get('/v2/snapshots')  # still works, pacing on its own
    assert target.read_text() == 'keep me'


def test_without_a_temporary_folder_each_process_paces_alone(sleeps):
    headers = {'X-Ratelimit-Remaining': '40', 'X-Ratelimit-Reset': str(int(time.time()) + 8)}
    api = client(Transport(response(200, [], headers)))  # FakeModule has no tmpdir
    api.get('/v2/snapshots')
    assert rate_window.SharedRateWindow.for_module(api.module, api.base_url, api.token) is None
