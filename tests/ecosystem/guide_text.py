# -*- coding: utf-8 -*-
# Copyright: (c) 2026, civo.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""What tests/ecosystem/test_guides.py reads from a guide (reStructuredText): its code blocks, and of its console
blocks the commands (each `$ ` line with its continuation lines) and the output the guide shows after them; and a bash
session that runs such commands one after another, as a reader types them."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import collections
import os
import re
import signal
import subprocess
import time

from collection_facts import read_text

CodeBlock = collections.namedtuple('CodeBlock', 'language text')
Command = collections.namedtuple('Command', 'text output')


def code_blocks(guide):
    """Every `.. code-block:: LANGUAGE` of a guide, in order, its text dedented."""
    lines = read_text(guide).splitlines()
    blocks = []
    for index, line in enumerate(lines):
        directive = re.match(r'^(\s*)\.\. code-block:: *(\S+)', line)
        if not directive:
            continue
        indent = len(directive.group(1))
        body = []
        for following in lines[index + 1 :]:
            if following.strip() and len(following) - len(following.lstrip()) <= indent:
                break
            body.append(following)
        body = [text for text in body if not re.match(r'^\s*:\w+:', text)]  # directive options such as :caption:
        margin = min(len(text) - len(text.lstrip()) for text in body if text.strip())
        blocks.append(CodeBlock(directive.group(2), '\n'.join(text[margin:] for text in body).strip('\n') + '\n'))
    return blocks


def console_commands(block_text):
    """The commands of one console block: each `$ ` line with its `\\`-continued lines, as written, and the lines the
    guide shows as its output (comment lines `# ...` are neither)."""
    commands = []
    continued = False
    for line in block_text.splitlines():
        if continued:
            commands[-1] = Command(commands[-1].text + '\n' + line, [])
        elif line.startswith('$ '):
            commands.append(Command(line[2:], []))
        elif line.strip() and not line.startswith('#') and commands:
            commands[-1].output.append(line)
        continued = line.endswith('\\')
    return commands


def guide_commands(guide):
    """Every console command of a guide, in order."""
    return [
        command
        for block in code_blocks(guide)
        if block.language == 'console'
        for command in console_commands(block.text)
    ]


def guide_command(guide, starts_with, containing=''):
    """The one console command of a guide that starts with `starts_with` (and holds `containing`)."""
    found = [
        command
        for command in guide_commands(guide)
        if command.text.startswith(starts_with) and containing in command.text
    ]
    assert len(found) == 1, found
    return found[0]


class Shell:
    """One bash session that runs commands one after another, as a reader types them into a terminal: the variables
    they export carry over and a command ending in `&` goes on running. stdout and stderr of everything, background
    commands included, go to one log file; close() ends the session and whatever it started."""

    def __init__(self, cwd, env, log_path):
        self.log_path = log_path
        self._log = open(log_path, 'w', encoding='utf-8')  # pylint: disable=consider-using-with
        # A session of its own: close() stops the background commands too (same process group, no job control).
        self._bash = subprocess.Popen(
            ['bash', '--noprofile', '--norc'],
            stdin=subprocess.PIPE,
            stdout=self._log,  # pylint: disable=consider-using-with
            stderr=subprocess.STDOUT,
            cwd=cwd,
            env=env,
            text=True,
            start_new_session=True,
        )
        self._count = 0

    def log(self):
        """Everything the session printed so far."""
        with open(self.log_path, encoding='utf-8') as handle:
            return handle.read()

    def wait_for(self, pattern, timeout=60.0):
        """The first match of the regular expression `pattern` (multiline) in the output, waiting up to `timeout` s."""
        deadline = time.time() + timeout
        while True:
            match = re.search(pattern, self.log(), re.MULTILINE)
            if match or time.time() > deadline:
                assert match, 'no %r in the output within %s s:\n%s' % (pattern, timeout, self.log()[-4000:])
                return match
            time.sleep(0.1)

    def run(self, command, timeout=300.0):
        """Run one command to its end; returns (exit status, what it printed, seconds it took)."""
        self._count += 1
        start, began = time.time(), len(self.log())
        marker = '__command_%d_exit_status=' % self._count
        # On a line of its own even when the command's output does not end with a newline (curl's JSON).
        self._bash.stdin.write('%s\nprintf "\\n%s%%s\\n" "$?"\n' % (command, marker))
        self._bash.stdin.flush()
        match = self.wait_for('^%s(\\d+)$' % marker, timeout)
        return int(match.group(1)), self.log()[began : match.start()], time.time() - start

    def close(self):
        """End the session and every process it started."""
        try:
            os.killpg(self._bash.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        self._bash.wait(timeout=30)
        self._log.close()
