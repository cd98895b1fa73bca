"""`make load`'s reading of gunicorn's access log (the server's own time of each request) and
of the CPU its parts used."""

import runpy
import threading
import time
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import SimpleNamespace

import pytest
from gunicorn.config import Config
from gunicorn.glogging import Logger

from bench.load import Probe, cores, probe_figures, server_times
from bench.probe import INTERVAL as PROBE_INTERVAL

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


def test_the_probe_splits_its_answers_into_idle_and_spike():
    spike_from = 1_000.0
    times = [(990.0 + n, 10.0 + n) for n in range(10)]  # idle: 10 to 19 ms
    times += [(spike_from + n, 100.0 + 10 * n) for n in range(20)]  # spike: 100 to 290 ms
    times += [(900.0, 5_000.0)]  # during the warm-up's logins: not counted
    figures = probe_figures(times, idle_from=985.0, spike_from=spike_from)
    assert figures["idle"] == (10, 14.5, pytest.approx(18.55))
    assert figures["spike"][0] == 20
    assert figures["spike"][1] == 195.0
    assert figures["spike"][2] == pytest.approx(280.5)


def test_the_probe_times_a_real_server_until_it_stops(tmp_path):
    class Form(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = b"<form></form>"
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Form)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with Probe(server.server_address[1], tmp_path) as probe:

            def answered() -> int:
                return probe.file.read_text().count("\n") if probe.file.exists() else 0

            deadline = time.monotonic() + 20
            while answered() < 3:
                assert time.monotonic() < deadline, "the probe timed nothing"
                time.sleep(0.05)
        stopped_at = answered()
        time.sleep(2 * PROBE_INTERVAL)
    finally:
        server.shutdown()
    assert len(probe.times) == stopped_at >= 3
    assert all(0 < ms < 5_000 for _, ms in probe.times)
    assert answered() == stopped_at  # nothing after it stopped
