# -*- coding: utf-8 -*-
# Copyright: (c) 2026, civo.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""instances.py: the listing (every page, once per run), one instance by id, and the one hostname rule."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.civo.cloud.plugins.module_utils.errors import CivoAPIError, LookupFailed
from ansible_collections.civo.cloud.plugins.module_utils.instances import (
    INSTANCES_PER_PAGE,
    Instances,
    match_hostname,
    target,
)

LISTED = [
    {'id': '1', 'hostname': 'a', 'region': 'LON1'},
    {'id': '2', 'hostname': 'b', 'region': 'LON1'},
    {'id': '3', 'hostname': 'c', 'region': 'LON1'},
    {'id': '4', 'hostname': 'twin'},
    {'id': '5', 'hostname': 'twin'},
]


def pages(wire, *items):
    """The answers of GET /v2/instances cut into the pages given (lists of items)."""
    return [
        wire.reply(200, {'page': number, 'per_page': 2, 'pages': len(items), 'items': page})
        for number, page in enumerate(items, 1)
    ]


def test_the_listing_follows_every_page_and_asks_for_every_instance_in_one(wire):
    instances = Instances(wire.client(*pages(wire, LISTED[:2], LISTED[2:4], LISTED[4:]), region='LON1'))
    assert instances.all() == LISTED
    assert [(call['method'], call['url'], call['params']) for call in wire.calls] == [
        ('GET', 'https://api.civo.test/v2/instances', {'page': page, 'per_page': INSTANCES_PER_PAGE, 'region': 'LON1'})
        for page in (1, 2, 3)
    ]


def test_the_listing_is_read_once_however_many_lookups_unless_asked_fresh(wire):
    instances = Instances(wire.client(*pages(wire, LISTED) + pages(wire, LISTED[:1])))
    assert instances.by_hostname('a')['id'] == '1' and instances.by_hostname('c')['id'] == '3'
    assert instances.hostname_of('2') == 'b' and instances.with_hostname('twin') == LISTED[3:]
    assert len(wire.calls) == 1
    assert instances.with_hostname('b', fresh=True) == [] and len(wire.calls) == 2


@pytest.mark.parametrize('body', [{'items': None}, {}])
def test_an_empty_listing_is_no_instances(wire, body):
    assert Instances(wire.client(wire.reply(200, body))).all() == [] and len(wire.calls) == 1


def test_hostname_lookup_reads_every_page(wire):
    instances = Instances(wire.client(*pages(wire, LISTED[:2], LISTED[2:3])))
    assert instances.by_hostname('c')['id'] == '3'
    assert [call['params']['page'] for call in wire.calls] == [1, 2]


def test_match_hostname_finds_the_one_instance_of_that_name():
    assert match_hostname(LISTED, 'b') is LISTED[1]


@pytest.mark.parametrize('region, where', [(None, ''), ('LON1', ' in region LON1')])
def test_match_hostname_of_no_instance_says_how_many_were_looked_at(region, where):
    with pytest.raises(LookupFailed) as caught:
        match_hostname(LISTED, 'z', region)
    assert str(caught.value) == (
        "No instance with hostname 'z' (5 instances looked at%s). Check the name, or give the instance's ID." % where
    )


def test_match_hostname_of_several_instances_names_them():
    with pytest.raises(LookupFailed) as caught:
        match_hostname(LISTED, 'twin')
    assert (
        str(caught.value) == "Hostname 'twin' is ambiguous: 2 instances have it (4, 5). Give the instance's ID instead."
    )


def test_hostname_lookup_rejects_unknown_and_ambiguous_with_the_region_of_the_client(wire):
    instances = Instances(wire.client(*pages(wire, LISTED), region='FRA1'))
    with pytest.raises(LookupFailed, match="ambiguous: 2 instances have it"):
        instances.by_hostname('twin')
    with pytest.raises(LookupFailed, match=r"No instance with hostname 'z' \(5 instances looked at in region FRA1\)"):
        instances.by_hostname('z')
    assert instances.hostname_of('nope') is None


def test_target_is_id_hostname_and_region_the_given_ones_first():
    assert target(LISTED[0]) == dict(id='1', hostname='a', region='LON1')
    assert target(LISTED[3]) == dict(id='4', hostname='twin', region=None)
    assert target(LISTED[0], hostname='alias', region='FRA1') == dict(id='1', hostname='alias', region='FRA1')


def test_a_target_by_id_is_not_looked_up_and_one_by_hostname_is(wire):
    instances = Instances(wire.client(*pages(wire, LISTED), region='FRA1'))
    assert instances.target('i-given') == dict(id='i-given', hostname=None, region='FRA1')
    assert instances.target('i-given', 'web') == dict(id='i-given', hostname='web', region='FRA1')
    assert wire.calls == []
    assert instances.target(hostname='b') == dict(id='2', hostname='b', region='FRA1')
    assert len(wire.calls) == 1


def test_get_reads_one_instance_by_id(wire):
    instance = Instances(wire.client(wire.reply(200, LISTED[0]))).get('i/1')
    assert instance == LISTED[0] and wire.calls[0]['url'] == 'https://api.civo.test/v2/instances/i%2F1'


@pytest.mark.parametrize(
    'body, said',
    [
        ({'code': 'database_instance_not_found', 'reason': 'x'}, 'database_instance_not_found'),
        ({'reason': 'Not here'}, 'Not here'),
    ],
)
def test_get_of_an_unknown_id_is_a_lookup_failure_with_the_api_error(wire, body, said):
    with pytest.raises(LookupFailed) as caught:
        Instances(wire.client(wire.reply(404, body), region='LON1')).get('i-nope')
    assert str(caught.value) == (
        "No instance with id 'i-nope' in region LON1 (HTTP 404, %s). Check the ID, or give the hostname instead." % said
    )
    assert caught.value.result['api_error']['status'] == 404


@pytest.mark.parametrize('status, code', [(404, 'database_account_not_found'), (403, 'forbidden'), (500, 'oops')])
def test_get_leaves_other_errors_as_they_are(wire, status, code):
    with pytest.raises(CivoAPIError) as caught:
        Instances(wire.client(wire.reply(status, {'code': code}), api_retries=0)).get('i-1')
    assert caught.value.status == status and caught.value.code == code
