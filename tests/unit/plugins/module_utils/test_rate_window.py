# -*- coding: utf-8 -*-
# Copyright: (c) 2026, civo.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""rate_window.py: the rate-limit window every process using one API URL and token shares through a small file.

Each task of each fork is a process of its own; alone, each would start blind into a window the others used up.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

import pytest

from ansible_collections.civo.cloud.plugins.module_utils import rate_window
from ansible_collections.civo.cloud.plugins.module_utils.rate_window import SharedRateWindow


@pytest.fixture
def remote_tmp(tmp_path):
    """Ansible's remote_tmp, holding the module's own temporary folder."""
    (tmp_path / 'ansible-moduletmp-1-x').mkdir()
    return tmp_path


@pytest.fixture
def shared_client(wire, remote_tmp):
    """shared_client(*answers): a client whose module has its temporary folder in remote_tmp."""
    return lambda *answers: wire.client(*answers, tmpdir=str(remote_tmp / 'ansible-moduletmp-1-x'))


@pytest.fixture
def window(remote_tmp, token):
    return SharedRateWindow(str(remote_tmp), 'https://api.civo.test', token)


@pytest.fixture
def other_process(monkeypatch):
    """Make the code under test believe it runs in another process than the one that wrote the shared state."""
    return lambda: monkeypatch.setattr(rate_window.os, 'getpid', lambda: 999999)


def test_a_process_waits_for_the_window_another_process_used_up(wire, clock, shared_client, other_process):
    reset = int(clock.now) + 8
    shared_client(wire.reply(200, [], {'X-Ratelimit-Remaining': '0', 'X-Ratelimit-Reset': str(reset)})).get(
        '/v2/snapshots'
    )
    other_process()
    shared_client(wire.reply(200, [])).get('/v2/snapshots')  # a fresh process: no 429, it waits first
    assert len(wire.calls) == 2
    assert len(clock.slept) == 1 and 6.5 <= clock.slept[0] <= 8.5


def test_requests_are_counted_against_the_shared_window_before_they_are_sent(window, clock, other_process):
    window.note(clock.now + 30, 2)
    other_process()
    assert [window.claim(), window.claim()] == [0.0, 0.0]
    assert 28 <= window.claim() <= 30  # the third would be refused: wait for the window to reset


def test_the_process_that_saw_the_window_used_up_leaves_the_wait_to_its_own_pacing(window, clock):
    window.note(clock.now + 30, 0)
    assert window.claim() == 0.0


def test_answers_out_of_order_keep_the_lowest_count_and_old_windows_are_ignored(window, clock, other_process):
    reset = clock.now + 30
    window.note(reset, 5)
    window.note(reset + 0.5, 7)  # same window, an answer to an earlier request
    window.note(reset - 60, 40)  # a window already over
    other_process()
    assert [window.claim() for dummy in range(5)] == [0.0] * 5
    assert window.claim() > 0
    window.note(reset + 60, 50)  # the next window
    assert window.claim() == 0.0


def test_a_window_that_has_reset_is_no_reason_to_wait(window, clock, other_process):
    window.note(clock.now + 10, 0)
    other_process()
    clock.sleep(11)
    assert window.claim() == 0.0


def test_no_window_known_means_no_wait(window, remote_tmp):
    assert window.claim() == 0.0  # no file yet: nothing is created by asking
    assert not list(remote_tmp.glob('civo-cloud-ratelimit-*'))


def test_the_shared_file_is_private_and_says_nothing_of_url_or_token(window, remote_tmp, clock, token):
    window.note(clock.now + 30, 10)
    path = remote_tmp / os.path.basename(window.path)
    assert oct(path.stat().st_mode & 0o777) == '0o600'
    text = path.name + path.read_text()
    assert token not in text and 'civo.test' not in text


def test_a_half_written_file_starts_over(window, remote_tmp, clock, other_process):
    (remote_tmp / os.path.basename(window.path)).write_text('{"reset": 12')
    os.chmod(window.path, 0o600)
    assert window.claim() == 0.0
    window.note(clock.now + 30, 1)
    other_process()
    assert [window.claim(), window.claim() > 0] == [0.0, True]


def test_a_symlink_in_place_of_the_shared_file_is_not_followed(wire, clock, window, remote_tmp, shared_client):
    target = remote_tmp / 'target'
    target.write_text('keep me')
    os.symlink(str(target), window.path)
    headers = {'X-Ratelimit-Remaining': '0', 'X-Ratelimit-Reset': str(int(clock.now) + 8)}
    api = shared_client(wire.reply(200, [], headers), wire.reply(200, []))
    api.get('/v2/snapshots')
    api.get('/v2/snapshots')  # still works, pacing on its own
    assert target.read_text() == 'keep me'


def test_without_a_temporary_folder_each_process_paces_alone(wire, clock):
    headers = {'X-Ratelimit-Remaining': '40', 'X-Ratelimit-Reset': str(int(clock.now) + 8)}
    api = wire.client(wire.reply(200, [], headers))  # the fake module has no tmpdir
    api.get('/v2/snapshots')
    assert SharedRateWindow.for_module(api.module, api.base_url, api.token) is None
