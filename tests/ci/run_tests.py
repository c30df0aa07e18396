"""Run every check of the civo.cloud collection (this is what `make test` and .ci/run call).

Run it with the project's virtualenv python:
    .venv/bin/python tests/ci/run_tests.py [--only sanity,units] [--jobs 1] [--keep]

Steps: sanity (ansible-test sanity --venv), units (pytest), integration (ansible-test integration against the Civo API
simulator, plus the other pytest suites such as tests/examples), lint (ansible-lint), changelog (antsibull-changelog lint),
docs (antsibull-docs lint-collection-docs), build (ansible-galaxy build + install + ansible-doc of every module),
bench (the performance benchmark's --quick mode: fails only when the benchmark itself breaks, never on its figures).

The working tree is copied to <tmp>/ansible_collections/civo/cloud (ansible-test only runs from a real tree of that
shape) and the steps run against that copy. With --jobs 2 (the default) two lanes of steps run at the same time, each in
its own copy (see LANES). Each step is timed; a summary table follows and the very last line is `N passed, N failed`.
The exit code is non-zero if any step failed.
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import resource
import secrets
import shutil
import signal
import subprocess
import sys
import tarfile
import tempfile
import time

import ci_common
from ci_common import log, run, venv_tool
from ecosystem_steps import ECOSYSTEM_STEPS

STEPS = ('sanity', 'units', 'bench', 'integration', 'lint', 'changelog', 'docs', 'build') + tuple(ECOSYSTEM_STEPS)
# With --jobs 2 (the default) these lanes run at the same time, each in its own copy of the working tree. The first
# one (mostly waiting on the simulator's clock) streams its output; the second one (CPU-bound linters) prints after it.
LANES = (('units', 'bench', 'integration'), ('sanity', 'lint', 'changelog', 'docs', 'build'))

Result = tuple  # (step, passed, seconds, cpu seconds)

# Generous per-command limits so that a hung tool cannot eat CI's whole budget.
TIMEOUT_SANITY = 900
TIMEOUT_DEFAULT = 300
TIMEOUT_INTEGRATION = 900

# tests/<name> folders that have a step of their own (or hold no pytest suite); any other one with test_*.py files
# (tests/examples, ...) is run with pytest in the integration step.
OWN_STEP_FOLDERS = ('unit', 'simulator', 'integration', 'sanity', 'output', 'ci', 'performance')

# Paths that must never end up in the built collection artifact.
FORBIDDEN_IN_ARTIFACT = ('.venv/', '.git/', '.build/', '.ci/', 'tests/output/', '__pycache__/', '.pytest_cache/',
                         'tests/integration/inventory', 'tests/integration/integration_config.yml', '.ansible/')


class Context:
    """State shared by the steps."""

    def __init__(self, base: str, copy_root: str, jobs: int = 1) -> None:
        self.base = base  # the folder that contains ansible_collections
        self.copy = copy_root  # <base>/ansible_collections/civo/cloud
        self.jobs = jobs  # > 1: a step may run independent parts at the same time

    def env(self, **extra: str) -> dict[str, str]:
        """Environment for a step: civo.cloud resolves to the copy, never to ~/.ansible/collections."""
        return ci_common.base_env(ANSIBLE_COLLECTIONS_PATH=self.base, **extra)

    def modules(self) -> list[str]:
        """Names of the modules in the copy."""
        paths = glob.glob(os.path.join(self.copy, 'plugins', 'modules', '*.py'))
        return sorted(os.path.splitext(os.path.basename(p))[0] for p in paths if not os.path.basename(p).startswith('_'))

    def documented_roles(self) -> list[str]:
        """Names of the roles in the copy that have an argument spec (which ansible-doc renders)."""
        paths = glob.glob(os.path.join(self.copy, 'roles', '*', 'meta', 'argument_specs.y*ml'))
        return sorted(os.path.basename(os.path.dirname(os.path.dirname(p))) for p in paths)


def pytest(ctx: Context, dirs: list[str], env: dict[str, str]) -> int:
    """Run pytest over the given test folders; no tests collected (exit 5) counts as failure."""
    cmd = [sys.executable, '-m', 'pytest', '-p', 'no:cacheprovider', '-q', '-ra'] + dirs
    code = run(cmd, cwd=ctx.copy, env=env, timeout=TIMEOUT_DEFAULT)
    if code == 5:
        log('pytest collected no tests in %s: counted as a failure' % ', '.join(dirs))
        return 1
    return code


def step_sanity(ctx: Context) -> int:
    """ansible-test sanity in managed virtualenvs (cached under ~/.ansible/test/venv)."""
    ignores = [p for p in glob.glob(os.path.join(ctx.copy, 'tests', 'sanity', '*.txt')) if os.path.getsize(p) > 0]
    bad = []
    for path in ignores:
        with open(path, encoding='utf-8') as handle:
            if any(line.strip() and not line.startswith('#') for line in handle):
                bad.append(os.path.relpath(path, ctx.copy))
    if bad:
        log('tests/sanity must not have ignore entries, found some in: %s' % ', '.join(bad))
        return 1
    log('pip bootstrap for ansible-test virtualenvs: %s' % ci_common.ensure_get_pip_bootstrap())
    cmd = [venv_tool('ansible-test'), 'sanity', '--venv', '--python', ci_common.PYTHON_VERSION, '--color', 'no']
    return run(cmd, cwd=ctx.copy, env=ctx.env(), timeout=TIMEOUT_SANITY)


def step_units(ctx: Context) -> int:
    """pytest over tests/unit and tests/simulator with PYTHONPATH at the folder holding ansible_collections."""
    dirs = [d for d in ('tests/unit', 'tests/simulator') if os.path.isdir(os.path.join(ctx.copy, d))]
    if not dirs:
        log('no tests/unit or tests/simulator folder: nothing to test')
        return 1
    return pytest(ctx, dirs, ctx.env(PYTHONPATH=ctx.base))


def step_bench(ctx: Context) -> int:
    """The benchmark in miniature (tests/performance/bench.py --quick), so that it cannot rot; its figures do not count."""
    script = os.path.join(ctx.copy, 'tests', 'performance', 'bench.py')
    if not os.path.exists(script):
        log('no tests/performance/bench.py: nothing to run')
        return 1
    output = os.path.join(ctx.copy, 'tests', 'output', 'performance')
    cmd = [sys.executable, script, '--quick', '--output', output]
    return run(cmd, cwd=ctx.copy, env=ctx.env(CIVO_COLLECTIONS_PATH=ctx.base), timeout=TIMEOUT_DEFAULT)


def write_integration_config(ctx: Context, url: str, token: str) -> str:
    """Write tests/integration/integration_config.yml in the copy, pointing at the simulator."""
    path = os.path.join(ctx.copy, 'tests', 'integration', 'integration_config.yml')
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'w', encoding='utf-8') as handle:
        handle.write('---\n# Written by tests/ci/run_tests.py for the local Civo API simulator.\n')
        handle.write('civo_api_url: "%s"\ncivo_api_token: "%s"\ncivo_simulator: true\n' % (url, token))
    return path


def step_integration(ctx: Context) -> int:
    """ansible-test integration against the simulator, and at the same time the other pytest suites (tests/examples, ...)."""
    targets = os.path.join(ctx.copy, 'tests', 'integration', 'targets')
    suites = extra_pytest_suites(ctx)
    has_targets = os.path.isdir(targets) and bool(os.listdir(targets))
    if not has_targets and not suites:
        log('no integration targets and no other pytest suites: nothing to test')
        return 1
    # The suites start their own simulators (tests/simulator's Simulator class) and mostly wait on its clock, so they run
    # beside ansible-test, in a copy of their own (ansible-test rewrites tests/output and tests/integration of its copy).
    suites_proc, suites_log = (start_suites(ctx, suites) if suites and ctx.jobs > 1 else (None, ''))
    code = 0
    try:
        if has_targets:
            code = run_integration_targets(ctx)
        if suites and suites_proc is None:
            code = pytest(ctx, suites, ctx.env(PYTHONPATH=ctx.base, CIVO_COLLECTIONS_PATH=ctx.base)) or code
        elif suites_proc is not None:
            try:
                suites_code = suites_proc.wait(timeout=TIMEOUT_INTEGRATION)
            except subprocess.TimeoutExpired:
                log('pytest %s timed out after %s s' % (' '.join(suites), TIMEOUT_INTEGRATION))
                suites_code = 124
            log('output of pytest %s (run beside ansible-test):' % ' '.join(suites))
            show_tail(suites_log, lines=0)
            if suites_code == 5:
                log('pytest collected no tests in %s: counted as a failure' % ', '.join(suites))
            code = (1 if suites_code == 5 else suites_code) or code
    finally:
        if suites_proc is not None:
            ci_common.terminate(suites_proc)
    return code


def run_integration_targets(ctx: Context) -> int:
    """Start the simulator, point integration_config.yml at it, run ansible-test integration, stop the simulator."""
    token = 'ci-' + secrets.token_hex(8)
    sim_log = os.path.join(ctx.base, 'simulator-integration.log')
    sim = ci_common.Simulator(ctx.copy, token, new_seconds=0.2, progress_seconds=0.6, quiet=False, log_path=sim_log)
    try:
        url = sim.start()
        log('integration config: %s' % write_integration_config(ctx, url, token))
        # --python-interpreter: the modules run with the venv's python, which has requests.
        cmd = [venv_tool('ansible-test'), 'integration', '--allow-unsupported', '--color', 'no',
               '--python', ci_common.PYTHON_VERSION, '--python-interpreter', sys.executable]
        code = run(cmd, cwd=ctx.copy, env=ctx.env(), timeout=TIMEOUT_INTEGRATION)
    except RuntimeError as ex:
        log(str(ex))
        code = 1
    finally:
        sim.stop()
    if code:
        show_tail(sim_log)
    return code


def start_suites(ctx: Context, suites: list[str]) -> tuple[subprocess.Popen, str]:
    """Start pytest over the suites in the background, in a copy of their own; return the process and its log file."""
    base = os.path.join(ctx.base, 'suites')
    copy_root = ci_common.copy_collection(base)
    log_path = os.path.join(ctx.base, 'pytest-suites.log')
    cmd = [sys.executable, '-m', 'pytest', '-p', 'no:cacheprovider', '-q', '-ra'] + suites
    log('started in the background: %s  (in %s)' % (' '.join(cmd), copy_root))
    with open(log_path, 'w', encoding='utf-8') as out:
        # pylint: disable-next=consider-using-with
        proc = subprocess.Popen(cmd, cwd=copy_root, env=ctx.env(PYTHONPATH=base, CIVO_COLLECTIONS_PATH=base), stdout=out,
                                stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
    return proc, log_path


def extra_pytest_suites(ctx: Context) -> list[str]:
    """Folders tests/<name> other than the ones with their own step that hold pytest files (e.g. tests/examples)."""
    suites = []
    for name in sorted(os.listdir(os.path.join(ctx.copy, 'tests'))):
        folder = os.path.join(ctx.copy, 'tests', name)
        if name in OWN_STEP_FOLDERS or not os.path.isdir(folder):
            continue
        if glob.glob(os.path.join(folder, '**', 'test_*.py'), recursive=True) or glob.glob(os.path.join(folder, '**', '*_test.py'), recursive=True):
            suites.append('tests/' + name)
    return suites


def show_tail(path: str, lines: int = 40) -> None:
    """Print the end of a log file (all of it with lines=0)."""
    if os.path.exists(path):
        with open(path, encoding='utf-8', errors='replace') as handle:
            tail = handle.readlines()[-lines:]
        if lines:
            log('last %d lines of %s:' % (len(tail), path))
        sys.stdout.write(''.join(tail))
        sys.stdout.flush()


def step_lint(ctx: Context) -> int:
    """ansible-lint (production profile, offline, see .ansible-lint) over the repo copy."""
    return run([venv_tool('ansible-lint')], cwd=ctx.copy, env=ctx.env(), timeout=TIMEOUT_DEFAULT)


def step_changelog(ctx: Context) -> int:
    """antsibull-changelog lint (fragments) and lint-changelog-yaml."""
    code = run([venv_tool('antsibull-changelog'), 'lint'], cwd=ctx.copy, env=ctx.env(), timeout=TIMEOUT_DEFAULT)
    changelog = os.path.join('changelogs', 'changelog.yaml')
    if os.path.exists(os.path.join(ctx.copy, changelog)):
        code = run([venv_tool('antsibull-changelog'), 'lint-changelog-yaml', changelog], cwd=ctx.copy, env=ctx.env(),
                   timeout=TIMEOUT_DEFAULT) or code
    return code


def step_docs(ctx: Context) -> int:
    """antsibull-docs lint-collection-docs --plugin-docs (catches bad O()/M() references)."""
    cmd = [venv_tool('antsibull-docs'), 'lint-collection-docs', '--plugin-docs', '.']
    return run(cmd, cwd=ctx.copy, env=ctx.env(), timeout=TIMEOUT_DEFAULT)


def step_build(ctx: Context) -> int:
    """ansible-galaxy collection build + install into a temporary path + ansible-doc for every module (and documented role)."""
    work = os.path.join(ctx.base, 'build')
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    code = run([venv_tool('ansible-galaxy'), 'collection', 'build', '--output-path', work, '--force'],
               cwd=ctx.copy, env=ctx.env(), timeout=TIMEOUT_DEFAULT)
    tarballs = glob.glob(os.path.join(work, '%s-%s-*.tar.gz' % (ci_common.NAMESPACE, ci_common.NAME)))
    if code or len(tarballs) != 1:
        log('build failed (exit code %s, artifacts %s)' % (code, tarballs))
        return code or 1
    with tarfile.open(tarballs[0]) as tar:
        names = tar.getnames()
    junk = sorted(n for n in names if any(forbidden_match(n, f) for f in FORBIDDEN_IN_ARTIFACT))
    if junk:
        log('the artifact contains files that build_ignore should exclude: %s' % ', '.join(junk[:20]))
        code = 1
    log('artifact %s: %d entries' % (os.path.basename(tarballs[0]), len(names)))
    collections = os.path.join(work, 'collections')
    env = ci_common.base_env(ANSIBLE_COLLECTIONS_PATH=collections, ANSIBLE_COLLECTIONS_SCAN_SYS_PATH='false')
    inst = run([venv_tool('ansible-galaxy'), 'collection', 'install', '--force', '-p', collections, tarballs[0]],
               cwd=work, env=env, timeout=TIMEOUT_DEFAULT)
    if inst:
        return inst
    modules = ctx.modules()
    if not modules:
        log('no modules under plugins/modules: nothing to render with ansible-doc')
    for module in modules:
        code = check_doc('%s.%s.%s' % (ci_common.NAMESPACE, ci_common.NAME, module), work, env) or code
    for role in ctx.documented_roles():
        code = check_doc('%s.%s.%s' % (ci_common.NAMESPACE, ci_common.NAME, role), work, env, plugin_type='role') or code
    return code


def forbidden_match(name: str, forbidden: str) -> bool:
    """True if the artifact member `name` is (inside) the forbidden path; folders end with a slash."""
    if forbidden.endswith('/'):
        return (name + '/').startswith(forbidden) or ('/' + forbidden) in (name + '/')
    return name == forbidden or name.startswith(forbidden + '/')


def check_doc(fqcn: str, cwd: str, env: dict[str, str], plugin_type: str = 'module') -> int:
    """Render the docs of one module (or role) with ansible-doc; any error or warning output is a failure."""
    out_path = os.path.join(cwd, 'ansible-doc.out')
    err_path = os.path.join(cwd, 'ansible-doc.err')
    with open(out_path, 'w', encoding='utf-8') as out, open(err_path, 'w', encoding='utf-8') as err:
        cmd = [venv_tool('ansible-doc'), '-t', plugin_type, fqcn]
        print('$ %s' % ' '.join(cmd), flush=True)
        # Captured (not streamed) so that the full page does not flood the log.
        code = subprocess.call(cmd, cwd=cwd, env=env, stdout=out, stderr=err, timeout=TIMEOUT_DEFAULT)
    with open(out_path, encoding='utf-8') as out, open(err_path, encoding='utf-8') as err:
        stdout, stderr = out.read(), err.read()
    problems = [line for line in stderr.splitlines() if 'ERROR' in line or 'WARNING' in line]
    if code or problems or fqcn.upper() not in stdout.upper():
        log('ansible-doc %s failed (exit code %s):' % (fqcn, code))
        sys.stdout.write(stderr + stdout[:2000])
        return code or 1
    log('ansible-doc -t %s %s: OK (%d lines)' % (plugin_type, fqcn, len(stdout.splitlines())))
    return 0


STEP_FUNCS = {
    'sanity': step_sanity,
    'units': step_units,
    'bench': step_bench,
    'integration': step_integration,
    'lint': step_lint,
    'changelog': step_changelog,
    'docs': step_docs,
    'build': step_build,
}
STEP_FUNCS.update(ECOSYSTEM_STEPS)


def parse_args(argv: list[str]) -> argparse.Namespace:
    """Command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--only', default='', help='comma-separated subset of: %s' % ','.join(STEPS))
    parser.add_argument('--keep', action='store_true', help='keep the temporary copies (their paths are printed)')
    parser.add_argument('--jobs', type=int, default=int(os.environ.get('CIVO_CI_JOBS', '2')),
                        help='1: one step after the other; 2 (default, or env CIVO_CI_JOBS): two lanes of steps at the same time')
    parser.add_argument('--results-json', help=argparse.SUPPRESS)  # used by the lanes started by this script
    args = parser.parse_args(argv)
    args.steps = [s.strip() for s in args.only.split(',') if s.strip()] or list(STEPS)
    unknown = [s for s in args.steps if s not in STEPS]
    if unknown:
        parser.error('unknown step(s) %s; choose from %s' % (', '.join(unknown), ', '.join(STEPS)))
    args.steps = [s for s in STEPS if s in args.steps]
    return args


def interrupt(_signum: int, _frame: object) -> None:
    """SIGTERM: unwind like Ctrl-C, so that the simulator and the running tool are stopped."""
    raise KeyboardInterrupt


def run_steps(steps: list[str], jobs: int, keep: bool) -> list[Result]:
    """Run steps one after the other in a fresh copy of the working tree, with their output on ours."""
    base = tempfile.mkdtemp(prefix='civo-cloud-ci-')
    results: list[Result] = []
    try:
        copy_root = ci_common.copy_collection(base)
        log('copied the working tree to %s' % copy_root)
        ctx = Context(base, copy_root, jobs)
        for name in steps:
            print('\n' + '=' * 30 + ' step: %s ' % name + '=' * 30, flush=True)
            start, cpu = time.monotonic(), children_cpu()
            try:
                code = STEP_FUNCS[name](ctx)
            except Exception as ex:  # pylint: disable=broad-exception-caught
                log('step %s crashed: %r' % (name, ex))
                code = 1
            results.append((name, code == 0, time.monotonic() - start, children_cpu() - cpu))
            log('step %s: %s in %.1f s' % (name, 'PASS' if code == 0 else 'FAIL (exit code %s)' % code, results[-1][2]))
    except KeyboardInterrupt:
        log('interrupted')
        results.append(('interrupted', False, 0.0, 0.0))
    finally:
        if keep:
            log('kept the copy in %s' % base)
        else:
            shutil.rmtree(base, ignore_errors=True)
    return results


def children_cpu() -> float:
    """CPU seconds (user + system) used so far by the finished child processes."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def plan_lanes(steps: list[str], jobs: int) -> list[list[str]]:
    """Split the steps into lanes that run at the same time (each in its own copy); the first lane's output is live."""
    if jobs <= 1:
        return [steps]
    lanes = [[s for s in lane if s in steps] for lane in LANES]
    lanes[-1].extend(s for s in steps if not any(s in lane for lane in LANES))  # a step in no lane joins the last one
    return [lane for lane in lanes if lane]


def run_lanes(lanes: list[list[str]], args: argparse.Namespace) -> list[Result]:
    """Run the first lane here and the others as child processes whose output is shown when the first one is done."""
    tmp = tempfile.mkdtemp(prefix='civo-cloud-lanes-')
    children = []
    try:
        for number, lane in enumerate(lanes[1:], start=2):
            out_path = os.path.join(tmp, 'lane%d.log' % number)
            json_path = os.path.join(tmp, 'lane%d.json' % number)
            cmd = [sys.executable, os.path.abspath(__file__), '--only', ','.join(lane), '--results-json', json_path, '--jobs', str(args.jobs)]
            if args.keep:
                cmd.append('--keep')
            log('lane %d (%s) runs in the background; its output follows the lane 1 output' % (number, ', '.join(lane)))
            with open(out_path, 'w', encoding='utf-8') as out:
                # pylint: disable-next=consider-using-with
                proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
            children.append((number, lane, proc, out_path, json_path))
        log('lane 1 (%s) runs here' % ', '.join(lanes[0]))
        results = run_steps(lanes[0], args.jobs, args.keep)
        if any(r[0] == 'interrupted' for r in results):
            for _number, _lane, proc, _out, _json in children:
                ci_common.terminate(proc, grace=60)
        for number, lane, proc, out_path, json_path in children:
            if proc.poll() is None:
                log('waiting for lane %d (%s)' % (number, ', '.join(lane)))
            proc.wait()
            print('\n' + '#' * 30 + ' output of lane %d (%s) ' % (number, ', '.join(lane)) + '#' * 30, flush=True)
            with open(out_path, encoding='utf-8', errors='replace') as handle:
                shutil.copyfileobj(handle, sys.stdout)
            sys.stdout.flush()
            try:
                with open(json_path, encoding='utf-8') as handle:
                    results.extend(tuple(r) for r in json.load(handle))
            except (OSError, ValueError):
                log('lane %d left no results (exit code %s)' % (number, proc.returncode))
                results.extend((name, False, 0.0, 0.0) for name in lane if name not in [r[0] for r in results])
    finally:
        for _number, _lane, proc, _out, _json in children:
            ci_common.terminate(proc, grace=60)
        shutil.rmtree(tmp, ignore_errors=True)
    order = {name: index for index, name in enumerate(STEPS)}
    return sorted(results, key=lambda r: order.get(r[0], len(STEPS)))


def main(argv: list[str]) -> int:
    """Run the selected steps and print the summary."""
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, interrupt)
    if args.results_json:  # a lane started by run_lanes
        results = run_steps(args.steps, args.jobs, args.keep)
        with open(args.results_json, 'w', encoding='utf-8') as handle:
            json.dump(results, handle)
        return 0 if all(r[1] for r in results) else 1
    start = time.monotonic()
    lanes = plan_lanes(args.steps, args.jobs)
    try:
        results = run_steps(lanes[0], args.jobs, args.keep) if len(lanes) == 1 else run_lanes(lanes, args)
    except KeyboardInterrupt:
        results = [('interrupted', False, 0.0, 0.0)]
    print_summary(results, time.monotonic() - start, len(lanes))
    return 0 if results and all(r[1] for r in results) else 1


def print_summary(results: list[Result], wall: float, lanes: int) -> None:
    """Print the summary table; the very last line is `N passed, N failed`."""
    passed = sum(1 for r in results if r[1])
    failed = len(results) - passed
    print('\n%-16s %-6s %9s %9s' % ('step', 'result', 'seconds', 'cpu s'))
    print('%-16s %-6s %9s %9s' % ('-' * 16, '-' * 6, '-' * 9, '-' * 9))
    for name, ok, secs, cpu in results:
        print('%-16s %-6s %9.1f %9.1f' % (name, 'PASS' if ok else 'FAIL', secs, cpu))
    print('%-16s %-6s %9.1f %9.1f' % ('wall clock', '', wall, sum(r[3] for r in results)))
    if lanes > 1:
        print('(%d lanes ran at the same time: the step times add up to more than the wall clock)' % lanes)
    print('%d passed, %d failed' % (passed, failed), flush=True)


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
