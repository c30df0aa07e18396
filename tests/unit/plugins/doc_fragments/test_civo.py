# -*- coding: utf-8 -*-
# Copyright: (c) 2026, civo.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The civo doc fragment documents the connection options exactly as client.connection_argument_spec() defines them."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import yaml

from ansible_collections.civo.cloud.plugins.doc_fragments import civo
from ansible_collections.civo.cloud.plugins.module_utils.client import connection_argument_spec


def assert_documents_exactly(documentation, spec):
    """Every option of spec documented with its type, default, aliases, choices and environment variables; no other."""
    documented = yaml.safe_load(documentation)['options']
    assert sorted(documented) == sorted(spec)
    for name, option in spec.items():
        doc = documented[name]
        assert doc['type'] == option['type'], name
        assert doc.get('default') == option.get('default'), name
        assert sorted(doc.get('aliases', [])) == sorted(option.get('aliases', [])), name
        assert doc.get('choices') == option.get('choices'), name
        for variable in (option.get('fallback') or (None, []))[1]:
            assert 'E(%s)' % variable in ' '.join(doc['description']), name


def test_doc_fragment_documents_every_connection_option_exactly():
    assert_documents_exactly(civo.ModuleDocFragment.DOCUMENTATION, connection_argument_spec())


def test_the_token_is_never_logged():
    assert connection_argument_spec()['api_token']['no_log'] is True
