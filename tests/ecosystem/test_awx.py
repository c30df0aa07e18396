# -*- coding: utf-8 -*-
# Copyright: (c) 2026, civo.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The AWX files: the credential type is valid for AWX, the guide shows it as it is, and the environment it injects runs
the job's playbook docs/awx/nightly_snapshots.yml against the simulator (snapshots taken, idempotent, rotated weekly)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import re
import time

import yaml
from jinja2 import StrictUndefined, UndefinedError, sandbox

from collection_facts import load_yaml, read_text, shared_option_spec

# AWX's rules for a custom credential type (awx/main/fields.py: CredentialTypeInputField, CredentialTypeInjectorField).
AWX_FIELD_KEYS = {'id', 'label', 'type', 'format', 'choices', 'help_text', 'multiline', 'secret', 'ask_at_runtime', 'default'}
AWX_NAME_PATTERN = re.compile(r'^[a-zA-Z_]+[a-zA-Z0-9_]*$')
DEFINITION = 'docs/awx/civo_credential_type.yml'
NIGHT = {'nightly_instances': ['web-1', 'db-1'], 'nightly_weekday': 'mon'}
NAMES = ['nightly-web-1-mon', 'nightly-db-1-mon']


def credential_type_problems(definition):
    """The rules AWX applies when a custom credential type is saved (awx/main/fields.py)."""
    problems = []
    for key in ('name', 'kind', 'inputs', 'injectors'):
        if not definition.get(key):
            problems.append('the credential type has no %s' % key)
    if definition.get('kind') not in ('cloud', 'net'):
        problems.append('a custom credential type must be of kind cloud or net, not %r' % definition.get('kind'))
    inputs, injectors = definition.get('inputs') or {}, definition.get('injectors') or {}
    if set(inputs) - {'fields', 'required'}:
        problems.append('inputs may only have fields and required, not %s' % sorted(set(inputs) - {'fields', 'required'}))
    ids = []
    for field in inputs.get('fields', []):
        if not {'id', 'label'} <= set(field) or set(field) - AWX_FIELD_KEYS:
            problems.append('input field %s needs id and label and may only have %s' % (field, sorted(AWX_FIELD_KEYS)))
        if not AWX_NAME_PATTERN.match(str(field.get('id', ''))) or field.get('id') == 'tower' or field.get('id') in ids:
            problems.append('input field id %r is invalid, reserved or repeated' % field.get('id'))
        if field.get('type', 'string') not in ('string', 'boolean'):
            problems.append('input field %s has type %r (string or boolean only)' % (field.get('id'), field.get('type')))
        ids.append(field.get('id'))
    for required in inputs.get('required', []):
        if required not in ids:
            problems.append('required input %r is not a field' % required)
    if set(injectors) - {'env', 'extra_vars', 'file'}:
        problems.append('injectors may only be env, extra_vars and file, not %s' % sorted(set(injectors) - {'env', 'extra_vars', 'file'}))
    strict = sandbox.ImmutableSandboxedEnvironment(undefined=StrictUndefined)
    for kind, templates in injectors.items():
        for key, template in (templates or {}).items():
            if kind == 'env' and (not AWX_NAME_PATTERN.match(key) or key.startswith('ANSIBLE_')):
                problems.append('env injector %s is not an allowed environment variable name' % key)
            if not isinstance(template, str):
                problems.append('injector %s.%s must be a string template' % (kind, key))
                continue
            try:
                strict.from_string(template).render({field_id: 'EXAMPLE' for field_id in ids})
            except UndefinedError as ex:
                problems.append('injector %s.%s uses an undefined field (%s)' % (kind, key, ex))
    return problems


def render_injected_env(definition, inputs):
    """The environment a job gets from a credential with these inputs (as AWX renders env injectors)."""
    renderer = sandbox.ImmutableSandboxedEnvironment()  # AWX renders with the default Undefined: empty fields give ''
    return dict((key, renderer.from_string(template).render(**inputs)) for key, template in definition['injectors'].get('env', {}).items())


def guide_shows(definition):
    """Whether a YAML code block of guide_awx.rst is exactly the credential type file."""
    for match in re.finditer(r'^\.\. code-block:: yaml\n\n((?:[ ]{2}.*\n|\n)+)', read_text('docs/docsite/rst/guide_awx.rst'), re.MULTILINE):
        try:
            if yaml.safe_load(re.sub(r'^  ', '', match.group(1), flags=re.MULTILINE)) == definition:
                return True
        except yaml.YAMLError:
            continue
    return False


def run_nightly(ansible_cli, env, extra):
    """Run docs/awx/nightly_snapshots.yml; return localhost's counts from the PLAY RECAP (asserting the run passed)."""
    done = ansible_cli.run('ansible-playbook', 'docs/awx/nightly_snapshots.yml', '-e', json.dumps(extra), env=env)
    recap = re.search(r'^localhost\s*:(.*)$', done.stdout, re.MULTILINE)
    assert done.returncode == 0 and recap, (done.stdout + done.stderr)[-6000:]
    return dict((key, int(value)) for key, value in re.findall(r'(\w+)=(\d+)', recap.group(1)))


def test_credential_type_is_valid_for_awx():
    assert credential_type_problems(load_yaml(DEFINITION)) == []


def test_credential_type_injects_what_the_modules_read():
    injected = sorted((load_yaml(DEFINITION).get('injectors') or {}).get('env', {}))
    assert injected == sorted(var for opt in shared_option_spec().values() for var in opt['env'])


def test_guide_shows_the_credential_type_as_it_is():
    assert guide_shows(load_yaml(DEFINITION)), 'docs/docsite/rst/guide_awx.rst must show %s as it is' % DEFINITION


def test_injected_environment_runs_the_nightly_job(simulator, ansible_cli):
    simulator.reset(new_seconds=0.3, progress_seconds=0.7)
    # A credential with a token and the simulator's URL and no region, injected as AWX would.
    env = ansible_cli.env(**render_injected_env(load_yaml(DEFINITION), {'civo_token': simulator.token, 'civo_api_url': simulator.url}))
    assert run_nightly(ansible_cli, env, NIGHT).get('changed') == 1, 'the first night takes the snapshots in one changed task'
    held = dict((s['name'], s) for s in simulator.snapshots())
    assert sorted(held) == sorted(NAMES) and all(held[n]['status'] == 'complete' for n in NAMES), held
    assert run_nightly(ansible_cli, env, NIGHT).get('changed') == 0, 'a second run the same night changes nothing'
    # A week later the same weekday comes round: last week's snapshots are replaced, not added to.
    for name in NAMES:
        simulator.patch_snapshot(name, requested_at=time.time() - 7 * 86400)
    assert run_nightly(ansible_cli, env, NIGHT).get('changed') == 1
    renewed = dict((s['name'], s) for s in simulator.snapshots())
    assert sorted(renewed) == sorted(NAMES)
    assert [n for n in NAMES if renewed[n].get('requested_at') == held[n].get('requested_at')] == [], 'not retaken a week later'
    # Without nightly_weekday the playbook names tonight's snapshots after today's weekday in UTC.
    today = ('mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun')[time.gmtime().tm_wday]
    run_nightly(ansible_cli, env, {'nightly_instances': ['web-1']})
    assert 'nightly-web-1-%s' % today in [s['name'] for s in simulator.snapshots()]
