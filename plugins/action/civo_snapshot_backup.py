# -*- coding: utf-8 -*-
# Copyright: (c) 2026, civo.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The action plugin of civo.cloud.civo_snapshot_backup: runs the module in steps, shows the progress between them.

A backup of a fleet can take an hour. One module run would say nothing all that time, and a task polled with
until/retries would print FAILED - RETRYING on every poll. So the module does as much of the run as fits in a step of
STEP_SECONDS and hands back where it stands (its option `step`); this plugin shows a line of progress and runs it
again, until the run is done or fails, then shows one recap line and returns the last step's result, with what every
step retried and warned about. Module runs: one per step, so about one a minute however many instances there are.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.errors import AnsibleActionFail
from ansible.plugins.action import ActionBase
from ansible.utils.display import Display

display = Display()

MODULE = 'civo.cloud.civo_snapshot_backup'
# Each step hands back after at most this long (plus one request or poll it is in), so that a line of progress comes at
# least once a minute; the task's progress_interval sets another length.
STEP_SECONDS = 50
TOOL = 'snapshot_backup'


def duration(seconds):
    """2m10s, 45s, 1h02m05s."""
    seconds = int(round(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    if hours:
        return '%dh%02dm%02ds' % (hours, minutes, seconds)
    return '%dm%02ds' % (minutes, seconds) if minutes else '%ds' % seconds


def progress_line(progress):
    """The line shown after a step that did not finish the run."""
    elapsed = duration(progress['seconds'])
    if progress['phase'] == 'start':
        return '%s: started %d of %d snapshots, %d failed (%s)' % (
            TOOL,
            progress['started'],
            progress['instances'],
            progress['failed'],
            elapsed,
        )
    if progress['phase'] == 'rotate':
        total = progress['deleted'] + progress['to_delete']
        return '%s: all %d complete; deleted %d of %d old snapshots (%s)' % (
            TOOL,
            progress['started'],
            progress['deleted'],
            total,
            elapsed,
        )
    return '%s: %d of %d complete, %d failed, %d being taken (%s)' % (
        TOOL,
        progress['complete'],
        progress['started'],
        progress['failed'],
        progress['pending'],
        elapsed,
    )


def recap_line(counts, check_mode):
    if check_mode:
        return '%s (check mode): would take %d, skipped %d (recent), would delete %d' % (
            TOOL,
            counts['taken'],
            counts['skipped'],
            counts['deleted'],
        )
    return '%s: took %d, skipped %d (recent), deleted %d, failed %d' % (
        TOOL,
        counts['taken'],
        counts['skipped'],
        counts['deleted'],
        counts['failed'],
    )


class StepRecord:
    """What the steps of one task add up to: changed, retried requests, warnings and deprecations."""

    def __init__(self):
        self.runs = 0
        self.changed = False
        self.retries = dict(count=0, reasons={})
        self.notes = dict(warnings=[], deprecations=[])

    def add(self, answer):
        self.runs += 1
        self.changed = self.changed or bool(answer.get('changed'))
        retried = answer.get('retried_requests') or {}
        self.retries['count'] += retried.get('count', 0)
        for reason, count in (retried.get('reasons') or {}).items():
            self.retries['reasons'][reason] = self.retries['reasons'].get(reason, 0) + count
        for key in ('lost_answers', 'attempts'):
            if retried.get(key):
                self.retries.setdefault(key, []).extend(retried[key])
        for key, seen in self.notes.items():
            seen.extend(note for note in answer.get(key) or [] if note not in seen)

    def into(self, result):
        result.update(changed=self.changed, retried_requests=self.retries, module_runs=self.runs)
        for key, notes in self.notes.items():
            if notes:
                result[key] = notes
        return result


def step_seconds(args):
    """How long a step lasts: the task's progress_interval (the module checks it in its first step), else 50 s."""
    try:
        return int(args.get('progress_interval') or STEP_SECONDS)
    except (TypeError, ValueError):
        return STEP_SECONDS


class ActionModule(ActionBase):
    TRANSFERS_FILES = False

    def run(self, tmp=None, task_vars=None):
        super(ActionModule, self).run(tmp, task_vars)
        del tmp  # tmp no longer has any effect
        if self._task.args.get('step') is not None:
            raise AnsibleActionFail(
                'step is set by the action plugin of %s between its steps; leave it unset.' % MODULE
            )
        record = StepRecord()
        state = None
        seconds = step_seconds(self._task.args)
        try:
            while True:
                step = dict(seconds=seconds) if state is None else dict(seconds=seconds, state=state)
                answer = self._execute_module(
                    module_name=MODULE, module_args=dict(self._task.args, step=step), task_vars=task_vars
                )
                record.add(answer)
                next_step = answer.pop('next_step', None)
                if answer.get('failed') or not next_step:
                    break
                display.display(progress_line(next_step['progress']))
                state = next_step['state']
        finally:
            self._remove_tmp_path(self._connection._shell.tmpdir)
        if answer.get('counts'):
            display.display(recap_line(answer['counts'], self._task.check_mode))
        invocation = answer.get('invocation')
        if isinstance(invocation, dict) and isinstance(invocation.get('module_args'), dict):
            invocation['module_args'].pop('step', None)  # what the steps handed each other, not what the task asked
        return record.into(answer)
