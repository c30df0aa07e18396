"""Civo instance-snapshot API simulator, for tests and demos.

Serves the /v2 snapshot and instance endpoints of the reference contract over real HTTP on
loopback, and unauthenticated /_sim/* control endpoints (request log, fault injection,
configuration, direct state manipulation). Standard library only.

    python tests/simulator/civo_simulator.py --port 0 --url-file "${TMPDIR:-/tmp}/civo-url"

    with Simulator(new_seconds=0.2) as sim:
        ...  # point clients at sim.url with token 'sim-token'
"""

import argparse
import datetime
import fnmatch
import json
import math
import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlsplit

import current_api
from api_common import ApiError, epoch_seconds as _epoch, is_number as _is_number, parse_bool, scalar as _scalar

DEFAULT_SEED = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'default_seed.json')
KNOWN_REGIONS = ('LON1', 'NYC1', 'FRA1')
NAME_RE = re.compile(r'^[A-Za-z0-9._-]+$')
BEARER_RE = re.compile(r'^\s*bearer\s+(\S+)\s*$', re.IGNORECASE)
CRON_FIELD_RE = re.compile(r'^(?:[0-9*/,-]|[A-Za-z]{3})+$')
REAL_SHAPE_OFFSET = datetime.timezone(datetime.timedelta(hours=1))
SNAPSHOT_FIELDS = (
    'id',
    'name',
    'instance_id',
    'hostname',
    'template_id',
    'region',
    'openstack_snapshot_id',
    'safe',
    'size_gb',
    'status',
    'cron_timing',
    'requested_at',
    'completed_at',
)
# Fields accepted by /_sim/snapshots besides the public ones: disk_gb sizes the snapshot, frozen stops progression.
SNAPSHOT_INTERNAL_FIELDS = ('disk_gb', 'frozen')
ACTIVE_STATUSES = ('new', 'in-progress')
FAULT_KINDS = ('status', 'delay', 'drop', 'malformed', 'cutoff')
# The kinds `after: true` applies to: the operation is performed, then its answer is lost (drop) or replaced (status).
AFTER_KINDS = ('status', 'drop')
FAULT_METHODS = ('GET', 'PUT', 'DELETE', 'POST', 'PATCH', '*')
FAULT_DEFAULTS = {
    'method': '*',
    'path': '*',
    'kind': None,
    'status': 503,
    'retry_after': None,
    'delay': 5.0,
    'times': 1,
    'skip': 0,
    'after': False,
}
# The fault a cut-off simulator applies to every /v2 request until its faults are cleared: hang up, perform nothing.
CUT_OFF_DROP = dict(FAULT_DEFAULTS, kind='drop')
# Fields every instance answers unless config instance_source_fields is false (civogo's Instance; current-api.md 6).
INSTANCE_SOURCE_FIELDS = ('source_type', 'source_id', 'snapshot_id')
# Routes of the simulated API: path pattern -> {HTTP method: name of the Simulator method answering it}.
# The third element says whether a route belongs to the current family (then config current_api gates it).
API_ROUTES = (
    (re.compile(r'^/v2/snapshots$'), {'GET': '_list_snapshots'}, False),
    (re.compile(r'^/v2/snapshots/([^/]*)$'), {'PUT': '_put_snapshot', 'DELETE': '_delete_snapshot'}, False),
    (re.compile(r'^/v2/instances$'), {'GET': '_list_instances'}, False),
    (re.compile(r'^/v2/instances/([^/]+)$'), {'GET': '_get_instance'}, False),
) + tuple((pattern, handlers, True) for pattern, handlers in current_api.ROUTES)


def _flatten(parsed_qs):
    return {key: values[0] if len(values) == 1 else values for key, values in parsed_qs.items()}


def _iso(epoch, real_shape):
    if epoch is None:
        return None
    if real_shape:  # recorded responses: milliseconds, +01:00
        return datetime.datetime.fromtimestamp(epoch, REAL_SHAPE_OFFSET).isoformat(timespec='milliseconds')
    return datetime.datetime.fromtimestamp(epoch, datetime.timezone.utc).isoformat(timespec='seconds')


def _valid_cron(text):
    fields = str(text).split()
    return len(fields) == 5 and all(CRON_FIELD_RE.match(field) for field in fields)


def _positive_int(params, key, default):
    value = _scalar(params.get(key, default))
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = 0
    if number < 1:
        raise ApiError(400, 'parameter_invalid', '%s must be a positive integer' % key)
    return number


def _body_params(body, content_type):
    """Parameters of a JSON or form-encoded request body (ValueError when unreadable)."""
    if not body.strip():
        return {}
    text = body.decode('utf-8')
    if 'json' in content_type.lower() or text.lstrip()[:1] in ('{', '['):
        data = json.loads(text)
        if not isinstance(data, dict):
            raise ValueError('a JSON body must be an object')
        return data
    return _flatten(parse_qs(text, keep_blank_values=True))


def _merge_config(config, changes):
    """Validated copy of config with changes applied (ValueError on unknown keys or bad values)."""
    merged = dict(config)
    for key, value in changes.items():
        if key not in config:
            raise ValueError('unknown config key %r' % key)
        if key in ('real_shape', 'instance_source_fields'):
            valid = isinstance(value, bool)
        elif key == 'fail_names':
            valid = isinstance(value, list) and all(isinstance(pattern, str) for pattern in value)
        elif key in ('rate_limit', 'quota', 'instances_max_per_page'):
            valid = (value is None and key != 'rate_limit') or (
                _is_number(value) and value == int(value) and value >= 0
            )
        elif key in current_api.CONFIG_DEFAULTS:
            valid = current_api.valid_config_value(key, value)
        elif key in ('rate_window', 'time_scale'):
            valid = _is_number(value) and value > 0
        else:  # new_seconds, progress_seconds
            valid = _is_number(value) and value >= 0
        if not valid:
            raise ValueError('invalid value for %s: %r' % (key, value))
        merged[key] = json.loads(json.dumps(value))  # a copy: lists and dicts stay the simulator's own
    return merged


def _new_instance(fields):
    if not isinstance(fields, dict) or not fields.get('hostname'):
        raise ValueError('an instance needs at least a hostname')
    if not isinstance(fields.get('volumes', []), list) or not isinstance(fields.get('fail_snapshots', False), bool):
        raise ValueError('volumes must be a list of volume ids and fail_snapshots true or false')
    if any(not isinstance(fields.get(key, ''), str) for key in INSTANCE_SOURCE_FIELDS):
        raise ValueError('%s must be strings' % ', '.join(INSTANCE_SOURCE_FIELDS))
    # Built from a disk image (the template) unless told otherwise, as civogo's Instance and the API docs show it.
    instance = {
        'id': None,
        'hostname': None,
        'status': 'ACTIVE',
        'region': 'LON1',
        'disk_gb': 25,
        'template_id': 'ubuntu-jammy',
        'source_type': 'diskimage',
        'source_id': None,
        'snapshot_id': '',
    }
    instance.update(fields)
    instance['id'] = str(instance['id'] or uuid.uuid4())
    instance['region'] = str(instance['region']).upper()
    if instance['source_id'] is None:
        instance['source_id'] = instance['template_id']
    return instance


def _load_seed(seed):
    """Seed instances from a file path, a list, or {"instances": [...]}; None means the default seed file."""
    if seed is None:
        seed = DEFAULT_SEED
    if isinstance(seed, str):
        with open(seed, encoding='utf-8') as seed_file:
            seed = json.load(seed_file)
    if isinstance(seed, dict):
        seed = seed.get('instances', [])
    return [_new_instance(instance) for instance in seed]


def _enter_status(snap, status, when):
    """Set a snapshot's status and the fields that come with it, keeping values already set."""
    snap['status'] = status
    if status != 'new':
        snap['openstack_snapshot_id'] = snap['openstack_snapshot_id'] or str(uuid.uuid4())
        if snap['size_gb'] is None:
            snap['size_gb'] = snap['disk_gb']
    if status not in ACTIVE_STATUSES and snap['completed_at'] is None:
        snap['completed_at'] = when


def _make_certificate(directory):
    """Self-signed certificate for 127.0.0.1/localhost: (cert_file, key_file)."""
    cert_file, key_file = os.path.join(directory, 'cert.pem'), os.path.join(directory, 'key.pem')
    if shutil.which('openssl'):
        subprocess.run(
            [
                'openssl',
                'req',
                '-x509',
                '-newkey',
                'ec',
                '-pkeyopt',
                'ec_paramgen_curve:prime256v1',
                '-nodes',
                '-keyout',
                key_file,
                '-out',
                cert_file,
                '-days',
                '7',
                '-subj',
                '/CN=localhost',
                '-addext',
                'subjectAltName=DNS:localhost,IP:127.0.0.1',
            ],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        return cert_file, key_file
    import ipaddress
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, 'localhost')])
    now = datetime.datetime.now(datetime.timezone.utc)
    alt_names = x509.SubjectAlternativeName(
        [x509.DNSName('localhost'), x509.IPAddress(ipaddress.ip_address('127.0.0.1'))]
    )
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=7))
        .add_extension(alt_names, critical=False)
        .sign(key, hashes.SHA256())
    )
    with open(cert_file, 'wb') as out:
        out.write(cert.public_bytes(serialization.Encoding.PEM))
    with open(key_file, 'wb') as out:
        out.write(
            key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
        )
    return cert_file, key_file


class Simulator(current_api.CurrentApi):
    """The simulated service: state, the /v2 API logic, the controls, and the HTTP server around them.
    The current snapshot API family (instance snapshots, resource snapshots, schedules) is in current_api.py."""

    def __init__(
        self,
        token='sim-token',
        seed=None,
        new_seconds=1.0,
        progress_seconds=3.0,
        real_shape=False,
        rate_limit=0,
        rate_window=60.0,
        tls=False,
        host='127.0.0.1',
        port=0,
        quiet=True,
    ):
        self.token = token
        self.tls = tls
        self.host = host
        self.port = port
        self.quiet = quiet
        self.url = None
        self.cert_file = None
        self._seed = _load_seed(seed)
        defaults = {
            'new_seconds': 1.0,
            'progress_seconds': 3.0,
            'real_shape': False,
            'rate_limit': 0,
            'rate_window': 60.0,
            'quota': None,
            'fail_names': [],
            'time_scale': 1.0,
            'instances_max_per_page': None,
            'instance_source_fields': True,
        }
        defaults.update(current_api.CONFIG_DEFAULTS)
        self._startup_config = _merge_config(
            defaults,
            {
                'new_seconds': new_seconds,
                'progress_seconds': progress_seconds,
                'real_shape': real_shape,
                'rate_limit': rate_limit,
                'rate_window': rate_window,
            },
        )
        self._lock = threading.RLock()
        self._server = None
        self._thread = None
        self._temp_dir = None
        self.reset()

    # -- lifecycle -------------------------------------------------------------------------------------------------

    def start(self):
        self._server = _Server((self.host, self.port), _Handler)
        self._server.simulator = self
        if self.tls:
            self._temp_dir = tempfile.mkdtemp(prefix='civo-sim-')
            self.cert_file, key_file = _make_certificate(self._temp_dir)
            self._server.ssl_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            self._server.ssl_context.load_cert_chain(self.cert_file, key_file)
        host = '127.0.0.1' if self.host in ('', '0.0.0.0') else self.host
        self.url = '%s://%s:%d' % ('https' if self.tls else 'http', host, self._server.server_address[1])
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={'poll_interval': 0.1}, daemon=True)
        self._thread.start()
        return self

    def stop(self):
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._thread.join()
            self._server = None
        if self._temp_dir:
            shutil.rmtree(self._temp_dir, ignore_errors=True)
            self._temp_dir = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()

    # -- controls (also served under /_sim) ---------------------------------------------------------------------------

    def reset(self, **overrides):
        """Back to the start-up state: seed instances, no snapshots, empty log, no faults, start-up config (+
        overrides)."""
        config = _merge_config(self._startup_config, overrides)
        with self._lock:
            self._config = config
            self._instances = {instance['id']: dict(instance) for instance in self._seed}
            self._snapshots = {}
            self._log = []
            self._faults = []
            self._cut_off = False
            self._stats = {'requests': {}, 'total': 0, 'rate_limited': 0, 'faults_applied': 0}
            self._window_start, self._window_count = None, 0
            self._reset_current_api()
        return self.config()

    def config(self):
        with self._lock:
            return json.loads(json.dumps(self._config))

    def configure(self, **changes):
        with self._lock:
            self._config = _merge_config(self._config, changes)
            if 'time_scale' in changes:
                self._rescale_clock(self._config['time_scale'])
            if 'rate_limit' in changes or 'rate_window' in changes:
                self._window_start, self._window_count = None, 0
        return self.config()

    def log(self):
        with self._lock:
            return json.loads(json.dumps(self._log))

    def clear_log(self):
        with self._lock:
            self._log = []

    def stats(self):
        with self._lock:
            return dict(json.loads(json.dumps(self._stats)), cut_off=self._cut_off)

    def add_fault(self, **fault):
        unknown = set(fault) - set(FAULT_DEFAULTS)
        if unknown:
            raise ValueError('unknown fault fields: %s' % ', '.join(sorted(unknown)))
        fault = dict(FAULT_DEFAULTS, **fault)
        fault['method'] = str(fault['method']).upper()
        checks = (
            (fault['kind'] in FAULT_KINDS, 'kind must be one of %s' % ', '.join(FAULT_KINDS)),
            (fault['method'] in FAULT_METHODS, 'method must be one of %s' % ', '.join(FAULT_METHODS)),
            (isinstance(fault['path'], str), 'path must be a string'),
            (isinstance(fault['status'], int) and 100 <= fault['status'] <= 599, 'status must be an HTTP status'),
            (
                fault['retry_after'] is None or (_is_number(fault['retry_after']) and fault['retry_after'] >= 0),
                'bad retry_after',
            ),
            (_is_number(fault['delay']) and fault['delay'] >= 0, 'delay must be a number of seconds'),
            (isinstance(fault['times'], int) and fault['times'] >= 1, 'times must be an integer >= 1'),
            (isinstance(fault['skip'], int) and fault['skip'] >= 0, 'skip must be an integer >= 0'),
            (isinstance(fault['after'], bool), 'after must be true or false'),
            (not fault['after'] or fault['kind'] in AFTER_KINDS, 'after applies to %s' % ', '.join(AFTER_KINDS)),
            (fault['kind'] != 'cutoff' or fault['times'] == 1, 'a cutoff applies once: times must be 1'),
        )
        for valid, message in checks:
            if not valid:
                raise ValueError(message)
        with self._lock:
            self._faults.append(fault)
        return dict(fault)

    def faults(self):
        with self._lock:
            return [dict(fault) for fault in self._faults]

    def clear_faults(self):
        """Forget the pending faults and end a cutoff."""
        with self._lock:
            self._faults = []
            self._cut_off = False

    def add_instances(self, instances):
        added = [_new_instance(fields) for fields in instances]
        with self._lock:
            self._instances.update((instance['id'], instance) for instance in added)
        return [dict(instance) for instance in added]

    def add_snapshots(self, snapshots):
        """Insert snapshots as given; one with an explicit status is frozen in it. Returns how many were added."""
        now = time.time()
        with self._lock:
            built = [self._build_snapshot(fields, now, frozen='status' in fields) for fields in snapshots]
            self._snapshots.update((snap['name'], snap) for snap in built)
        return len(built)

    def patch_snapshot(self, snapshot_name, **fields):
        """Update fields of one snapshot (KeyError if unknown). A new requested_at restarts the progression from it."""
        now = time.time()
        with self._lock:
            current = self._snapshots[snapshot_name]
            frozen = current['frozen'] or 'status' in fields
            if 'requested_at' in fields and not frozen:
                kept = (
                    'id',
                    'name',
                    'instance_id',
                    'hostname',
                    'template_id',
                    'region',
                    'disk_gb',
                    'safe',
                    'cron_timing',
                )
                base = {key: current[key] for key in kept}
            else:
                base = {key: current[key] for key in SNAPSHOT_FIELDS + ('disk_gb',)}
            base.update(fields)
            snap = self._build_snapshot(base, now, frozen)
            del self._snapshots[snapshot_name]
            self._snapshots[snap['name']] = snap
            return self._render(snap, real_shape=False)

    def snapshots(self):
        now = time.time()
        with self._lock:
            return [self._render(snap, real_shape=False, now=now) for snap in self._sorted_snapshots()]

    # -- snapshot clock and shape
    # ---------------------------------------------------------------------------------------

    def _build_snapshot(self, fields, now, frozen):
        if not isinstance(fields, dict) or not fields.get('name'):
            raise ValueError('a snapshot needs a name')
        unknown = set(fields) - set(SNAPSHOT_FIELDS) - set(SNAPSHOT_INTERNAL_FIELDS)
        if unknown:
            raise ValueError('unknown snapshot fields: %s' % ', '.join(sorted(unknown)))
        instance = self._instances.get(str(fields.get('instance_id')), {})
        snap = {
            'id': str(uuid.uuid4()),
            'instance_id': None,
            'hostname': instance.get('hostname'),
            'template_id': instance.get('template_id'),
            'region': instance.get('region', 'LON1'),
            'disk_gb': instance.get('disk_gb', 25),
            'openstack_snapshot_id': None,
            'safe': False,
            'size_gb': None,
            'status': 'new',
            'cron_timing': None,
            'requested_at': now,
            'completed_at': None,
            'frozen': frozen,
        }
        snap.update(fields)
        snap['requested_at'] = _epoch(snap['requested_at'])
        snap['completed_at'] = _epoch(snap['completed_at'])
        snap['region'] = str(snap['region']).upper()
        if snap['frozen']:
            _enter_status(snap, snap['status'], min(now, snap['requested_at'] + self._snapshot_duration()))
        return snap

    def _snapshot_duration(self):
        """Real seconds from request to completion under the current config."""
        return (self._config['new_seconds'] + self._config['progress_seconds']) / self._config['time_scale']

    def _advance(self, snap, now):
        """Lazily move a snapshot along new -> in-progress -> complete/failed; it never moves backwards."""
        if snap['frozen'] or snap['cron_timing'] or snap['status'] not in ACTIVE_STATUSES:
            return  # frozen by a control, scheduled (waits for its cron time forever), or finished
        config = self._config
        elapsed = (now - snap['requested_at']) * config['time_scale']
        if elapsed >= config['new_seconds'] and snap['status'] == 'new':
            _enter_status(snap, 'in-progress', now)
        if elapsed >= config['new_seconds'] + config['progress_seconds']:
            failed = any(fnmatch.fnmatchcase(snap['name'], pattern) for pattern in config['fail_names'])
            _enter_status(snap, 'failed' if failed else 'complete', snap['requested_at'] + self._snapshot_duration())

    def _sorted_snapshots(self):
        return sorted(self._snapshots.values(), key=lambda snap: snap['name'])

    def _render(self, snap, real_shape=None, now=None):
        self._advance(snap, time.time() if now is None else now)
        real_shape = self._config['real_shape'] if real_shape is None else real_shape
        out = {key: snap[key] for key in SNAPSHOT_FIELDS}
        out['requested_at'] = _iso(snap['requested_at'], real_shape)
        out['completed_at'] = _iso(snap['completed_at'], real_shape)
        if real_shape:  # as recorded from the real service
            out['state'] = out.pop('status')
            out['safe'] = int(bool(out['safe']))
        return out

    # -- the /v2 API (called by the HTTP handler) -------------------------------------------------------------------

    def admit_request(self, method, path, query, params):
        """Log a /v2 request and decide its fate: (log entry, rate-limit headers, rate limited?, fault or None).

        After a cutoff every request is dropped unperformed, before the rate limit and the other faults are looked at.
        """
        now = time.time()
        with self._lock:
            entry = {
                'method': method,
                'path': path,
                'query': query,
                'params': params,
                'status': None,
                'fault': None,
                'performed': False,
                'api_status': None,
                'time': now,
            }
            self._log.append(entry)
            self._stats['total'] += 1
            self._stats['requests'][method] = self._stats['requests'].get(method, 0) + 1
            if self._cut_off:
                entry['fault'] = 'cutoff'
                return entry, {}, False, dict(CUT_OFF_DROP)
            headers, limited = self._take_rate_token(now)
            fault = None if limited else self._take_fault(method, path)
            entry['fault'] = fault['kind'] if fault else None
            if entry['fault'] == 'cutoff':
                self._cut_off = True  # from the next request on: this one is still performed
            return entry, headers, limited, fault

    def perform(self, entry, method, path, params, body_readable, authorization):
        """Carry out a request admitted by admit_request; the log entry records that it was, and the API's status."""
        status, payload = self.answer(method, path, params, body_readable, authorization)
        with self._lock:
            entry['performed'], entry['api_status'] = True, status
        return status, payload

    def finish_request(self, entry, status):
        with self._lock:
            entry['status'] = status

    def _take_rate_token(self, now):
        limit, window = self._config['rate_limit'], self._config['rate_window']
        if not limit:
            return {}, False
        if self._window_start is None or now >= self._window_start + window:  # fixed windows, as the real service
            self._window_start, self._window_count = now, 0
        self._window_count += 1
        window_end = self._window_start + window
        headers = {
            'X-Ratelimit-Limit': str(int(limit)),
            'X-Ratelimit-Remaining': str(max(0, int(limit) - self._window_count)),
            'X-Ratelimit-Reset': str(int(math.ceil(window_end))),
        }
        if self._window_count <= limit:
            return headers, False
        headers['Retry-After'] = str(max(1, int(math.ceil(window_end - now))))
        self._stats['rate_limited'] += 1
        return headers, True

    def _take_fault(self, method, path):
        """The first pending fault matching the request is the only one considered: it lets it pass (skip) or
        applies."""
        for fault in self._faults:
            if fault['method'] in ('*', method) and (fault['path'] == path or fnmatch.fnmatchcase(path, fault['path'])):
                if fault['skip'] > 0:
                    fault['skip'] -= 1
                    return None
                fault['times'] -= 1
                if fault['times'] == 0:
                    self._faults.remove(fault)
                self._stats['faults_applied'] += 1
                return dict(fault)
        return None

    def answer(self, method, path, params, body_readable, authorization):
        """Perform one /v2 request: (status, JSON-able body)."""
        try:
            with self._lock:
                self._check_auth(authorization)
                self._catch_up()
                for pattern, handlers, current_family in API_ROUTES:
                    match = pattern.match(path)
                    if match:
                        break
                else:
                    raise ApiError(404, 'not_found', 'No such API endpoint: %s' % path)
                if method not in handlers:
                    raise ApiError(405, 'method_not_allowed', '%s is not allowed on %s' % (method, path))
                if not body_readable:
                    raise ApiError(400, 'parameter_invalid', 'The request body could not be parsed')
                region = self._check_region(params)
                if current_family:
                    self._require_current_api(region)
                return getattr(self, handlers[method])(params, region, *(unquote(part) for part in match.groups()))
        except ApiError as error:
            return error.status, error.body

    def _check_auth(self, authorization):
        bearer = BEARER_RE.match(authorization or '')
        if not bearer:
            raise ApiError(401, 'authentication_failed', 'Authentication failed: send Authorization: bearer <token>')
        if bearer.group(1) != self.token:
            if self._config['real_shape']:
                raise ApiError(404, 'database_account_not_found', 'The account could not be found')
            raise ApiError(401, 'authentication_invalid_key', 'The API key is not valid')

    def _check_region(self, params):
        region = _scalar(params.get('region'))
        if region in (None, ''):
            return None
        region = str(region).upper()
        if region not in set(KNOWN_REGIONS) | {instance['region'] for instance in self._instances.values()}:
            raise ApiError(400, 'region_unavailable', 'The region %s is not available' % region)
        return region

    def _list_snapshots(self, params, region):
        """The old snapshots, then the volume snapshots that share the path; resource_type=volume lists only those."""
        now = time.time()
        resource_type = _scalar(params.get('resource_type'))
        old = [self._render(snap, now=now) for snap in self._sorted_snapshots() if region in (None, snap['region'])]
        volumes = self.volume_snapshots() if resource_type in (None, 'volume') else []
        return 200, volumes if resource_type == 'volume' else old + volumes

    def _put_snapshot(self, params, region, name):
        if not NAME_RE.match(name):
            raise ApiError(
                400, 'parameter_name_invalid', 'A snapshot name may only contain letters, digits, ".", "_" and "-"'
            )
        instance_id = _scalar(params.get('instance_id'))
        if instance_id in (None, ''):
            raise ApiError(400, 'parameter_instance_id_missing', 'The instance_id parameter is required')
        safe = parse_bool(_scalar(params.get('safe', False)), 'safe')
        cron_timing = _scalar(params.get('cron_timing')) or None
        if cron_timing is not None and not _valid_cron(cron_timing):
            raise ApiError(
                400, 'parameter_invalid', 'cron_timing must be a 5-field cron expression, got %r' % (cron_timing,)
            )
        instance = self._instances.get(str(instance_id))
        if instance is None or region not in (None, instance['region']):
            raise ApiError(
                404, 'database_snapshot_create_instance_not_found', 'The instance %s could not be found' % instance_id
            )
        now = time.time()
        snap = self._snapshots.get(name)
        if snap is not None:
            self._advance(snap, now)
            if snap['status'] == 'in-progress':
                raise ApiError(
                    409, 'database_snapshot_create_already_in_process', 'The snapshot %s is being taken' % name
                )
        else:
            self._check_quota()
            snap = self._snapshots[name] = {'id': str(uuid.uuid4()), 'name': name}
        # An overwrite keeps name and id and starts the snapshot over.
        snap.update(
            instance_id=instance['id'],
            hostname=instance['hostname'],
            template_id=instance['template_id'],
            region=instance['region'],
            disk_gb=instance['disk_gb'],
            openstack_snapshot_id=None,
            safe=safe,
            size_gb=None,
            status='new',
            cron_timing=cron_timing,
            requested_at=now,
            completed_at=None,
            frozen=False,
        )
        return 200, self._render(snap, now=now)

    def _delete_snapshot(self, _params, _region, name_or_id):
        snap = self._snapshots.get(name_or_id) or next(
            (s for s in self._snapshots.values() if s['id'] == name_or_id), None
        )
        volume_snapshot = (
            None
            if snap
            else self._volume_snapshots.get(name_or_id)
            or next((s for s in self._volume_snapshots.values() if s['name'] == name_or_id), None)
        )
        if volume_snapshot is not None:  # the path is shared now: an old-style delete can remove a volume snapshot
            del self._volume_snapshots[volume_snapshot['snapshot_id']]
            return 200, {'result': 'success'}
        if snap is None:
            raise ApiError(404, 'database_snapshot_not_found', 'The snapshot %s could not be found' % name_or_id)
        del self._snapshots[snap['name']]
        if self._config['real_shape']:
            return 200, {'result': 'success'}
        return 202, {'name': snap['name'], 'result': 'success'}

    def _list_instances(self, params, region):
        page = _positive_int(params, 'page', 1)
        # The API answers as many as asked for (civogo's ListAllInstances asks for 99999999 in one page), unless the
        # config cuts pages shorter, to test that clients follow the pagination.
        per_page = min(self._config['instances_max_per_page'] or float('inf'), _positive_int(params, 'per_page', 20))
        items = [
            self._render_instance(instance)
            for instance in self._instances.values()
            if region in (None, instance['region'])
        ]
        start = (page - 1) * per_page
        return 200, {
            'page': page,
            'per_page': per_page,
            'pages': max(1, int(math.ceil(len(items) / float(per_page)))),
            'items': items[start : start + per_page],
        }

    def _get_instance(self, _params, region, instance_id):
        return 200, self._render_instance(self._instance_in_region(instance_id, region))

    def _render_instance(self, instance):
        """An instance as the API answers it; config instance_source_fields false leaves out its source fields."""
        out = dict(instance)
        if not self._config['instance_source_fields']:
            for key in INSTANCE_SOURCE_FIELDS:
                out.pop(key, None)
        return out

    # -- /_sim control dispatch -------------------------------------------------------------------------------------

    def control(self, method, path, data, query=None):
        """Answer a /_sim request: (status, JSON-able body)."""

        def need(kind):
            if not isinstance(data, kind):
                raise ValueError('the body must be a JSON %s' % ('object' if kind is dict else 'list'))
            return data

        # Named functions, not lambdas: pylint 3.0 (ansible-core 2.16's sanity) calls `lambda: f(**x)` unnecessary.
        def reset():
            return self.reset(**(data or {}))

        def configure():
            return self.configure(**need(dict))

        routes = {
            ('GET', '/_sim/health'): lambda: {'ok': True},
            ('GET', '/_sim/log'): self.log,
            ('DELETE', '/_sim/log'): self.clear_log,
            ('POST', '/_sim/reset'): reset,
            ('GET', '/_sim/config'): self.config,
            ('POST', '/_sim/config'): configure,
            ('GET', '/_sim/faults'): self.faults,
            ('POST', '/_sim/faults'): lambda: [
                self.add_fault(**fault) for fault in (data if isinstance(data, list) else [need(dict)])
            ],
            ('DELETE', '/_sim/faults'): self.clear_faults,
            ('GET', '/_sim/instances'): self.instances,
            ('POST', '/_sim/instances'): lambda: self.add_instances(need(list)),
            ('GET', '/_sim/instance_snapshots'): lambda: self.instance_snapshots(
                _scalar((query or {}).get('instance_id'))
            ),
            ('POST', '/_sim/instance_snapshots'): lambda: self.add_instance_snapshots(need(list)),
            ('GET', '/_sim/schedules'): self.schedules,
            ('POST', '/_sim/schedules'): lambda: self.add_schedules(need(list)),
            ('GET', '/_sim/volume_snapshots'): self.volume_snapshots,
            ('POST', '/_sim/volume_snapshots'): lambda: self.add_volume_snapshots(need(list)),
            ('GET', '/_sim/restores'): self.restores,
            ('GET', '/_sim/clock'): self.clock,
            ('POST', '/_sim/clock'): lambda: self.advance_clock(need(dict).get('advance')),
            ('GET', '/_sim/state'): self.state,
            ('GET', '/_sim/snapshots'): self.snapshots,
            ('POST', '/_sim/snapshots'): lambda: {'added': self.add_snapshots(need(list))},
            ('GET', '/_sim/stats'): self.stats,
        }
        name = path[len('/_sim/snapshots/') :] if path.startswith('/_sim/snapshots/') else None
        try:
            if name and method == 'PATCH':
                return 200, self.patch_snapshot(unquote(name), **need(dict))
            if (method, path) in routes:
                result = routes[(method, path)]()
                return 200, {'ok': True} if result is None else result
            if name or path in {route[1] for route in routes}:
                return 405, {'code': 'method_not_allowed', 'reason': '%s is not allowed on %s' % (method, path)}
            return 404, {'code': 'not_found', 'reason': 'No such control endpoint: %s' % path}
        except KeyError as error:
            return 404, {'code': 'not_found', 'reason': 'No such snapshot: %s' % error}
        except (TypeError, ValueError) as error:
            return 400, {'code': 'parameter_invalid', 'reason': str(error)}
        except ApiError as error:  # a seeded value broke an API rule (e.g. an invalid snapshot name)
            return 400, error.body


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    simulator = None
    ssl_context = None

    def get_request(self):
        sock, client_address = super().get_request()
        if self.ssl_context is not None:  # the handshake happens in the request thread, not in this accept loop
            sock = self.ssl_context.wrap_socket(sock, server_side=True, do_handshake_on_connect=False)
        return sock, client_address

    def handle_error(self, request, client_address):
        if not isinstance(
            sys.exc_info()[1], OSError
        ):  # clients hanging up (timeouts, drops, TLS probes) are normal here
            super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'
    server_version = 'CivoSimulator/1.0'
    timeout = 60  # idle keep-alive connections close eventually

    def setup(self):
        super().setup()
        # The status line, the headers and the body go out in separate writes: without TCP_NODELAY, Nagle's algorithm
        # holds the body back until the client's delayed ACK, about 40 ms of idle time on every keep-alive request.
        self.request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if isinstance(self.request, ssl.SSLSocket):
            self.request.do_handshake()

    def log_message(self, format, *args):
        if not self.server.simulator.quiet:
            super().log_message(format, *args)

    def do_GET(self):
        url = urlsplit(self.path)
        body = self.rfile.read(int(self.headers.get('Content-Length') or 0))
        if url.path.startswith('/_sim/'):
            try:
                data = json.loads(body.decode('utf-8')) if body.strip() else None
            except ValueError:
                self._send(400, {'code': 'parameter_invalid', 'reason': 'The body is not valid JSON'})
                return
            query = _flatten(parse_qs(url.query, keep_blank_values=True))
            status, payload = self.server.simulator.control(self.command, url.path, data, query)
            self._send(status, payload)
        elif url.path == '/v2' or url.path.startswith('/v2/'):
            self._handle_api(url, body)
        else:
            self._send(404, {'code': 'not_found', 'reason': 'No such path: %s' % url.path})

    do_PUT = do_POST = do_DELETE = do_PATCH = do_GET

    def _handle_api(self, url, body):
        simulator = self.server.simulator
        query = _flatten(parse_qs(url.query, keep_blank_values=True))
        params, body_readable = dict(query), True
        try:
            params.update(_body_params(body, self.headers.get('Content-Type', '')))
        except ValueError:
            body_readable = False
        entry, headers, limited, fault = simulator.admit_request(self.command, url.path, query, params)
        kind = fault['kind'] if fault else None
        # Performed: no fault, a delay (late), a cutoff (then nothing more), or a drop/status fault with after: true.
        if not limited and (kind in (None, 'delay', 'cutoff') or fault['after']):
            if kind == 'delay':
                time.sleep(fault['delay'])
            status, payload = simulator.perform(
                entry, self.command, url.path, params, body_readable, self.headers.get('Authorization')
            )
        if limited:
            status, payload = (
                429,
                {
                    'code': 'rate_limit_exceeded',
                    'reason': 'Too many requests; retry after %s s' % headers['Retry-After'],
                },
            )
        elif kind in ('drop', 'cutoff'):  # hang up without answering
            self.close_connection = True
            return
        elif kind == 'status':
            status, payload = (
                fault['status'],
                {'code': 'simulated_fault', 'reason': 'Simulated fault: HTTP %d' % fault['status']},
            )
            if fault['retry_after'] is not None:
                headers['Retry-After'] = str(int(math.ceil(fault['retry_after'])))
        elif kind == 'malformed':
            status, payload = 200, b'{"simulated": "malformed resp'
        simulator.finish_request(entry, status)
        self._send(status, payload, headers)

    def _send(self, status, payload, headers=None):
        body = payload if isinstance(payload, bytes) else json.dumps(payload).encode('utf-8')
        try:
            self.send_response(status)
            self.send_header('Content-Type', 'application/json')
            self.send_header('Content-Length', str(len(body)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)
        except OSError:  # the client gave up (e.g. timed out during a delay fault)
            self.close_connection = True


def main(argv=None):
    parser = argparse.ArgumentParser(description='Civo instance-snapshot API simulator (test tooling).')
    parser.add_argument('--host', default='127.0.0.1')
    parser.add_argument('--port', type=int, default=0, help='0 picks a free port')
    parser.add_argument(
        '--token',
        default=os.environ.get('CIVO_SIM_TOKEN', 'sim-token'),
        help='the valid API token (env CIVO_SIM_TOKEN)',
    )
    parser.add_argument(
        '--seed', default=None, help='JSON file of instances (default: default_seed.json beside this script)'
    )
    parser.add_argument('--url-file', help='write the base URL to this file once listening')
    parser.add_argument('--new-seconds', type=float, default=1.0, help='time a snapshot stays new')
    parser.add_argument('--progress-seconds', type=float, default=3.0, help='time a snapshot stays in-progress')
    parser.add_argument('--real-shape', action='store_true', help='answer in the shape recorded from the real service')
    parser.add_argument('--rate-limit', type=int, default=0, help='requests per window, 0 = unlimited')
    parser.add_argument('--rate-window', type=float, default=60.0, help='rate-limit window in seconds')
    parser.add_argument('--tls', action='store_true', help='serve HTTPS with a throw-away self-signed certificate')
    parser.add_argument('--quiet', action='store_true', help='no access log on stderr')
    args = parser.parse_args(argv)

    stop_requested = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop_requested.set())
    signal.signal(signal.SIGINT, lambda *_: stop_requested.set())
    simulator = Simulator(
        token=args.token,
        seed=args.seed,
        new_seconds=args.new_seconds,
        progress_seconds=args.progress_seconds,
        real_shape=args.real_shape,
        rate_limit=args.rate_limit,
        rate_window=args.rate_window,
        tls=args.tls,
        host=args.host,
        port=args.port,
        quiet=args.quiet,
    ).start()
    try:
        if args.url_file:
            with open(args.url_file + '.tmp', 'w', encoding='utf-8') as url_file:
                url_file.write(simulator.url + '\n')
            os.replace(args.url_file + '.tmp', args.url_file)  # readers never see a half-written file
        print('CIVO_API_URL=' + simulator.url, flush=True)
        if args.tls and not args.quiet:
            sys.stderr.write('TLS certificate: %s\n' % simulator.cert_file)
        stop_requested.wait()
    finally:
        simulator.stop()
    return 0


if __name__ == '__main__':
    sys.exit(main())
