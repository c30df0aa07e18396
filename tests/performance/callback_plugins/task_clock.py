"""Benchmark helper: a callback that writes when each task started and returned, one JSON line per event.

Enabled only by the benchmark (ANSIBLE_CALLBACK_PLUGINS pointing here, ANSIBLE_CALLBACKS_ENABLED=task_clock) for the
runs that need the moment a task returned to the controller (the wait case), need to split the simulator's request
log by task (the requests case) or count module runs (the fleet case: a loop's items are events of their own, 'item').
Never enabled for the timed rounds of cases 1 and 2: there it would add its own cost (a line written) to every task; a
fleet run's tasks last far longer than that.
"""

import json
import os
import time

from ansible.plugins.callback import CallbackBase

DOCUMENTATION = '''
name: task_clock
type: aggregate
short_description: Record task start and return times for the civo.cloud benchmark
description:
  - Appends one JSON object a line to the file named by the environment variable E(BENCH_TASK_CLOCK_FILE).
requirements:
  - enable in configuration
'''


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = 'aggregate'
    CALLBACK_NAME = 'task_clock'
    CALLBACK_NEEDS_ENABLED = True

    def _write(self, entry):
        path = os.environ.get('BENCH_TASK_CLOCK_FILE')
        if path:
            with open(path, 'a', encoding='utf-8') as clock_file:
                clock_file.write(json.dumps(entry) + '\n')

    def v2_playbook_on_task_start(self, task, is_conditional):
        self._write({'event': 'start', 'time': time.time(), 'task': task.get_name(), 'action': _action(task)})

    def _returned(self, result, status, event='return'):
        body = result.result
        snapshot = body.get('snapshot') if isinstance(body.get('snapshot'), dict) else {}
        # A loop's own return carries every item's result in 'results'; the items were events of their own.
        self._write(
            {
                'event': event,
                'time': time.time(),
                'task': result.task_name,
                'action': _action(result.task),
                'status': status,
                'loop': isinstance(body.get('results'), list),
                'changed': bool(body.get('changed')),
                'snapshot_status': snapshot.get('status'),
                'msg': body.get('msg'),
                # An action plugin that runs its module several times says how many (civo_snapshot_backup).
                'module_runs': body.get('module_runs') if isinstance(body.get('module_runs'), int) else None,
            }
        )

    def v2_runner_on_ok(self, result):
        self._returned(result, 'ok')

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._returned(result, 'failed')

    def v2_runner_on_skipped(self, result):
        self._returned(result, 'skipped')

    def v2_runner_on_unreachable(self, result):
        self._returned(result, 'unreachable')

    def v2_runner_item_on_ok(self, result):
        self._returned(result, 'ok', event='item')

    def v2_runner_item_on_failed(self, result):
        self._returned(result, 'failed', event='item')

    def v2_runner_item_on_skipped(self, result):
        self._returned(result, 'skipped', event='item')


def _action(task):
    """The module or action a task runs, by its full name (civo.cloud.civo_snapshot) when Ansible resolved it."""
    return getattr(task, 'resolved_action', None) or getattr(task, 'action', None)
