# -*- coding: utf-8 -*-
# Copyright: (c) 2026, civo.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""What the ecosystem tests read from the collection under test: its modules, roles, YAML files and shared options.

Every list is read from the tree (globbed), so a new module or role is checked without an edit here.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ast
import glob
import os

import yaml

from collection_under_test import REPO_ROOT

NAMESPACE, NAME = 'civo', 'cloud'


def fqcn(name):
    """civo.cloud.<name>."""
    return '%s.%s.%s' % (NAMESPACE, NAME, name)


def modules():
    """Names of the modules under plugins/modules."""
    paths = glob.glob(os.path.join(REPO_ROOT, 'plugins', 'modules', '*.py'))
    return sorted(os.path.splitext(os.path.basename(p))[0] for p in paths if not os.path.basename(p).startswith('_'))


def roles():
    """Names of the roles under roles/."""
    return sorted(os.path.basename(p) for p in glob.glob(os.path.join(REPO_ROOT, 'roles', '*')) if os.path.isdir(p))


def documented_roles():
    """Names of the roles with an argument spec (which ansible-doc renders)."""
    paths = glob.glob(os.path.join(REPO_ROOT, 'roles', '*', 'meta', 'argument_specs.y*ml'))
    return sorted(os.path.basename(os.path.dirname(os.path.dirname(p))) for p in paths)


def load_yaml(relpath):
    """Parse one YAML file of the tree."""
    with open(os.path.join(REPO_ROOT, relpath), encoding='utf-8') as handle:
        return yaml.safe_load(handle)


def read_text(relpath):
    """One text file of the tree."""
    with open(os.path.join(REPO_ROOT, relpath), encoding='utf-8') as handle:
        return handle.read()


def fragment_doc():
    """The DOCUMENTATION of the shared doc fragment (plugins/doc_fragments/civo.py), read without running the file."""
    for node in ast.walk(ast.parse(read_text(os.path.join('plugins', 'doc_fragments', 'civo.py')))):
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == 'DOCUMENTATION' for t in node.targets
        ):
            return yaml.safe_load(ast.literal_eval(node.value))
    raise AssertionError('plugins/doc_fragments/civo.py has no DOCUMENTATION')


def shared_option_spec():
    """connection_argument_spec() of the collection under test as {option: {type, default, env}}."""
    # pylint: disable-next=import-outside-toplevel
    from ansible_collections.civo.cloud.plugins.module_utils.client import connection_argument_spec

    spec = {}
    for name, opt in connection_argument_spec().items():
        fallback = opt.get('fallback') or (None, [])
        spec[name] = {'type': opt.get('type', 'str'), 'default': opt.get('default'), 'env': list(fallback[1])}
    return spec
