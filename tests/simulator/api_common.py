"""Pieces shared by both simulated API generations: the error they raise and parameter helpers."""

import datetime

BOOLEAN_WORDS = {'true': True, '1': True, 'yes': True, 'false': False, '0': False, 'no': False}


class ApiError(Exception):
    def __init__(self, status, code, reason):
        super().__init__(reason)
        self.status = status
        self.body = {'code': code, 'reason': reason}


def is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def scalar(value):
    """A repeated query/form parameter arrives as a list; the last one wins."""
    return value[-1] if isinstance(value, list) else value


def parse_bool(value, name, status=400):
    """true/false (or yes/no/1/0 as text) -> bool; anything else is an ApiError naming the parameter."""
    if isinstance(value, bool):
        return value
    word = str(value).strip().lower()
    if word not in BOOLEAN_WORDS:
        raise ApiError(status, 'parameter_invalid', '%s must be true or false, got %r' % (name, value))
    return BOOLEAN_WORDS[word]


def epoch_seconds(value):
    """ISO 8601 / RFC 3339 text (naive means UTC) or epoch seconds -> epoch seconds (ValueError when unreadable)."""
    if value is None or is_number(value):
        return value
    text = str(value).strip()
    if text.endswith('Z'):  # fromisoformat() before Python 3.11 rejects Z
        text = text[:-1] + '+00:00'
    parsed = datetime.datetime.fromisoformat(text)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=datetime.timezone.utc)
    return parsed.timestamp()
