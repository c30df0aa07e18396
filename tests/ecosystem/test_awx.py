# -*- coding: utf-8 -*-
# Copyright: (c) 2026, civo.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The AWX files: the credential type is valid for AWX, the guide shows it as it is, and the environment it injects runs
the job's playbook docs/awx/nightly_snapshots.yml against the simulator, also under ansible-runner as AWX runs it:
snapshots taken, a re-run changes nothing, rotation keeps seven, a failing night keeps the last complete backup, the
token stays out of the job output."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import re
import shutil
import time

import yaml
from jinja2 import StrictUndefined, UndefinedError, sandbox

from collection_facts import load_yaml, read_text, shared_option_spec
from collection_under_test import REPO_ROOT

# AWX's rules for a custom credential type (awx/main/fields.py: CredentialTypeInputField, CredentialTypeInjectorField).
AWX_FIELD_KEYS = {
    'id',
    'label',
    'type',
    'format',
    'choices',
    'help_text',
    'multiline',
    'secret',
    'ask_at_runtime',
    'default',
}
AWX_NAME_PATTERN = re.compile(r'^[a-zA-Z_]+[a-zA-Z0-9_]*$')
DEFINITION = 'docs/awx/civo_credential_type.yml'
PLAYBOOK = 'docs/awx/nightly_snapshots.yml'
NIGHT = {'nightly_instances': ['web-1', 'db-1']}
# <prefix>-<hostname>-<UTC timestamp of the run>: a name of its own for every snapshot.
UNIQUE_NAME = re.compile(r'^nightly-[a-z0-9-]+-\d{8}T\d{6}Z$')


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
        problems.append(
            'inputs may only have fields and required, not %s' % sorted(set(inputs) - {'fields', 'required'})
        )
    ids = []
    for field in inputs.get('fields', []):
        if not {'id', 'label'} <= set(field) or set(field) - AWX_FIELD_KEYS:
            problems.append('input field %s needs id and label and may only have %s' % (field, sorted(AWX_FIELD_KEYS)))
        if not AWX_NAME_PATTERN.match(str(field.get('id', ''))) or field.get('id') == 'tower' or field.get('id') in ids:
            problems.append('input field id %r is invalid, reserved or repeated' % field.get('id'))
        if field.get('type', 'string') not in ('string', 'boolean'):
            problems.append(
                'input field %s has type %r (string or boolean only)' % (field.get('id'), field.get('type'))
            )
        ids.append(field.get('id'))
    for required in inputs.get('required', []):
        if required not in ids:
            problems.append('required input %r is not a field' % required)
    if set(injectors) - {'env', 'extra_vars', 'file'}:
        problems.append(
            'injectors may only be env, extra_vars and file, not %s'
            % sorted(set(injectors) - {'env', 'extra_vars', 'file'})
        )
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
    return dict(
        (key, renderer.from_string(template).render(**inputs))
        for key, template in definition['injectors'].get('env', {}).items()
    )


def guide_shows(definition):
    """Whether a YAML code block of guide_awx.rst is exactly the credential type file."""
    for match in re.finditer(
        r'^\.\. code-block:: yaml\n\n((?:[ ]{2}.*\n|\n)+)', read_text('docs/docsite/rst/guide_awx.rst'), re.MULTILINE
    ):
        try:
            if yaml.safe_load(re.sub(r'^  ', '', match.group(1), flags=re.MULTILINE)) == definition:
                return True
        except yaml.YAMLError:
            continue
    return False


def run_nightly(ansible_cli, env, extra, expect_rc=0):
    """Run docs/awx/nightly_snapshots.yml; return localhost's counts from the PLAY RECAP (asserting the exit code)."""
    done = ansible_cli.run('ansible-playbook', PLAYBOOK, '-e', json.dumps(extra), env=env)
    recap = re.search(r'^localhost\s*:(.*)$', done.stdout, re.MULTILINE)
    assert done.returncode == expect_rc and recap, (done.stdout + done.stderr)[-6000:]
    return dict((key, int(value)) for key, value in re.findall(r'(\w+)=(\d+)', recap.group(1)))


def injected_env(simulator, ansible_cli):
    """The job environment of a credential with a token and the simulator's URL and no region, injected as AWX would."""
    return ansible_cli.env(
        **render_injected_env(load_yaml(DEFINITION), {'civo_token': simulator.token, 'civo_api_url': simulator.url})
    )


def instance_ids():
    """Hostname -> ID of the simulator's default instances."""
    with open(os.path.join(REPO_ROOT, 'tests', 'simulator', 'default_seed.json'), encoding='utf-8') as handle:
        seed = json.load(handle)
    return dict((i['hostname'], i['id']) for i in (seed['instances'] if isinstance(seed, dict) else seed))


def seed_complete_backups(simulator, hostname, ages_days):
    """Complete nightly backups of `hostname` as the job names them, one per age (days before now)."""
    now = time.time()
    simulator.add_snapshots(
        [
            {
                'name': 'nightly-%s-%s' % (hostname, time.strftime('%Y%m%dT%H%M%SZ', time.gmtime(now - days * 86400))),
                'instance_id': instance_ids()[hostname],
                'hostname': hostname,
                'status': 'complete',
                'requested_at': now - days * 86400,
                'completed_at': now - days * 86400 + 60,
            }
            for days in ages_days
        ]
    )


def held(simulator, hostname):
    """{name: status} of the nightly snapshots of one instance."""
    return dict(
        (s['name'], s['status']) for s in simulator.snapshots() if s['name'].startswith('nightly-%s-' % hostname)
    )


def test_credential_type_is_valid_for_awx():
    assert credential_type_problems(load_yaml(DEFINITION)) == []


def test_credential_type_injects_what_the_modules_read():
    injected = sorted((load_yaml(DEFINITION).get('injectors') or {}).get('env', {}))
    assert injected == sorted(var for opt in shared_option_spec().values() for var in opt['env'])


def test_guide_shows_the_credential_type_as_it_is():
    assert guide_shows(load_yaml(DEFINITION)), 'docs/docsite/rst/guide_awx.rst must show %s as it is' % DEFINITION


def test_nightly_job_takes_snapshots_and_a_rerun_changes_nothing(simulator, ansible_cli):
    simulator.reset(new_seconds=0.3, progress_seconds=0.7)
    env = injected_env(simulator, ansible_cli)
    assert run_nightly(ansible_cli, env, NIGHT).get('changed', 0) >= 1
    first = dict((host, held(simulator, host)) for host in NIGHT['nightly_instances'])
    assert [h for h, snaps in first.items() if list(snaps.values()) != ['complete']] == [], first
    assert [n for snaps in first.values() for n in snaps if not UNIQUE_NAME.match(n)] == [], (
        'names must be unique per run'
    )
    assert run_nightly(ansible_cli, env, NIGHT).get('changed') == 0, 'a second run the same night changes nothing'
    assert dict((host, held(simulator, host)) for host in NIGHT['nightly_instances']) == first


def test_nightly_job_keeps_the_newest_seven_per_instance(simulator, ansible_cli):
    simulator.reset(new_seconds=0.3, progress_seconds=0.7)
    seed_complete_backups(simulator, 'web-1', range(1, 8))
    oldest = min(held(simulator, 'web-1'))
    run_nightly(ansible_cli, injected_env(simulator, ansible_cli), {'nightly_instances': ['web-1']})
    after = held(simulator, 'web-1')
    assert len(after) == 7 and set(after.values()) == {'complete'} and oldest not in after, after


def test_a_failing_night_keeps_the_last_complete_backup(simulator, ansible_cli):
    simulator.reset(new_seconds=0.3, progress_seconds=0.7)
    seed_complete_backups(simulator, 'web-1', [7])
    last_good = list(held(simulator, 'web-1'))
    simulator.configure(fail_names=['nightly-*'])
    run_nightly(ansible_cli, injected_env(simulator, ansible_cli), {'nightly_instances': ['web-1']}, expect_rc=2)
    after = held(simulator, 'web-1')
    assert after[last_good[0]] == 'complete', after
    assert sorted(after.values()) == ['complete', 'failed'], 'the failed snapshot is left to look at, nothing deleted'


def test_nightly_job_under_ansible_runner_keeps_the_token_out_of_the_job_output(simulator, ansible_cli, tmp_path):
    """As AWX runs a job: ansible-runner, a private data dir, the credential's environment. The token must not be in
    any job event or in stdout; ansible-runner writes it (with the whole environment) to artifacts/<ident>/command."""
    import ansible_runner  # pylint: disable=import-outside-toplevel  # only this test needs it

    simulator.reset(new_seconds=0.3, progress_seconds=0.7)
    private = tmp_path / 'job'
    (private / 'project').mkdir(parents=True)
    shutil.copy2(os.path.join(REPO_ROOT, PLAYBOOK), str(private / 'project'))
    changed = []
    for ident in ('night-1', 'night-2'):
        run = ansible_runner.run(
            private_data_dir=str(private),
            playbook='nightly_snapshots.yml',
            ident=ident,
            quiet=True,
            envvars=injected_env(simulator, ansible_cli),
            extravars=NIGHT,
            suppress_env_files=True,
            rotate_artifacts=1,
        )
        # Read now: rotate_artifacts deletes this job's artifacts (where events and stdout are read from) at the next
        # one.
        stdout, events = run.stdout.read(), json.dumps(list(run.events))
        assert run.rc == 0, stdout[-6000:]
        assert simulator.token not in stdout and simulator.token not in events
        changed.append(run.stats['changed'].get('localhost', 0))
    assert changed[0] >= 1 and changed[1] == 0, 'the second job the same night changes nothing: %s' % changed
    # suppress_env_files: the environment is not written to env/envvars of the private data dir ...
    assert not (private / 'env' / 'envvars').exists()
    # ... rotate_artifacts=1: only the last job's artifacts are kept, and they still hold the token in `command`.
    artifacts = private / 'artifacts'
    assert sorted(p.name for p in artifacts.iterdir()) == ['night-2']
    holding = sorted(
        str(p.relative_to(artifacts))
        for p in artifacts.rglob('*')
        if p.is_file() and simulator.token in p.read_text(errors='replace')
    )
    assert holding == ['night-2/command'], holding
