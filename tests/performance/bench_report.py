"""Tables (markdown), goals and the wait plot (hand-written SVG) of the benchmark's results."""

import json
import math
import os
import shutil

GOAL_SNAPSHOT_RATIO = 0.95
GOAL_INFO_RATIO = 1.10
LIMITED_WALL_GOAL = 1.2  # case 6: a rate-limited fleet run within 1.2 x its time floor
RATE_LIMIT_PER_MINUTE = 50


def _ms(seconds):
    return '%.0f ms' % (seconds * 1000.0)


def _s(seconds):
    return '%.2f s' % seconds


def _met(flag):
    if flag is None:
        return 'n/a'
    return 'met' if flag else '**missed**'


def _table(header, rows):
    lines = ['| ' + ' | '.join(header) + ' |', '|' + '---|' * len(header)]
    lines.extend('| ' + ' | '.join(str(cell) for cell in row) + ' |' for row in rows)
    return lines


def paired_ratio(samples, side, other, measure='wall'):
    """Median of the per-round ratios: each round runs both sides back to back, so slow drifts of the load cancel."""
    ratios = sorted(a / b for a, b in zip(samples[side][measure], samples[other][measure]))
    middle = len(ratios) // 2
    return ratios[middle] if len(ratios) % 2 else (ratios[middle - 1] + ratios[middle]) / 2.0


def _variants(results):
    """'' for the collection under test, then the label of every compared copy."""
    return [''] + sorted(results['meta'].get('compare') or {})


def _at(name, variant):
    return '%s@%s' % (name, variant) if variant else name


def _tag(variant):
    return ' [%s]' % variant if variant else ''


def goals(results):
    """Every goal of the issue with what was measured: [(case, goal, measured, met)]."""
    found = []
    small = results.get('per_task_small', {}).get('summary')
    big = results.get('per_task_big', {}).get('summary')
    for variant in _variants(results):
        if small and _at('snapshot', variant) in small:
            ratio = small[_at('snapshot', variant)]['wall'] / small['uri']['wall']
            found.append(
                (
                    '1',
                    'civo_snapshot%s / uri playbook time <= %.2f' % (_tag(variant), GOAL_SNAPSHOT_RATIO),
                    '%.3f' % ratio,
                    ratio <= GOAL_SNAPSHOT_RATIO,
                )
            )
        if big and _at('info', variant) in big:
            ratio = big[_at('info', variant)]['wall'] / big['uri']['wall']
            count = results['per_task_big']['snapshots']
            found.append(
                (
                    '2',
                    'civo_snapshot_info%s / uri at %s snapshots <= %.2f'
                    % (_tag(variant), format(count, ','), GOAL_INFO_RATIO),
                    '%.3f' % ratio,
                    ratio <= GOAL_INFO_RATIO,
                )
            )
    for row in results.get('requests', []):
        found.append(('3', '%s: %s requests' % (row['operation'], row['goal']), str(row['requests']), row['met']))
    for row in results.get('wait', []):
        found.append(
            (
                '4',
                '%s: noticed by the first poll after completion, <= %d requests/min'
                % (_duration(row['duration']), RATE_LIMIT_PER_MINUTE),
                'delay %.1f s (interval %.1f s), %d polls, max %d requests/min'
                % (row['delay_sim'], row['interval_sim'], row['polls'], row['max_requests_per_sim_minute']),
                row['met'],
            )
        )
    return found + _fleet_goals(results)


def _duration(seconds):
    return '%d min' % (seconds // 60) if seconds >= 120 and seconds % 60 == 0 else '%d s' % seconds


KIND_LABELS = {
    'ping': 'ansible.builtin.ping (floor)',
    'uri': 'ansible.builtin.uri GET',
    'snapshot': 'civo.cloud.civo_snapshot (no change)',
    'info': 'civo.cloud.civo_snapshot_info',
}


def _kind_label(kind):
    base, _sep, variant = kind.partition('@')
    return KIND_LABELS[base] + _tag(variant)


def _per_task_section(results):
    lines = []
    small = results.get('per_task_small')
    variants = _variants(results)
    if small:
        summary = small['summary']
        count = summary['uri']['tasks']
        lines += [
            '## 1. Per task: civo_snapshot (no change) vs uri GET /v2/snapshots',
            '',
            'Whole playbooks of N = %d tasks, %d snapshots in the account, median of %d rounds (min-max); CPU = every '
            'process the playbook ran. Per task above floor = (playbook - ping playbook) / N.'
            % (count, small['snapshots'], len(small['samples']['uri']['wall'])),
            '',
        ]
        rows = []
        for kind in summary:
            entry = summary[kind]
            rows.append(
                [
                    _kind_label(kind),
                    '%s (%s-%s)' % (_s(entry['wall']), _s(entry['wall_min']), _s(entry['wall_max'])),
                    _s(entry['cpu']),
                    _ms(entry['wall_per_task_above_floor']) if kind != 'ping' else '-',
                    _ms(entry['cpu_per_task_above_floor']) if kind != 'ping' else '-',
                ]
            )
        lines += _table(['playbook of %d tasks' % count, 'wall', 'CPU', 'per task above floor (wall)', '(CPU)'], rows)
        lines.append('')
        for variant in variants:
            kind = _at('snapshot', variant)
            if kind not in summary:
                continue
            wall_ratio = summary[kind]['wall'] / summary['uri']['wall']
            lines += [
                '**Ratio civo_snapshot%s / uri: %.3f** (goal <= %.2f: %s); median of the per-round ratios %.3f; CPU '
                '%.3f; per task above the floor %.2f.'
                % (
                    _tag(variant),
                    wall_ratio,
                    GOAL_SNAPSHOT_RATIO,
                    _met(wall_ratio <= GOAL_SNAPSHOT_RATIO),
                    paired_ratio(small['samples'], kind, 'uri'),
                    summary[kind]['cpu'] / summary['uri']['cpu'],
                    summary[kind]['wall_per_task_above_floor'] / summary['uri']['wall_per_task_above_floor'],
                ),
                '',
            ]
    big = results.get('per_task_big')
    if small or big:
        lines += ['## 2. Per task: civo_snapshot_info vs uri GET of the same list', '']
        rows = []
        for block in (small, big):
            if not block:
                continue
            summary = block['summary']
            for variant in variants:
                kind = _at('info', variant)
                if kind not in summary:
                    continue
                rows.append(
                    [
                        format(block['snapshots'], ',') + _tag(variant),
                        summary['uri']['tasks'],
                        _s(summary['uri']['wall']),
                        _s(summary[kind]['wall']),
                        '**%.3f**' % (summary[kind]['wall'] / summary['uri']['wall']),
                        '%.3f' % paired_ratio(block['samples'], kind, 'uri'),
                        '%.3f' % (summary[kind]['cpu'] / summary['uri']['cpu']),
                        _ms(summary['uri']['wall_per_task_above_floor']),
                        _ms(summary[kind]['wall_per_task_above_floor']),
                    ]
                )
        lines += _table(
            [
                'snapshots',
                'N',
                'uri playbook',
                'info playbook',
                'ratio (wall)',
                'per-round ratio',
                'ratio (CPU)',
                'uri per task above floor',
                'info per task above floor',
            ],
            rows,
        )
        lines += ['', 'Goal: ratio <= %.2f at 10,000 snapshots.' % GOAL_INFO_RATIO, '']
    return lines


def _payload_names(results):
    return ['ping', 'uri'] + [
        _at(name, variant) for variant in _variants(results) for name in ('civo_snapshot', 'civo_snapshot_info')
    ]


def _payload_section(results):
    payloads = results.get('payloads')
    if not payloads:
        return []
    lines = [
        '### The module process alone (the AnsiballZ payload ansible runs on the target, run without ansible)',
        '',
        'Median wall time, CPU time and peak resident memory (ru_maxrss of that one process, through a fresh parent).',
        '',
    ]
    small, big = payloads['small'], payloads['big']
    rows = []
    for name in _payload_names(results):
        one, many = small['summary'][name], big['summary'][name]
        rows.append(
            [
                name,
                _ms(one['wall']),
                _ms(one['cpu']),
                '%.1f MB' % one['maxrss_mb'],
                _ms(many['wall']),
                _ms(many['cpu']),
                '%.1f MB' % many['maxrss_mb'],
                '%.1f MB' % (many['output_bytes'] / 1e6),
            ]
        )
    count_small, count_big = format(small['snapshots'], ','), format(big['snapshots'], ',')
    lines += _table(
        [
            'module',
            'wall @%s' % count_small,
            'CPU @%s' % count_small,
            'peak RSS @%s' % count_small,
            'wall @%s' % count_big,
            'CPU @%s' % count_big,
            'peak RSS @%s' % count_big,
            'output @%s' % count_big,
        ],
        rows,
    )
    return lines + ['']


def _requests_section(results):
    rows = results.get('requests')
    if not rows:
        return []
    lines = ['## 3. Requests per operation (simulator request log)', '']
    table = [
        [
            row['operation'],
            row['requests'],
            row['goal'] + (' (%d polls)' % row['polls'] if row['polls'] else ''),
            _met(row['met']),
            ', '.join(row['sequence']),
        ]
        for row in rows
    ]
    return lines + _table(['operation', 'requests', 'goal', '', 'sequence'], table) + ['']


def _wait_section(results):
    rows = results.get('wait')
    if not rows:
        return []
    lines = [
        '## 4. Wait: from the snapshot turning complete to the module noticing it',
        '',
        'Simulated seconds (wall x time scale; the module\'s clock runs at the same scale). Interval = gap between the '
        'last poll that saw the snapshot pending and the one that saw it complete. Return = controller got the task '
        'result.',
        '',
    ]
    schedule = results['meta'].get('poll_schedule')
    table = []
    for row in rows:
        model = _model(schedule, row['duration'])
        table.append(
            [
                _duration(row['duration']),
                row['time_scale'],
                row['polls'],
                model['polls'] if model else '-',
                '%.2f s' % row['delay_sim'],
                '%.2f s' % model['delay'] if model else '-',
                '%.2f s' % row['interval_sim'],
                'yes' if row['first_poll_after_completion'] else 'NO',
                '%.2f s' % row['return_after_completion_wall'],
                row['max_requests_per_sim_minute'],
                _met(row['met']),
            ]
        )
    lines += _table(
        [
            'snapshot',
            'time scale',
            'polls',
            'model polls',
            'detection delay',
            'model delay',
            'interval',
            'first poll after?',
            'return after completion (wall)',
            'max requests in a minute',
            'goal',
        ],
        table,
    )
    return lines + ['']


def _imports_section(results):
    imports = results.get('imports')
    if not imports:
        return []
    lines = [
        '## 5. Start-up: imports of each module process (python -X importtime on the real payload; medians, ms)',
        '',
    ]
    payloads = results.get('payloads', {}).get('small', {}).get('summary', {})
    keys = (
        ('ansible.module_utils.basic', 'AnsibleModule (basic)'),
        ('requests', 'requests'),
        ('ansible_collections.civo.cloud.plugins.module_utils.client', 'client (incl. requests)'),
        ('ansible_collections.civo.cloud.plugins.module_utils.account_snapshots', 'account_snapshots'),
        ('ansible.module_utils.urls', 'ansible.module_utils.urls'),
    )
    rows = []
    for name in _payload_names(results):
        entry = imports[name]
        process = payloads.get(name, {})
        rows.append(
            [
                name,
                _ms(process['wall']) if process else '-',
                _ms(process['cpu']) if process else '-',
                '%.0f' % entry['imports_ms'],
            ]
            + ['%.0f' % entry['key_imports_ms'][key] if key in entry['key_imports_ms'] else '-' for key, _label in keys]
        )
    lines += _table(['module', 'process wall', 'process CPU', 'all imports'] + [label for _key, label in keys], rows)
    lines += ['', 'Imported beyond what ping (a bare AnsibleModule) imports, by package (ms):', '']
    names = _payload_names(results)[1:]
    # Packages below 1 ms for every module (optional accelerators that are probed, ...) are summed as "other".
    groups = sorted({group for name in names for group, own in imports[name]['beyond_ping_ms'].items() if own >= 1.0})
    rows = []
    for name in names:
        beyond = imports[name]['beyond_ping_ms']
        other = sum(own for group, own in beyond.items() if group not in groups)
        rows.append(
            [name]
            + ['%.0f' % beyond.get(group, 0) for group in groups]
            + ['%.0f' % other, '%.0f' % sum(beyond.values())]
        )
    lines += _table(['module'] + groups + ['other', 'total'], rows)
    heaviest = ', '.join('%s %.1f' % item for item in imports['civo_snapshot']['heaviest_beyond_ping'])
    return lines + ['', 'Heaviest single imports of civo_snapshot beyond ping (self time, ms): %s.' % heaviest, '']


def _model(schedule, duration):
    if not schedule:
        return None
    previous = 0.0
    for number, (when, interval) in enumerate(schedule, 1):
        if when >= duration:
            return {'polls': number, 'delay': when - duration, 'interval': interval, 'previous': previous}
        previous = when
    return None


def markdown(results):
    meta = results['meta']
    lines = [
        '# civo.cloud benchmark results',
        '',
        'Command: `%s` (collection from `%s`)' % (meta['command'], meta['collections_path']),
        '',
        'Started %s on %s, Python %s, ansible-core %s, %s CPUs; load average %s before, %s after; %.0f s in all.'
        % (
            meta['started'],
            meta['platform'],
            meta['python'],
            meta['ansible_core'],
            meta['cpus'],
            '/'.join('%.1f' % value for value in meta['load_before']),
            '/'.join('%.1f' % value for value in meta.get('load_after', ())),
            meta.get('seconds', 0),
        ),
        '',
    ]
    found = goals(results)
    if found:
        lines += ['## Goals', ''] + _table(
            ['case', 'goal', 'measured', ''], [[case, goal, measured, _met(met)] for case, goal, measured, met in found]
        )
        lines.append('')
    lines += (
        _per_task_section(results) + _payload_section(results) + _requests_section(results) + _wait_section(results)
    )
    lines += _imports_section(results) + _fleet_section(results)
    if results.get('checks'):
        lines += ['## Benchmark problems', ''] + ['- %s' % check for check in results['checks']] + ['']
    return '\n'.join(lines)


def text_summary(results):
    return markdown(results)


# ---------------------------------------------------------------------------------------------------------- plot

PLOT_MIN, PLOT_MAX = 2.0, 1200.0
PLOT_TICKS = ((2, '2 s'), (5, '5 s'), (10, '10 s'), (30, '30 s'), (60, '1 min'), (180, '3 min'), (600, '10 min'))


def _model_curve(schedule, points=400):
    curve = []
    for step in range(points + 1):
        duration = PLOT_MIN * (PLOT_MAX / PLOT_MIN) ** (step / float(points))
        model = _model(schedule, duration)
        if model:
            curve.append((duration, model))
    return curve


def _panel(x0, y0, width, height, y_max, title, y_label, series, points, y_ticks):
    """One log-x panel: axes, ticks, model series (list of (style, [(x, y)])) and measured points [(x, y, label)]."""

    def px(duration):
        return x0 + width * math.log(duration / PLOT_MIN) / math.log(PLOT_MAX / PLOT_MIN)

    def py(value):
        return y0 + height - height * min(value, y_max) / y_max

    out = [
        '<text x="%.1f" y="%.1f" class="title">%s</text>' % (x0, y0 - 10, title),
        '<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" class="frame"/>' % (x0, y0, width, height),
    ]
    for tick, label in PLOT_TICKS:
        out.append(
            '<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" class="grid"/>' % (px(tick), y0, px(tick), y0 + height)
        )
        out.append(
            '<text x="%.1f" y="%.1f" class="tick" text-anchor="middle">%s</text>' % (px(tick), y0 + height + 14, label)
        )
    for tick in y_ticks:
        out.append(
            '<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" class="grid"/>' % (x0, py(tick), x0 + width, py(tick))
        )
        out.append('<text x="%.1f" y="%.1f" class="tick" text-anchor="end">%g</text>' % (x0 - 4, py(tick) + 4, tick))
    out.append(
        '<text x="%.1f" y="%.1f" class="tick" text-anchor="middle">snapshot duration (log scale)</text>'
        % (x0 + width / 2, y0 + height + 30)
    )
    out.append(
        '<text transform="translate(%.1f %.1f) rotate(-90)" class="tick" text-anchor="middle">%s</text>'
        % (x0 - 30, y0 + height / 2, y_label)
    )
    for style, line in series:
        path = ' '.join('%s%.1f %.1f' % ('M' if i == 0 else 'L', px(x), py(y)) for i, (x, y) in enumerate(line))
        out.append('<path d="%s%s" class="%s"/>' % (path, ' Z' if style == 'band' else '', style))
    for x, y, label in points:
        out.append('<circle cx="%.1f" cy="%.1f" r="4" class="measured"/>' % (px(x), py(y)))
        out.append('<text x="%.1f" y="%.1f" class="label">%s</text>' % (px(x) + 6, py(y) - 6, label))
    return out


def wait_svg(results):
    """Detection delay and polls against snapshot duration: the poll schedule's model as lines, the measured runs as
    dots."""
    schedule = results['meta'].get('poll_schedule')
    rows = results.get('wait') or []
    if not schedule or not rows:
        return None
    curve = _model_curve(schedule)
    delay_max = max([row['delay_sim'] for row in rows] + [model['interval'] for _d, model in curve]) * 1.1
    polls_max = max([row['polls'] for row in rows] + [model['polls'] for _d, model in curve]) * 1.1
    width, height = 330, 190
    out = [
        '<svg xmlns="http://www.w3.org/2000/svg" width="800" height="300" viewBox="0 0 800 300" '
        'font-family="sans-serif" font-size="11">',
        '<style>.frame{fill:none;stroke:#444}.grid{stroke:#ddd}.tick{fill:#444}.title{font-weight:bold;fill:#222}'
        '.model{fill:none;stroke:#1f77b4;stroke-width:1.5}.bound{fill:none;stroke:#1f77b4;stroke-dasharray:4 3}'
        '.band{fill:#1f77b4;fill-opacity:0.15;stroke:none}'
        '.measured{fill:#d62728}.label{fill:#d62728}.legend{fill:#444}</style>',
    ]
    # Between two polls the delay falls from one interval to zero: drawn as the band it can fall in, not as a dense
    # sawtooth.
    band = [(d, model['interval']) for d, model in curve] + [(d, 0.0) for d, _model_row in reversed(curve)]
    delay_series = [('band', band), ('bound', [(d, model['interval']) for d, model in curve])]
    out += _panel(
        60,
        30,
        width,
        height,
        delay_max,
        'Detection delay (s) after the snapshot completes',
        'seconds',
        delay_series,
        [(row['duration'], row['delay_sim'], '%.1f s' % row['delay_sim']) for row in rows],
        _ticks(delay_max),
    )
    out += _panel(
        450,
        30,
        width,
        height,
        polls_max,
        'Polls (list requests) until noticed',
        'polls',
        [('model', [(d, model['polls']) for d, model in curve])],
        [(row['duration'], row['polls'], str(row['polls'])) for row in rows],
        _ticks(polls_max),
    )
    out += [
        '<rect x="60" y="279" width="20" height="10" class="band"/><line x1="60" y1="279" x2="80" y2="279" '
        'class="bound"/><text x="85" y="289" class="legend">delay range the poll schedule allows (0 to one poll '
        'interval)</text>',
        '<line x1="450" y1="285" x2="470" y2="285" class="model"/><text x="475" y="289" class="legend">model</text>',
        '<circle cx="530" cy="285" r="4" class="measured"/><text x="538" y="289" class="legend">measured against the '
        'simulator</text>',
        '</svg>',
    ]
    return '\n'.join(out) + '\n'


def _ticks(top):
    step = 10 ** math.floor(math.log10(max(top, 1e-9) / 2.0))
    for factor in (1, 2, 5, 10):
        if top / (step * factor) <= 6:
            step *= factor
            break
    return [step * i for i in range(0, int(top / step) + 1)]


def write_all(results, output_dir, plot_path=None):
    """results.json, results.md and (with wait results) performance-wait.svg; returns the paths written."""
    written = []
    json_path = os.path.join(output_dir, 'results.json')
    with open(json_path, 'w', encoding='utf-8') as out:
        json.dump(results, out, indent=1, sort_keys=True)
    written.append(json_path)
    md_path = os.path.join(output_dir, 'results.md')
    with open(md_path, 'w', encoding='utf-8') as out:
        out.write(markdown(results) + '\n')
    written.append(md_path)
    svg = wait_svg(results)
    if svg:
        svg_path = os.path.join(output_dir, 'performance-wait.svg')
        with open(svg_path, 'w', encoding='utf-8') as out:
            out.write(svg)
        written.append(svg_path)
        if plot_path:
            shutil.copyfile(svg_path, plot_path)
            written.append(plot_path)
    return written


# --------------------------------------------------------------------------------------------------- case 6, fleet


def _fleet_groups(runs):
    """The runs grouped by (instances, snapshot API), in the order they ran."""
    groups = {}
    for row in runs:
        groups.setdefault((row['instances'], row['api']), []).append(row)
    return groups


def _run_label(row):
    return row['kind'] + (' (limit)' if row['rate_limited'] else '')


def _fleet_goals(results):
    """Per fleet size and API: requests (steady <= 2N + 5, no-op <= 3), module runs, the rate-limited wall time."""
    fleet = results.get('fleet')
    if not fleet:
        return []
    found = []
    for (count, api), rows in _fleet_groups(fleet['runs']).items():
        where = 'N=%d, %s API' % (count, api)
        found.append(
            (
                '6',
                '%s: requests, steady <= 2N + 5 = %d, no-op <= 3' % (where, 2 * count + 5),
                ', '.join('%s %d' % (_run_label(row), row['requests']) for row in rows),
                all(row['requests'] <= row['goal_requests'] for row in rows),
            )
        )
        found.append(
            (
                '6',
                '%s: module runs <= 10 a run (+1 a minute of waiting)' % where,
                ', '.join('%s %d' % (_run_label(row), row['module_runs']) for row in rows),
                all(row['module_runs'] <= row['module_runs_goal'] for row in rows),
            )
        )
        for row in rows:
            if row['rate_limited'] and row['kind'] == 'steady':
                ratio = row['wall'] / row['floor_seconds']
                found.append(
                    (
                        '6',
                        '%s: rate-limited steady run within %.1f x its time floor (%.1f s)'
                        % (where, LIMITED_WALL_GOAL, row['floor_seconds']),
                        '%.1f s = %.2f x' % (row['wall'], ratio),
                        ratio <= LIMITED_WALL_GOAL,
                    )
                )
    return found


def _limit_label(row, settings):
    return '%d per %g s' % (settings['rate_limit'], settings['window_seconds']) if row['rate_limited'] else 'none'


def _kinds_text(by_kind):
    return ', '.join('%d %s' % (number, kind) for kind, number in by_kind.items())


def _optional(value, text):
    return '-' if value is None else text % value


def fleet_table(fleet):
    """The fleet runs as a markdown table (also what docs/performance.md shows)."""
    settings = fleet['settings']
    rows = []
    for row in fleet['runs']:
        floor_seconds = row['floor_seconds']
        ratio = '%.2f' % (row['wall'] / floor_seconds) if floor_seconds else '-'
        rows.append(
            [
                row['instances'],
                row['api'],
                row['kind'],
                _limit_label(row, settings),
                row['requests'],
                '%.2f' % row['per_instance'],
                _optional(row['floor_requests'], '%d'),
                row['goal_requests'],
                '%.1f' % row['budget_minutes'],
                row['module_runs'],
                '%.1f s' % row['wall'],
                '%.1f s' % row['cpu'],
                _optional(floor_seconds, '%.1f s'),
                ratio,
                row['answered_429'],
                _kinds_text(row['by_kind']),
            ]
        )
    header = [
        'N',
        'snapshot API',
        'run',
        'rate limit',
        'requests',
        'per instance',
        'floor',
        'goal',
        'Civo minutes',
        'module runs',
        'wall',
        'CPU',
        'time floor',
        'wall / time floor',
        '429s',
        'requests by kind',
    ]
    return _table(header, rows)


def _fleet_section(results):
    fleet = results.get('fleet')
    if not fleet:
        return []
    settings = fleet['settings']
    lines = [
        '## 6. Fleet backups: the role snapshot_backup over N instances',
        '',
        'keep 1, in steady state: each measured run takes one snapshot per instance and deletes the one taken before '
        'it (a first run, not measured, takes those). no-op: a run with `snapshot_backup_min_interval: %s` right '
        'after, that finds every instance backed up. Requests from the simulator\'s log; Civo minutes = requests / %d, '
        'the minutes of the account\'s budget the run uses; module runs = task results of civo.cloud modules, each '
        'loop item counted; CPU = every process the playbook ran. Scaled clock, k = %g: the rate limit is %d requests '
        'per %g s (Civo: a minute) and a snapshot takes %g s (%g s at Civo\'s pace). Floor: 2N requests; time floor = '
        'the snapshot time, plus 2N / %d x %g s with the rate limit.'
        % (
            settings.get('noop_min_interval', '1h'),
            settings['rate_limit'],
            settings['time_scale'],
            settings['rate_limit'],
            settings['window_seconds'],
            settings['snapshot_wall_seconds'],
            settings['snapshot_seconds'],
            settings['rate_limit'],
            settings['window_seconds'],
        ),
        '',
    ]
    lines += fleet_table(fleet)
    firsts = fleet.get('first_runs') or []
    if firsts:
        lines += [
            '',
            'First runs (not measured, no rate limit): %s.'
            % '; '.join(
                'N=%d %s %d requests, %d module runs, %.1f s'
                % (row['instances'], row['api'], row['requests'], row['module_runs'], row['wall'])
                for row in firsts
            ),
        ]
    lines += ['']
    biggest = max(row['instances'] for row in fleet['runs']) if fleet['runs'] else None
    for row in fleet['runs']:
        if row['instances'] == biggest and row['kind'] == 'steady':
            lines += _fleet_tasks(row, settings)
    return lines


def _fleet_tasks(row, settings):
    """Where one run's module runs, requests and seconds went, task by task."""
    lines = [
        '### Where a steady run goes: N=%d, %s API, rate limit %s'
        % (row['instances'], row['api'], _limit_label(row, settings)),
        '',
        'Each task of the role that ran a module or sent a request; seconds from its start to the next task\'s.',
        '',
    ]
    tasks = [task for task in row['tasks'] if task['module_runs'] or task['requests']]
    lines += _table(
        ['task', 'module runs', 'requests', 'seconds', 'requests by kind'],
        [
            [
                task['task'].split(' : ', 1)[-1],
                task['module_runs'],
                task['requests'],
                '%.1f' % task['seconds'],
                _kinds_text(task['by_kind']),
            ]
            for task in tasks
        ],
    )
    other = row['wall'] - sum(task['seconds'] for task in tasks)
    return lines + [
        '',
        'The rest of the %.1f s (ansible-playbook start-up, the role\'s other tasks): %.1f s.' % (row['wall'], other),
        '',
    ]
