"""A Celery worker lowers its own CPU priority as it starts (WORKER_NICENESS), so that on a
machine shared with the web processes the pages people wait for come first."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# What the worker's start runs (the signal's receiver), then the priority it left.
SCRIPT = (
    "import os, django; django.setup(); from rfs.celery import _lower_priority; "
    "before = os.nice(0); _lower_priority(); print(os.nice(0) - before)"
)


def lowered_by(niceness: str) -> int:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "rfs.settings",
        "DJANGO_ENV": "development",
        "WORKER_NICENESS": niceness,
    }
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return int(result.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize(("niceness", "lowered"), [("10", 10), ("3", 3), ("0", 0)])
def test_a_worker_lowers_its_priority_as_set(niceness, lowered):
    assert lowered_by(niceness) == lowered
