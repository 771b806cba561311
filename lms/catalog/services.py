"""Catalog services: published courses, enrolment, and where a learner left off."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from lms.accounts.models import User
from lms.catalog.models import Course, Enrollment
from lms.database import conflict_insert, utcnow
from lms.extensions import db


class CourseNotFound(LookupError):
    pass


class NotEnrolled(PermissionError):
    pass


def published_courses() -> list[Course]:
    return list(
        db.session.execute(
            select(Course)
            .where(Course.published_version_id.is_not(None))
            .options(joinedload(Course.published_version))
            .order_by(Course.slug)
        ).scalars()
    )


def get_course(slug: str) -> Course:
    """A course learners can see: it exists and has a published version."""
    course = db.session.execute(
        select(Course).where(Course.slug == slug).options(joinedload(Course.published_version))
    ).scalar_one_or_none()
    if course is None or course.published_version is None:
        raise CourseNotFound(slug)
    return course


def enrollment_for(user: User, course: Course) -> Enrollment | None:
    if not user.is_authenticated:
        return None
    return db.session.execute(
        select(Enrollment).where(Enrollment.user_id == user.id, Enrollment.course_id == course.id)
    ).scalar_one_or_none()


def require_enrollment(user: User, course: Course) -> Enrollment:
    enrollment = enrollment_for(user, course)
    if enrollment is None:
        raise NotEnrolled(course.slug)
    return enrollment


def enroll(user: User, course: Course) -> Enrollment:
    """Enrol once: a double click or two tabs leave one enrolment."""
    db.session.execute(
        conflict_insert(Enrollment, db.session.get_bind())
        .values(user_id=user.id, course_id=course.id, created_at=utcnow())
        .on_conflict_do_nothing(index_elements=["user_id", "course_id"])
    )
    return require_enrollment(user, course)


def user_enrollments(user: User) -> list[Enrollment]:
    return list(
        db.session.execute(
            select(Enrollment)
            .where(Enrollment.user_id == user.id)
            .options(joinedload(Enrollment.course).joinedload(Course.published_version))
            .order_by(Enrollment.last_visited_at.desc().nulls_last(), Enrollment.created_at.desc())
        ).scalars()
    )


def record_visit(enrollment: Enrollment, unit_id: str) -> None:
    enrollment.last_unit_id = unit_id
    enrollment.last_visited_at = utcnow()
    db.session.flush()
