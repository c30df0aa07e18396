# -*- coding: utf-8 -*-
# Copyright: (c) 2026, civo.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The errors of civo.cloud: one base, CivoError, and the few kinds a caller tells apart.

Code raises; the module skeleton (module.py) is the one place that turns an error into the task's failure. An error
carries the message for the user and what the task's result should hold besides it (the snapshot as it is now, the
API's answer, ...), so that a failure still says what exists.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

# What Civo answers for a wrong, revoked or badly scoped token. The real service says 404 database_account_not_found
# ("The account could not be found"), which reads like a missing resource unless the message says what it means.
TOKEN_REJECTED_CODES = frozenset(
    (
        'database_account_not_found',
        'authentication_failed',
        'authentication_invalid_key',
        'authentication_access_denied',
        'requires_authentication',
    )
)
TOKEN_REJECTED_HINT = (
    'Civo answers this for a wrong or revoked API token: check api_token (or CIVO_TOKEN) and that it belongs to the '
    'account and region you mean.'
)


class CivoError(Exception):
    """Every error of the collection: a message for the user, and what the task's result carries besides it."""

    def __init__(self, message, **result):
        super(CivoError, self).__init__(message)
        self.message = message
        self.result = result

    def __str__(self):
        return self.message


class LookupFailed(CivoError):
    """What a task names (a hostname, a snapshot, a schedule) names nothing, or several things."""


class WaitFailed(CivoError):
    """A wait ended without reaching the state it waited for: a timeout, a failure, or the thing vanished."""


class CivoAPIError(CivoError):
    """A Civo API request that did not succeed, with everything a person needs to act on it."""

    def __init__(self, method, path, status=None, code=None, reason=None, details=None, cause=None, attempts=1):
        self.method = method
        self.path = path
        self.status = status
        self.code = code
        self.reason = reason
        self.details = details
        self.cause = cause
        self.attempts = attempts
        super(CivoAPIError, self).__init__('')
        self.refresh()

    def _text(self):
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
        if self.status in (401, 403, 404) and self.code in TOKEN_REJECTED_CODES:
            text += '. ' + TOKEN_REJECTED_HINT
        return text

    def scrub(self, secret):
        """Mask a secret wherever a text of this error could quote it (an API or a library echoing a header)."""
        if not secret:
            return
        for field in ('reason', 'details', 'cause'):
            value = getattr(self, field)
            if isinstance(value, str) and secret in value:
                setattr(self, field, value.replace(secret, '********'))
        self.refresh()

    def refresh(self):
        """Work the message and the result's api_error out from the fields (again, after one changed)."""
        self.message = self._text()
        self.args = (self.message,)
        self.result = dict(
            api_error=dict(
                method=self.method,
                path=self.path,
                status=self.status,
                code=self.code,
                reason=self.reason,
                details=self.details,
            )
        )

    @property
    def short_reason(self):
        """Why the attempt failed, in a few words: 'HTTP 503', 'HTTP 429 (rate_limit)' or the kind of connection
        trouble."""
        if self.status is None:
            return (self.cause or 'error').split(':')[0].split(' (')[0]
        return 'HTTP %s%s' % (self.status, ' (%s)' % self.code if self.code else '')

    def is_gone(self, codes):
        """Whether this is a 404 that says the thing asked for is not there (its code one of `codes`, None for no
        code)."""
        return self.status == 404 and self.code in codes
