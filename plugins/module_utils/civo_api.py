# -*- coding: utf-8 -*-
# Copyright: (c) 2026, civo.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The one HTTP client every civo.cloud module talks to the Civo API through.

Everything about the wire lives here: the shared options, authentication,
retries with capped and jittered backoff, ``Retry-After`` and rate-limit
pacing, and turning any failure into one readable :class:`CivoAPIError`.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import random
import time
import traceback

from ansible.module_utils.basic import env_fallback, missing_required_lib
from ansible.module_utils.six.moves.urllib.parse import urlparse

REQUESTS_IMPORT_ERROR = None
try:
    import requests
except ImportError:
    requests = None
    REQUESTS_IMPORT_ERROR = traceback.format_exc()

COLLECTION_VERSION = '0.1.0'
DEFAULT_API_URL = 'https://api.civo.com'

# Statuses worth another try: Civo's rate limit and transient server trouble.
# Every call this collection makes is safe to repeat (PUT is an upsert by name,
# DELETE of a missing snapshot is a 404 that means "done").
RETRY_STATUSES = frozenset((429, 500, 502, 503, 504))
BACKOFF_BASE = 0.5
BACKOFF_CAP = 16.0
# A server asking us to come back later than this is not a blip; waiting that
# long inside a playbook task would look like a hang, so we fail instead.
MAX_RETRY_AFTER = 120.0
# When the rate-limit window is nearly used up, spread what is left of it over
# the time until it resets instead of running into 429s.
PACING_THRESHOLD = 5

LOOPBACK_HOSTS = ('localhost', '127.0.0.1', '::1')


def civo_argument_spec():
    """The connection options every civo.cloud module accepts (see the civo doc fragment)."""
    return dict(
        api_token=dict(type='str', no_log=True, aliases=['api_key'], fallback=(env_fallback, ['CIVO_TOKEN'])),
        api_url=dict(type='str', default=DEFAULT_API_URL, fallback=(env_fallback, ['CIVO_API_URL'])),
        region=dict(type='str', fallback=(env_fallback, ['CIVO_REGION'])),
        api_timeout=dict(type='int', default=30),
        api_retries=dict(type='int', default=5),
        validate_certs=dict(type='bool', default=True),
    )


class CivoAPIError(Exception):
    """A Civo API call that did not succeed, with everything a person needs to act on it."""

    def __init__(self, method, path, status=None, code=None, reason=None, details=None, cause=None, attempts=1):
        self.method = method
        self.path = path
        self.status = status
        self.code = code
        self.reason = reason
        self.details = details
        self.cause = cause
        self.attempts = attempts
        super(CivoAPIError, self).__init__(self.message)

    def __str__(self):
        return self.message

    @property
    def message(self):
        request = '%s %s' % (self.method, self.path)
        tries = ' after %d attempts' % self.attempts if self.attempts > 1 else ''
        if self.status is None:
            return 'Civo API request %s failed%s: %s' % (request, tries, self.cause)
        text = 'Civo API request %s failed%s with HTTP %s' % (request, tries, self.status)
        if self.code:
            text += ' (%s)' % self.code
        if self.reason:
            text += ': %s' % self.reason
        if self.details:
            text += ' [%s]' % self.details
        return text

    def as_result(self):
        """The structured part of the error, for fail_json(**error.as_result())."""
        return dict(api_error=dict(
            method=self.method, path=self.path, status=self.status,
            code=self.code, reason=self.reason, details=self.details,
        ))


def _retry_after_seconds(response):
    """Seconds the server asked us to wait (Retry-After, or the rate-limit reset), or None."""
    value = response.headers.get('Retry-After')
    if value:
        try:
            return max(0.0, float(value))
        except ValueError:
            return None  # an HTTP date: rare enough that plain backoff is fine
    if response.status_code == 429:
        reset = _int_header(response, 'X-Ratelimit-Reset')
        if reset:
            return max(0.0, reset - time.time())
    return None


def _int_header(response, name):
    try:
        return int(response.headers.get(name))
    except (TypeError, ValueError):
        return None


def backoff_delay(attempt):
    """Capped exponential backoff with jitter: half fixed, half random, so that forks spread out."""
    ceiling = min(BACKOFF_CAP, BACKOFF_BASE * (2 ** attempt))
    return ceiling / 2 + random.uniform(0, ceiling / 2)


class CivoAPI:
    """A session with the Civo API on behalf of one module run."""

    def __init__(self, module):
        self.module = module
        params = module.params
        if requests is None:
            module.fail_json(msg=missing_required_lib('requests'), exception=REQUESTS_IMPORT_ERROR)

        self.token = params['api_token']
        self.base_url = (params['api_url'] or DEFAULT_API_URL).rstrip('/')
        self.region = params['region']
        self.timeout = params['api_timeout']
        self.retries = params['api_retries']
        self._check_connection_options()

        self.session = requests.Session()
        self.session.verify = params['validate_certs']
        self.session.headers.update({
            'Authorization': 'bearer %s' % self.token,
            'Accept': 'application/json',
            'User-Agent': 'civo.cloud/%s (ansible-core; python-requests/%s)' % (COLLECTION_VERSION, requests.__version__),
        })
        self.requests_sent = 0
        self._pace_until = 0.0

    def _check_connection_options(self):
        """Fail before any request on options that cannot work."""
        if not self.token:
            self.module.fail_json(msg='No Civo API token: set the api_token option or the CIVO_TOKEN environment variable.')
        url = urlparse(self.base_url)
        if url.scheme not in ('http', 'https') or not url.hostname:
            self.module.fail_json(msg="api_url must be an http:// or https:// URL such as %s, got '%s'." % (DEFAULT_API_URL, self.base_url))
        if self.timeout is None or self.timeout <= 0:
            self.module.fail_json(msg='api_timeout must be a positive number of seconds, got %s.' % self.timeout)
        if self.retries is None or self.retries < 0:
            self.module.fail_json(msg='api_retries must be zero or more, got %s.' % self.retries)
        if url.scheme == 'http' and url.hostname not in LOOPBACK_HOSTS and not url.hostname.startswith('127.'):
            self.module.warn('api_url %s is plain http: the API token is sent unencrypted. Use https.' % self.base_url)

    # The verbs the modules use.
    def get(self, path, params=None):
        return self.request('GET', path, params=params)

    def put(self, path, data):
        return self.request('PUT', path, data=data)

    def delete(self, path):
        return self.request('DELETE', path)

    def request(self, method, path, params=None, data=None):
        """Send one API call, retrying what is safe to retry; return the decoded JSON body or raise CivoAPIError."""
        query = dict(params or {})
        if self.region:
            query['region'] = self.region
        url = self.base_url + path
        attempt = 0
        while True:
            attempt += 1
            self._pace()
            failure, wait = self._attempt(method, url, path, query, data, attempt)
            if failure is None:
                return wait  # on success _attempt hands back the body
            if wait is None or attempt > self.retries:
                raise failure
            time.sleep(wait)
            self._pace_until = 0.0  # the wait above already respected the window

    def _attempt(self, method, url, path, query, data, attempt):
        """One try. Returns (None, body) on success, else (error, seconds to wait before retrying or None)."""
        self.requests_sent += 1
        try:
            response = self.session.request(method, url, params=query, data=data, timeout=self.timeout)
        except requests.exceptions.SSLError as e:
            cause = 'TLS certificate verification failed (%s). Fix the certificate, or set validate_certs=false for a test endpoint.' % _short(e)
            return CivoAPIError(method, path, cause=cause, attempts=attempt), None
        except requests.exceptions.Timeout:
            cause = 'no answer within api_timeout=%ss' % self.timeout
            return CivoAPIError(method, path, cause=cause, attempts=attempt), backoff_delay(attempt - 1)
        except requests.exceptions.RequestException as e:
            cause = 'connection error: %s' % _short(e)
            return CivoAPIError(method, path, cause=cause, attempts=attempt), backoff_delay(attempt - 1)

        self._note_rate_limit(response)
        status = response.status_code
        if 200 <= status < 300:
            try:
                return None, response.json() if response.content else {}
            except ValueError:
                cause = 'HTTP %s with a body that is not JSON: %r' % (status, response.text[:80])
                return CivoAPIError(method, path, cause=cause, attempts=attempt), backoff_delay(attempt - 1)

        error = _error_from_response(method, path, response, attempt)
        if status not in RETRY_STATUSES:
            return error, None
        retry_after = _retry_after_seconds(response)
        if retry_after is None:
            return error, backoff_delay(attempt - 1)
        if retry_after > MAX_RETRY_AFTER:
            error.details = 'the API asked to retry after %ds' % retry_after
            return error, None
        # Honour the server's wish, plus a little jitter so that parallel forks do not return in lockstep.
        return error, retry_after + random.uniform(0, 0.25)

    def _note_rate_limit(self, response):
        remaining = _int_header(response, 'X-Ratelimit-Remaining')
        reset = _int_header(response, 'X-Ratelimit-Reset')
        if remaining is None or reset is None or remaining > PACING_THRESHOLD:
            self._pace_until = 0.0
            return
        window_left = max(0.0, reset - time.time())
        self._pace_until = time.time() + window_left / (remaining + 1)

    def _pace(self):
        delay = self._pace_until - time.time()
        if delay > 0:
            time.sleep(delay)


def _short(exception):
    text = str(exception)
    return text if len(text) <= 300 else text[:300] + '...'


def _error_from_response(method, path, response, attempt):
    """Civo answers errors as {"code", "reason", "details"}; anything else is reported as it came."""
    code = reason = details = None
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict):
        code = body.get('code')
        reason = body.get('reason') or body.get('message')
        details = body.get('details')
    elif response.text:
        reason = response.text.strip()[:200]
    return CivoAPIError(method, path, status=response.status_code, code=code, reason=reason, details=details, attempts=attempt)
