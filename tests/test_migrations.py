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


def test_course_trainers_become_owners_and_come_back_on_downgrade(empty_database):
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=empty_database)
    with app.app_context():
        flask_migrate.upgrade(directory=str(MIGRATIONS_DIR), revision="0005")
        with db.engine.begin() as connection:
            connection.execute(sa.text(
                "INSERT INTO users (id, email, name, password_hash, role, session_token, created_at) VALUES "
                "(1, 'grace@example.org', 'Grace Banda', 'x', 'trainer', 't1', '2026-11-30 10:00:00'), "
                "(2, 'joao@example.org', 'Joao Silva', 'x', 'trainer', 't2', '2026-11-30 10:00:00')"))
            connection.execute(sa.text("INSERT INTO courses (id, slug, created_at) VALUES "
                                       "(1, 'civic-tech', '2026-11-30 10:00:00'), (2, 'other', '2026-11-30 10:00:00')"))
            connection.execute(sa.text("INSERT INTO course_trainers (course_id, user_id, added_at) VALUES "
                                       "(1, 1, '2026-12-01 09:00:00'), (1, 2, '2026-12-01 09:30:00'), "
                                       "(2, 2, '2026-12-01 10:00:00')"))

        flask_migrate.upgrade(directory=str(MIGRATIONS_DIR), revision="0006")
        with db.engine.begin() as connection:
            staff = connection.execute(sa.text(
                "SELECT course_id, user_id, role, added_at FROM course_staff ORDER BY course_id, user_id")).all()
            assert [(c, u, r) for c, u, r, _ in staff] == [(1, 1, "owner"), (1, 2, "owner"), (2, 2, "owner")]
            assert str(staff[0].added_at).startswith("2026-12-01 09:00:00")
            connection.execute(sa.text("UPDATE course_staff SET role = 'editor' WHERE user_id = 2"))
            assert "course_trainers" not in sa.inspect(connection).get_table_names()

        flask_migrate.downgrade(directory=str(MIGRATIONS_DIR), revision="0005")
        with db.engine.connect() as connection:
            trainers = connection.execute(sa.text(
                "SELECT course_id, user_id FROM course_trainers ORDER BY course_id, user_id")).all()
            assert [tuple(row) for row in trainers] == [(1, 1), (1, 2), (2, 2)]
            assert "course_staff" not in sa.inspect(connection).get_table_names()
        db.engine.dispose()
