# -*- coding: utf-8 -*-
# Copyright: (c) 2026, civo.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The one HTTP client every civo.cloud module talks to the Civo API through (the transport).

Everything about the wire lives here: the connection options, authentication, retries with capped and jittered
backoff, ``Retry-After`` and rate-limit pacing, the rule that a POST is never resent blindly, and turning any failure
into one readable :class:`CivoAPIError`.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import email.utils
import ipaddress
import random
import re
import time
import traceback
from urllib.parse import urlparse

from ansible.module_utils.basic import env_fallback, missing_required_lib

from ansible_collections.civo.cloud.plugins.module_utils.errors import CivoAPIError, CivoError
from ansible_collections.civo.cloud.plugins.module_utils.rate_window import SharedRateWindow

REQUESTS_IMPORT_ERROR = None
try:
    import requests
except ImportError:
    requests = None
    REQUESTS_IMPORT_ERROR = traceback.format_exc()

COLLECTION_VERSION = '0.2.0'
DEFAULT_API_URL = 'https://api.civo.com'

# Statuses worth another try: Civo's rate limit and transient server trouble. GET, PUT (an upsert by name) and DELETE
# (a 404 afterwards means "done") are safe to repeat; a POST is not, see CivoAPI.post.
RETRY_STATUSES = frozenset((429, 500, 502, 503, 504))
BACKOFF_BASE = 0.5
BACKOFF_CAP = 16.0
# A server asking us to come back later than this is not a blip; waiting that
# long inside a playbook task would look like a hang, so we fail instead.
MAX_RETRY_AFTER = 120.0
# When the rate-limit window is nearly used up, spread what is left of it over
# the time until it resets instead of running into 429s.
PACING_THRESHOLD = 5
# Civo's rate limit is a fixed window of a minute: no reset is further away than
# that. A larger figure comes from a skewed clock and must not turn into a hang.
RATE_WINDOW_MAX = 60.0
# Beyond this difference between our clock and the API's Date header, times the
# API gives (X-Ratelimit-Reset, a Retry-After date) are read against its clock.
CLOCK_SKEW_TOLERANCE = 2.0

LOOPBACK_NAMES = ('localhost',)
# A token is printable ASCII without spaces. Anything else (a newline kept from a
# vault value or a file) would make requests reject the header and quote it back.
TOKEN_PATTERN = re.compile(r'^[\x21-\x7e]+$')


def connection_argument_spec():
    """The connection options every civo.cloud module accepts (the civo.cloud.civo doc fragment)."""
    return dict(
        api_token=dict(type='str', no_log=True, aliases=['api_key'], fallback=(env_fallback, ['CIVO_TOKEN'])),
        api_url=dict(type='str', default=DEFAULT_API_URL, fallback=(env_fallback, ['CIVO_API_URL'])),
        region=dict(type='str', fallback=(env_fallback, ['CIVO_REGION'])),
        api_timeout=dict(type='int', default=30),
        api_retries=dict(type='int', default=5),
        validate_certs=dict(type='bool', default=True),
    )


def _retry_after_seconds(response):
    """Seconds the server asked us to wait (Retry-After in seconds or as a date, or the rate-limit reset), or None."""
    value = response.headers.get('Retry-After')
    if value:
        try:
            return max(0.0, float(value))
        except ValueError:
            stamp = _http_date(value)
            return None if stamp is None else _seconds_until(stamp, response)
    if response.status_code == 429:
        reset = _int_header(response, 'X-Ratelimit-Reset')
        if reset:
            return min(RATE_WINDOW_MAX, _seconds_until(reset, response))
    return None


def _http_date(value):
    """An HTTP date (RFC 7231) as epoch seconds, or None."""
    try:
        parsed = email.utils.parsedate_tz(value)
        return None if parsed is None else float(email.utils.mktime_tz(parsed))
    except (TypeError, ValueError, OverflowError):
        return None


def _seconds_until(epoch, response):
    """Seconds from now until an epoch time the API gave, read against the API's clock when ours is off by much."""
    now = time.time()
    server_now = _http_date(response.headers.get('Date') or '')
    if server_now is not None and abs(server_now - now) > CLOCK_SKEW_TOLERANCE:
        now = server_now
    return max(0.0, epoch - now)


def _is_loopback(hostname):
    """Whether a URL's host is this machine: 'localhost' or a loopback IP literal (not a name like 127.example.com)."""
    if hostname in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(hostname).is_loopback
    except ValueError:
        return False


def _tls_reason(exception):
    """The certificate verification failure inside an SSLError ('self-signed certificate', ...), or None if it is
    another TLS error."""
    text = str(exception)
    match = re.search(r'certificate verify failed: (.*?)(?:\s*\(_ssl\.c:\d+\)|\'\)|"\)|$)', text)
    if match and match.group(1).strip():
        return 'certificate verify failed: %s' % match.group(1).strip()
    if 'CERTIFICATE_VERIFY_FAILED' in text or 'certificate verify failed' in text:
        return 'certificate verify failed'
    return None


def _int_header(response, name):
    try:
        return int(response.headers.get(name))
    except (TypeError, ValueError):
        return None


def backoff_delay(attempt):
    """Capped exponential backoff with jitter: half fixed, half random, so that forks spread out."""
    ceiling = min(BACKOFF_CAP, BACKOFF_BASE * (2**attempt))
    return ceiling / 2 + random.uniform(0, ceiling / 2)


class CivoAPI:
    """A session with the Civo API on behalf of one module run.

    module: the AnsibleModule, for its options, warnings, verbosity and temporary folder (the shared rate window).
    """

    def __init__(self, module):
        self.module = module
        params = module.params
        if requests is None:
            raise CivoError(missing_required_lib('requests'), exception=REQUESTS_IMPORT_ERROR)

        # Surrounding whitespace is never part of a token (a vault value or a file often ends with a newline).
        self.token = (params['api_token'] or '').strip()
        self.base_url = (params['api_url'] or DEFAULT_API_URL).rstrip('/')
        self.region = params['region']
        self.timeout = params['api_timeout']
        self.retries = params['api_retries']
        self._check_connection_options()

        # verify is also passed with every request: requests lets REQUESTS_CA_BUNDLE or CURL_CA_BUNDLE in the
        # environment override a session's verify=False (psf/requests#3829), which would ignore validate_certs=false.
        self.verify = params['validate_certs']
        self.session = requests.Session()
        self.session.verify = self.verify
        self.session.headers.update(
            {
                'Authorization': 'bearer %s' % self.token,
                'Accept': 'application/json',
                'User-Agent': 'civo.cloud/%s (ansible-core; python-requests/%s)'
                % (COLLECTION_VERSION, requests.__version__),
            }
        )
        self.requests_sent = 0
        self.retries_done = []  # one entry per retried attempt: see retry_report()
        self.lost_answers = []  # one line per POST whose answer was lost: see post()
        self._pace_until = 0.0
        self._shared_window = None  # found on first use: see _share()
        self._shared_window_looked_for = False

    def _check_connection_options(self):
        """Refuse, before any request, connection options that cannot work."""
        if not self.token:
            raise CivoError('No Civo API token: set the api_token option or the CIVO_TOKEN environment variable.')
        if not TOKEN_PATTERN.match(self.token):
            # Never quote the token: it is a secret even when it is malformed.
            raise CivoError(
                'The Civo API token has spaces, control or non-ASCII characters inside it; a token is only printable '
                'ASCII. Check how it is stored (whitespace around it is ignored).'
            )
        url = urlparse(self.base_url)
        if url.scheme not in ('http', 'https') or not url.hostname:
            raise CivoError(
                "api_url must be an http:// or https:// URL such as %s, got '%s'." % (DEFAULT_API_URL, self.base_url)
            )
        if self.timeout is None or self.timeout <= 0:
            raise CivoError('api_timeout must be a positive number of seconds, got %s.' % self.timeout)
        if self.retries is None or self.retries < 0:
            raise CivoError('api_retries must be zero or more, got %s.' % self.retries)
        if url.scheme == 'http' and not _is_loopback(url.hostname):
            self.module.warn('api_url %s is plain http: the API token is sent unencrypted. Use https.' % self.base_url)

    # The verbs the modules use.
    def get(self, path, params=None):
        return self.request('GET', path, params=params)

    def put(self, path, data=None, json_body=None):
        return self.request('PUT', path, data=data, json_body=json_body)

    def delete(self, path):
        return self.request('DELETE', path)

    def post(self, path, json_body, find_created):
        """POST json_body (it creates something): never resent blindly.

        When the answer is lost (no answer, a timeout, a 5xx, a body that is not JSON) the API may have done the request
        all the same. find_created() then looks for what it would have created and returns it in the shape of the
        answer, or None; only when nothing is there is the POST sent again (within api_retries). A 429 is a refusal, and
        is resent without looking. retry_report() says what was found.
        """
        return self.request('POST', path, json_body=json_body, find_created=find_created)

    def request(self, method, path, params=None, data=None, json_body=None, find_created=None):
        """Send one API call, retrying what is safe to retry; return the decoded JSON body or raise CivoAPIError.

        The older /v2/snapshots API takes form fields (data); the current API family takes a JSON body (json_body).
        """
        query = dict(params or {})
        if self.region:
            query['region'] = self.region
        url = self.base_url + path
        attempt = 0
        while True:
            attempt += 1
            self._pace()
            failure, wait = self._attempt(method, url, path, query, (data, json_body), attempt)
            if failure is None:
                return wait  # on success _attempt hands back the body
            # A 5xx, or a failure that is retried (a lost answer), may come after the API did the request; a 429 is a
            # refusal, and a failure that stopped the request being sent (a certificate error) is not retried.
            if (
                find_created is not None
                and failure.status != 429
                and (wait is not None or (failure.status or 0) >= 500)
            ):
                found = self._look_for_created(method, path, failure, find_created)
                if found is not None:
                    return found
            if wait is None or attempt > self.retries:
                raise failure
            self.retries_done.append(
                dict(
                    request='%s %s' % (method, path),
                    attempt=attempt,
                    reason=failure.short_reason,
                    waited=round(wait, 1),
                )
            )
            self._pause(wait)
            self._pace_until = 0.0  # the wait above already respected the window

    def _look_for_created(self, method, path, failure, find_created):
        """What a request whose answer was lost created, or None; recorded for retry_report()."""
        if failure.status is not None and failure.status < 500:
            return None  # a refusal: nothing was created
        request = '%s %s' % (method, path)
        try:
            found = find_created()
        except CivoAPIError as e:
            raise CivoError(
                'The answer to %s was lost (%s), and looking for what it may have created failed too: %s. It was not '
                'sent again, so that nothing is created twice; run the task again once the API answers.'
                % (request, failure.short_reason, e),
                **e.result,
            )
        if found is None:
            return None
        what = found.get('id') or found.get('name') if isinstance(found, dict) else None
        self.lost_answers.append(
            '%s: the answer was lost (%s); what it created was found (%s), so it was not sent again.'
            % (request, failure.short_reason, what or 'found')
        )
        return found

    def _attempt(self, method, url, path, query, body, attempt):
        """One try. Returns (None, body) on success, else (error, seconds to wait before retrying or None)."""
        self.requests_sent += 1
        data, json_body = body
        try:
            response = self.session.request(
                method, url, params=query, data=data, json=json_body, timeout=self.timeout, verify=self.verify
            )
        except requests.exceptions.SSLError as e:
            reason = _tls_reason(e)
            if reason:
                cause = (
                    'TLS certificate verification failed for %s (%s). Fix the certificate, or set validate_certs=false '
                    'for a test endpoint.' % (self.base_url, reason)
                )
                return self._error(method, path, cause=cause, attempts=attempt), None
            # Other TLS failures (a connection cut during the handshake) are as transient as any dropped connection.
            return self._error(method, path, cause='TLS error: %s' % _short(e), attempts=attempt), backoff_delay(
                attempt - 1
            )
        except requests.exceptions.Timeout:
            cause = 'no answer within api_timeout=%ss' % self.timeout
            return self._error(method, path, cause=cause, attempts=attempt), backoff_delay(attempt - 1)
        except (
            requests.exceptions.InvalidHeader,
            requests.exceptions.InvalidURL,
            requests.exceptions.MissingSchema,
            requests.exceptions.InvalidSchema,
        ) as e:
            # The request could not even be built: nothing to retry. The exception's text may quote a header, so it is
            # scrubbed like every message (and only its type is trusted to describe it).
            cause = 'the request could not be built (%s): %s' % (type(e).__name__, _short(e))
            return self._error(method, path, cause=cause, attempts=attempt), None
        except requests.exceptions.RequestException as e:
            cause = 'connection error (tried %s): %s' % (self.base_url, _connection_trouble(e))
            return self._error(method, path, cause=cause, attempts=attempt), backoff_delay(attempt - 1)

        self._note_rate_limit(response)
        status = response.status_code
        if 200 <= status < 300:
            try:
                return None, response.json() if response.content else {}
            except ValueError:
                cause = 'HTTP %s with a body that is not JSON: %r' % (status, response.text[:80])
                return self._error(method, path, cause=cause, attempts=attempt), backoff_delay(attempt - 1)

        error = _error_from_response(method, path, response, attempt)
        error.scrub(self.token)
        if status not in RETRY_STATUSES:
            return error, None
        retry_after = _retry_after_seconds(response)
        if retry_after is None:
            return error, backoff_delay(attempt - 1)
        if retry_after > MAX_RETRY_AFTER:
            error.details = 'the API asked to retry after %ds' % retry_after
            error.refresh()
            return error, None
        # Honour the server's wish, plus a little jitter so that parallel forks do not return in lockstep.
        return error, retry_after + random.uniform(0, 0.25)

    def retry_report(self):
        """How many attempts were retried and why, for the module's result; each retry itself from -vvv on."""
        reasons = {}
        for retry in self.retries_done:
            reasons[retry['reason']] = reasons.get(retry['reason'], 0) + 1
        report = dict(count=len(self.retries_done), reasons=reasons)
        if self.lost_answers:
            report['lost_answers'] = list(self.lost_answers)
        if getattr(self.module, '_verbosity', 0) >= 3:
            report['attempts'] = list(self.retries_done)
        return report

    def _error(self, method, path, **kwargs):
        """A CivoAPIError whose texts cannot carry the token, whatever a library put in them."""
        error = CivoAPIError(method, path, **kwargs)
        error.scrub(self.token)
        return error

    def _note_rate_limit(self, response):
        remaining = _int_header(response, 'X-Ratelimit-Remaining')
        reset = _int_header(response, 'X-Ratelimit-Reset')
        if remaining is None or reset is None:
            self._pace_until = 0.0
            return
        window_left = min(RATE_WINDOW_MAX, _seconds_until(reset, response))
        self._share(lambda window: window.note(time.time() + window_left, remaining))
        if remaining > PACING_THRESHOLD:
            self._pace_until = 0.0
            return
        self._pace_until = time.time() + window_left / (remaining + 1)

    def _pace(self):
        delay = self._pace_until - time.time()
        if delay > 0:
            self._pause(delay)
        # Count this request against the window the other processes see; if they have used it up, wait for the next one.
        for dummy in range(3):
            wait = self._share(lambda window: window.claim()) or 0.0
            if wait <= 0:
                return
            self._pause(min(wait, RATE_WINDOW_MAX) + random.uniform(0, 0.25))

    @staticmethod
    def _pause(seconds):
        """The client's one sleep: between retries, and to pace requests within the rate-limit window."""
        time.sleep(seconds)

    def _share(self, use):
        """use(shared window) if there is one; a shared window that fails is dropped (pacing stays per process)."""
        if not self._shared_window_looked_for:
            self._shared_window_looked_for = True
            self._shared_window = SharedRateWindow.for_module(self.module, self.base_url, self.token)
        if self._shared_window is None:
            return None
        try:
            return use(self._shared_window)
        except (OSError, ValueError):
            self._shared_window = None
            return None


def _short(exception):
    text = str(exception)
    return text if len(text) <= 300 else text[:300] + '...'


# What a dropped connection says, deep inside urllib3's text ("HTTPConnectionPool(...): Max retries exceeded with url:
# ... (Caused by NewConnectionError('<...>: Failed to establish a new connection: [Errno 111] Connection refused'))").
CONNECTION_TROUBLE = (
    (re.compile(r'\[Errno -?\d+\] ([^\'"\)]+)'), None),
    (
        re.compile(r'RemoteDisconnected|without response|Connection aborted'),
        'the connection was closed without an answer',
    ),
    (re.compile(r'Connection reset'), 'the connection was reset'),
)


def _connection_trouble(exception):
    """What went wrong with the connection, in a few plain words (the library's whole text only when nothing
    matches)."""
    text = str(exception)
    for pattern, plain in CONNECTION_TROUBLE:
        match = pattern.search(text)
        if match:
            return plain or match.group(1).strip().rstrip('.')
    return _short(exception)


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
    return CivoAPIError(
        method, path, status=response.status_code, code=code, reason=reason, details=details, attempts=attempt
    )
