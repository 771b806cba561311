"""Course content as stored blocks and assets, and the learner tables the runtime writes.

Content rows belong to one immutable course version. Learner rows are keyed by course and
stable block id (url_name), never by version or position, so a re-published course keeps
everyone's state, scores and completions.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from lms.database import utcnow
from lms.extensions import db


class Block(db.Model):
    """One block of a published course version, with its content and settings field values."""

    __tablename__ = "blocks"
    __table_args__ = (UniqueConstraint("version_id", "usage_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("course_versions.id"), index=True)
    usage_id: Mapped[str] = mapped_column(String(255))
    block_type: Mapped[str] = mapped_column(String(100))
    parent_usage_id: Mapped[str | None] = mapped_column(String(255))
    position: Mapped[int] = mapped_column(default=0)
    # Explicitly set Scope.content and Scope.settings values, by field name.
    fields: Mapped[dict] = mapped_column(db.JSON, default=dict)


class Asset(db.Model):
    """A file from a course package's static/ folder, served at /static/<path> in lessons."""

    __tablename__ = "assets"
    __table_args__ = (UniqueConstraint("version_id", "path"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("course_versions.id"), index=True)
    path: Mapped[str] = mapped_column(String(500))
    content_type: Mapped[str] = mapped_column(String(100))
    sha256: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes] = mapped_column(LargeBinary)


class LearnerState(db.Model):
    """A learner's Scope.user_state fields for one block (Open edX's StudentModule)."""

    __tablename__ = "learner_states"
    __table_args__ = (UniqueConstraint("user_id", "course_id", "usage_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"))
    usage_id: Mapped[str] = mapped_column(String(255))
    block_type: Mapped[str] = mapped_column(String(100))
    state: Mapped[dict] = mapped_column(db.JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    modified_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Score(db.Model):
    """The latest score a block published for a learner through runtime.publish("grade")."""

    __tablename__ = "scores"
    __table_args__ = (UniqueConstraint("user_id", "course_id", "usage_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"))
    usage_id: Mapped[str] = mapped_column(String(255))
    earned: Mapped[float]
    possible: Mapped[float]
    modified_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Completion(db.Model):
    """How complete a block is for a learner, 0.0 to 1.0 (Open edX's BlockCompletion)."""

    __tablename__ = "completions"
    __table_args__ = (
        UniqueConstraint("user_id", "course_id", "usage_id"),
        Index("ix_completions_user_course", "user_id", "course_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"))
    usage_id: Mapped[str] = mapped_column(String(255))
    completion: Mapped[float]
    modified_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Attempt(db.Model):
    """One submission of an assessment block, as the block published it. Append-only: rows are
    never updated or deleted; a resent submission (same attempt id) is stored once."""

    __tablename__ = "attempts"
    __table_args__ = (
        UniqueConstraint("user_id", "course_id", "usage_id", "attempt_id"),
        Index("ix_attempts_course_question_set", "course_id", "question_set"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"))
    usage_id: Mapped[str] = mapped_column(String(255))
    block_type: Mapped[str] = mapped_column(String(100))
    # The block's own id for the submission: what makes a resent form count once.
    attempt_id: Mapped[str] = mapped_column(String(64))
    mode: Mapped[str] = mapped_column(String(20), default="")
    # Shared by a pre-test and its post-test, so gains can be computed per learner and question.
    question_set: Mapped[str] = mapped_column(String(100), default="")
    earned: Mapped[float]
    possible: Mapped[float]
    passed: Mapped[bool]
    responses: Mapped[dict] = mapped_column(db.JSON, default=dict)
    results: Mapped[dict] = mapped_column(db.JSON, default=dict)
    submitted_at: Mapped[datetime]
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)


class Plan(db.Model):
    """One submitted version of a learner's plan (an adaptation plan block), as the block published it.

    Append-only, like attempts: rows are never updated or deleted, and a version number is
    stored once per learner and block, so a resent form adds nothing. Reviews of a version
    belong to the plans domain (plan_reviews), which reads these rows.
    """

    __tablename__ = "plans"
    __table_args__ = (
        UniqueConstraint("user_id", "course_id", "usage_id", "version"),
        Index("ix_plans_course_submitted", "course_id", "submitted_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"))
    usage_id: Mapped[str] = mapped_column(String(255))
    block_type: Mapped[str] = mapped_column(String(100))
    version: Mapped[int]
    # The block's own id for the submission (its form's token).
    submission_id: Mapped[str] = mapped_column(String(64))
    # The prompts as the learner saw them, [{"name", "text"}], and the answers by prompt name.
    prompts: Mapped[list] = mapped_column(db.JSON, default=list)
    answers: Mapped[dict] = mapped_column(db.JSON, default=dict)
    submitted_at: Mapped[datetime]
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
