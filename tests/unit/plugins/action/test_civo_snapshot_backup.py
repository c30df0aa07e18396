# -*- coding: utf-8 -*-
# Copyright: (c) 2026, civo.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The action plugin of civo_snapshot_backup: it runs the module step after step, hands each step what the one before
left, shows a line of progress between steps and a recap at the end, and returns the last step's result with what
every step changed, retried and warned about. The module runs are what is replaced (_execute_module)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from unittest.mock import MagicMock

import pytest

from ansible.errors import AnsibleActionFail

from ansible_collections.civo.cloud.plugins.action import civo_snapshot_backup as plugin

COUNTS = {'taken': 2, 'skipped': 1, 'deleted': 2, 'failed': 0}


def progress(phase, **figures):
    return dict(
        dict(phase=phase, instances=3, started=3, complete=0, pending=0, failed=0, to_delete=0, deleted=0, seconds=130),
        **figures,
    )


def step(state, progress_of_it, **result):
    return dict(result, next_step={'state': state, 'progress': progress_of_it})


class Steps:
    """_execute_module: hands out the answers given, one per module run, and records the arguments of each run."""

    def __init__(self, *answers):
        self.answers = list(answers)
        self.calls = []

    def __call__(self, module_name=None, module_args=None, task_vars=None):
        self.calls.append((module_name, module_args))
        return self.answers.pop(0)


@pytest.fixture
def shown(monkeypatch):
    lines = []
    monkeypatch.setattr(plugin.display, 'display', lambda message, *args, **kwargs: lines.append(message))
    return lines


def action(answers, args=None, check_mode=False):
    args = dict(args or {'instances': ['web-1'], 'prefix': 'nightly'})
    task = MagicMock(args=args, async_val=0, check_mode=check_mode)
    connection = MagicMock()
    connection._shell.tmpdir = None
    module = plugin.ActionModule(task, connection, MagicMock(), MagicMock(), MagicMock(), MagicMock())
    module._early_needs_tmp_path = lambda: False
    module._remove_tmp_path = MagicMock()
    module._execute_module = Steps(*answers)
    return module


def test_runs_the_module_until_it_is_done_handing_each_step_the_state_the_one_before_left(shown):
    last = dict(
        changed=False,
        counts=COUNTS,
        taken=['t'],
        retried_requests={'count': 1, 'reasons': {'HTTP 429 (rate_limit)': 1}},
        invocation={'module_args': {'prefix': 'nightly', 'step': {'seconds': 50}}},
    )
    runner = action(
        [
            step(
                {'at': 1},
                progress('start', started=1),
                changed=True,
                retried_requests={'count': 2, 'reasons': {'HTTP 503': 2}},
            ),
            step(
                {'at': 2},
                progress('wait', complete=1, pending=2, seconds=65),
                changed=False,
                warnings=['plain http'],
                retried_requests={'count': 0, 'reasons': {}, 'lost_answers': ['POST ...: found']},
            ),
            dict(last, warnings=['plain http', 'another']),
        ]
    )
    result = runner.run(task_vars={})
    steps = [args['step'] for name, args in runner._execute_module.calls]
    assert [name for name, args in runner._execute_module.calls] == ['civo.cloud.civo_snapshot_backup'] * 3
    assert steps == [
        {'seconds': plugin.STEP_SECONDS},
        {'seconds': plugin.STEP_SECONDS, 'state': {'at': 1}},
        {'seconds': plugin.STEP_SECONDS, 'state': {'at': 2}},
    ]
    assert all(args['prefix'] == 'nightly' for name, args in runner._execute_module.calls)
    assert shown == [
        'snapshot_backup: started 1 of 3 snapshots, 0 failed (2m10s)',
        'snapshot_backup: 1 of 3 complete, 0 failed, 2 being taken (1m05s)',
        'snapshot_backup: took 2, skipped 1 (recent), deleted 2, failed 0',
    ]
    assert result['changed'] is True  # the first step changed something
    assert result['module_runs'] == 3
    assert result['retried_requests'] == {
        'count': 3,
        'reasons': {'HTTP 503': 2, 'HTTP 429 (rate_limit)': 1},
        'lost_answers': ['POST ...: found'],
    }
    assert result['warnings'] == ['plain http', 'another']
    assert result['counts'] == COUNTS and result['taken'] == ['t'] and 'next_step' not in result
    assert result['invocation'] == {'module_args': {'prefix': 'nightly'}}
    runner._remove_tmp_path.assert_called_once()


def test_a_failed_step_ends_the_run_with_its_message_and_counts(shown):
    runner = action(
        [
            step({'at': 1}, progress('rotate', deleted=1, to_delete=2, seconds=3725)),
            dict(failed=True, msg='Not every old snapshot could be deleted', counts=dict(COUNTS, failed=1)),
        ]
    )
    result = runner.run(task_vars={})
    assert result['failed'] and result['msg'] == 'Not every old snapshot could be deleted'
    assert result['module_runs'] == 2
    assert shown == [
        'snapshot_backup: all 3 complete; deleted 1 of 3 old snapshots (1h02m05s)',
        'snapshot_backup: took 2, skipped 1 (recent), deleted 2, failed 1',
    ]


def test_input_refused_by_the_module_shows_no_recap(shown):
    result = action([dict(failed=True, msg='keep must be at least 1')]).run(task_vars={})
    assert result['failed'] and result['module_runs'] == 1 and shown == []


def test_check_mode_says_what_would_be_done(shown):
    action([dict(changed=True, counts=COUNTS)], check_mode=True).run(task_vars={})
    assert shown == ['snapshot_backup (check mode): would take 2, skipped 1 (recent), would delete 2']


def test_the_internal_option_is_refused_from_a_task():
    runner = action([], args={'instances': ['web-1'], 'prefix': 'nightly', 'step': {'seconds': 1}})
    with pytest.raises(AnsibleActionFail, match='step is set by the action plugin'):
        runner.run(task_vars={})
    assert runner._execute_module.calls == []


@pytest.mark.parametrize('seconds, text', [(0.4, '0s'), (45, '45s'), (130, '2m10s'), (3725, '1h02m05s')])
def test_durations_read_like_a_clock(seconds, text):
    assert plugin.duration(seconds) == text


@pytest.mark.parametrize('given, seconds', [(None, 50), (5, 5), ('300', 300), ('soon', 50)])
def test_a_step_lasts_the_tasks_progress_interval_else_fifty_seconds(given, seconds):
    args = {'instances': ['web-1'], 'prefix': 'nightly'}
    if given is not None:
        args['progress_interval'] = given
    runner = action([dict(changed=False, counts=COUNTS)], args=args)
    runner.run(task_vars={})
    assert [args['step'] for name, args in runner._execute_module.calls] == [{'seconds': seconds}]
