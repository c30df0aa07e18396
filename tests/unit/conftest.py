# -*- coding: utf-8 -*-
# Copyright: (c) 2026, civo.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""What every unit test shares.

- ``clock`` (for every test): a virtual clock in place of the time of the code under test, so that no wait, backoff or
  pacing takes real time; every sleep is recorded in ``clock.slept``.
- ``wire`` (for every test): requests' ``Session.request`` replaced, so that nothing leaves the process and the real
  client (client.py) runs. It answers what a test queued, else what the in-memory region plugged into it answers.
- ``civo``, ``civo_instance``, ``civo_restore``, ``civo_schedules``: in-memory Civo regions (in_memory_civo.py) plugged
  into the wire.
- ``run``: a module's main() run in-process with the arguments ansible-core would hand it, on every supported core.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import contextlib
import json
import time
from urllib.parse import urlparse

import pytest
import requests

from ansible.module_utils import basic
from ansible.module_utils.common.text.converters import to_bytes

from ansible_collections.civo.cloud.plugins.module_utils import client, rate_window, snapshot_restores, waiting
from ansible_collections.civo.cloud.plugins.module_utils.client import CivoAPI
from ansible_collections.civo.cloud.plugins.module_utils.errors import CivoAPIError

from .in_memory_civo import AccountRegion, InstanceRegion, RestoreRegion, ScheduleRegion

try:
    from ansible.module_utils.testing import patch_module_args
except ImportError:  # ansible-core < 2.19 reads the arguments from the JSON in basic._ANSIBLE_ARGS

    @contextlib.contextmanager
    def patch_module_args(args):
        saved = basic._ANSIBLE_ARGS
        basic._ANSIBLE_ARGS = to_bytes(json.dumps({'ANSIBLE_MODULE_ARGS': args}))
        try:
            yield
        finally:
            basic._ANSIBLE_ARGS = saved


TOKEN = 'unit-secret-token-0123456789'
# The modules of the collection that read the time: each gets the virtual clock.
TIMED_MODULES = (waiting, client, rate_window, snapshot_restores)


@pytest.fixture
def token():
    """The API token every client and module of the unit tests is given: it must never appear in their output."""
    return TOKEN


class VirtualTime:
    """time() and sleep() of a virtual clock: sleeping moves it on at once, and every sleep is recorded."""

    def __init__(self, start=None):
        self.now = time.time() if start is None else start
        self.slept = []

    def time(self):
        return self.now

    def sleep(self, seconds):
        self.slept.append(seconds)
        self.now += seconds


@pytest.fixture(autouse=True)
def clock(monkeypatch):
    """The virtual clock, starting at the real time (so that times the tests write into headers read right)."""
    virtual = VirtualTime()
    for module in TIMED_MODULES:
        monkeypatch.setattr(module, 'time', virtual)
    return virtual


def reply(status=200, body=None, headers=None, text=None):
    """A requests.Response: JSON of body (an empty object by default), or text as it is."""
    response = requests.Response()
    response.status_code = status
    response._content = (text if text is not None else json.dumps(body if body is not None else {})).encode()
    response.headers.update(headers or {})
    return response


class FakeModule:
    """The part of AnsibleModule the client uses: its options, warn(), the verbosity, and tmpdir where a test gives
    one."""

    def __init__(self, verbosity=0, tmpdir=None, **params):
        self.params = dict(
            api_token=TOKEN,
            api_url='https://api.civo.test',
            region=None,
            api_timeout=5,
            api_retries=3,
            validate_certs=True,
        )
        self.params.update(params)
        self.warnings = []
        self._verbosity = verbosity
        if tmpdir is not None:
            self.tmpdir = tmpdir

    def warn(self, message):
        self.warnings.append(message)


class Wire:
    """requests' Session.request of every session.

    Each request gets, in this order: the answer of a fault set for its method (see fault()), the next answer queued
    (queue()), else the answer of the region plugged in (an in-memory Civo region whose CivoAPIErrors become the HTTP
    errors Civo sends). An answer is a requests.Response (see reply()) or an exception to raise. Every call is recorded.
    """

    reply = staticmethod(reply)

    def __init__(self):
        self.calls = []
        self.queued = []
        self.faults = []
        self.region = None

    def queue(self, *answers):
        self.queued.extend(answers)

    def fault(self, method, answer, carried_out=False):
        """The next `method` request gets `answer`: carried out by the region first (carried_out: its answer is lost
        on the way back), or not at all (a refusal, or a request that never arrived)."""
        self.faults.append((method, answer, carried_out))

    def client(self, *answers, **options):
        """A CivoAPI of a FakeModule(**options) (verbosity, tmpdir, the connection options), with `answers` queued."""
        self.queue(*answers)
        return CivoAPI(FakeModule(**options))

    def __call__(self, method, url, params=None, data=None, json=None, **kwargs):
        self.calls.append(dict(kwargs, method=method, url=url, params=params, data=data, json=json))
        fault = next((item for item in self.faults if item[0] == method), None)
        if fault is not None:
            self.faults.remove(fault)
            dummy, answer, carried_out = fault
            if carried_out:
                self.answer_of_region(method, url, params, data, json)
            return self.give(answer)
        if self.queued:
            return self.give(self.queued.pop(0))
        if self.region is None:
            raise AssertionError('no answer for %s %s: queue one, or plug in a region' % (method, url))
        return self.answer_of_region(method, url, params, data, json)

    @staticmethod
    def give(answer):
        if isinstance(answer, Exception):
            raise answer
        return answer

    def answer_of_region(self, method, url, params, data, json_body):
        try:
            body = self.region.request(method, urlparse(url).path, params=params, data=data, json_body=json_body)
        except CivoAPIError as e:
            return reply(e.status, dict(code=e.code, reason=e.reason, details=e.details))
        return reply(200, body)


@pytest.fixture(autouse=True)
def wire(monkeypatch):
    """The replaced transport (for every test: no unit test reaches the network)."""
    fake = Wire()
    monkeypatch.setattr(requests.Session, 'request', lambda session, method, url, **kwargs: fake(method, url, **kwargs))
    return fake


@pytest.fixture
def civo(wire):
    """A region of the account-wide snapshot API (snapshot_api=account), behind the wire."""
    wire.region = AccountRegion()
    return wire.region


@pytest.fixture
def civo_instance(wire):
    """A region with the per-instance snapshot API (snapshot_api=instance), behind the wire."""
    wire.region = InstanceRegion()
    return wire.region


@pytest.fixture
def civo_restore(wire):
    """A region with instances and their snapshots that can be restored, behind the wire."""
    wire.region = RestoreRegion()
    return wire.region


@pytest.fixture
def civo_schedules(wire):
    """A region with snapshot schedules, behind the wire."""
    wire.region = ScheduleRegion()
    return wire.region


class ModuleExit(Exception):
    def __init__(self, result, failed):
        super(ModuleExit, self).__init__(result)
        self.result = result
        self.failed = failed


@pytest.fixture
def run(monkeypatch, tmp_path):
    """run(module, args, check_mode=False, verbosity=0) -> (result, failed).

    module: a module (its main() runs) or any callable that builds and runs an AnsibleModule; args: its arguments, the
    token of the token fixture unless given (None means not given). The result has the
    warnings of the run under 'warnings'. The module's temporary folder is in tmp_path, so the shared rate-limit
    window (rate_window.py) lives there too.
    """

    def exit_json(self, **result):
        raise ModuleExit(result, False)

    def fail_json(self, **result):
        raise ModuleExit(result, True)

    monkeypatch.setattr(basic.AnsibleModule, 'exit_json', exit_json)
    monkeypatch.setattr(basic.AnsibleModule, 'fail_json', fail_json)
    warnings = []
    monkeypatch.setattr(basic.AnsibleModule, 'warn', lambda self, message: warnings.append(message))
    module_tmp = tmp_path / 'ansible-moduletmp-unit'
    module_tmp.mkdir()

    def run_module(module, args, check_mode=False, verbosity=0):
        # An argument given as None is one not given (so that a fallback such as CIVO_TOKEN applies).
        args = dict((key, value) for key, value in dict(dict(api_token=TOKEN), **args).items() if value is not None)
        args.update(
            _ansible_check_mode=check_mode,
            _ansible_diff=True,
            _ansible_verbosity=verbosity,
            _ansible_tmpdir=str(module_tmp),
        )
        main = getattr(module, 'main', module)
        with patch_module_args(args):
            try:
                main()
            except ModuleExit as done:
                done.result['warnings'] = list(warnings)
                del warnings[:]
                return done.result, done.failed
        raise AssertionError('the module neither exited nor failed')

    return run_module
