# -*- coding: utf-8 -*-
# Copyright: (c) 2026, civo.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""meta/runtime.yml: every module that takes the shared connection options belongs to the `civo` action group.

Otherwise `module_defaults: group/civo.cloud.civo` silently skips it: a slip that shipped in
vultr.cloud and cloudscale_ch.cloud.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ast
import glob
import os

import pytest
import yaml

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..', '..'))


def documentation(path):
    with open(path) as source:
        tree = ast.parse(source.read())
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            getattr(target, 'id', None) == 'DOCUMENTATION' for target in node.targets
        ):
            return yaml.safe_load(ast.literal_eval(node.value))
    raise AssertionError('%s has no DOCUMENTATION' % path)


def modules_with_shared_options():
    found = []
    for path in sorted(glob.glob(os.path.join(REPO, 'plugins', 'modules', '*.py'))):
        if 'civo.cloud.civo' in documentation(path).get('extends_documentation_fragment', []):
            found.append(os.path.splitext(os.path.basename(path))[0])
    return found


MODULES = sorted(glob.glob(os.path.join(REPO, 'plugins', 'modules', '*.py')))


@pytest.mark.parametrize('path', MODULES, ids=[os.path.basename(path) for path in MODULES])
def test_the_documentation_of_every_module_is_yaml(path):
    """What ansible-doc and the checks below read: a block that is not YAML hides the module's documentation."""
    with open(path) as source:
        tree = ast.parse(source.read())
    blocks = dict(
        (node.targets[0].id, ast.literal_eval(node.value))
        for node in tree.body
        if isinstance(node, ast.Assign)
        and getattr(node.targets[0], 'id', None) in ('DOCUMENTATION', 'EXAMPLES', 'RETURN')
    )
    assert sorted(blocks) == ['DOCUMENTATION', 'EXAMPLES', 'RETURN']
    for name, text in blocks.items():
        try:
            yaml.safe_load(text)
        except yaml.YAMLError as e:
            raise AssertionError('%s of %s is not YAML: %s' % (name, os.path.basename(path), e))


def test_there_are_modules_to_check():
    assert 'civo_snapshot' in modules_with_shared_options()


def test_every_module_with_the_shared_options_is_in_the_action_group():
    with open(os.path.join(REPO, 'meta', 'runtime.yml')) as runtime:
        group = yaml.safe_load(runtime)['action_groups']['civo']
    missing = sorted(set(modules_with_shared_options()) - set(group))
    assert missing == [], 'add these modules to action_groups.civo in meta/runtime.yml: %s' % ', '.join(missing)


def test_every_module_declares_its_group_membership():
    for path in sorted(glob.glob(os.path.join(REPO, 'plugins', 'modules', '*.py'))):
        attributes = documentation(path).get('attributes', {})
        assert attributes.get('action_group', {}).get('membership') == ['civo.cloud.civo'], path
