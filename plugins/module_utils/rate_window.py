# -*- coding: utf-8 -*-
# Copyright: (c) 2026, civo.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Civo's rate-limit window, shared by every process on this machine that uses the same API URL and token."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import contextlib
import hashlib
import json
import os
import time

try:
    import fcntl
except ImportError:  # not POSIX: each process paces on its own
    fcntl = None

# Two resets closer than this are the same rate-limit window (seen by two processes).
SAME_WINDOW_TOLERANCE = 1.0


class SharedRateWindow:
    """What this machine knows of the account's current rate-limit window, shared by every process through a small file.

    Each task of each fork is a process of its own; alone, each starts blind into a window that the others may have
    used up, and they collect 429s together. Here every request is counted against the window before it is sent, so
    that all processes using the same API URL and token stay within it. The file lives in Ansible's temporary folder
    of the user (remote_tmp, ~/.ansible/tmp by default) and holds only the window's end and the requests left; its
    name is a hash of the URL and token, so it says nothing of either. Best effort: where the file cannot be used,
    each process paces on its own.
    """

    def __init__(self, folder, base_url, token):
        digest = hashlib.sha256(('%s\n%s' % (base_url, token)).encode('utf-8')).hexdigest()[:32]
        self.path = os.path.join(folder, 'civo-cloud-ratelimit-%d-%s.json' % (os.getuid(), digest))

    @classmethod
    def for_module(cls, module, base_url, token):
        """The shared window of this API URL and token, or None where it cannot work."""
        if fcntl is None or not hasattr(os, 'getuid') or not hasattr(os, 'O_NOFOLLOW'):
            return None
        try:
            # The task's temporary folder (or the module's own, with pipelining) is made in remote_tmp, and removed
            # after.
            folder = os.path.dirname(os.path.normpath(module.tmpdir))
        # AnsibleModule.tmpdir raises a bare Exception when it cannot make the folder.
        except Exception:  # pylint: disable=broad-except
            return None
        return cls(folder, base_url, token) if folder else None

    def claim(self):
        """Count one request against the window. Returns 0, or the seconds until the window resets if it is used up."""
        with self._state(create=False) as state:
            now = time.time()
            if not _is_number(state.get('reset')) or not isinstance(state.get('left'), int) or state['reset'] <= now:
                return 0.0  # no current window known: the answer to this request will tell
            if state['left'] > 0:
                state['left'] -= 1
                return 0.0
            # Used up. If this process learnt that itself, its own pacing (or the retry of its 429) already waits.
            return 0.0 if state.get('pid') == os.getpid() else state['reset'] - now

    def note(self, reset_at, remaining):
        """An answer said `remaining` requests are left in the window that ends at `reset_at` (our clock)."""
        with self._state(create=True) as state:
            known = state.get('reset') if _is_number(state.get('reset')) else 0.0
            if reset_at > known + SAME_WINDOW_TOLERANCE:
                state.update(reset=reset_at, left=remaining, pid=os.getpid())  # a new window
            elif reset_at >= known - SAME_WINDOW_TOLERANCE:
                # The same window: answers arrive out of order, and requests claimed but not yet answered are not in
                # the API's count yet, so the lower figure is the true one.
                left = state.get('left')
                state.update(left=min(remaining, left) if isinstance(left, int) else remaining, pid=os.getpid())
            # else: an answer from a window that is already over

    @contextlib.contextmanager
    def _state(self, create):
        """The shared state, locked against the other processes; written back if changed."""
        flags = os.O_RDWR | os.O_NOFOLLOW | (os.O_CREAT if create else 0)
        try:
            fd = os.open(self.path, flags, 0o600)
        except OSError:
            if create:
                raise
            yield {}  # nothing shared yet
            return
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            if os.fstat(fd).st_uid != os.getuid():
                raise OSError('%s belongs to another user' % self.path)
            raw = os.read(fd, 4096)
            try:
                state = json.loads(raw.decode('utf-8')) if raw else {}
            except ValueError:
                state = {}  # half-written by a process that was killed: start over
            state = state if isinstance(state, dict) else {}
            before = dict(state)
            yield state
            if state != before:
                os.lseek(fd, 0, os.SEEK_SET)
                os.ftruncate(fd, 0)
                os.write(fd, json.dumps(state).encode('utf-8'))
        finally:
            os.close(fd)  # also releases the lock


def _is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)
