# -*- coding: utf-8 -*-
# Copyright: (c) 2026, civo.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The skeleton of every civo.cloud module: its shared options, the one client, the snapshot API chosen once, and the
one place where a run ends, with ``retried_requests`` in the result whether it succeeded or failed.

A module is its documentation, its argument spec, an input check and a resource class; its main() is::

    CivoModule(ARGUMENT_SPEC, check_input=check_input, snapshot_api=BOTH_SNAPSHOT_APIS).run(MyResource)

The resource (a :class:`CivoResource`) does the work in run(), fills its `result`, sets `changed` once something
changed, and raises a CivoError (errors.py) when it cannot go on; it never calls exit_json or fail_json.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.module_utils.basic import AnsibleModule, env_fallback

from ansible_collections.civo.cloud.plugins.module_utils.account_snapshots import AccountSnapshots
from ansible_collections.civo.cloud.plugins.module_utils.client import CivoAPI, connection_argument_spec
from ansible_collections.civo.cloud.plugins.module_utils.errors import CivoError
from ansible_collections.civo.cloud.plugins.module_utils.instance_snapshots import InstanceSnapshots
from ansible_collections.civo.cloud.plugins.module_utils.instances import Instances

SNAPSHOT_APIS = {'account': AccountSnapshots, 'instance': InstanceSnapshots}
DEFAULT_SNAPSHOT_API = 'account'
# What a module does with the snapshot_api option (which every module of the action group accepts, so that
# module_defaults for group/civo.cloud.civo can set it once):
BOTH_SNAPSHOT_APIS = 'both'  # speaks either (default account, or E(CIVO_SNAPSHOT_API))
INSTANCE_SNAPSHOT_API = 'instance'  # speaks only the per-instance API family: account is refused before any request
NO_SNAPSHOT_API = None  # the option means nothing to it (instances are the same on both): ignored
# The end of the error of a region without the per-instance API, for a module that has no other API to offer.
NEEDS_THE_INSTANCE_API = 'This module needs that API. Nothing was changed.'


def snapshot_api_argument_spec(serves=BOTH_SNAPSHOT_APIS):
    """The snapshot_api option (the civo.cloud.snapshot_api doc fragments)."""
    option = dict(type='str', choices=sorted(SNAPSHOT_APIS))
    if serves == BOTH_SNAPSHOT_APIS:
        option.update(default=DEFAULT_SNAPSHOT_API, fallback=(env_fallback, ['CIVO_SNAPSHOT_API']))
    return dict(snapshot_api=option)


def snapshot_api_problem(params, serves):
    """Why the snapshot_api asked for is one the module cannot speak, or None."""
    if serves == INSTANCE_SNAPSHOT_API and params.get('snapshot_api') == 'account':
        return (
            'snapshot_api=account: this module speaks only the per-instance API family (snapshot_api=instance), which '
            'has no account-wide counterpart. Leave snapshot_api out (or set it to instance) for this task.'
        )
    return None


class CivoModule:
    """One run of a civo.cloud module.

    argument_spec: the module's own options (the connection options and snapshot_api are added); check_input(params):
    the list of problems of the input, checked before any request (None entries are rules that passed); snapshot_api:
    BOTH_SNAPSHOT_APIS, INSTANCE_SNAPSHOT_API or NO_SNAPSHOT_API; the other keywords go to AnsibleModule.
    """

    def __init__(self, argument_spec, check_input=None, snapshot_api=NO_SNAPSHOT_API, **module_options):
        spec = connection_argument_spec()
        spec.update(snapshot_api_argument_spec(snapshot_api))
        spec.update(argument_spec)
        self.module = AnsibleModule(argument_spec=spec, supports_check_mode=True, **module_options)
        self.params = self.module.params
        self.serves = snapshot_api
        self.check_input = check_input or (lambda params: [])
        self.api = self.instances = self.snapshots = None

    def run(self, resource_class):
        """Check the input, connect, run the resource; end the module with its result, or with the error it raised."""
        resource = None
        try:
            self.fail_on_problems(self.check_input(self.params) + [snapshot_api_problem(self.params, self.serves)])
            self.connect()
            resource = resource_class(self)
            resource.run()
        except CivoError as error:
            self.fail(error, resource)
        self.exit(resource)

    def connect(self):
        """The one client, the one instance lookup, and the snapshot API the task asked for (chosen here, once)."""
        self.api = CivoAPI(self.module)
        self.instances = Instances(self.api)
        if self.serves == BOTH_SNAPSHOT_APIS:
            self.snapshots = SNAPSHOT_APIS[self.params['snapshot_api'] or DEFAULT_SNAPSHOT_API](self.api)
        elif self.serves == INSTANCE_SNAPSHOT_API:
            self.snapshots = InstanceSnapshots(self.api, unavailable_advice=NEEDS_THE_INSTANCE_API)

    @staticmethod
    def fail_on_problems(problems):
        """Every problem of the input at once, as one error (None entries are the rules that passed)."""
        problems = [problem for problem in problems if problem]
        if problems:
            raise CivoError(' '.join(problems))

    def retried_requests(self):
        return self.api.retry_report() if self.api else dict(count=0, reasons={})

    def exit(self, resource):
        self.module.exit_json(changed=resource.changed, retried_requests=self.retried_requests(), **resource.result)

    def fail(self, error, resource=None):
        result = dict(resource.result if resource else {}, **error.result)
        self.module.fail_json(
            msg=error.message,
            changed=bool(resource and resource.changed),
            retried_requests=self.retried_requests(),
            **result,
        )


class CivoResource:
    """The work of one module run, on the shared pieces the skeleton made (civo: the CivoModule)."""

    def __init__(self, civo):
        self.module = civo.module
        self.params = civo.params
        self.check_mode = civo.module.check_mode
        self.api = civo.api
        self.instances = civo.instances
        self.snapshots = civo.snapshots
        self.changed = False
        self.result = {}  # what the task returns besides changed and retried_requests, also when it fails

    def run(self):
        raise NotImplementedError

    def warn(self, message):
        self.module.warn(message)
