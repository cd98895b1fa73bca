"""The benches' CPU meter counts a process group that ends before the meter does."""

import subprocess
import sys

from bench.procstat import CpuMeter

BUSY = "import time\nend = time.process_time() + 0.8\nwhile time.process_time() < end: pass"


def test_a_group_that_ends_mid_run_counts_up_to_its_last_sample():
    busy = subprocess.Popen([sys.executable, "-c", BUSY], start_new_session=True)
    meter = CpuMeter(groups={"busy": busy.pid}, database="none", exclude=set())
    meter.start()
    busy.wait(30)  # reaped: its /proc entry, and its group, are gone

    seconds = meter.finish()

    # The last sample was at most one interval (and one clock tick) before its end.
    assert seconds["busy"] >= 0.8 - 2 * CpuMeter.INTERVAL
