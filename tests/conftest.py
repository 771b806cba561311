"""Shared fixtures: the app on a throwaway database, a rolled-back session per test, users."""
from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from lms import create_app
from lms.extensions import db

def database_url(tmp_path_factory: pytest.TempPathFactory, name: str = "kuza") -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / f'{name}.sqlite3'}"


def build_app(url: str, instance: Path, **overrides) -> Flask:
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=url, **overrides)
    app.instance_path = str(instance)
    with app.app_context():
        db.drop_all()
        db.create_all()
    return app


@pytest.fixture(scope="session")
def app(tmp_path_factory) -> Flask:
    return build_app(database_url(tmp_path_factory), tmp_path_factory.mktemp("instance"))


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
            {"bind": connection, "join_transaction_mode": "create_savepoint"}
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


@pytest.fixture
def committed_app(tmp_path) -> Iterator[Flask]:
    """An app whose database really commits, for concurrency and live-server tests."""
    url = os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{tmp_path / 'committed.sqlite3'}"
    application = build_app(url, tmp_path / "instance")
    yield application
    with application.app_context():
        db.drop_all()
        db.engine.dispose()

