"""`make load`'s reading of gunicorn's access log (the server's own time of each request) and
of the CPU its parts used."""

import runpy
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

from gunicorn.config import Config
from gunicorn.glogging import Logger

from bench.load import cores, server_times

BASE_DIR = Path(__file__).resolve().parents[2]
SPIKE = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


def access_line(method: str, path: str, *, at: datetime, ms: int) -> str:
    """A line as gunicorn writes it with the project's gunicorn.conf.py."""
    conf = runpy.run_path(str(BASE_DIR / "gunicorn.conf.py"))
    environ = {
        "REQUEST_METHOD": method,
        "RAW_URI": path,
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_USER_AGENT": "python/gevent-http-client-2.6.1",
    }
    response = SimpleNamespace(status="302 Found", sent=0, headers=[])
    atoms = Logger(Config()).atoms(
        response, SimpleNamespace(headers=[]), environ, timedelta(milliseconds=ms)
    )
    atoms["t"] = at.strftime("[%d/%b/%Y:%H:%M:%S %z]")
    return conf["access_log_format"] % atoms


def test_each_request_is_timed_by_page_and_phase(tmp_path):
    page = "/screening/candidates/0b5f3c1e-8d2a-4c9b-9f7e-2a6d1c4e8b30/"
    lines = [
        access_line("POST", "/signup/", at=SPIKE - timedelta(seconds=5), ms=16),
        access_line("POST", "/signup/", at=SPIKE, ms=22),
        access_line("POST", "/signup/", at=SPIKE + timedelta(seconds=3), ms=70),
        access_line("GET", page, at=SPIKE + timedelta(seconds=1), ms=40),
        "[2026-12-07 09:00:01 +0000] [4242] [INFO] Booting worker with pid: 4242",
    ]
    log = tmp_path / "web.log"
    log.write_text("\n".join(lines) + "\n")

    times = server_times(log, SPIKE.timestamp())

    assert times == {
        ("POST /signup/", "idle"): [16],
        ("POST /signup/", "spike"): [22, 70],
        ("GET /screening/candidates/<id>/", "spike"): [40],
    }


def test_the_cores_each_part_kept_busy_and_the_rest_of_the_machine():
    cpu = {"web": 8.0, "database": 4.0, "locust": 2.0, "machine": 17.0, "seconds": 10.0}

    busy = cores(cpu)

    assert busy["web"] == 0.8 and busy["database"] == 0.4 and busy["locust"] == 0.2
    assert busy["worker"] == 0.0
    assert busy["machine"] == 1.7 and round(busy["others"], 6) == 0.3


def test_the_rest_of_the_machine_is_never_less_than_nothing():
    # Backends are sampled, the machine's counters read once: the parts can overshoot it.
    assert cores({"web": 10.0, "machine": 9.5, "seconds": 10.0})["others"] == 0.0
