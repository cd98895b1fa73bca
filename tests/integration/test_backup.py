"""make backup / make restore (rfs.backup): a dump of the demo restores, table by table."""

import io
import os
from pathlib import Path

import psycopg2
import pytest
from django.core.management import call_command
from django.db import connection

from rfs import backup


def _url() -> str:
    """The test database's URL (the test run's server, the test database's name)."""
    return backup.with_database(os.environ["DATABASE_URL"], connection.settings_dict["NAME"])


def _row_counts(url: str) -> dict[str, int]:
    with psycopg2.connect(url) as db, db.cursor() as cursor:
        cursor.execute(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
        )
        tables = sorted(row[0] for row in cursor.fetchall())
        counts = {}
        for table in tables:
            cursor.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608 - catalogue names
            counts[table] = cursor.fetchone()[0]
    db.close()
    return counts


@pytest.mark.django_db(transaction=True)
def test_a_backup_of_the_demo_restores_into_a_new_database_with_every_row(tmp_path):
    call_command("seed_demo", stdout=io.StringIO())
    url = _url()
    scratch = f"{connection.settings_dict['NAME']}_restore_check"[:63]
    backup.drop_database(url=url, name=scratch)  # left by an interrupted run

    path = backup.backup(url=url, folder=tmp_path)
    try:
        assert backup.restore(url=url, file=path, name=scratch) == scratch
        restored, original = _row_counts(backup.with_database(url, scratch)), _row_counts(url)
    finally:
        backup.drop_database(url=url, name=scratch)

    assert path.name.startswith(f"{connection.settings_dict['NAME']}-")
    assert path.suffix == ".dump" and path.read_bytes()[:5] == b"PGDMP"  # custom format
    assert restored == original
    assert original["candidates_candidate"] > 0 and original["candidates_helprequest"] > 0
    assert original["django_migrations"] > 0


@pytest.mark.django_db(transaction=True)
def test_restore_never_overwrites_an_existing_database(tmp_path):
    url = _url()
    path = backup.backup(url=url, folder=tmp_path)
    before = _row_counts(url)

    with pytest.raises(backup.BackupError, match="already exists"):
        backup.restore(url=url, file=path, name=connection.settings_dict["NAME"])

    assert _row_counts(url) == before


def test_without_a_pg_dump_of_the_servers_version_one_line_says_so():
    with pytest.raises(backup.BackupError) as refused:
        backup.tools_for(99)
    message = str(refused.value)
    assert "PostgreSQL 99" in message and "\n" not in message


def test_a_restored_database_is_named_after_its_file():
    assert backup.name_for(Path("rfs-20261206T043000Z.dump")) == "rfs_restored_20261206t043000z"
    assert backup.name_for(Path("x" * 80 + ".dump")) == ("x" * 80 + "_restored")[:63]
