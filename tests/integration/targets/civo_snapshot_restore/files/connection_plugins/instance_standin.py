# -*- coding: utf-8 -*-
# Copyright: (c) 2026, civo.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""A stand-in for the SSH connection to an instance, for the runbook test (tasks/simulator_runbook.yml).

It runs what Ansible sends to the instance on this machine, as the local connection does, but marks it as the
instance's: every command gets CIVO_STANDIN_HOST (the host it was sent to) in its environment and is written to the log
file CIVO_STANDIN_LOG. The runbook is run with this as the default connection, so a task that ran on the instance
says so, and a task that ran on the controller (the local connection, which never goes through here) cannot.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
name: instance_standin
short_description: Run an instance's tasks locally, marked as the instance's (a test stand-in for ssh)
description:
  - Runs commands on this machine like the local connection, with the environment variable C(CIVO_STANDIN_HOST) set
    to the host they were sent to, and writes each command to the file named by C(CIVO_STANDIN_LOG).
author:
  - civo.cloud contributors (@civo-community)
'''

import os
import shlex

from ansible.plugins.connection.local import Connection as LocalConnection


class Connection(LocalConnection):
    """The local connection, marking every command as the instance's."""

    transport = 'instance_standin'

    def exec_command(self, cmd, in_data=None, sudoable=True):
        host = self._play_context.remote_addr
        with open(os.environ['CIVO_STANDIN_LOG'], 'a') as log:
            log.write('%s\t%s\n' % (host, cmd))
        return super(Connection, self).exec_command(
            'CIVO_STANDIN_HOST=%s %s' % (shlex.quote(host), cmd), in_data, sudoable
        )
