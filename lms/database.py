"""The declarative base for every model, and the SQLite connection settings."""
from __future__ import annotations

import sqlite3
from collections.abc import Callable
from contextvars import ContextVar
from datetime import UTC, datetime
from functools import wraps

from sqlalchemy import MetaData, event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase

# Stable constraint names, so Alembic can alter and drop them on every backend.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def utcnow() -> datetime:
    return datetime.now(UTC)


def conflict_insert(model, bind):
    """An INSERT for ``model`` that knows ON CONFLICT, on SQLite and PostgreSQL alike.

    Kuza's writes that may race (enrolment, learner records, attempts, certificates) are
    single statements that insert or, on a unique-key conflict, update or do nothing.
    """
    dialect = postgresql if bind.dialect.name == "postgresql" else sqlite
    return dialect.insert(model)


@event.listens_for(Engine, "connect")
def _configure_sqlite(dbapi_connection, _record) -> None:
    """WAL for readers beside one writer, FULL sync so a learner's answer survives power loss."""
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    # Let SQLAlchemy's "begin" hook below issue BEGIN itself instead of the driver.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


# Set by @read_only views: their transactions may begin deferred, beside a writer.
_read_only: ContextVar[bool] = ContextVar("kuza_read_only", default=False)


def read_only(view: Callable) -> Callable:
    """Mark a view that never writes. On SQLite its transaction begins deferred, so it reads
    from a WAL snapshot without waiting for the writer, and any write in it fails at once
    (``PRAGMA query_only``) instead of silently racing other writers."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        token = _read_only.set(True)
        try:
            return view(*args, **kwargs)
        finally:
            _read_only.reset(token)

    return wrapper


@event.listens_for(Engine, "begin")
def _begin(connection) -> None:
    """On SQLite, take the write lock when a transaction begins, unless the view only reads.

    A deferred transaction that reads and then writes cannot wait for the lock (SQLite
    fails it at once with "database is locked"); an immediate one waits its turn under
    busy_timeout. Most Kuza requests write (completion, resume position), so a transaction
    begins immediate unless its view is marked @read_only.
    """
    if connection.dialect.name != "sqlite":
        return
    reading = _read_only.get()
    connection.exec_driver_sql(f"PRAGMA query_only={'ON' if reading else 'OFF'}")
    connection.exec_driver_sql("BEGIN DEFERRED" if reading else "BEGIN IMMEDIATE")
