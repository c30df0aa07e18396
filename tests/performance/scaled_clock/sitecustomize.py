"""Benchmark helper: runs a module's clock BENCH_CLOCK_SCALE times faster, in step with the simulator's time_scale.

Python imports `sitecustomize` at start-up from the first folder on sys.path that has one, so a task that sets
PYTHONPATH to this folder (and BENCH_CLOCK_SCALE) runs its module with time.time() going k times faster and
time.sleep(s) lasting s/k. The simulator's time_scale=k speeds up the snapshot clock by the same k, so a 10 minute
snapshot is replayed in 10/k minutes with every poll where it would have been in simulated time: the number of polls
and the detection delay (x k) are those of the real 10 minutes. Only request latencies are stretched (by k), which
makes the measured delays slightly pessimistic. Without BENCH_CLOCK_SCALE (or with 1) this does nothing.
"""

import os
import time


def _install(scale):
    real_time, real_sleep = time.time, time.sleep
    origin = real_time()

    def scaled_time():
        return origin + (real_time() - origin) * scale

    def scaled_sleep(seconds):
        real_sleep(max(0.0, seconds) / scale)

    time.time = scaled_time
    time.sleep = scaled_sleep


_SCALE = float(os.environ.get('BENCH_CLOCK_SCALE') or 1)
if _SCALE != 1:
    _install(_SCALE)
