# -*- coding: utf-8 -*-
# Copyright: (c) 2026, civo.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""errors.py: one base that carries a message and a result, and the API error built from an answer's fields."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.civo.cloud.plugins.module_utils.errors import (
    TOKEN_REJECTED_HINT,
    CivoAPIError,
    CivoError,
    LookupFailed,
    WaitFailed,
)


def test_an_error_carries_its_message_and_the_result_to_return():
    error = CivoError('Snapshot gone.', snapshot={'name': 'n'}, instance={})
    assert (str(error), error.message, error.args) == ('Snapshot gone.', 'Snapshot gone.', ('Snapshot gone.',))
    assert error.result == {'snapshot': {'name': 'n'}, 'instance': {}}
    assert CivoError('plain').result == {}


@pytest.mark.parametrize('kind', [LookupFailed, WaitFailed, CivoAPIError])
def test_every_error_of_the_collection_is_a_civo_error(kind):
    assert issubclass(kind, CivoError)


def test_lookup_and_wait_errors_carry_a_result_like_the_base():
    assert LookupFailed("No instance 'x'.", api_error={'status': 404}).result == {'api_error': {'status': 404}}
    assert WaitFailed('Timed out.', snapshot={'id': 's'}).result == {'snapshot': {'id': 's'}}


def test_an_api_error_says_request_attempts_status_code_reason_and_details():
    error = CivoAPIError(
        'PUT', '/v2/snapshots/x', status=503, code='busy', reason='Try later', details='more', attempts=4
    )
    assert (
        str(error)
        == 'Civo API request PUT /v2/snapshots/x failed after 4 attempts with HTTP 503 (busy): Try later [more]'
    )
    assert error.message == str(error) and error.args == (str(error),)
    assert CivoAPIError('GET', '/v2/x', status=500).message == 'Civo API request GET /v2/x failed with HTTP 500'


def test_an_api_error_without_an_answer_says_why():
    error = CivoAPIError('GET', '/v2/instances', cause='no answer within api_timeout=3s', attempts=2)
    assert str(error) == 'Civo API request GET /v2/instances failed after 2 attempts: no answer within api_timeout=3s'


def test_an_api_error_carries_its_fields_as_the_result():
    error = CivoAPIError('DELETE', '/v2/snapshots/x', 404, 'database_snapshot_not_found', 'gone', 'd')
    assert error.result == dict(
        api_error=dict(
            method='DELETE',
            path='/v2/snapshots/x',
            status=404,
            code='database_snapshot_not_found',
            reason='gone',
            details='d',
        )
    )


@pytest.mark.parametrize(
    'status, code, hinted',
    [
        (404, 'database_account_not_found', True),
        (401, 'authentication_invalid_key', True),
        (403, 'authentication_access_denied', True),
        (404, 'database_snapshot_not_found', False),
        (500, 'database_account_not_found', False),
    ],
)
def test_only_a_rejected_token_gets_the_token_hint(status, code, hinted):
    assert (TOKEN_REJECTED_HINT in str(CivoAPIError('GET', '/v2/snapshots', status, code, 'r'))) is hinted


def test_scrub_masks_a_secret_in_every_text_and_in_the_result():
    secret = 'sekrit-token-123'
    error = CivoAPIError('GET', '/v2/x', status=401, code='c', reason='key %s bad' % secret, details=secret)
    error.scrub(secret)
    assert secret not in str(error) and secret not in repr(error.args) and secret not in repr(error.result)
    assert (error.reason, error.details) == ('key ******** bad', '********')
    cut = CivoAPIError('GET', '/v2/x', cause='proxy said bearer %s' % secret)
    cut.scrub(secret)
    assert str(cut) == 'Civo API request GET /v2/x failed: proxy said bearer ********'


def test_scrub_without_a_secret_changes_nothing():
    error = CivoAPIError('GET', '/v2/x', status=400, reason='bad')
    error.scrub('')
    error.scrub(None)
    assert error.reason == 'bad'


def test_refresh_works_the_message_and_result_out_again_after_a_field_changed():
    error = CivoAPIError('GET', '/v2/x', status=503, code='maintenance')
    error.details = 'the API asked to retry after 3600s'
    error.refresh()
    assert str(error).endswith('[the API asked to retry after 3600s]')
    assert error.result['api_error']['details'] == 'the API asked to retry after 3600s'


@pytest.mark.parametrize(
    'error, reason',
    [
        (CivoAPIError('GET', '/', status=503), 'HTTP 503'),
        (CivoAPIError('GET', '/', status=429, code='rate_limit'), 'HTTP 429 (rate_limit)'),
        (
            CivoAPIError('GET', '/', cause='connection error (tried https://api.civo.com): Connection refused'),
            'connection error',
        ),
        (CivoAPIError('GET', '/', cause='no answer within api_timeout=30s'), 'no answer within api_timeout=30s'),
        (
            CivoAPIError('GET', '/', cause='HTTP 200 with a body that is not JSON: x'),
            'HTTP 200 with a body that is not JSON',
        ),
        (CivoAPIError('GET', '/'), 'error'),
    ],
)
def test_short_reason_says_why_in_a_few_words(error, reason):
    assert error.short_reason == reason


@pytest.mark.parametrize(
    'status, code, codes, gone',
    [
        (404, 'database_snapshot_not_found', ('database_snapshot_not_found',), True),
        (404, None, (None, ''), True),
        (404, 'database_account_not_found', ('database_snapshot_not_found',), False),
        (404, None, ('database_snapshot_not_found',), False),
        (410, 'database_snapshot_not_found', ('database_snapshot_not_found',), False),
    ],
)
def test_is_gone_is_a_404_with_one_of_the_codes(status, code, codes, gone):
    assert CivoAPIError('DELETE', '/', status, code).is_gone(codes) is gone
