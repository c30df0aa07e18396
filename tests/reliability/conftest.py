"""pytest setup of the reliability suite (tests/reliability): import paths, the `slow` marker, the report at the end.

Run:  make reliability  (the collection under test is this tree: tests/ci/collection_under_test.py).
Tables and figures go to tests/output/reliability/.
"""

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(os.path.dirname(HERE), 'simulator'))

import reliability_harness  # noqa: E402  pylint: disable=wrong-import-position

# The tests that call the shared client's helpers directly import it from the collections tree under test.
sys.path.insert(0, reliability_harness.collections_path())


def pytest_configure(config):
    config.addinivalue_line('markers', 'slow: a long test (the load test); it still runs by default and in CI')


def pytest_terminal_summary(terminalreporter):
    if not reliability_harness.REPORT.sections:
        return
    add_audit_section()
    path = reliability_harness.REPORT.write()
    terminalreporter.section('civo.cloud reliability report')
    terminalreporter.write_line(reliability_harness.REPORT.text())
    terminalreporter.write_line('')
    terminalreporter.write_line('(also written to %s)' % path)


def add_audit_section():
    """Totals of the audits every run went through: token leaks (part 5) and writes from check mode (part 7)."""
    audit = reliability_harness.AUDIT
    reliability_harness.REPORT.add(
        'audit',
        'Audit of every ansible-playbook run (secrets, check mode)',
        reliability_harness.table(
            [
                'runs (-vvvv --diff)',
                'tasks',
                'tokens searched for',
                'bytes of stdout, stderr and results searched',
                'token leaks',
                'check-mode tasks',
                'their API requests',
                'PUT/POST/DELETE among them',
            ],
            [
                [
                    audit.runs,
                    audit.tasks,
                    len(audit.tokens_checked),
                    audit.bytes_scanned,
                    len(audit.leaks),
                    audit.check_mode_tasks,
                    audit.check_mode_requests,
                    len(audit.check_mode_writes),
                ]
            ],
        ),
    )
