# -*- coding: utf-8 -*-
# Copyright: (c) 2026, civo.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    # The same as snapshot_api_argument_spec() in plugins/module_utils/module.py, for the three kinds of module (which
    # of Civo's snapshot APIs each speaks); tests/unit/plugins/doc_fragments/test_snapshot_api.py keeps them in step.
    DOCUMENTATION = r'''
options:
  snapshot_api:
    description:
      - Which of Civo's snapshot APIs to use. See the collection's guide "Which snapshot API?".
      - V(account) is the older account-wide API (C(/v2/snapshots)), where a snapshot name is unique in the account and
        taking a snapshot of an existing name replaces it at once. It supports O(ignore:safe) and O(ignore:cron_timing).
      - V(instance) is the current per-instance API (C(/v2/instances/:id/snapshots) and C(/v2/resourcesnapshots)), which
        Civo documents for CivoStack Enterprise private regions. Snapshots belong to an instance, names must be RFC 1123
        labels, and a snapshot is replaced only after its successor is complete. A region without it fails with a
        message that says so.
      - If not set, the value of the E(CIVO_SNAPSHOT_API) environment variable is used, then V(account).
      - Can be set once for several tasks with C(group/civo.cloud.civo) in C(module_defaults).
    type: str
    choices: [account, instance]
    default: account
    version_added: 0.2.0
'''

    # For the modules of the per-instance API family only (restore, schedules).
    INSTANCE_ONLY = r'''
options:
  snapshot_api:
    description:
      - Which of Civo's snapshot APIs to use. This module speaks only the per-instance API family (V(instance)), which
        has no counterpart in the account-wide API.
      - Accepted so that C(module_defaults) for C(group/civo.cloud.civo) can set O(snapshot_api) for every module of the
        group. V(instance), or not set, is the same; V(account) fails before any request, with a message that says so.
      - The E(CIVO_SNAPSHOT_API) environment variable does not apply to this module.
    type: str
    choices: [account, instance]
    version_added: 0.2.0
'''

    # For the modules to which the choice of snapshot API means nothing (instances are the same on both).
    IGNORED = r'''
options:
  snapshot_api:
    description:
      - Accepted so that C(module_defaults) for C(group/civo.cloud.civo) can set O(snapshot_api) for every module of the
        group, and ignored, because this module reads the same on both of Civo's snapshot APIs.
    type: str
    choices: [account, instance]
    version_added: 0.2.0
'''
