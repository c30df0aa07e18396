# -*- coding: utf-8 -*-
# Copyright: (c) 2026, civo.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The shared options' documentation and their argument spec must not drift apart."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import yaml

import pytest

from ansible_collections.civo.cloud.plugins.doc_fragments import civo, snapshot_api
from ansible_collections.civo.cloud.plugins.module_utils.civo_api import civo_argument_spec
from ansible_collections.civo.cloud.plugins.module_utils.snapshot_backend import snapshot_api_argument_spec


@pytest.mark.parametrize('fragment, spec', [
    (civo.ModuleDocFragment, civo_argument_spec()),
    (snapshot_api.ModuleDocFragment, snapshot_api_argument_spec()),
], ids=['civo', 'snapshot_api'])
def test_doc_fragment_documents_every_shared_option_exactly(fragment, spec):
    documented = yaml.safe_load(fragment.DOCUMENTATION)['options']
    assert sorted(documented) == sorted(spec)
    for name, option in spec.items():
        doc = documented[name]
        assert doc['type'] == option['type'], name
        assert doc.get('default') == option.get('default'), name
        assert sorted(doc.get('aliases', [])) == sorted(option.get('aliases', [])), name
        assert doc.get('choices') == option.get('choices'), name
        for variable in (option.get('fallback') or (None, []))[1]:
            assert 'E(%s)' % variable in ' '.join(doc['description']), name
