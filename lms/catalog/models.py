"""Courses, their immutable published versions, their staff, and learners' enrolments."""
from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.accounts.models import User
from lms.database import utcnow
from lms.extensions import db


class Course(db.Model):
    __tablename__ = "courses"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The version learners see; null until the first publish.
    published_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("course_versions.id", use_alter=True)
    )

    published_version: Mapped[CourseVersion | None] = relationship(
        foreign_keys=[published_version_id], post_update=True
    )

    def __repr__(self) -> str:
        return f"<Course {self.slug}>"


class CourseVersion(db.Model):
    """One published state of a course. Never changed once written; a re-publish adds a row."""

    __tablename__ = "course_versions"
    __table_args__ = (UniqueConstraint("course_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"))
    number: Mapped[int]
    title: Mapped[str] = mapped_column(String(300))
    org: Mapped[str] = mapped_column(String(100))
    run: Mapped[str] = mapped_column(String(100))
    language: Mapped[str] = mapped_column(String(10), default="en")
    short_description: Mapped[str] = mapped_column(Text, default="")
    # Sanitised HTML from the package's about/overview.html.
    overview_html: Mapped[str] = mapped_column(Text, default="")
    # The course-level policy (advanced modules, grading) as the package gave it.
    policy: Mapped[dict] = mapped_column(db.JSON, default=dict)
    root_usage_id: Mapped[str] = mapped_column(String(255))
    # Digest of the imported package's files, so re-importing an unchanged package is a no-op.
    package_sha256: Mapped[str] = mapped_column(String(64), default="")
    published_at: Mapped[datetime] = mapped_column(default=utcnow)

    course: Mapped[Course] = relationship(foreign_keys=[course_id])


class StaffRole(StrEnum):
    """What a member of a course's staff may do. Both run the course (its learners, certificates
    and plans); owners also decide who else is on its staff."""

    OWNER = "owner"
    EDITOR = "editor"


class StaffMember(db.Model):
    """A trainer on a course's staff, with their role in it."""

    __tablename__ = "course_staff"
    __table_args__ = (CheckConstraint("role IN ('owner', 'editor')", name="role"),)

    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"), primary_key=True)
    # Indexed for "the courses this trainer runs"; the primary key serves the other direction.
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True, index=True)
    role: Mapped[str] = mapped_column(String(20))
    added_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship()


class Enrollment(db.Model):
    __tablename__ = "enrollments"
    __table_args__ = (UniqueConstraint("user_id", "course_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The unit (vertical url_name) last opened, for "resume where I left off".
    last_unit_id: Mapped[str | None] = mapped_column(String(255))
    last_visited_at: Mapped[datetime | None]

    course: Mapped[Course] = relationship()
