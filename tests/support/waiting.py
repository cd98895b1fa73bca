"""Waiting in a test for what a real worker does in another thread or process."""

import time


def wait_for(condition, seconds: float = 15) -> None:
    """Return once condition() is true; fail the test if it is not within `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError("condition not met in time")
