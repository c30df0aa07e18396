"""Ecosystem checks of civo.cloud: how the collection meets Galaxy, ansible-doc, Sphinx docsites, execution environments,
AWX and Molecule. The steps have the signature of tests/ci/run_tests.py's steps, `step_xxx(ctx) -> int`, and are
exported in ECOSYSTEM_STEPS for it.

Run them alone through the runner: `make docsite`, or `.venv/bin/python tests/ci/run_tests.py --only docsite,ee`.

Extra tools they need beyond tests/requirements.txt: tests/requirements-ecosystem.txt (in .venv), and galaxy-importer
in a virtualenv of its own (tests/requirements-galaxy-importer.txt, created on first use under ~/.cache/civo-cloud/,
because it pins libraries older than .venv's).
"""

from __future__ import annotations

import ast
import fcntl
import glob
import hashlib
import importlib.metadata
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import time
import urllib.request
import zlib

import yaml

import ci_common
from ci_common import log, run, venv_tool

TIMEOUT = 600

# Where the galaxy-importer virtualenv lives (kept between runs; rebuilt when its requirements file changes).
CACHE_DIR = os.path.join(os.path.expanduser('~'), '.cache', 'civo-cloud')
GALAXY_IMPORTER_VENV = os.path.join(CACHE_DIR, 'galaxy-importer-venv')
GALAXY_IMPORTER_REQUIREMENTS = os.path.join('tests', 'requirements-galaxy-importer.txt')

# galaxy-importer reads its configuration from this file. run_ansible_test must stay off: it needs a container engine,
# fails without one, and the importer still reports success.
GALAXY_IMPORTER_CONFIG = '''[galaxy-importer]
run_ansible_test = False
run_ansible_doc = True
run_ansible_lint = True
offline_ansible_lint = True
check_changelog = True
log_level_main = INFO
'''

# The Sphinx docsite cannot fetch intersphinx inventories (no network). The pages antsibull-docs generates refer to a
# few labels of the Ansible documentation; this offline inventory holds exactly those, with their real addresses, so
# that every other unresolved reference still fails the build (sphinx-build -W, nitpicky). A new label that the
# generated pages need shows up as "undefined label" and belongs here.
ANSIBLE_DOCS_URL = 'https://docs.ansible.com/projects/ansible/devel/'
ANSIBLE_DOCS_LABELS = (
    ('common_return_values', 'reference_appendices/common_return_values.html#common-return-values', 'Return Values'),
    ('ansible_configuration_settings', 'reference_appendices/config.html#ansible-configuration-settings', 'Ansible Configuration Settings'),
)

# AWX's rules for a custom credential type (awx/main/fields.py: CredentialTypeInputField, CredentialTypeInjectorField).
AWX_FIELD_KEYS = {'id', 'label', 'type', 'format', 'choices', 'help_text', 'multiline', 'secret', 'ask_at_runtime', 'default'}
AWX_NAME_PATTERN = re.compile(r'^[a-zA-Z_]+[a-zA-Z0-9_]*$')

SIM_TOKEN_PREFIX = 'eco-'


# ---------------------------------------------------------------------------------------------------------------------
# Helpers


def modules(ctx) -> list[str]:
    """Names of the modules in the copy."""
    paths = glob.glob(os.path.join(ctx.copy, 'plugins', 'modules', '*.py'))
    return sorted(os.path.splitext(os.path.basename(p))[0] for p in paths if not os.path.basename(p).startswith('_'))


def load_yaml(path: str):
    """Parse one YAML file."""
    with open(path, encoding='utf-8') as handle:
        return yaml.safe_load(handle)


def work_dir(ctx, name: str) -> str:
    """A fresh folder <base>/ecosystem/<name>."""
    path = os.path.join(ctx.base, 'ecosystem', name)
    shutil.rmtree(path, ignore_errors=True)
    os.makedirs(path)
    return path


def capture(cmd: list[str], cwd: str, env: dict[str, str], timeout: float = TIMEOUT) -> tuple[int, str]:
    """Run a command and return (exit code, stdout + stderr); 124 on timeout, after stopping its whole process group."""
    print('$ %s  (in %s)' % (' '.join(cmd), cwd), flush=True)
    with subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, errors='replace',
                          start_new_session=True) as proc:
        try:
            out, _err = proc.communicate(timeout=timeout)
            return proc.returncode, out
        except subprocess.TimeoutExpired:
            ci_common.terminate(proc)
            out, _err = proc.communicate()
            print('!! timed out after %s s: %s' % (timeout, cmd[0]), flush=True)
            return 124, out
        except BaseException:
            ci_common.terminate(proc)
            raise


def built_collection(ctx) -> tuple[str, str]:
    """Build the collection from the copy once per run; return (tarball, collections path it is installed in)."""
    folder = os.path.join(ctx.base, 'ecosystem', 'artifact')
    tarballs = glob.glob(os.path.join(folder, '%s-%s-*.tar.gz' % (ci_common.NAMESPACE, ci_common.NAME)))
    collections = os.path.join(folder, 'collections')
    if len(tarballs) == 1 and os.path.isdir(os.path.join(collections, 'ansible_collections', ci_common.NAMESPACE, ci_common.NAME)):
        return tarballs[0], collections
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder)
    env = ci_common.base_env(ANSIBLE_COLLECTIONS_PATH=collections, ANSIBLE_COLLECTIONS_SCAN_SYS_PATH='false')
    if run([venv_tool('ansible-galaxy'), 'collection', 'build', '--force', '--output-path', folder], cwd=ctx.copy, env=env, timeout=TIMEOUT):
        raise RuntimeError('ansible-galaxy collection build failed')
    tarballs = glob.glob(os.path.join(folder, '%s-%s-*.tar.gz' % (ci_common.NAMESPACE, ci_common.NAME)))
    if len(tarballs) != 1:
        raise RuntimeError('expected one artifact in %s, found %s' % (folder, tarballs))
    if run([venv_tool('ansible-galaxy'), 'collection', 'install', '--force', '-p', collections, tarballs[0]], cwd=folder, env=env,
           timeout=TIMEOUT):
        raise RuntimeError('ansible-galaxy collection install failed')
    return tarballs[0], collections


def sim_call(url: str, method: str = 'GET', body=None):
    """Call one of the simulator's /_sim control endpoints and return the decoded JSON answer."""
    data = None if body is None else json.dumps(body).encode('utf-8')
    request = urllib.request.Request(url, data=data, method=method, headers={'Content-Type': 'application/json'})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read().decode('utf-8') or 'null')


def show_tail(text: str, lines: int = 60) -> None:
    """Print the end of some output."""
    tail = text.splitlines()[-lines:]
    sys.stdout.write('\n'.join(tail) + '\n')
    sys.stdout.flush()


# ---------------------------------------------------------------------------------------------------------------------
# docs_render: what ansible-doc shows for the shared connection options


def shared_option_spec(ctx) -> dict:
    """civo_argument_spec() of the copy, as JSON-able data: {option: {type, default, env}}."""
    code = ('import json\n'
            'from ansible_collections.civo.cloud.plugins.module_utils.civo_api import civo_argument_spec\n'
            'spec = {}\n'
            'for name, opt in civo_argument_spec().items():\n'
            '    fallback = opt.get("fallback") or (None, [])\n'
            '    spec[name] = {"type": opt.get("type", "str"), "default": opt.get("default"), "env": list(fallback[1])}\n'
            'print(json.dumps(spec))\n')
    out = subprocess.run([sys.executable, '-c', code], cwd=ctx.base, env=ctx.env(PYTHONPATH=ctx.base), check=True,
                         capture_output=True, text=True, timeout=120).stdout
    return json.loads(out)


def fragment_doc(ctx) -> dict:
    """The DOCUMENTATION of the shared doc fragment (plugins/doc_fragments/civo.py), read without running the file."""
    with open(os.path.join(ctx.copy, 'plugins', 'doc_fragments', 'civo.py'), encoding='utf-8') as handle:
        tree = ast.parse(handle.read())
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == 'DOCUMENTATION' for t in node.targets):
            return yaml.safe_load(ast.literal_eval(node.value))
    raise RuntimeError('plugins/doc_fragments/civo.py has no DOCUMENTATION')


def fragment_version_added(ctx) -> dict[str, str]:
    """version_added of each option of the shared doc fragment."""
    return {name: str(opt.get('version_added', '')) for name, opt in fragment_doc(ctx)['options'].items()}


def option_blocks(text: str) -> dict[str, str]:
    """Split the OPTIONS section of `ansible-doc` text output into {option: its block, whitespace collapsed}."""
    blocks: dict[str, list[str]] = {}
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
            blocks[current] = [line[2 + len(current):]]
        elif current:
            blocks[current].append(line)
    return {name: ' '.join(' '.join(lines).split()) for name, lines in blocks.items()}


def doc_value(value) -> str:
    """A default as ansible-doc prints it."""
    if isinstance(value, bool):
        return 'true' if value else 'false'
    return 'null' if value is None else str(value)


def check_module_doc(fqcn: str, text: str, options: dict, spec: dict, version_added: dict[str, str]) -> list[str]:
    """Problems with how ansible-doc renders the shared options of one module: text (-v, what people read) and JSON."""
    problems = []
    blocks = option_blocks(text)
    for name in sorted(blocks):
        if not re.search(r'\btype: \w+', blocks[name]):
            problems.append('%s: option %s is shown without a type' % (fqcn, name))
    for name, want in sorted(spec.items()):
        block, doc = blocks.get(name), options.get(name, {})
        if block is None or not doc:
            problems.append('%s: shared option %s is not documented' % (fqcn, name))
            continue
        if 'type: %s' % want['type'] not in block or doc.get('type') != want['type']:
            problems.append('%s: %s should be shown with type %s' % (fqcn, name, want['type']))
        if want['default'] is not None and ('default: %s' % doc_value(want['default']) not in block or doc.get('default') != want['default']):
            problems.append('%s: %s should be shown with default %s' % (fqcn, name, doc_value(want['default'])))
        for var in want['env']:
            if var not in block:
                problems.append('%s: %s falls back to the environment variable %s, which its documentation does not name' % (fqcn, name, var))
        added = version_added.get(name)
        if not added or 'added in: version %s of %s.%s' % (added, ci_common.NAMESPACE, ci_common.NAME) not in block:
            problems.append('%s: %s should be shown as added in version %s' % (fqcn, name, added or '(missing in the doc fragment)'))
    return problems


def split_pages(text: str) -> dict[str, str]:
    """Split `ansible-doc` text output for several modules into {fqcn: page}."""
    pages: dict[str, str] = {}
    for match in re.finditer(r'^> MODULE (\S+).*?(?=^> MODULE |\Z)', text, re.MULTILINE | re.DOTALL):
        pages[match.group(1)] = match.group(0)
    return pages


def step_docs_render(ctx) -> int:
    """ansible-doc -v of each module of the built collection shows every shared option with type, default, env var and version_added."""
    spec = shared_option_spec(ctx)
    version_added = fragment_version_added(ctx)
    log('shared options: %s' % ', '.join('%s (%s)' % (name, ', '.join(opt['env']) or 'no env') for name, opt in sorted(spec.items())))
    _tarball, collections = built_collection(ctx)
    env = ci_common.base_env(ANSIBLE_COLLECTIONS_PATH=collections, ANSIBLE_COLLECTIONS_SCAN_SYS_PATH='false', ANSIBLE_NOCOLOR='1')
    fqcns = ['%s.%s.%s' % (ci_common.NAMESPACE, ci_common.NAME, module) for module in modules(ctx)]
    if not fqcns:
        log('no modules: nothing to check')
        return 1
    code, text = capture([venv_tool('ansible-doc'), '-v'] + fqcns, cwd=collections, env=env)
    jcode, raw = capture([venv_tool('ansible-doc'), '--json'] + fqcns, cwd=collections, env=env)
    if code or jcode or '{' not in raw:
        log('ansible-doc exited with %s/%s:\n%s' % (code, jcode, (text + raw)[-3000:]))
        return code or jcode or 1
    pages, docs = split_pages(text), json.loads(raw[raw.index('{'):])
    problems = []
    for fqcn in fqcns:
        if fqcn not in pages or fqcn not in docs:
            found = ['ansible-doc rendered no page for %s' % fqcn]
        else:
            found = check_module_doc(fqcn, pages[fqcn], docs[fqcn]['doc'].get('options', {}), spec, version_added)
        log('%s: %s' % (fqcn, 'OK' if not found else '%d problem(s)' % len(found)))
        problems.extend(found)
    for problem in problems:
        log(problem)
    return 1 if problems else 0


# ---------------------------------------------------------------------------------------------------------------------
# docsite: antsibull-docs' Sphinx flow


def write_ansible_inventory(path: str) -> None:
    """Write a Sphinx (version 2) object inventory with ANSIBLE_DOCS_LABELS."""
    body = ''.join('%s std:label -1 %s %s\n' % label for label in ANSIBLE_DOCS_LABELS).encode('utf-8')
    header = (b'# Sphinx inventory version 2\n# Project: Ansible\n# Version: devel\n'
              b'# The remainder of this file is compressed using zlib.\n')
    with open(path, 'wb') as handle:
        handle.write(header + zlib.compress(body))


def missing_distributions(requirements_file: str) -> list[str]:
    """Names in a requirements file (as antsibull-docs sphinx-init writes it) that are not installed."""
    missing = []
    with open(requirements_file, encoding='utf-8') as handle:
        for line in handle:
            line = line.split('#', 1)[0].strip()
            if not line:
                continue
            name = re.split(r'[\s<>=!~;\[]', line, maxsplit=1)[0]
            try:
                importlib.metadata.version(name)
            except importlib.metadata.PackageNotFoundError:
                missing.append(name)
    return missing


def step_docsite(ctx) -> int:
    """antsibull-docs sphinx-init + its build.sh (antsibull-docs collection, sphinx-build -W): the docsite builds to HTML."""
    dest = work_dir(ctx, 'docsite')
    env = ctx.env()
    cmd = [venv_tool('antsibull-docs'), 'sphinx-init', '--use-current', '--squash-hierarchy', '--fail-on-error', '--dest-dir', dest,
           '%s.%s' % (ci_common.NAMESPACE, ci_common.NAME)]
    code = run(cmd, cwd=ctx.base, env=env, timeout=TIMEOUT)
    if code:
        return code
    missing = missing_distributions(os.path.join(dest, 'requirements.txt'))
    if missing:
        log('the docsite needs %s: pip install -c tests/constraints.txt -r tests/requirements-ecosystem.txt' % ', '.join(missing))
        return 1
    inventory = os.path.join(dest, 'ansible_devel.inv')
    write_ansible_inventory(inventory)
    with open(os.path.join(dest, 'conf.py'), 'a', encoding='utf-8') as handle:
        handle.write('\n# tests/ci/ecosystem_steps.py: no network here, so the Ansible docs inventory is a local file.\n'
                     'intersphinx_mapping = {%r: (%r, %r)}\n' % ('ansible_devel', ANSIBLE_DOCS_URL, inventory))
    code, out = capture(['bash', os.path.join(dest, 'build.sh')], cwd=dest, env=env)
    print(out[-6000:], flush=True)
    if code or 'build succeeded' not in out:
        log('the docsite build failed (exit code %s); see the output above' % code)
        return code or 1
    html = os.path.join(dest, 'build', 'html')
    extra = load_yaml(os.path.join(ctx.copy, 'docs', 'docsite', 'extra-docs.yml')) or {}
    guides = [entry for section in extra.get('sections', []) for entry in section.get('toctree', [])]
    expected = ['index.html'] + ['%s_module.html' % name for name in modules(ctx)] + [os.path.join('docsite', '%s.html' % g) for g in guides]
    absent = [page for page in expected if not os.path.isfile(os.path.join(html, page))]
    if absent:
        log('the docsite lacks %s' % ', '.join(absent))
        return 1
    with open(os.path.join(html, 'index.html'), encoding='utf-8') as handle:
        index = handle.read()
    unlinked = [g for g in guides if 'docsite/%s.html' % g not in index]
    if unlinked:
        log('the collection index does not link the guides %s' % ', '.join(unlinked))
        return 1
    log('docsite built: %d pages in %s (guides: %s)' % (len(glob.glob(os.path.join(html, '**', '*.html'), recursive=True)), html, ', '.join(guides)))
    return 0


# ---------------------------------------------------------------------------------------------------------------------
# ee: ansible-builder


def documented_requirements(ctx) -> list[str]:
    """Python libraries the shared doc fragment lists under `requirements`."""
    return [str(r).split()[0] for r in fragment_doc(ctx).get('requirements', [])]


def step_ee(ctx) -> int:
    """ansible-builder create from docs/awx/execution-environment.yml with the built collection; introspect finds its requirements."""
    work = work_dir(ctx, 'ee')
    tarball, collections = built_collection(ctx)
    definition = load_yaml(os.path.join(ctx.copy, 'docs', 'awx', 'execution-environment.yml'))
    # The user-facing definition installs civo.cloud from Galaxy; here it installs the artifact just built, copied into
    # the build context, so that the context is complete and buildable as it is.
    shutil.copy2(tarball, work)
    name = os.path.basename(tarball)
    definition['dependencies']['galaxy'] = {'collections': [{'name': 'collections/%s' % name, 'type': 'file'}]}
    definition['additional_build_files'] = [{'src': name, 'dest': 'collections'}]
    with open(os.path.join(work, 'execution-environment.yml'), 'w', encoding='utf-8') as handle:
        yaml.safe_dump(definition, handle, sort_keys=False)
    context = os.path.join(work, 'context')
    code = run([venv_tool('ansible-builder'), 'create', '-f', 'execution-environment.yml', '-c', context, '--output-filename', 'Containerfile'],
               cwd=work, env=ctx.env(), timeout=TIMEOUT)
    if code:
        return code
    containerfile = os.path.join(context, 'Containerfile')
    problems = []
    if not os.path.isfile(containerfile):
        problems.append('no Containerfile in %s' % context)
    else:
        with open(containerfile, encoding='utf-8') as handle:
            text = handle.read()
        for needle in ('ansible-galaxy collection install', 'introspect', 'FROM $EE_BASE_IMAGE'):
            if needle not in text:
                problems.append('the Containerfile has no %r' % needle)
    if not os.path.isfile(os.path.join(context, '_build', 'collections', name)):
        problems.append('the build context lacks the collection artifact')
    # What the image build does next: introspect the installed collections for their requirements. Run the script the
    # context ships on the installed artifact: it must find what the modules document as their requirements.
    code, out = capture([sys.executable, os.path.join(context, '_build', 'scripts', 'introspect.py'), 'introspect', collections,
                         '--write-pip', os.path.join(work, 'pip.txt'), '--write-bindep', os.path.join(work, 'bindep.txt')],
                        cwd=work, env=ctx.env())
    print(out, flush=True)
    if code:
        problems.append('introspect.py failed with exit code %s' % code)
    pip_lines = []
    if os.path.isfile(os.path.join(work, 'pip.txt')):
        with open(os.path.join(work, 'pip.txt'), encoding='utf-8') as handle:
            pip_lines = [line.strip() for line in handle if line.strip()]
    for requirement in documented_requirements(ctx):
        if not any(re.match(r'^%s\b' % re.escape(requirement), line) and 'civo.cloud' in line for line in pip_lines):
            problems.append('the execution environment would not get %s (documented as a requirement), pip requirements: %s'
                            % (requirement, pip_lines))
    for problem in problems:
        log(problem)
    if not problems:
        log('build context %s: Containerfile + _build; the image would get: %s' % (context, '; '.join(pip_lines)))
    return 1 if problems else 0


# ---------------------------------------------------------------------------------------------------------------------
# galaxy_importer


def file_digest(path: str) -> str:
    """sha256 of a file."""
    with open(path, 'rb') as handle:
        return hashlib.sha256(handle.read()).hexdigest()


def ensure_galaxy_importer_venv(requirements: str) -> str:
    """Create (or reuse) the galaxy-importer virtualenv for this requirements file; return its bin folder."""
    os.makedirs(CACHE_DIR, exist_ok=True)
    stamp = os.path.join(GALAXY_IMPORTER_VENV, '.civo-requirements.sha256')
    digest = file_digest(requirements)
    with open(os.path.join(CACHE_DIR, 'galaxy-importer.lock'), 'w', encoding='utf-8') as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # two runs at once must not build the same virtualenv
        if os.path.isfile(stamp):
            with open(stamp, encoding='utf-8') as handle:
                if handle.read().strip() == digest:
                    log('galaxy-importer virtualenv up to date: %s' % GALAXY_IMPORTER_VENV)
                    return os.path.join(GALAXY_IMPORTER_VENV, 'bin')
        log('creating the galaxy-importer virtualenv %s' % GALAXY_IMPORTER_VENV)
        shutil.rmtree(GALAXY_IMPORTER_VENV, ignore_errors=True)
        env = ci_common.base_env()
        env.pop('VIRTUAL_ENV', None)
        if run([sys.executable, '-m', 'venv', GALAXY_IMPORTER_VENV], cwd=CACHE_DIR, env=env, timeout=TIMEOUT):
            raise RuntimeError('could not create %s' % GALAXY_IMPORTER_VENV)
        pip = os.path.join(GALAXY_IMPORTER_VENV, 'bin', 'pip')
        code, out = capture([pip, 'install', '--disable-pip-version-check', '-c', requirements, '-r', requirements], cwd=CACHE_DIR, env=env)
        if code:
            show_tail(out, 40)
            shutil.rmtree(GALAXY_IMPORTER_VENV, ignore_errors=True)
            raise RuntimeError('could not install %s into %s' % (requirements, GALAXY_IMPORTER_VENV))
        log('installed: %s' % ' '.join(line for line in out.splitlines() if line.startswith('Successfully installed'))[:400])
        with open(stamp, 'w', encoding='utf-8') as handle:
            handle.write(digest + '\n')
    return os.path.join(GALAXY_IMPORTER_VENV, 'bin')


def importer_result_problems(ctx, result: dict) -> list[str]:
    """What importer_result.json must say about this collection."""
    problems = []
    galaxy = load_yaml(os.path.join(ctx.copy, 'galaxy.yml'))
    meta = result.get('metadata', {})
    for key in ('namespace', 'name', 'version'):
        if str(meta.get(key)) != str(galaxy.get(key)):
            problems.append('importer metadata %s is %r, galaxy.yml says %r' % (key, meta.get(key), galaxy.get(key)))
    runtime = load_yaml(os.path.join(ctx.copy, 'meta', 'runtime.yml'))
    if result.get('requires_ansible') != runtime.get('requires_ansible'):
        problems.append('importer requires_ansible %r, meta/runtime.yml says %r' % (result.get('requires_ansible'), runtime.get('requires_ansible')))
    docs = {(c.get('content_type'), c.get('content_name')): c for c in result.get('docs_blob', {}).get('contents', [])}
    for module in modules(ctx):
        doc = ((docs.get(('module', module)) or {}).get('doc_strings') or {}).get('doc') or {}
        if not doc.get('options') or not doc.get('short_description'):
            problems.append('Galaxy would show no documentation for the module %s' % module)
    roles = sorted(os.path.basename(p) for p in glob.glob(os.path.join(ctx.copy, 'roles', '*')) if os.path.isdir(p))
    for role in roles:
        if ('role', role) not in docs:
            problems.append('Galaxy would not list the role %s' % role)
    if not (result.get('docs_blob', {}).get('collection_readme') or {}).get('html'):
        problems.append('Galaxy would show no README')
    return problems


def step_galaxy_importer(ctx) -> int:
    """galaxy-importer (own virtualenv, ansible-test off) on the built artifact: no ERROR/WARNING line, complete result."""
    requirements = os.path.join(ctx.copy, GALAXY_IMPORTER_REQUIREMENTS)
    gi_bin = ensure_galaxy_importer_venv(requirements)
    tarball, _collections = built_collection(ctx)
    work = work_dir(ctx, 'galaxy-importer')
    config = os.path.join(work, 'galaxy-importer.cfg')
    with open(config, 'w', encoding='utf-8') as handle:
        handle.write(GALAXY_IMPORTER_CONFIG)
    # Only the importer's own tools on PATH (it calls ansible-doc and ansible-lint by name), none of our settings.
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(('ANSIBLE_', 'GALAXY_IMPORTER_', 'CIVO_', 'PYTHON', 'VIRTUAL_ENV', 'MOLECULE_'))}
    system_path = [p for p in env.get('PATH', os.defpath).split(os.pathsep) if os.path.abspath(p) != os.path.abspath(ci_common.VENV_BIN)]
    env['PATH'] = os.pathsep.join([gi_bin] + system_path)
    env['GALAXY_IMPORTER_CONFIG'] = config
    env['GALAXY_IMPORTER_RUN_ANSIBLE_TEST'] = 'False'  # environment overrides the file: pin it here too
    env['ANSIBLE_NOCOLOR'] = '1'
    code, out = capture([os.path.join(gi_bin, 'python'), '-m', 'galaxy_importer.main', tarball], cwd=work, env=env)
    print(out, flush=True)
    problems = ['galaxy-importer said: %s' % line for line in out.splitlines()
                if line.startswith(('ERROR', 'WARNING', 'CRITICAL')) or 'Traceback' in line]
    if code:
        problems.append('galaxy-importer exited with code %s' % code)
    if 'Importer processing completed successfully' not in out:
        problems.append('galaxy-importer did not report a completed import')
    if 'run_ansible_test' in out.lower() or 'ansible-test' in out:
        problems.append('galaxy-importer ran ansible-test, which must stay off here')
    result_path = os.path.join(work, 'importer_result.json')
    if os.path.isfile(result_path):
        with open(result_path, encoding='utf-8') as handle:
            problems.extend(importer_result_problems(ctx, json.load(handle)))
    else:
        problems.append('galaxy-importer wrote no importer_result.json')
    for problem in problems:
        log(problem)
    return 1 if problems else 0


# ---------------------------------------------------------------------------------------------------------------------
# molecule


def molecule_scenarios(ctx) -> list[str]:
    """Names of the scenarios under extensions/molecule/."""
    files = glob.glob(os.path.join(ctx.copy, 'extensions', 'molecule', '*', 'molecule.yml'))
    return sorted(os.path.basename(os.path.dirname(path)) for path in files)


def installed_copy_marker() -> float | None:
    """mtime of civo.cloud in ~/.ansible/collections, which molecule's prerun would (re)install; None if absent."""
    path = os.path.join(os.path.expanduser('~'), '.ansible', 'collections', 'ansible_collections', ci_common.NAMESPACE, ci_common.NAME)
    return os.path.getmtime(path) if os.path.exists(path) else None


def step_molecule(ctx) -> int:
    """molecule test of every scenario under extensions/molecule/ against a fresh simulator (prerun off, collection from the copy)."""
    scenarios = molecule_scenarios(ctx)
    if not scenarios:
        log('no scenario under extensions/molecule/')
        return 1
    bad = [s for s in scenarios if (load_yaml(os.path.join(ctx.copy, 'extensions', 'molecule', s, 'molecule.yml')) or {}).get('prerun') is not False]
    if bad:
        # With prerun on, molecule builds the collection and installs it into ~/.ansible/collections, where later
        # tools pick it up instead of the copy under test.
        log('set `prerun: false` in extensions/molecule/%s/molecule.yml' % ', '.join(bad))
        return 1
    token = SIM_TOKEN_PREFIX + secrets.token_hex(8)
    sim_log = os.path.join(ctx.base, 'simulator-molecule.log')
    sim = ci_common.Simulator(ctx.copy, token, new_seconds=0.5, progress_seconds=1.5, quiet=False, log_path=sim_log)
    before = installed_copy_marker()
    code = 0
    try:
        url = sim.start()
        env = ctx.env(CIVO_API_URL=url, CIVO_TOKEN=token, ANSIBLE_NOCOLOR='1', NO_COLOR='1', PY_COLORS='0')
        ephemeral = work_dir(ctx, 'molecule')
        for scenario in scenarios:
            sim_call(url + '/_sim/reset', 'POST', {})
            # Molecule keeps a scenario's state under ~/.ansible/tmp/molecule.<hash of the folder *name*>.<scenario>, the same
            # for every copy of the collection: runs at the same time would share it. Give each run its own.
            scenario_env = dict(env, MOLECULE_EPHEMERAL_DIRECTORY=os.path.join(ephemeral, scenario))
            result = run([venv_tool('molecule'), 'test', '-s', scenario], cwd=ctx.copy, env=scenario_env, timeout=TIMEOUT)
            requests_made = sim_call(url + '/_sim/stats').get('total', 0)
            if not result and not requests_made:
                log('scenario %s passed without a single Civo API request: it tests nothing' % scenario)
                result = 1
            log('scenario %s: %s (%d API requests)' % (scenario, 'PASS' if not result else 'FAIL', requests_made))
            code = code or result
    except (RuntimeError, OSError) as ex:
        log(str(ex))
        code = 1
    finally:
        sim.stop()
    if installed_copy_marker() != before:
        log('molecule installed civo.cloud into ~/.ansible/collections: the scenarios must keep prerun off')
        code = code or 1
    if code and os.path.exists(sim_log):
        with open(sim_log, encoding='utf-8', errors='replace') as handle:
            show_tail(handle.read(), 40)
    return code


# ---------------------------------------------------------------------------------------------------------------------
# awx: the credential type as AWX validates and injects it, driving the job's playbook against the simulator


def credential_type_problems(definition: dict) -> list[str]:
    """The rules AWX applies when a custom credential type is saved (awx/main/fields.py)."""
    # pylint: disable-next=import-outside-toplevel
    from jinja2 import StrictUndefined, UndefinedError, sandbox
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


def render_injected_env(definition: dict, inputs: dict[str, str]) -> dict[str, str]:
    """The environment a job gets from a credential with these inputs (as AWX renders env injectors)."""
    # pylint: disable-next=import-outside-toplevel
    from jinja2 import sandbox
    renderer = sandbox.ImmutableSandboxedEnvironment()  # AWX renders with the default Undefined: empty fields give ''
    return {key: renderer.from_string(template).render(**inputs) for key, template in definition['injectors'].get('env', {}).items()}


def guide_shows_credential_type(ctx, definition: dict) -> bool:
    """Whether a YAML code block of guide_awx.rst is exactly the credential type file."""
    with open(os.path.join(ctx.copy, 'docs', 'docsite', 'rst', 'guide_awx.rst'), encoding='utf-8') as handle:
        text = handle.read()
    for match in re.finditer(r'^\.\. code-block:: yaml\n\n((?:[ ]{2}.*\n|\n)+)', text, re.MULTILINE):
        try:
            if yaml.safe_load(re.sub(r'^  ', '', match.group(1), flags=re.MULTILINE)) == definition:
                return True
        except yaml.YAMLError:
            continue
    return False


def run_nightly(ctx, env: dict[str, str], extra: dict) -> tuple[int, dict]:
    """Run docs/awx/nightly_snapshots.yml; return (exit code, localhost's counts from the PLAY RECAP)."""
    env = dict(env, ANSIBLE_LOCALHOST_WARNING='false', ANSIBLE_INVENTORY_UNPARSED_WARNING='false', ANSIBLE_NOCOLOR='1')
    cmd = [venv_tool('ansible-playbook'), os.path.join('docs', 'awx', 'nightly_snapshots.yml'), '-e', json.dumps(extra)]
    code, out = capture(cmd, cwd=ctx.copy, env=env)
    recap = re.search(r'^localhost\s*:(.*)$', out, re.MULTILINE)
    stats = {key: int(value) for key, value in re.findall(r'(\w+)=(\d+)', recap.group(1))} if recap else {}
    if code or not recap:
        show_tail(out, 80)
    log('nightly_snapshots.yml %s: exit code %s, %s' % (json.dumps(extra), code, stats))
    return code, stats


def step_awx(ctx) -> int:
    """The AWX credential type is valid for AWX, documented as it is, and its injected env runs the job's playbook (idempotent, rotating)."""
    definition = load_yaml(os.path.join(ctx.copy, 'docs', 'awx', 'civo_credential_type.yml'))
    problems = credential_type_problems(definition)
    spec = shared_option_spec(ctx)
    env_vars = sorted(var for opt in spec.values() for var in opt['env'])
    injected = sorted((definition.get('injectors') or {}).get('env', {}))
    if injected != env_vars:
        problems.append('the credential type injects %s, the modules read %s' % (injected, env_vars))
    if not guide_shows_credential_type(ctx, definition):
        problems.append('docs/docsite/rst/guide_awx.rst does not show docs/awx/civo_credential_type.yml as it is')
    if problems:
        for problem in problems:
            log(problem)
        return 1
    token = SIM_TOKEN_PREFIX + secrets.token_hex(8)
    sim = ci_common.Simulator(ctx.copy, token, new_seconds=0.3, progress_seconds=0.7, log_path=os.path.join(ctx.base, 'simulator-awx.log'))
    try:
        url = sim.start()
        # A credential with a token and the simulator's URL and no region, injected as AWX would.
        job_env = render_injected_env(definition, {'civo_token': token, 'civo_api_url': url})
        log('injected environment: %s' % ', '.join('%s=%s' % (k, '<token>' if v == token else repr(v)) for k, v in sorted(job_env.items())))
        env = ctx.env(**job_env)
        night = {'nightly_instances': ['web-1', 'db-1'], 'nightly_weekday': 'mon'}
        names = ['nightly-web-1-mon', 'nightly-db-1-mon']
        code, first = run_nightly(ctx, env, night)
        if code or first.get('changed') != 1:
            problems.append('the first night should take the snapshots (one changed task), got exit %s, %s' % (code, first))
        held = {s['name']: s for s in sim_call(url + '/_sim/snapshots')}
        if sorted(held) != sorted(names) or any(held[n].get('status') != 'complete' for n in names):
            problems.append('after the first night the account should hold %s complete, it holds %s' % (names, held))
        code, again = run_nightly(ctx, env, night)
        if code or again.get('changed') != 0:
            problems.append('a second run the same night should change nothing, got exit %s, %s' % (code, again))
        # A week later the same weekday comes round: the snapshots of last week are replaced, not added to.
        for name in names:
            sim_call(url + '/_sim/snapshots/' + name, 'PATCH', {'requested_at': time.time() - 7 * 86400})
        code, week = run_nightly(ctx, env, night)
        renewed = {s['name']: s for s in sim_call(url + '/_sim/snapshots')}
        if code or week.get('changed') != 1 or sorted(renewed) != sorted(names):
            problems.append('a week later the run should replace the two snapshots, got exit %s, %s, holding %s' % (code, week, sorted(renewed)))
        stale = [n for n in names if renewed.get(n, {}).get('requested_at') == held[n].get('requested_at')]
        if stale:
            problems.append('a week later these snapshots were not retaken: %s' % stale)
        # Without nightly_weekday the playbook names tonight's snapshots after today's weekday in UTC.
        today = ('mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun')[time.gmtime().tm_wday]
        code, _tonight = run_nightly(ctx, env, {'nightly_instances': ['web-1']})
        tonight = {s['name'] for s in sim_call(url + '/_sim/snapshots')}
        if code or 'nightly-web-1-%s' % today not in tonight:
            problems.append('a run without nightly_weekday should take nightly-web-1-%s, got exit %s, holding %s' % (today, code, sorted(tonight)))
    except (RuntimeError, OSError, KeyError) as ex:
        problems.append('%s: %s' % (type(ex).__name__, ex))
    finally:
        sim.stop()
    for problem in problems:
        log(problem)
    return 1 if problems else 0


# ---------------------------------------------------------------------------------------------------------------------

ECOSYSTEM_STEPS = {
    'docs_render': step_docs_render,
    'docsite': step_docsite,
    'ee': step_ee,
    'galaxy_importer': step_galaxy_importer,
    'awx': step_awx,
    'molecule': step_molecule,
}
