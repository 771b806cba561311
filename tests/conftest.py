"""Shared fixtures: the app on a throwaway database, a rolled-back session per test, users."""
from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Flask, has_app_context
from flask.testing import FlaskClient

from flask_sqlalchemy.session import Session
from hypothesis import settings as hypothesis_settings

from lms import create_app
from lms.config import normalise_database_url
from lms.extensions import MIGRATIONS_DIR, db

# Speed is measured in bench/, never in tests: a property test on a loaded machine must not fail
# for being slow, so Hypothesis gets no deadline.
hypothesis_settings.register_profile("kuza", deadline=None)
hypothesis_settings.load_profile("kuza")


def database_url(tmp_path_factory: pytest.TempPathFactory, name: str = "kuza") -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / f'{name}.sqlite3'}"


class RequestClient(FlaskClient):
    """Runs each request in an app context of its own, as a server does.

    Without this a request would reuse the test's app context, and with it ``g``: Flask-Login's
    user, Flask-WTF's token and the CSP nonce would leak from one request into the next.
    """

    def open(self, *args, **kwargs):
        with self.application.app_context():
            response = super().open(*args, **kwargs)
        if has_app_context() and db.session.registry.has():
            # The test's own session may hold rows the request has just changed.
            db.session.expire_all()
        return response


def build_app(url: str, instance: Path, **overrides) -> Flask:
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=url, **overrides)
    app.instance_path = str(instance)
    app.test_client_class = RequestClient
    with app.app_context():
        db.drop_all()
        db.create_all()
        # A schema built from the models is the newest migration's: record it as `kuza db upgrade`
        # would, so commands that check for a database left behind accept it.
        with db.engine.begin() as connection:
            MigrationContext.configure(connection).stamp(ScriptDirectory(str(MIGRATIONS_DIR)), "head")
    return app


class ConnectionSession(Session):
    """A session that stays on the test's own connection for every model."""

    def get_bind(self, *args, **kwargs):
        return self.bind


@pytest.fixture(scope="session")
def app(tmp_path_factory) -> Iterator[Flask]:
    """The app every rolled-back test shares. On PostgreSQL it gets a database of its own, since the
    server's database outlives the run and may hold tables an older schema left behind."""
    with ExitStack() as stack:
        server = os.environ.get("TEST_DATABASE_URL")
        url = stack.enter_context(scratch_postgres(server)) if server else database_url(tmp_path_factory)
        application = build_app(url, tmp_path_factory.mktemp("instance"))
        yield application
        with application.app_context():
            db.engine.dispose()


@pytest.fixture
def db_session(app) -> Iterator:
    """Run a test inside one outer transaction that is rolled back afterwards.

    Views commit as usual; with join_transaction_mode="create_savepoint" their commits end
    savepoints, so nothing outlives the test.
    """
    with app.app_context():
        connection = db.engine.connect()
        outer = connection.begin()
        original = db.session
        db.session = db._make_scoped_session(
            {"bind": connection, "join_transaction_mode": "create_savepoint", "class_": ConnectionSession}
        )
        try:
            yield db.session
        finally:
            db.session.remove()
            db.session = original
            outer.rollback()
            connection.close()


@pytest.fixture
def client(app, db_session):
    return app.test_client()


@contextmanager
def scratch_postgres(server_url: str) -> Iterator[str]:
    """A PostgreSQL database of its own on the server at ``server_url``, dropped afterwards, so
    a test that really commits shares nothing with the rolled-back tests."""
    admin = sa.create_engine(normalise_database_url(server_url), isolation_level="AUTOCOMMIT")
    name = f"kuza_test_{uuid.uuid4().hex[:10]}"
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield admin.url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


@pytest.fixture
def committed_app(tmp_path) -> Iterator[Flask]:
    """An app whose database really commits, for concurrency and live-server tests."""
    with ExitStack() as stack:
        server = os.environ.get("TEST_DATABASE_URL")
        url = stack.enter_context(scratch_postgres(server)) if server else f"sqlite:///{tmp_path / 'committed.sqlite3'}"
        application = build_app(url, tmp_path / "instance")
        yield application
        with application.app_context():
            db.engine.dispose()
