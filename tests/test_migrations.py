"""Migrations build the schema the models describe, on SQLite and PostgreSQL, and undo it."""
from __future__ import annotations

import os

import flask_migrate
import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from lms import create_app
from lms.extensions import MIGRATIONS_DIR, db
from tests.conftest import scratch_postgres
from tests.environment import skip_or_fail


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def empty_database(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrations.sqlite3'}"
        return
    server_url = os.environ.get("TEST_DATABASE_URL")
    if not server_url:
        skip_or_fail("TEST_DATABASE_URL is not set: migrations are not checked on PostgreSQL")
    with scratch_postgres(server_url) as url:
        yield url


def test_migrations_match_models_and_downgrade_cleanly(empty_database, tmp_path):
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=empty_database)
    with app.app_context():
        flask_migrate.upgrade(directory=str(MIGRATIONS_DIR))
        with db.engine.connect() as connection:
            differences = compare_metadata(MigrationContext.configure(connection), db.metadata)
        assert differences == [], f"models and migrations disagree: {differences}"

        flask_migrate.downgrade(directory=str(MIGRATIONS_DIR), revision="base")
        remaining = set(sa.inspect(db.engine).get_table_names()) - {"alembic_version"}
        assert remaining == set()
        db.engine.dispose()
