# -*- coding: utf-8 -*-
# Copyright: (c) 2026, civo.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The snapshot_api doc fragment, one variant per kind of module, documents the option exactly as
module.snapshot_api_argument_spec() defines it for that kind."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest
import yaml

from ansible_collections.civo.cloud.plugins.doc_fragments.snapshot_api import ModuleDocFragment
from ansible_collections.civo.cloud.plugins.module_utils.module import (
    BOTH_SNAPSHOT_APIS,
    INSTANCE_SNAPSHOT_API,
    NO_SNAPSHOT_API,
    snapshot_api_argument_spec,
)


@pytest.mark.parametrize(
    'documentation, serves',
    [
        (ModuleDocFragment.DOCUMENTATION, BOTH_SNAPSHOT_APIS),
        (ModuleDocFragment.INSTANCE_ONLY, INSTANCE_SNAPSHOT_API),
        (ModuleDocFragment.IGNORED, NO_SNAPSHOT_API),
    ],
    ids=['snapshot_api', 'snapshot_api.instance_only', 'snapshot_api.ignored'],
)
def test_each_variant_documents_the_option_exactly(documentation, serves):
    documented = yaml.safe_load(documentation)['options']
    spec = snapshot_api_argument_spec(serves)
    assert sorted(documented) == sorted(spec) == ['snapshot_api']
    doc, option = documented['snapshot_api'], spec['snapshot_api']
    assert doc['type'] == option['type']
    assert doc.get('default') == option.get('default')
    assert doc.get('choices') == option.get('choices')
    variables = (option.get('fallback') or (None, []))[1]
    for variable in variables:
        assert 'E(%s)' % variable in ' '.join(doc['description'])
    if not variables:  # a variable the module does not read is named only to say that it does not apply
        assert all('E(CIVO_SNAPSHOT_API)' not in line or 'does not apply' in line for line in doc['description'])
