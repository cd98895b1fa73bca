"""Helpers for tests that race two transactions on the real database."""

import time

from django.db import connection


def wait_until_blocking_someone(timeout: float = 10) -> None:
    """Return once another database session waits for a lock this connection holds."""
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            # Activity statistics are a snapshot per transaction: refresh it each time.
            cursor.execute("SELECT pg_stat_clear_snapshot()")
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE pg_backend_pid() = ANY(pg_blocking_pids(pid))"
            )
            if cursor.fetchone()[0]:
                return
            time.sleep(0.05)
    raise AssertionError("no other session ever waited for this one's locks")
