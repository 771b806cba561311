"""kuza backup and kuza restore: a copy made while the site runs brings back every learner's records."""
from __future__ import annotations

import hashlib
import os
import sqlite3
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from lms.catalog import services as catalog
from lms.extensions import db
from tests.conftest import build_app
from tests.environment import skip_or_fail
from tests.factories import make_course, make_user, sign_in


def snapshot(app) -> dict[str, tuple[int, str]]:
    """Every table's row count and a digest of its rows in key order: what a restore must bring back."""
    tables = {}
    with app.app_context(), db.engine.connect() as connection:
        for table in db.metadata.sorted_tables:
            rows = connection.execute(sa.select(table).order_by(*table.primary_key.columns)).all()
            tables[table.name] = (len(rows), hashlib.sha256(repr(rows).encode()).hexdigest())
    return tables


@pytest.fixture
def site(tmp_path):
    """On the embedded default's SQLite, in both passes: learners with records (accounts, enrolments,
    completions and resume points from reading units)."""
    committed_app = build_app(f"sqlite:///{tmp_path / 'kuza.sqlite3'}", tmp_path / "instance")
    with committed_app.app_context():
        course = make_course(slug="backed-up")
        learners = [make_user(email=f"learner{n}@example.org") for n in range(3)]
        for learner in learners:
            catalog.enroll(learner, course)
        db.session.commit()
        emails = [learner.email for learner in learners]
    for email in emails:
        client = committed_app.test_client()
        sign_in(client, SimpleNamespace(email=email))
        for unit in ("unit-one", "unit-two"):
            assert client.get(f"/courses/backed-up/learn/{unit}").status_code == 200
    yield committed_app
    with committed_app.app_context():
        db.engine.dispose()


def test_a_restored_backup_brings_back_every_record(site, tmp_path):
    before = snapshot(site)
    assert before["completions"][0] >= 6 and before["users"][0] == 3
    out = tmp_path / "kuza-backup.sqlite3"
    made = site.test_cli_runner().invoke(args=["backup", str(out)])
    assert made.exit_code == 0, made.output
    assert "Backed up the database to" in made.output
    assert out.stat().st_mode & 0o077 == 0  # a backup holds every account: its owner's only

    # Records lost after the backup: a learner deleted with everything they did, another account added.
    with site.app_context():
        for table in ("completions", "learner_states", "enrollments"):
            db.session.execute(sa.text(f"DELETE FROM {table}"))
        make_user(email="late@example.org")
        db.session.commit()
    assert snapshot(site) != before

    restored = site.test_cli_runner().invoke(args=["restore", "--yes", str(out)])
    assert restored.exit_code == 0, restored.output
    assert snapshot(site) == before


def test_a_backup_is_never_written_over_an_existing_file(site, tmp_path):
    out = tmp_path / "taken.sqlite3"
    out.write_text("keep me")
    refused = site.test_cli_runner().invoke(args=["backup", str(out)])
    assert refused.exit_code == 1 and "already exists" in refused.output
    assert out.read_text() == "keep me"


def test_a_damaged_or_foreign_file_is_refused_and_nothing_changes(site, tmp_path):
    before = snapshot(site)
    foreign = tmp_path / "other.sqlite3"
    with sqlite3.connect(foreign) as other:
        other.execute("CREATE TABLE notes (text TEXT)")
    other.close()
    not_a_database = tmp_path / "notes.txt"
    not_a_database.write_text("hello")
    for path, message in ((foreign, "not a Kuza backup"), (not_a_database, "not a Kuza backup")):
        refused = site.test_cli_runner().invoke(args=["restore", "--yes", str(path)])
        assert refused.exit_code == 1 and message in refused.output, refused.output
    assert snapshot(site) == before


@pytest.mark.postgres
def test_on_postgresql_the_command_points_to_pg_dump(committed_app, tmp_path):
    if not os.environ.get("TEST_DATABASE_URL"):
        skip_or_fail("TEST_DATABASE_URL is not set: no PostgreSQL database to refuse")
    refused = committed_app.test_cli_runner().invoke(args=["backup", str(tmp_path / "x")])
    assert refused.exit_code == 1 and "pg_dump" in refused.output
