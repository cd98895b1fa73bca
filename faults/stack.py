"""One scenario's whole system on this machine: its own PostgreSQL (a copy of a migrated
cluster) and Redis, an SMTP sink that can fail, and the app as production runs it: gunicorn,
Celery workers and beat. Every process is started in a group of its own and stopped by its
id when the scenario ends, whatever happened."""

import contextlib
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from faults.servers import Postgres, Redis, free_port, stop_group
from faults.sink import FaultySink

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
LOGS = ROOT / "var" / "faults"
START_SECONDS = 90
# The outbox's and the intake sweep's timings, shortened so a scenario sees a sweep, a backoff
# and a stale claim in seconds; each scenario may change them.
FAST_OUTBOX = {
    "OUTBOX_SWEEP_SECONDS": "5",
    "INTAKE_SWEEP_SECONDS": "5",
    "OUTBOX_BACKOFF_SECONDS": "5",
    "OUTBOX_STALE_CLAIM_SECONDS": "20",
    "OUTBOX_ALERT_SECONDS": "3600",
    "EMAIL_TIMEOUT": "3",
}


def golden_cluster(folder: Path) -> Postgres:
    """A PostgreSQL cluster with the project's database migrated and the static files
    collected, stopped: each scenario starts from a copy of it."""
    cluster = Postgres(folder / "golden")
    cluster.init()
    cluster.start()
    try:
        with contextlib.closing(cluster.connect("postgres")) as connection:
            connection.cursor().execute("CREATE DATABASE rfs")
        env = app_environment(
            database_url=cluster.url, redis_url="redis://127.0.0.1:1/0", smtp_port=1
        )
        for command in (
            ("migrate", "--no-input", "-v", "0"),
            ("collectstatic", "--no-input", "-v", "0"),
        ):
            subprocess.run([PYTHON, "manage.py", *command], env=env, cwd=ROOT, check=True)  # noqa: S603
    finally:
        cluster.stop()
    return cluster


def app_environment(*, database_url: str, redis_url: str, smtp_port: int, **extra: str) -> dict:
    """Production settings from the environment, with what a loopback run needs."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "rfs.settings",
        "DJANGO_ENV": "production",
        "DEBUG": "false",
        "SECRET_KEY": SECRET_KEY,
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "SIGNUP_RATE_LIMIT": str(10**9),
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_port),
        "EMAIL_USE_TLS": "false",
        "EMAIL_HOST_USER": "",
        "EMAIL_HOST_PASSWORD": "",
        **FAST_OUTBOX,
        **extra,
    }


SECRET_KEY = secrets.token_urlsafe(50)


@dataclass
class Stack:
    """The servers and processes of one scenario. Use as a context manager."""

    name: str
    golden: Postgres
    persistent_redis: bool = True
    env_extra: dict = field(default_factory=dict)
    processes: dict = field(default_factory=dict)

    def __enter__(self) -> "Stack":
        self.folder = Path(tempfile.mkdtemp(prefix=f"rfs-fault-{self.name}-"))
        self.folder.chmod(0o755)  # PostgreSQL runs as its own user when we are root
        self.logs = LOGS / self.name
        shutil.rmtree(self.logs, ignore_errors=True)
        self.logs.mkdir(parents=True)
        self._exit = contextlib.ExitStack()
        try:
            self.postgres = self.golden.copy_to(self.folder / "pg")
            self.postgres.start()
            self._exit.callback(self.postgres.kill)
            self.redis = Redis(self.folder / "redis", persistent=self.persistent_redis)
            self.redis.start()
            self._exit.callback(self.redis.kill)
            self.sink = FaultySink()
            self.smtp_port = self._exit.enter_context(self.sink.running())
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc_info) -> None:
        # Ours only, by id, in reverse: the app before the servers it uses.
        for process in reversed(list(self.processes.values())):
            stop_group(process, signal.SIGKILL)
        self._exit.close()
        shutil.rmtree(self.folder, ignore_errors=True)

    @property
    def env(self) -> dict:
        return app_environment(
            database_url=self.postgres.url,
            redis_url=self.redis.url,
            smtp_port=self.smtp_port,
            **self.env_extra,
        )

    def _start(self, name: str, command: list[str]) -> subprocess.Popen:
        with open(self.logs / f"{name}.log", "ab") as log:
            process = subprocess.Popen(  # noqa: S603 - our own interpreter and modules
                command,
                env=self.env,
                cwd=ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.processes[name] = process
        return process

    def web(self, name: str = "web", *, workers: int = 2) -> int:
        """gunicorn as production runs it; its port once it answers."""
        port = free_port()
        self._start(
            name,
            [
                PYTHON,
                "-m",
                "gunicorn",
                "rfs.wsgi:application",
                "--config",
                "gunicorn.conf.py",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(workers),
                "--timeout",
                "60",
            ],
        )
        self._wait(name, lambda: _answers(port))
        return port

    def worker(self, name: str = "worker", *, concurrency: int = 2) -> subprocess.Popen:
        log = self.logs / f"{name}.log"
        size = log.stat().st_size if log.exists() else 0
        process = self._start(
            name,
            [
                PYTHON,
                "-m",
                "celery",
                "-A",
                "rfs",
                "worker",
                "-l",
                "INFO",
                "--concurrency",
                str(concurrency),
                "-n",
                f"{name}@%h",
            ],
        )
        self._wait(name, lambda: b" ready." in log.read_bytes()[size:])
        return process

    def beat(self) -> subprocess.Popen:
        return self._start(
            "beat",
            [
                PYTHON,
                "-m",
                "celery",
                "-A",
                "rfs",
                "beat",
                "-l",
                "INFO",
                "-s",
                str(self.folder / "beat-schedule"),
            ],
        )

    def stop(self, name: str, sig: int = signal.SIGTERM, wait: float = 60) -> None:
        """`sig` to the process alone (as a deploy signals a container's main process), then
        its whole group if it is still there after `wait`."""
        process = self.processes.pop(name)
        with contextlib.suppress(ProcessLookupError):
            os.kill(process.pid, sig)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(wait)
        stop_group(process, signal.SIGKILL)

    def kill_pid(self, pid: int, sig: int) -> None:
        """`sig` to one process of ours (a worker's pool process), by its id."""
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, sig)

    def redis_queue_length(self) -> int:
        import redis

        return int(redis.Redis(port=self.redis.port, socket_timeout=2).llen("celery"))

    def children(self, name: str) -> list[int]:
        """The pool processes of a worker (its main process's children)."""
        pid = self.processes[name].pid
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
        return [int(child) for child in text.split()]

    def _wait(self, name: str, ready) -> None:
        deadline = time.monotonic() + START_SECONDS
        while not ready():
            if self.processes[name].poll() is not None:
                raise RuntimeError(f"{name} exited; see {self.logs / name}.log")
            if time.monotonic() > deadline:
                raise RuntimeError(f"{name} not ready in {START_SECONDS} s; see {self.logs}")
            time.sleep(0.3)


def _answers(port: int) -> bool:
    import urllib.request

    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/signup/", timeout=3) as answer:
            return answer.status == 200
    except OSError:
        return False
