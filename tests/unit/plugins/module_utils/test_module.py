# -*- coding: utf-8 -*-
# Copyright: (c) 2026, civo.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""module.py, the skeleton of every module: fake modules built on it run in-process (the run fixture), against the
replaced wire, so that what the skeleton does with input, errors, the snapshot API and the retry report is seen in
the result ansible-core would get."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

import pytest
import requests

from ansible_collections.civo.cloud.plugins.module_utils import module as skeleton
from ansible_collections.civo.cloud.plugins.module_utils.errors import CivoError
from ansible_collections.civo.cloud.plugins.module_utils.module import (
    BOTH_SNAPSHOT_APIS,
    INSTANCE_SNAPSHOT_API,
    NO_SNAPSHOT_API,
    CivoModule,
    CivoResource,
    snapshot_api_argument_spec,
)

NO_RETRIES = dict(count=0, reasons={})


class Instances(CivoResource):
    """Lists the instances, then ends as the option `end` says: exit, a CivoError with a result, or a lookup failure."""

    def run(self):
        self.result = dict(listed=len(self.instances.all()), check_mode=self.check_mode, kept='resource')
        if self.params['end'] != 'exit':
            self.changed = True
        if self.params['end'] == 'error':
            raise CivoError('It went wrong.', snapshot={'name': 'n'}, kept='error')
        if self.params['end'] == 'lookup':
            self.instances.by_hostname('nope')


class SnapshotAPIInUse(CivoResource):
    """Says which snapshot API the skeleton chose for it (None: none), and warns."""

    def run(self):
        self.warn('a warning of the resource')
        self.result = dict(
            api=getattr(self.snapshots, 'name', None), advice=getattr(self.snapshots, 'unavailable_advice', None)
        )


def module(resource, serves=NO_SNAPSHOT_API, check_input=None):
    """The main() of a module of these options whose resource is `resource`."""
    spec = dict(end=dict(type='str', default='exit'), problems=dict(type='list', elements='str', default=[]))
    return lambda: CivoModule(spec, check_input=check_input, snapshot_api=serves).run(resource)


def problems_of(params):
    return [problem or None for problem in params['problems']]


LISTING = {'page': 1, 'pages': 1, 'items': [{'id': 'i-1', 'hostname': 'web-1'}]}


# Ending: exit and fail, each with the retry report


def test_the_result_is_the_resources_with_changed_and_retried_requests(run, wire):
    wire.queue(wire.reply(200, LISTING))
    result, failed = run(module(Instances), {})
    assert not failed and result['changed'] is False and result['retried_requests'] == NO_RETRIES
    assert (result['listed'], result['check_mode'], result['kept']) == (1, False, 'resource')


def test_check_mode_reaches_the_resource(run, wire):
    wire.queue(wire.reply(200, LISTING))
    result, failed = run(module(Instances), {}, check_mode=True)
    assert not failed and result['check_mode'] is True


def test_retried_requests_are_reported_in_the_exit(run, wire):
    wire.queue(wire.reply(503), wire.reply(429, headers={'Retry-After': '1'}), wire.reply(200, LISTING))
    result, failed = run(module(Instances), {})
    assert not failed and result['retried_requests'] == dict(count=2, reasons={'HTTP 503': 1, 'HTTP 429': 1})


def test_from_vvv_on_the_report_lists_each_retry(run, wire):
    wire.queue(requests.exceptions.ConnectionError('reset by peer'), wire.reply(200, LISTING))
    result, dummy = run(module(Instances), {}, verbosity=3)
    assert [attempt['request'] for attempt in result['retried_requests']['attempts']] == ['GET /v2/instances']


def test_an_error_fails_with_its_message_the_resources_result_and_its_own(run, wire):
    wire.queue(wire.reply(503), wire.reply(200, LISTING))
    result, failed = run(module(Instances), dict(end='error'))
    assert failed and result['msg'] == 'It went wrong.' and result['changed'] is True
    assert (result['listed'], result['snapshot'], result['kept']) == (
        1,
        {'name': 'n'},
        'error',
    )  # the error's result wins
    assert result['retried_requests'] == dict(count=1, reasons={'HTTP 503': 1})


def test_a_lookup_failure_is_a_failure_like_any_error_of_the_collection(run, wire):
    wire.queue(wire.reply(200, LISTING))
    result, failed = run(module(Instances), dict(end='lookup'))
    assert failed and result['msg'].startswith("No instance with hostname 'nope' (1 instances looked at)")
    assert result['retried_requests'] == NO_RETRIES and result['listed'] == 1


def test_an_api_error_fails_with_status_and_code_and_never_the_token(run, wire, token):
    wire.queue(*[wire.reply(500, {'code': 'oops', 'reason': 'key %s broke' % token})] * 2)
    result, failed = run(module(Instances), dict(api_retries=1))
    assert failed and result['changed'] is False
    assert (
        result['msg']
        == 'Civo API request GET /v2/instances failed after 2 attempts with HTTP 500 (oops): key ******** broke'
    )
    assert result['api_error']['status'] == 500 and result['retried_requests'] == dict(
        count=1, reasons={'HTTP 500 (oops)': 1}
    )
    assert token not in json.dumps(result)


def test_a_failure_before_the_resource_ran_has_no_result_of_it(run, wire):
    wire.queue(wire.reply(404, {'code': 'database_account_not_found'}))
    result, failed = run(module(Instances), {})
    assert failed and 'wrong or revoked API token' in result['msg'] and 'listed' not in result


class Creates(CivoResource):
    """POSTs a thing; after a lost answer, finds it."""

    def run(self):
        self.result = dict(created=self.api.post('/v2/things', {'name': 'n'}, lambda: {'id': 't-1', 'name': 'n'}))
        self.changed = True


def test_a_post_whose_lost_answer_was_found_again_says_so_in_the_report(run, wire):
    wire.queue(requests.exceptions.ReadTimeout('slow'))
    result, failed = run(module(Creates), {})
    assert not failed and result['created'] == {'id': 't-1', 'name': 'n'} and len(wire.calls) == 1
    assert result['retried_requests'] == dict(
        count=0,
        reasons={},
        lost_answers=[
            'POST /v2/things: the answer was lost (no answer within api_timeout=30s); what it created was found (t-1), '
            'so it was not sent again.'
        ],
    )


# Input, checked before any request


def test_every_input_problem_fails_at_once_before_any_request(run, wire):
    result, failed = run(
        module(Instances, check_input=problems_of), dict(problems=['name is bad.', '', 'max_age is bad.'])
    )
    assert failed and result['msg'] == 'name is bad. max_age is bad.'
    assert wire.calls == [] and result['changed'] is False and result['retried_requests'] == NO_RETRIES


@pytest.mark.parametrize(
    'options, message',
    [
        (dict(api_url='ftp://api.civo.com'), 'api_url must be an http:// or https:// URL'),
        (dict(api_timeout=0), 'api_timeout must be a positive number'),
        (dict(api_token=' '), 'No Civo API token'),
    ],
)
def test_connection_options_that_cannot_work_fail_before_any_request(run, wire, options, message):
    result, failed = run(module(Instances), options)
    assert failed and message in result['msg'] and wire.calls == []
    assert result['retried_requests'] == NO_RETRIES


def test_the_token_comes_from_the_environment_when_not_given(run, wire, monkeypatch, token):
    monkeypatch.delenv('CIVO_TOKEN', raising=False)
    result, failed = run(module(Instances), dict(api_token=None))
    assert failed and 'No Civo API token' in result['msg'] and wire.calls == []
    monkeypatch.setenv('CIVO_TOKEN', token)
    wire.queue(wire.reply(200, LISTING))
    result, failed = run(module(Instances), dict(api_token=None))
    assert not failed and [call['method'] for call in wire.calls] == ['GET']


# The snapshot API, chosen once


@pytest.mark.parametrize(
    'args, env, api',
    [
        ({}, None, 'account'),
        (dict(snapshot_api='instance'), None, 'instance'),
        ({}, 'instance', 'instance'),
        (dict(snapshot_api='account'), 'instance', 'account'),
    ],
)
def test_a_module_that_speaks_both_apis_gets_the_one_asked_for(run, monkeypatch, args, env, api):
    if env:
        monkeypatch.setenv('CIVO_SNAPSHOT_API', env)
    result, failed = run(module(SnapshotAPIInUse, BOTH_SNAPSHOT_APIS), args)
    assert not failed and result['api'] == api
    assert result['warnings'] == ['a warning of the resource']


@pytest.mark.parametrize('args', [{}, dict(snapshot_api='instance')])
def test_an_instance_only_module_gets_the_instance_api_with_its_own_advice(run, monkeypatch, args):
    monkeypatch.setenv('CIVO_SNAPSHOT_API', 'account')  # not for these modules
    result, failed = run(module(SnapshotAPIInUse, INSTANCE_SNAPSHOT_API), args)
    assert not failed and (result['api'], result['advice']) == ('instance', skeleton.NEEDS_THE_INSTANCE_API)


def test_an_instance_only_module_refuses_the_account_api_before_any_request_with_the_other_problems(run, wire):
    result, failed = run(
        module(Instances, INSTANCE_SNAPSHOT_API, problems_of), dict(snapshot_api='account', problems=['name is bad.'])
    )
    assert failed and wire.calls == []
    assert result['msg'] == (
        'name is bad. snapshot_api=account: this module speaks only the per-instance API family '
        '(snapshot_api=instance), which has no account-wide counterpart. Leave snapshot_api out (or set it to '
        'instance) for this task.'
    )


@pytest.mark.parametrize('snapshot_api', [None, 'account', 'instance'])
def test_a_module_to_which_the_api_means_nothing_ignores_the_option(run, snapshot_api):
    args = dict(snapshot_api=snapshot_api) if snapshot_api else {}
    result, failed = run(module(SnapshotAPIInUse, NO_SNAPSHOT_API), args)
    assert not failed and result['api'] is None


def test_an_unknown_snapshot_api_is_refused_by_the_argument_spec(run, wire):
    result, failed = run(module(Instances, BOTH_SNAPSHOT_APIS), dict(snapshot_api='volume'))
    assert failed and 'snapshot_api' in result['msg'] and wire.calls == []


def test_only_a_module_of_both_apis_has_a_default_and_the_environment_variable():
    both = snapshot_api_argument_spec(BOTH_SNAPSHOT_APIS)['snapshot_api']
    assert both['default'] == 'account' and both['fallback'][1] == ['CIVO_SNAPSHOT_API']
    assert both['choices'] == ['account', 'instance']
    for serves in (INSTANCE_SNAPSHOT_API, NO_SNAPSHOT_API):
        assert snapshot_api_argument_spec(serves) == dict(
            snapshot_api=dict(type='str', choices=['account', 'instance'])
        )


def test_a_resource_must_say_what_it_does():
    with pytest.raises(NotImplementedError):
        CivoResource.run(None)
