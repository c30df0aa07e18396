# -*- coding: utf-8 -*-
# Copyright: (c) 2026, civo.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The one place that chooses which of Civo's snapshot APIs a module speaks (the ``snapshot_api`` option)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.module_utils.basic import env_fallback

from ansible_collections.civo.cloud.plugins.module_utils.civo_api import CivoAPI
from ansible_collections.civo.cloud.plugins.module_utils.snapshot_account import AccountSnapshots
from ansible_collections.civo.cloud.plugins.module_utils.snapshot_instance import InstanceSnapshots

BACKENDS = {
    'account': AccountSnapshots,
    'instance': InstanceSnapshots,
}
SNAPSHOT_API_CHOICES = ('account', 'instance')
DEFAULT_SNAPSHOT_API = 'account'


def snapshot_api_argument_spec():
    """The snapshot_api option (see the civo.cloud.snapshot_api doc fragment)."""
    return dict(
        snapshot_api=dict(type='str', choices=list(SNAPSHOT_API_CHOICES), default=DEFAULT_SNAPSHOT_API,
                          fallback=(env_fallback, ['CIVO_SNAPSHOT_API'])),
    )


def snapshot_backend(module, api=None):
    """The snapshot backend for the module's snapshot_api, talking through api (a CivoAPI of the module by default)."""
    api = api or CivoAPI(module)
    return BACKENDS[module.params.get('snapshot_api') or DEFAULT_SNAPSHOT_API](api)
