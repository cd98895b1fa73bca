"""Backups of the application database, and restoring one into a new database.

    python -m rfs.backup backup                    # var/backups/<db>-<UTC time>.dump
    python -m rfs.backup restore FILE [--name DB]  # into a new database, never an existing one

`make backup` and `make restore FILE=...` run these with the services up (rfs.devstack), so
without DATABASE_URL they work on the embedded PostgreSQL of `make run`.

A dump is pg_dump's custom format (-Fc: compressed, restored by pg_restore). pg_dump and
pg_restore must be of the server's major version: the embedded server's own (the pgserver
package ships its binaries), else /usr/lib/postgresql/<major>/bin, else the ones on PATH.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit, urlunsplit

import psycopg2
import psycopg2.errors

BASE_DIR = Path(__file__).resolve().parent.parent
BACKUP_DIR = Path(os.environ.get("RFS_VAR_DIR", BASE_DIR / "var")) / "backups"
# Where the server and the database to restore into are reached from.
MAINTENANCE_DB = "postgres"
NAME_LIMIT = 63  # PostgreSQL's longest identifier


class BackupError(Exception):
    """Something the person running the command can fix; said in one line."""


def database_url() -> str:
    url = os.environ.get("DATABASE_URL")
    if not url:
        raise BackupError("DATABASE_URL is not set (make backup and make restore set it).")
    return url


def with_database(url: str, name: str) -> str:
    """The same server's URL, for the database `name`."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def database_name(url: str) -> str:
    return unquote(urlsplit(url).path.lstrip("/"))


def _query(url: str, sql: str, params: list | None = None) -> list[tuple]:
    """Run one statement outside any transaction (CREATE DATABASE needs that)."""
    connection = psycopg2.connect(url)
    try:
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall() if cursor.description else []
    finally:
        connection.close()


def server_major(url: str) -> int:
    return int(_query(url, "SHOW server_version_num")[0][0]) // 10000


def _libpq(url: str) -> tuple[str, dict[str, str]]:
    """The URL without its password, and an environment carrying it, so the password is not
    on a command line for other users of the machine to read."""
    parts = urlsplit(url)
    env = dict(os.environ)
    if parts.password:
        env["PGPASSWORD"] = unquote(parts.password)
        netloc = parts.netloc.rsplit("@", 1)[1]
        user = parts.username or ""
        parts = parts._replace(netloc=f"{user}@{netloc}" if user else netloc)
    return urlunsplit(parts), env


def _bin_dirs(major: int) -> list[Path]:
    """Where pg_dump may be, best first: the embedded server's, Debian's of that version,
    then whatever PATH offers."""
    folders = []
    # Found, not imported: importing pgserver sets up folders and warns about them.
    embedded = importlib.util.find_spec("pgserver")
    if embedded and embedded.origin:
        folders.append(Path(embedded.origin).parent / "pginstall" / "bin")
    folders.append(Path(f"/usr/lib/postgresql/{major}/bin"))
    on_path = shutil.which("pg_dump")
    if on_path:
        folders.append(Path(on_path).resolve().parent)
    return folders


def _major_of(program: Path) -> int | None:
    try:
        output = subprocess.run(
            [str(program), "--version"], capture_output=True, text=True, check=True
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    match = re.search(r"\) (\d+)", output)
    return int(match.group(1)) if match else None


def tools_for(major: int) -> tuple[Path, Path]:
    """pg_dump and pg_restore of PostgreSQL `major`, from one folder."""
    tried = []
    for folder in _bin_dirs(major):
        dump, restore = folder / "pg_dump", folder / "pg_restore"
        if dump.exists():
            found = _major_of(dump)
            tried.append(f"{dump} ({found or '?'})")
            if found == major and restore.exists():
                return dump, restore
    raise BackupError(
        f"No pg_dump of PostgreSQL {major} (the server's version) found; tried "
        f"{', '.join(tried) or 'none'}. Install postgresql-client-{major}."
    )


def backup(*, url: str, folder: Path = BACKUP_DIR, now: datetime | None = None) -> Path:
    """Dump the database at `url` to <folder>/<db>-<UTC time>.dump and return the path. The
    file appears only once complete."""
    dump, _ = tools_for(server_major(url))
    folder.mkdir(parents=True, exist_ok=True)
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
    target = folder / f"{database_name(url)}-{stamp}.dump"
    if target.exists():
        raise BackupError(f"{target} already exists.")
    partial = target.with_suffix(".dump.partial")
    address, env = _libpq(url)
    result = subprocess.run(
        [str(dump), "--format=custom", f"--file={partial}", f"--dbname={address}"],
        capture_output=True,
        text=True,
        env=env,
    )
    if result.returncode != 0:
        partial.unlink(missing_ok=True)
        raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
    partial.rename(target)
    return target


def name_for(file: Path) -> str:
    """A database name from a backup's file name: rfs-20261206T0430Z.dump gives
    rfs_restored_20261206t0430z."""
    stem = file.name.removesuffix(".dump")
    base, _, stamp = stem.rpartition("-")
    name = f"{base}_restored_{stamp}" if base else f"{stem}_restored"
    return re.sub(r"[^a-z0-9_]", "_", name.lower())[:NAME_LIMIT]


def restore(*, url: str, file: Path, name: str | None = None) -> str:
    """Restore `file` into a new database `name` (derived from the file's name when not given)
    on the server of `url`, and return the name. An existing database is never touched: the
    restore is refused. If pg_restore fails, the new database is dropped again."""
    if not file.is_file():
        raise BackupError(f"No backup at {file}.")
    name = name or name_for(file)
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name) or len(name) > NAME_LIMIT:
        raise BackupError(f"{name!r} is not a database name (letters, digits, _; at most 63).")
    maintenance = with_database(url, MAINTENANCE_DB)
    _, pg_restore = tools_for(server_major(url))
    if _query(maintenance, "SELECT 1 FROM pg_database WHERE datname = %s", [name]):
        raise BackupError(f"Database {name} already exists; restore into a new name (DB=...).")
    # Checked to be a plain identifier above; CREATE DATABASE takes no parameters. Two
    # restores racing for one name: the second CREATE fails, and nothing is overwritten.
    try:
        _query(maintenance, f'CREATE DATABASE "{name}"')
    except psycopg2.errors.DuplicateDatabase as error:
        raise BackupError(f"Database {name} already exists.") from error
    address, env = _libpq(with_database(url, name))
    result = subprocess.run(
        [
            str(pg_restore),
            "--no-owner",
            "--no-acl",
            "--exit-on-error",
            f"--dbname={address}",
            str(file),
        ],
        capture_output=True,
        text=True,
        env=env,
    )
    if result.returncode != 0:
        drop_database(url=url, name=name)
        raise BackupError(f"pg_restore failed (database {name} dropped): {result.stderr.strip()}")
    return name


def drop_database(*, url: str, name: str) -> None:
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
        raise BackupError(f"{name!r} is not a database name.")
    _query(with_database(url, MAINTENANCE_DB), f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m rfs.backup")
    sub = parser.add_subparsers(dest="action", required=True)
    sub.add_parser("backup", help="dump the application database under var/backups/")
    restore_parser = sub.add_parser("restore", help="restore a dump into a new database")
    restore_parser.add_argument("file", type=Path)
    restore_parser.add_argument("--name", help="the new database's name")
    args = parser.parse_args(argv)
    started = time.monotonic()
    try:
        if args.action == "backup":
            path = backup(url=database_url())
            size = path.stat().st_size / 1e6
            print(f"Backed up to {path} ({size:.1f} MB) in {time.monotonic() - started:.1f} s.")
        else:
            name = restore(url=database_url(), file=args.file, name=args.name)
            print(
                f"Restored {args.file} into database {name} in {time.monotonic() - started:.1f} s."
            )
    except BackupError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
