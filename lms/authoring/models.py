"""A course's working draft: the content trainers edit in the studio before it is published as a version."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.accounts.models import User
from lms.catalog.models import Course, CourseVersion
from lms.database import utcnow
from lms.extensions import db


class Draft(db.Model):
    """The one working draft of a course.

    ``content`` is the whole course as a package holds it (org, run, policy, descriptions and the
    block tree with each block's fields, as the importer stores them), so publishing writes it out
    and imports it like any package. ``revision`` goes up by one with every saved change: an edit
    names the revision it was made on, and one made on an older revision is refused, so two
    trainers never overwrite each other's work unseen.
    """

    __tablename__ = "drafts"

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"), unique=True)
    # The version this draft was made from, or last published as; null for a course never published.
    base_version_id: Mapped[int | None] = mapped_column(ForeignKey("course_versions.id"))
    revision: Mapped[int] = mapped_column(default=1)
    content: Mapped[dict] = mapped_column(db.JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    course: Mapped[Course] = relationship()
    base_version: Mapped[CourseVersion | None] = relationship()
    updated_by: Mapped[User | None] = relationship()
