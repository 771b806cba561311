"""Certificates issued to learners: never deleted, only revoked with a reason."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.accounts.models import User
from lms.catalog.models import Course, CourseVersion
from lms.database import utcnow
from lms.extensions import db

# Participation: every lesson done. Completion: also the pass mark and the post-test.
PARTICIPATION = "participation"
COMPLETION = "completion"


class Certificate(db.Model):
    """A certificate a learner earned in a course, with the version and rule it was earned under.

    One per learner, course and kind: a learner who first completes and later passes holds
    both, and the earlier one keeps the date it was earned.
    """

    __tablename__ = "certificates"
    __table_args__ = (UniqueConstraint("user_id", "course_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # What verification pages and credentials show: unguessable, unlike the row id.
    public_id: Mapped[str] = mapped_column(String(32), unique=True)
    # No index of its own: the unique key (user, course, kind) starts with it.
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"))
    version_id: Mapped[int] = mapped_column(ForeignKey("course_versions.id"))
    version_number: Mapped[int]
    kind: Mapped[str] = mapped_column(String(20))
    # The rule met and the learner's standing then: pass mark, course score, lessons done.
    rule: Mapped[dict] = mapped_column(db.JSON, default=dict)
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]
    revoked_reason: Mapped[str | None] = mapped_column(Text)
    # Who revoked it; null when an operator did, from the command line.
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # The signed Open Badges 3.0 credential (a compact VC-JWT), made once at issue.
    credential: Mapped[str | None] = mapped_column(Text)
    # The certificate's bit in the issuer's published revocation lists (W3C Bitstring Status
    # List); null for certificates signed before credentials carried a status.
    status_index: Mapped[int | None] = mapped_column(unique=True)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    revoked_by: Mapped[User | None] = relationship(foreign_keys=[revoked_by_id])
    course: Mapped[Course] = relationship()
    version: Mapped[CourseVersion] = relationship()

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None
