"""Playbook text for the benchmark.

Written by hand rather than through a YAML library so that the benchmark needs nothing beyond the standard library,
and shaped like the collection's own playbooks (FQCN, every task named) so that what is timed is what a user writes.
"""

import json

PING = 'ansible.builtin.ping'
URI = 'ansible.builtin.uri'
SNAPSHOT = 'civo.cloud.civo_snapshot'
SNAPSHOT_INFO = 'civo.cloud.civo_snapshot_info'
SNAPSHOT_BACKUP = 'civo.cloud.snapshot_backup'
CIVO_GROUP = 'group/civo.cloud.civo'


def _scalar(value):
    if isinstance(value, bool):
        return 'true' if value else 'false'
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list):
        return json.dumps([str(item) for item in value])  # a JSON list of strings is a valid YAML flow sequence
    return json.dumps(str(value))  # a JSON string is a valid YAML double-quoted scalar


def _mapping(data, indent):
    lines = []
    for key, value in data.items():
        if isinstance(value, dict):
            lines.append('%s%s:' % (' ' * indent, key))
            lines.extend(_mapping(value, indent + 2))
        else:
            lines.append('%s%s: %s' % (' ' * indent, key, _scalar(value)))
    return lines


def task(name, module, args=None, **keywords):
    """One task: its name, the module's FQCN, the module's arguments and task keywords (environment, ...)."""
    return {'name': name, 'module': module, 'args': args or {}, 'keywords': keywords}


def playbook(name, tasks, module_defaults=None):
    """A one-play playbook on localhost without fact gathering (facts would only add the same cost to every side)."""
    lines = ['---', '- name: %s' % _scalar(name), '  hosts: localhost', '  gather_facts: false']
    if module_defaults:
        lines.append('  module_defaults:')
        lines.extend(_mapping(module_defaults, 4))
    lines.append('  tasks:')
    for item in tasks:
        lines.append('    - name: %s' % _scalar(item['name']))
        lines.append('      %s:' % item['module'])
        lines.extend(_mapping(item['args'], 8))
        lines.extend(_mapping(item['keywords'], 6))
    return '\n'.join(lines) + '\n'


def role_play(name, role, role_vars, module_defaults=None):
    """A one-play playbook on localhost that applies one role with its variables, as a user writes it under `roles:`."""
    lines = ['---', '- name: %s' % _scalar(name), '  hosts: localhost', '  gather_facts: false']
    if module_defaults:
        lines.append('  module_defaults:')
        lines.extend(_mapping(module_defaults, 4))
    lines += ['  roles:', '    - role: %s' % role]
    lines.extend(_mapping(role_vars, 6))
    return '\n'.join(lines) + '\n'


def civo_defaults(api_url, token):
    """What a user of the collection writes once per play."""
    return {CIVO_GROUP: {'api_url': api_url, 'api_token': token}}


def fleet_backup(hostnames, prefix, snapshot_api, api_url, token, min_interval=None):
    """The role snapshot_backup over a fleet, keep 1, as a nightly job writes it; min_interval makes a rerun a no-op."""
    role_vars = {
        'snapshot_backup_instances': list(hostnames),
        'snapshot_backup_prefix': prefix,
        'snapshot_backup_keep': 1,
        'snapshot_backup_snapshot_api': snapshot_api,
    }
    if min_interval:
        role_vars['snapshot_backup_min_interval'] = min_interval
    name = 'Back up %d instances (snapshot_api %s)' % (len(hostnames), snapshot_api)
    return role_play(name, SNAPSHOT_BACKUP, role_vars, civo_defaults(api_url, token))


def uri_defaults(token):
    """What a user of ansible.builtin.uri writes once per play to talk to the Civo API."""
    return {URI: {'headers': {'Authorization': 'bearer %s' % token}}}


def uri_list_task(name, api_url):
    return task(name, URI, {'url': api_url + '/v2/snapshots'})


def repeated(kind, count, api_url, token, snapshot_name, instance_id):
    """A playbook of `count` identical tasks of one kind: ping, uri (GET /v2/snapshots), snapshot (no-op present) or
    info."""
    if kind == 'ping':
        return playbook('Floor: %d x ping' % count, [task('Ping %d' % i, PING) for i in range(count)])
    if kind == 'uri':
        tasks = [uri_list_task('List snapshots with uri %d' % i, api_url) for i in range(count)]
        return playbook('Without the collection: %d x uri GET /v2/snapshots' % count, tasks, uri_defaults(token))
    if kind == 'snapshot':
        args = {'name': snapshot_name, 'instance_id': instance_id}
        tasks = [task('Ensure the snapshot is present %d' % i, SNAPSHOT, args) for i in range(count)]
        return playbook(
            'With the collection: %d x civo_snapshot (no change)' % count, tasks, civo_defaults(api_url, token)
        )
    if kind == 'info':
        tasks = [task('List snapshots with civo_snapshot_info %d' % i, SNAPSHOT_INFO) for i in range(count)]
        return playbook('With the collection: %d x civo_snapshot_info' % count, tasks, civo_defaults(api_url, token))
    raise ValueError('unknown playbook kind %r' % kind)
