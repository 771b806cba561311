"""SQLite settings: WAL, full sync, foreign keys, and writers that wait instead of failing."""
from __future__ import annotations

import sqlite3
from functools import partial

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError, OperationalError

from lms.courseware.models import Completion
from lms.courseware.services import LearnerRecords
from lms.database import read_only
from lms.extensions import db
from tests.concurrency import at_once
from tests.conftest import build_app
from tests.factories import make_course, make_user


@pytest.fixture
def sqlite_app(tmp_path):
    """Always SQLite, even when the rest of the suite runs on PostgreSQL: these are its settings."""
    app = build_app(f"sqlite:///{tmp_path / 'settings.sqlite3'}", tmp_path / "instance")
    yield app
    with app.app_context():
        db.engine.dispose()


def test_sqlite_pragmas(sqlite_app):
    with sqlite_app.app_context():
        with db.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_foreign_keys_are_enforced(sqlite_app):
    with sqlite_app.app_context():
        db.session.add(Completion(user_id=999, course_id=999, usage_id="x", completion=1.0))
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()


def test_concurrent_read_then_write_transactions_wait_their_turn(sqlite_app):
    """Each thread reads, then writes, in one transaction: the pattern that fails with
    "database is locked" when transactions begin deferred."""
    with sqlite_app.app_context():
        user = make_user()
        course = make_course()
        db.session.commit()
        user_id, course_id = user.id, course.id

    def learner_session(worker: int) -> None:
        with sqlite_app.app_context():
            for step in range(10):
                records = LearnerRecords(user_id, course_id)
                records.load_state(f"block-{worker}")
                records.save_state(f"block-{worker}", "kuza_markdown", {"step": step})
                records.record_completion(f"block-{worker}-{step}", 1.0)
                db.session.commit()

    # at_once raises the first error any session met, such as "database is locked".
    at_once(*(partial(learner_session, n) for n in range(8)))
    with sqlite_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Completion)) == 80


def test_read_only_pages_read_beside_a_writer_holding_the_lock(sqlite_app):
    with sqlite_app.app_context():
        make_course(slug="open-course")
        db.session.commit()
    path = sqlite_app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///")
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE courses SET slug = slug")
    try:
        # An immediate transaction would wait for the writer (busy_timeout) and then fail.
        response = sqlite_app.test_client().get("/")
        assert response.status_code == 200
        assert "Course open-course" in response.get_data(as_text=True)
    finally:
        writer.execute("ROLLBACK")
        writer.close()


def test_a_write_inside_a_read_only_view_fails_loudly(sqlite_app):
    @read_only
    def sneaky_view():
        make_user()

    with sqlite_app.app_context():
        with pytest.raises(OperationalError, match="readonly"):
            sneaky_view()
        db.session.rollback()
        # The next ordinary transaction on a new connection writes as usual.
        make_user()
        db.session.commit()
