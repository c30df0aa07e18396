"""Fixtures of the simulator's own tests (tests/simulator/test_*.py).

tests/conftest.py, shared by every suite, already puts this folder on sys.path and offers `simulator`, one session-wide
simulator with a random token for the suites that drive the collection. These tests need simulators of several shapes
(their own clocks, seeds, tokens, TLS), so they get a factory instead, and `sim`, the usual one, reset for each test.
"""

import json

import pytest

from civo_simulator import Simulator


@pytest.fixture(scope='module')
def simulator_factory():
    """start(**options): a started Simulator(**options), one per set of options in a test module, stopped after it.

    Asking again with the same options answers the same simulator (reset it yourself); stopping one early is allowed.
    """
    started = {}

    def start(**options):
        key = json.dumps(options, sort_keys=True, default=str)
        if key not in started:
            started[key] = Simulator(**options).start()
        return started[key]

    yield start
    for simulator in started.values():
        simulator.stop()


@pytest.fixture
def sim(request, simulator_factory):
    """The test module's simulator (options: its SIMULATOR_OPTIONS), reset to the start-up state for this test."""
    simulator = simulator_factory(**getattr(request.module, 'SIMULATOR_OPTIONS', {}))
    simulator.reset()
    return simulator
