# -*- coding: utf-8 -*-
# Copyright: (c) 2026, civo.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The shared options' documentation and their argument spec must not drift apart."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import yaml

from ansible_collections.civo.cloud.plugins.doc_fragments.civo import ModuleDocFragment
from ansible_collections.civo.cloud.plugins.module_utils.civo_api import civo_argument_spec


def test_doc_fragment_documents_every_shared_option_exactly():
    documented = yaml.safe_load(ModuleDocFragment.DOCUMENTATION)['options']
    spec = civo_argument_spec()
    assert sorted(documented) == sorted(spec)
    for name, option in spec.items():
        doc = documented[name]
        assert doc['type'] == option['type'], name
        assert doc.get('default') == option.get('default'), name
        assert sorted(doc.get('aliases', [])) == sorted(option.get('aliases', [])), name
        for variable in (option.get('fallback') or (None, []))[1]:
            assert 'E(%s)' % variable in ' '.join(doc['description']), name
