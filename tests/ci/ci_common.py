"""Helpers shared by the CI runner (run_tests.py) and the demo (demo.py).

Standard library only: these scripts run before anything else is known to work.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
VENV_BIN = os.path.join(sys.prefix, 'bin')
NAMESPACE = 'civo'
NAME = 'cloud'
PYTHON_VERSION = '%d.%d' % sys.version_info[:2]

# Top-level names and path parts that are never part of the collection content.
EXCLUDED_NAMES = {'.venv', '.git', '.build', '.ansible', '.pytest_cache', '.mypy_cache', '.tox', '__pycache__'}
EXCLUDED_RELPATHS = {
    os.path.join('tests', 'output'),
    os.path.join('tests', 'integration', 'inventory'),
    os.path.join('tests', 'integration', 'integration_config.yml'),
    os.path.join('changelogs', '.plugin-cache.yaml'),
}
EXCLUDED_SUFFIXES = ('.pyc', '.pyo', '.tar.gz', '.retry')

# Written to ~/.ansible/test/cache/get_pip_<version>.py: ansible-test runs it (through runpy) inside every
# virtualenv it creates, which has no pip. The real script is downloaded from a host this network cannot
# reach; this one installs pip from the standard library (ensurepip) and then the requested pip version.
GET_PIP_MARKER = 'civo.cloud tests/ci get-pip replacement'
GET_PIP_SCRIPT = '''"""{marker}: ensurepip, then pip install the requested packages."""
import subprocess
import sys

ARGS = [arg for arg in sys.argv[1:] if arg not in ('--no-setuptools', '--no-wheel')]
subprocess.check_call([sys.executable, '-m', 'ensurepip', '--default-pip'])
sys.exit(subprocess.call([sys.executable, '-m', 'pip', 'install', '--upgrade'] + ARGS))
'''


def log(message: str) -> None:
    """Print a progress line, flushed so that it interleaves correctly with child output."""
    print('==> %s' % message, flush=True)


def venv_tool(name: str) -> str:
    """Return the path of an executable installed in the running virtualenv (falls back to PATH)."""
    path = os.path.join(VENV_BIN, name)
    if os.path.exists(path):
        return path
    return shutil.which(name) or name


def base_env(**extra: str) -> dict[str, str]:
    """Return an environment for child processes: venv first on PATH, no stray Civo credentials."""
    env = {key: value for key, value in os.environ.items() if not key.startswith('CIVO_')}
    env['PATH'] = VENV_BIN + os.pathsep + env.get('PATH', '')
    env['PYTHONDONTWRITEBYTECODE'] = '1'
    env.setdefault('ANSIBLE_NOCOLOR', '1')
    env['ANSIBLE_FORCE_COLOR'] = '0'
    env.update(extra)
    return env


def _listed_by_git(root: str) -> list[str] | None:
    """Return the files git would ship (tracked + untracked, minus ignored), or None without git."""
    if not os.path.isdir(os.path.join(root, '.git')) or not shutil.which('git'):
        return None
    try:
        out = subprocess.run(['git', 'ls-files', '-z', '--cached', '--others', '--exclude-standard'],
                             cwd=root, check=True, capture_output=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    return [name for name in out.decode('utf-8', 'surrogateescape').split('\0') if name]


def _listed_by_walk(root: str) -> list[str]:
    """Return all files below root, minus the excluded ones."""
    paths = []
    for dirpath, dirnames, filenames in os.walk(root):
        rel = os.path.relpath(dirpath, root)
        rel = '' if rel == '.' else rel
        dirnames[:] = sorted(d for d in dirnames if d not in EXCLUDED_NAMES and os.path.join(rel, d) not in EXCLUDED_RELPATHS)
        paths.extend(os.path.join(rel, name) for name in sorted(filenames))
    return paths


def collection_files(root: str = REPO_ROOT) -> list[str]:
    """Return the relative paths of the working-tree files that make up the collection repo."""
    paths = _listed_by_git(root)
    if paths is None:
        paths = _listed_by_walk(root)
    result = []
    for path in paths:
        parts = path.split(os.sep)
        if any(part in EXCLUDED_NAMES for part in parts) or path.endswith(EXCLUDED_SUFFIXES):
            continue
        if any(path == excluded or path.startswith(excluded + os.sep) for excluded in EXCLUDED_RELPATHS):
            continue
        full = os.path.join(root, path)
        if os.path.islink(full) or os.path.isfile(full):
            result.append(path)
    return sorted(result)


def copy_collection(base: str, root: str = REPO_ROOT) -> str:
    """Copy the working tree to <base>/ansible_collections/civo/cloud (a real tree, no .git) and return that path."""
    dest = os.path.join(base, 'ansible_collections', NAMESPACE, NAME)
    if os.path.exists(dest):
        shutil.rmtree(dest)
    os.makedirs(dest)
    for path in collection_files(root):
        target = os.path.join(dest, path)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        shutil.copy2(os.path.join(root, path), target, follow_symlinks=False)
    return dest


def ensure_get_pip_bootstrap() -> str | None:
    """Install the offline pip bootstrap script that ansible-test's --venv needs; return its path."""
    try:
        # pylint: disable-next=import-outside-toplevel
        from ansible_test._internal.python_requirements import get_venv_packages  # type: ignore[import-not-found]
        # pylint: disable-next=import-outside-toplevel
        from ansible_test._internal.host_configs import NativePythonConfig  # type: ignore[import-not-found]
        pip_version = get_venv_packages(NativePythonConfig(version=PYTHON_VERSION))['pip']
    except Exception as ex:  # pylint: disable=broad-exception-caught
        log('could not ask ansible-test for its pip version (%s); assuming 24.2' % ex)
        pip_version = '24.2'
    path = os.path.expanduser('~/.ansible/test/cache/get_pip_%s.py' % pip_version.replace('.', '_'))
    if os.path.exists(path):
        with open(path, encoding='utf-8') as handle:
            if GET_PIP_MARKER not in handle.read():
                return path  # a real get-pip script downloaded by ansible-test: keep it
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'w', encoding='utf-8') as handle:
        handle.write(GET_PIP_SCRIPT.format(marker=GET_PIP_MARKER))
    return path


def terminate(proc: subprocess.Popen, grace: float = 10.0) -> None:
    """Stop a child started with start_new_session=True: SIGTERM its process group, then SIGKILL."""
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        proc.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait()


def run(cmd: list[str], cwd: str, env: dict[str, str], timeout: float | None = None) -> int:
    """Run a command with its output going to ours; return its exit code (124 on timeout)."""
    print('$ %s  (in %s)' % (' '.join(cmd), cwd), flush=True)
    with subprocess.Popen(cmd, cwd=cwd, env=env, start_new_session=True) as proc:
        try:
            return proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            print('!! timed out after %s s: %s' % (timeout, cmd[0]), flush=True)
            terminate(proc)
            return 124
        except BaseException:
            terminate(proc)
            raise


class Simulator:
    """The Civo API simulator (tests/simulator/civo_simulator.py) run as a child process."""

    def __init__(self, copy_root: str, token: str, new_seconds: float, progress_seconds: float,
                 quiet: bool = True, log_path: str | None = None) -> None:
        self.script = os.path.join(copy_root, 'tests', 'simulator', 'civo_simulator.py')
        self.token = token
        self.new_seconds = new_seconds
        self.progress_seconds = progress_seconds
        self.quiet = quiet
        self.log_path = log_path
        self.url = ''
        self.proc: subprocess.Popen | None = None
        self._tmpdir = ''
        self._log = None

    def start(self, timeout: float = 30.0) -> str:
        """Start the simulator on a free port and return its URL."""
        if not os.path.isfile(self.script):
            raise RuntimeError('simulator not found: %s' % self.script)
        self._tmpdir = tempfile.mkdtemp(prefix='civo-sim-')
        url_file = os.path.join(self._tmpdir, 'url')
        cmd = [sys.executable, self.script, '--port', '0', '--url-file', url_file, '--token', self.token,
               '--new-seconds', str(self.new_seconds), '--progress-seconds', str(self.progress_seconds)]
        if self.quiet:
            cmd.append('--quiet')
        if self.log_path:
            self._log = open(self.log_path, 'w', encoding='utf-8')  # pylint: disable=consider-using-with
        log('starting simulator: %s' % ' '.join(cmd))
        # pylint: disable-next=consider-using-with
        self.proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=self._log, env=base_env(), start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                self.stop()
                raise RuntimeError('simulator exited early with code %s' % self.proc.returncode)
            if os.path.exists(url_file):
                with open(url_file, encoding='utf-8') as handle:
                    self.url = handle.read().strip()
                if self.url:
                    log('simulator listening at %s' % self.url)
                    return self.url
            time.sleep(0.1)
        self.stop()
        raise RuntimeError('simulator did not write its URL within %s s' % timeout)

    def stop(self) -> None:
        """Stop the simulator (safe to call more than once)."""
        if self.proc is not None and self.proc.poll() is None:
            terminate(self.proc)
            log('simulator stopped (exit code %s)' % self.proc.returncode)
        if self._log is not None:
            self._log.close()
            self._log = None
        if self._tmpdir:
            shutil.rmtree(self._tmpdir, ignore_errors=True)
            self._tmpdir = ''

    def __enter__(self) -> Simulator:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
