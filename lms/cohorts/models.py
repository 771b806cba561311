"""Cohorts of a course, their trainers and learners, enrolment codes, deadlines and the reminders already sent.

A learner's records (scores, completions, attempts, plans) are keyed by learner and course,
never by cohort: a cohort only says who learns together, so moving a learner between two
cohorts of a course changes one row here and nothing of what they did.
"""
from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, ForeignKeyConstraint, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.accounts.models import User
from lms.catalog.models import Course
from lms.database import utcnow
from lms.extensions import db


class CohortKind(StrEnum):
    ONLINE = "online"
    WORKSHOP = "workshop"
    STUDY_TOUR = "study_tour"


class Cohort(db.Model):
    """A group of a course's learners who follow it together, from a start date to an end date."""

    __tablename__ = "cohorts"
    __table_args__ = (
        CheckConstraint("kind IN ('online', 'workshop', 'study_tour')", name="kind"),
        CheckConstraint("ends_on >= starts_on", name="dates"),
        # The target of memberships' (cohort, course) key, which keeps a learner's cohort in the course.
        UniqueConstraint("id", "course_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    # Where a workshop or study tour takes place; online groups have none.
    place: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    course: Mapped[Course] = relationship()
    trainers: Mapped[list[CohortTrainer]] = relationship(back_populates="cohort", cascade="all, delete-orphan")


class CohortTrainer(db.Model):
    """A trainer of one cohort: a member of the course's staff who runs this group."""

    __tablename__ = "cohort_trainers"

    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id"), primary_key=True)
    # Indexed for "the cohorts this trainer runs"; the primary key serves the other direction.
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True, index=True)
    added_at: Mapped[datetime] = mapped_column(default=utcnow)

    cohort: Mapped[Cohort] = relationship(back_populates="trainers")
    user: Mapped[User] = relationship()


class Membership(db.Model):
    """A learner in a cohort. One per learner and course: a learner is in one cohort of a course at
    a time, and in as many courses' cohorts as they like."""

    __tablename__ = "cohort_members"
    __table_args__ = (
        UniqueConstraint("course_id", "user_id"),
        ForeignKeyConstraint(["cohort_id", "course_id"], ["cohorts.id", "cohorts.course_id"],
                             name="fk_cohort_members_cohort_course"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(index=True)
    course_id: Mapped[int]
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    # How they came: "code", "roster" or "moved" (from another cohort of the course).
    joined_by: Mapped[str] = mapped_column(String(20))
    joined_at: Mapped[datetime] = mapped_column(default=utcnow)

    cohort: Mapped[Cohort] = relationship(foreign_keys=[cohort_id], primaryjoin="Membership.cohort_id == Cohort.id")
    user: Mapped[User] = relationship()


class EnrolmentCode(db.Model):
    """A code, shared as /join/<code>, that lets learners into a cohort until it expires, its seats
    are taken or a trainer revokes it. ``seats_used`` counts the learners it let in."""

    __tablename__ = "cohort_codes"
    __table_args__ = (CheckConstraint("seat_limit IS NULL OR seats_used <= seat_limit", name="seats"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id"), index=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    expires_at: Mapped[datetime | None]
    seat_limit: Mapped[int | None]
    seats_used: Mapped[int] = mapped_column(default=0)
    revoked_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    cohort: Mapped[Cohort] = relationship()


class Deadline(db.Model):
    """When a cohort's learners should have finished one sequential of the course, in UTC."""

    __tablename__ = "cohort_deadlines"

    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id"), primary_key=True)
    # The sequential's url_name: stable across versions, like every learner record.
    usage_id: Mapped[str] = mapped_column(String(255), primary_key=True)
    due_at: Mapped[datetime]


class SentReminder(db.Model):
    """A reminder mailed to a learner about one deadline, so that it is mailed once.

    Keyed by the deadline as it was when sent: a deadline moved later is a new one, worth a
    new reminder; the same deadline never is.
    """

    __tablename__ = "sent_reminders"
    __table_args__ = (
        UniqueConstraint("cohort_id", "user_id", "usage_id", "due_at", "kind"),
        CheckConstraint("kind IN ('due_soon', 'overdue')", name="kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    usage_id: Mapped[str] = mapped_column(String(255))
    due_at: Mapped[datetime]
    # "due_soon" within the command's days ahead, or "overdue" once the deadline has passed.
    kind: Mapped[str] = mapped_column(String(20))
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)
