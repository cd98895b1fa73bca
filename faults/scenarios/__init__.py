"""One module per scenario; each has NAME, BOUND (seconds it may take at most, with the
durations it is given) and run(golden) -> Outcome."""

import os


def seconds(name: str, default: float) -> float:
    return float(os.environ.get(name, default))


# Signups per second during a scenario.
RATE = seconds("FAULT_SIGNUP_RATE", 5)
# How long a scenario waits for its emails once the fault is over.
DRAIN_SECONDS = seconds("FAULT_DRAIN_SECONDS", 180)
