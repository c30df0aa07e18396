# -*- coding: utf-8 -*-
# Copyright: (c) 2026, civo.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The release is one version everywhere (RELEASING.md): galaxy.yml, the User-Agent, every version_added, the changelog
and the artifact's name agree, and a released version leaves no changelog fragment unreleased."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ast
import glob
import os
import re

import pytest
import yaml

from collection_facts import documented_roles, load_yaml, modules, read_text
from collection_under_test import REPO_ROOT

DOC_VARIABLES = ('DOCUMENTATION', 'RETURN')
# The plugin types antsibull-changelog lists as new plugins of a release (modules and roles have their own lists).
CHANGELOG_PLUGIN_TYPES = ('filter', 'lookup', 'inventory', 'callback', 'connection', 'test')


def version(text):
    return tuple(int(part) for part in str(text).split('.'))


GALAXY_VERSION = str(load_yaml('galaxy.yml')['version'])
CHANGELOG = load_yaml('changelogs/changelog.yaml')
RELEASES = CHANGELOG.get('releases') or {}


def plugin_docs(path):
    """The DOCUMENTATION and RETURN of a plugin file (or the variables of a doc fragment), parsed, without running
    it."""
    docs = {}
    for node in ast.walk(ast.parse(read_text(path))):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                name = getattr(target, 'id', None)
                if name in DOC_VARIABLES or (path.startswith('plugins/doc_fragments/') and name and name.isupper()):
                    docs[name] = yaml.safe_load(ast.literal_eval(node.value))
    return docs


def version_added_values(node, where):
    """Every (where, version_added) in a parsed document, however deep."""
    found = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key == 'version_added':
                found.append((where, str(value)))
            else:
                found.extend(version_added_values(value, '%s.%s' % (where, key)))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found.extend(version_added_values(value, '%s[%d]' % (where, index)))
    return found


def documented_files():
    paths = sorted(glob.glob(os.path.join(REPO_ROOT, 'plugins', '*', '*.py')))
    return [
        os.path.relpath(path, REPO_ROOT)
        for path in paths
        if '/module_utils/' not in path and not path.endswith('__init__.py')
    ]


def every_version_added():
    found = []
    for path in documented_files():
        for name, doc in plugin_docs(path).items():
            found.extend(version_added_values(doc, '%s %s' % (path, name)))
    for role in documented_roles():
        found.extend(version_added_values(load_yaml('roles/%s/meta/argument_specs.yml' % role), 'role %s' % role))
    return found


def released_names(kind):
    """{name: the release that lists it as new} for modules, roles ('role') or a plugin type."""
    names = {}
    for number, release in RELEASES.items():
        if kind == 'module':
            entries = release.get('modules') or []
        elif kind == 'role':
            entries = (release.get('objects') or {}).get('role') or []
        else:
            entries = (release.get('plugins') or {}).get(kind) or []
        for entry in entries:
            names.setdefault(entry['name'], str(number))
    return names


def content_version_added():
    """[(kind, name, the version_added of the plugin or role itself)] of everything the changelog lists as new
    content."""
    content = [
        ('module', name, str(plugin_docs('plugins/modules/%s.py' % name)['DOCUMENTATION']['version_added']))
        for name in modules()
    ]
    content += [
        (
            'role',
            name,
            str(load_yaml('roles/%s/meta/argument_specs.yml' % name)['argument_specs']['main']['version_added']),
        )
        for name in documented_roles()
    ]
    for kind in CHANGELOG_PLUGIN_TYPES:
        for path in sorted(glob.glob(os.path.join(REPO_ROOT, 'plugins', kind, '*.py'))):
            doc = plugin_docs(os.path.relpath(path, REPO_ROOT)).get('DOCUMENTATION')
            if doc:  # a filter file documents its filters in YAML files beside it
                content.append((kind, os.path.splitext(os.path.basename(path))[0], str(doc['version_added'])))
    return content


def test_the_user_agent_names_the_version_of_galaxy_yml():
    source = read_text('plugins/module_utils/client.py')
    assert re.search(r"^COLLECTION_VERSION = '%s'$" % re.escape(GALAXY_VERSION), source, re.MULTILINE), (
        'COLLECTION_VERSION in plugins/module_utils/client.py must be %s, the version of galaxy.yml' % GALAXY_VERSION
    )


def test_no_version_added_is_above_the_version_of_galaxy_yml():
    found = every_version_added()
    assert found, 'no version_added found at all: the test reads the docs wrongly'
    above = ['%s: %s' % (where, added) for where, added in found if version(added) > version(GALAXY_VERSION)]
    assert above == [], 'version_added above galaxy.yml\'s %s (a release ships what it says it adds)' % GALAXY_VERSION


@pytest.mark.parametrize('kind, name, added', content_version_added(), ids=str)
def test_every_module_role_and_plugin_is_in_the_changelog_of_the_release_that_added_it(kind, name, added):
    listed_in = released_names(kind).get(name)
    if added in RELEASES:
        assert listed_in == added, (
            '%s %s says version_added %s, but the changelog of %s does not list it as new (it says %s)'
            % (kind, name, added, added, listed_in)
        )
    else:
        assert added == GALAXY_VERSION, (
            '%s %s says version_added %s, which is neither released nor the coming release %s'
            % (kind, name, added, GALAXY_VERSION)
        )
        assert listed_in is None, '%s %s is listed as new in %s, but says version_added %s' % (
            kind,
            name,
            listed_in,
            added,
        )


def test_a_released_version_leaves_no_fragment_unreleased():
    if GALAXY_VERSION not in RELEASES:
        pytest.skip('galaxy.yml names %s, which is not released yet: its fragments wait for it' % GALAXY_VERSION)
    released = set(fragment for release in RELEASES.values() for fragment in release.get('fragments') or [])
    fragments = set(
        os.path.basename(path) for path in glob.glob(os.path.join(REPO_ROOT, 'changelogs', 'fragments', '*.y*ml'))
    )
    assert sorted(fragments - released) == [], (
        'galaxy.yml names the released %s: release these fragments or bump galaxy.yml' % (GALAXY_VERSION)
    )


def test_the_changelog_has_every_release_and_the_artifact_its_version(artifact):
    rendered = read_text('CHANGELOG.rst')
    missing = [
        number for number in RELEASES if not re.search(r'^v%s$' % re.escape(str(number)), rendered, re.MULTILINE)
    ]
    assert missing == [], 'CHANGELOG.rst lacks releases %s: run antsibull-changelog generate' % missing
    assert os.path.basename(artifact.tarball) == 'civo-cloud-%s.tar.gz' % GALAXY_VERSION
