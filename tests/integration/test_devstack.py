"""`make test` beside `make run`: a test run (`python -m rfs.devstack test`) gets embedded
servers of its own, Redis on a free port, so it neither clashes with the Redis that `make run`
holds on EMBEDDED_REDIS_PORT nor touches the data in var/, and two test runs at once do not
clash with each other either."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import redis

from rfs.devstack import BASE_DIR, free_port, redis_pid

# What the test suite does, in short: use the database and Redis it was given. It waits until
# `expected` runs are up (a file each in `ready`), so the runs of a test overlap.
CHILD = """
import json, os, sys, time
from pathlib import Path
import dj_database_url, psycopg2, redis
ready, expected = Path(sys.argv[1]), int(sys.argv[2])
(ready / str(os.getpid())).touch()
deadline = time.monotonic() + 60
while len(list(ready.iterdir())) < expected and time.monotonic() < deadline:
    time.sleep(0.1)
db = dj_database_url.parse(os.environ["DATABASE_URL"])
with psycopg2.connect(dbname=db["NAME"], user=db["USER"], host=db["HOST"]) as connection:
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_database()")
        name = cursor.fetchone()[0]
broker = redis.Redis.from_url(os.environ["REDIS_URL"])
broker.set("written-by-the-test-run", "1")
print(json.dumps({
    "database_host": db["HOST"], "database": name, "redis_url": os.environ["REDIS_URL"],
    "redis_pid": broker.info("server")["process_id"], "together": len(list(ready.iterdir())),
}))
"""


def bare_env(var_dir: Path, redis_port: int) -> dict[str, str]:
    """A newcomer's environment: no DATABASE_URL or REDIS_URL, so everything is embedded."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    return {**env, "RFS_VAR_DIR": str(var_dir), "EMBEDDED_REDIS_PORT": str(redis_port)}


def devstack(action: str, *command: str, env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "rfs.devstack", action, "--", *command],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


@pytest.fixture
def make_run(tmp_path):
    """The embedded servers as `make run` holds them: var/pg, and Redis on the set port."""
    var_dir, port = tmp_path / "var", free_port()
    holder = devstack(
        "exec", sys.executable, "-c", "import time; time.sleep(300)", env=bare_env(var_dir, port)
    )
    deadline = time.monotonic() + 60
    while redis_pid(port) is None:
        if holder.poll() is not None or time.monotonic() > deadline:
            holder.terminate()
            pytest.fail(f"make run's servers did not start: {holder.communicate(timeout=60)[0]}")
        time.sleep(0.2)
    yield var_dir, port
    holder.send_signal(signal.SIGTERM)
    holder.wait(60)
    assert redis_pid(port) is None


def test_two_test_runs_work_beside_make_run_on_servers_of_their_own(make_run, tmp_path):
    var_dir, run_port = make_run
    ready = tmp_path / "ready"
    ready.mkdir()
    runs = [
        devstack(
            "test", sys.executable, "-c", CHILD, str(ready), "2", env=bare_env(var_dir, run_port)
        )
        for _ in range(2)
    ]
    outputs = [run.communicate(timeout=120)[0] for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    seen = [
        json.loads(next(line for line in output.splitlines() if line.startswith("{")))
        for output in outputs
    ]

    ports = {urlsplit(run["redis_url"]).port for run in seen}
    assert len(ports) == 2 and run_port not in ports
    assert {run["together"] for run in seen} == {2}
    assert len({run["redis_pid"] for run in seen}) == 2
    assert len({run["database_host"] for run in seen}) == 2
    for run in seen:
        assert run["database"] == "rfs"
        assert not run["database_host"].startswith(str(var_dir))
        # Stopped and removed once the run is over.
        assert not Path(run["database_host"]).exists()
        assert redis_pid(urlsplit(run["redis_url"]).port) is None
    # `make run`'s Redis saw nothing of them.
    assert redis.Redis(port=run_port).keys("*") == []
