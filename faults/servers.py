"""PostgreSQL and Redis servers of a fault scenario's own, on free ports in a folder of its
own: stopped, restarted, emptied and killed on purpose, by their process ids, never the
machine's shared servers.

PostgreSQL is Debian's (/usr/lib/postgresql/<version>/bin, or PG_BIN), run as the `postgres`
user when we are root (PostgreSQL refuses to run as root); Redis is redis-server from PATH
(or REDIS_SERVER)."""

import contextlib
import glob
import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

import psycopg2
import redis

START_SECONDS = 60


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def pg_bin() -> Path:
    if os.environ.get("PG_BIN"):
        return Path(os.environ["PG_BIN"])
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/postgres"))
    if not found:
        raise SystemExit("No PostgreSQL server binaries: install postgresql or set PG_BIN.")
    return Path(found[-1]).parent


def _as_postgres() -> dict:
    """Popen arguments that run PostgreSQL as `postgres` when we are root."""
    return {"user": "postgres", "group": "postgres"} if os.geteuid() == 0 else {}


def _chown(path: Path) -> None:
    if os.geteuid() == 0:
        subprocess.run(["chown", "-R", "postgres:postgres", str(path)], check=True)  # noqa: S603, S607


def stop_group(
    process: subprocess.Popen | None, sig: int = signal.SIGTERM, wait: float = 20
) -> None:
    """`sig` to the process's group, then SIGKILL if it is still there after `wait`."""
    if process is None or process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, sig)
    try:
        process.wait(wait)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


class Postgres:
    """One PostgreSQL cluster in `data`, served on `port` over TCP (trust, loopback only)."""

    def __init__(self, data: Path, port: int | None = None) -> None:
        self.data, self.port = data, port or free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/rfs"

    def init(self) -> None:
        self.data.mkdir(parents=True)
        _chown(self.data)
        subprocess.run(  # noqa: S603
            [
                str(pg_bin() / "initdb"),
                "-D",
                str(self.data),
                "-U",
                "postgres",
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--no-sync",
            ],
            check=True,
            stdout=subprocess.DEVNULL,
            **_as_postgres(),
        )

    def copy_to(self, data: Path) -> "Postgres":
        """A stopped cluster's copy, for a scenario of its own."""
        shutil.copytree(self.data, data, symlinks=True)
        _chown(data)
        data.chmod(0o700)
        return Postgres(data)

    def start(self) -> None:
        log = open(self.data.parent / f"{self.data.name}.log", "ab")  # noqa: SIM115
        self.process = subprocess.Popen(  # noqa: S603
            [
                str(pg_bin() / "postgres"),
                "-D",
                str(self.data),
                "-p",
                str(self.port),
                "-k",
                str(self.data),
                "-c",
                "listen_addresses=127.0.0.1",
                "-c",
                "max_connections=200",
                "-c",
                "fsync=on",
                "-c",
                "synchronous_commit=on",
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            **_as_postgres(),
        )
        log.close()
        deadline = time.monotonic() + START_SECONDS
        while not self.answers():
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"PostgreSQL did not start; see {self.data}.log")
            time.sleep(0.2)

    def answers(self) -> bool:
        try:
            psycopg2.connect(
                host="127.0.0.1",
                port=self.port,
                user="postgres",
                dbname="postgres",
                connect_timeout=2,
            ).close()
            return True
        except psycopg2.OperationalError:
            return False

    def stop(self) -> None:
        """A clean, fast shutdown (what a restart does): SIGINT to the postmaster."""
        stop_group(self.process, signal.SIGINT, wait=30)

    def kill(self) -> None:
        """A crash: SIGKILL to the postmaster and every backend at once."""
        stop_group(self.process, signal.SIGKILL)

    def connect(self, dbname: str = "rfs"):
        connection = psycopg2.connect(
            host="127.0.0.1", port=self.port, user="postgres", dbname=dbname, connect_timeout=5
        )
        connection.autocommit = True
        return connection


class Redis:
    """redis-server on `port` with its files in `folder`. `persistent`: an append-only file,
    written on every command (what a broker in production needs); else nothing is kept and a
    restart comes back empty."""

    def __init__(self, folder: Path, *, persistent: bool) -> None:
        self.folder, self.persistent, self.port = folder, persistent, free_port()
        self.process: subprocess.Popen | None = None
        folder.mkdir(parents=True, exist_ok=True)

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        executable = os.environ.get("REDIS_SERVER") or shutil.which("redis-server")
        if not executable:
            raise SystemExit("No redis-server: install redis-server or set REDIS_SERVER.")
        self.process = subprocess.Popen(  # noqa: S603
            [
                executable,
                "--bind",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--dir",
                str(self.folder),
                "--save",
                "",
                "--appendonly",
                "yes" if self.persistent else "no",
                "--appendfsync",
                "always",
                "--logfile",
                str(self.folder / "redis.log"),
            ],
            start_new_session=True,
        )
        deadline = time.monotonic() + START_SECONDS
        while True:
            try:
                if redis.Redis(port=self.port, socket_timeout=1).ping():
                    return
            except redis.RedisError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"Redis did not start; see {self.folder / 'redis.log'}")
            time.sleep(0.1)

    def stop(self) -> None:
        stop_group(self.process, signal.SIGTERM)

    def kill(self) -> None:
        stop_group(self.process, signal.SIGKILL)
