"""Backups of the embedded SQLite database: an online copy while Kuza serves, and a checked restore.

SQLite's online backup API copies a consistent snapshot page by page while other connections
go on writing, so `kuza backup` needs no downtime. PostgreSQL has its own tools (pg_dump and
pg_restore, docs/operating.md), which know its server better than Kuza could.
"""
from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from pathlib import Path

from sqlalchemy.engine import make_url

# Pages copied per step: small steps let the server's writers in between them.
PAGES_PER_STEP = 1024


class BackupError(RuntimeError):
    """A backup or restore that cannot be done; the message is one line saying why and what to do."""


def database_file(database_url: str) -> Path:
    """The SQLite file of the configured database; BackupError for any other database."""
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        raise BackupError(f"{url.get_backend_name()} databases are backed up with their own tools: for PostgreSQL, "
                          "pg_dump --format=custom (see docs/operating.md)")
    return Path(url.database)


def backup(database_url: str, out: Path) -> int:
    """Copy the database to the new file ``out``, readable by its owner only; the number of pages copied."""
    source_path = database_file(database_url)
    if out.exists():
        raise BackupError(f"{out} already exists: give the name of a new file")
    if not source_path.is_file():
        raise BackupError(f"there is no database at {source_path} to back up")
    # Created empty and private before anything is written into it: a backup holds every account.
    os.close(os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    with closing(sqlite3.connect(source_path)) as source, closing(sqlite3.connect(out)) as target:
        source.backup(target, pages=PAGES_PER_STEP)
        return target.execute("PRAGMA page_count").fetchone()[0]


def check_backup(path: Path, expected_heads: set[str]) -> None:
    """Refuse a file that is not an intact Kuza database at this version's migrations."""
    if not path.is_file():
        raise BackupError(f"{path} does not exist")
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as backup_db:
            integrity = backup_db.execute("PRAGMA integrity_check").fetchone()[0]
            heads = {row[0] for row in backup_db.execute("SELECT version_num FROM alembic_version")}
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{path} is not a Kuza backup: {error}") from None
    if integrity != "ok":
        raise BackupError(f"{path} is damaged: SQLite's integrity check says {integrity}")
    if heads != expected_heads:
        raise BackupError(f"{path} was made at migration {', '.join(sorted(heads)) or 'none'}, and this Kuza is at "
                          f"{', '.join(sorted(expected_heads))}: restore it with the Kuza that made it, then run "
                          "`kuza db upgrade`")


def restore(database_url: str, backup_path: Path, expected_heads: set[str]) -> int:
    """Replace the configured database's content with the backup's, after checking the backup."""
    target_path = database_file(database_url)
    check_backup(backup_path, expected_heads)
    with closing(sqlite3.connect(f"file:{backup_path}?mode=ro", uri=True)) as source, \
            closing(sqlite3.connect(target_path)) as target:
        source.backup(target, pages=PAGES_PER_STEP)
        return target.execute("PRAGMA page_count").fetchone()[0]
