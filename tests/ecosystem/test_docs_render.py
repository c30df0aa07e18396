# -*- coding: utf-8 -*-
# Copyright: (c) 2026, civo.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""ansible-doc of each module of the installed artifact shows every shared connection option with its type, default,
environment variable and version_added, in the text people read (-v) and in the JSON tools read."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import re

import pytest

from collection_facts import NAME, NAMESPACE, fqcn, fragment_doc, modules, shared_option_spec


def option_blocks(text):
    """Split the OPTIONS section of `ansible-doc` text output into {option: its block, whitespace collapsed}."""
    blocks = {}
    current = None
    in_options = False
    for line in text.splitlines():
        if line.startswith('OPTIONS'):
            in_options = True
            continue
        if not in_options:
            continue
        if re.match(r'^[A-Z][A-Z ]+:', line):
            break
        match = re.match(r'^[-=] (\S+)', line)
        if match:
            current = match.group(1)
            blocks[current] = [line[2 + len(current) :]]
        elif current:
            blocks[current].append(line)
    return dict((name, ' '.join(' '.join(lines).split())) for name, lines in blocks.items())


def doc_value(value):
    """A default as ansible-doc prints it."""
    if isinstance(value, bool):
        return 'true' if value else 'false'
    return 'null' if value is None else str(value)


def rendering_problems(name, text, options):
    """What is wrong with how one module's page shows the shared options: text (-v) and JSON (`options`)."""
    spec = shared_option_spec()
    version_added = dict((opt, str(doc.get('version_added', ''))) for opt, doc in fragment_doc()['options'].items())
    blocks = option_blocks(text)
    problems = [
        'option %s is shown without a type' % opt
        for opt in sorted(blocks)
        if not re.search(r'\btype: \w+', blocks[opt])
    ]
    for opt, want in sorted(spec.items()):
        block, doc = blocks.get(opt), options.get(opt, {})
        if block is None or not doc:
            problems.append('shared option %s is not documented' % opt)
            continue
        if 'type: %s' % want['type'] not in block or doc.get('type') != want['type']:
            problems.append('%s should be shown with type %s' % (opt, want['type']))
        if want['default'] is not None and (
            'default: %s' % doc_value(want['default']) not in block or doc.get('default') != want['default']
        ):
            problems.append('%s should be shown with default %s' % (opt, doc_value(want['default'])))
        problems.extend(
            '%s falls back to %s, which its documentation does not name' % (opt, var)
            for var in want['env']
            if var not in block
        )
        added = version_added.get(opt)
        if not added or 'added in: version %s of %s.%s' % (added, NAMESPACE, NAME) not in block:
            problems.append(
                '%s should be shown as added in version %s' % (opt, added or '(missing in the doc fragment)')
            )
    return ['%s: %s' % (fqcn(name), problem) for problem in problems]


@pytest.mark.parametrize('name', modules())
def test_shared_options_render_with_type_default_env_and_version(artifact, ansible_cli, name):
    env = ansible_cli.env(artifact.collections_path)
    text = ansible_cli.run('ansible-doc', '-v', fqcn(name), env=env, cwd=artifact.collections_path)
    raw = ansible_cli.run('ansible-doc', '--json', fqcn(name), env=env, cwd=artifact.collections_path)
    assert text.returncode == 0 and raw.returncode == 0, text.stderr + raw.stderr
    assert '> MODULE %s ' % fqcn(name) in text.stdout, text.stdout[:500]
    options = json.loads(raw.stdout)[fqcn(name)]['doc'].get('options', {})
    assert rendering_problems(name, text.stdout, options) == []
