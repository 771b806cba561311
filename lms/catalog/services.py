"""Catalog services: published courses, their trainers, enrolment, and where a learner left off."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from lms.accounts.models import Role, User
from lms.catalog.models import Course, CourseTrainer, CourseVersion, Enrollment
from lms.database import conflict_insert, utcnow
from lms.extensions import db


class CourseNotFound(LookupError):
    pass


class NotEnrolled(PermissionError):
    pass


class TrainerError(ValueError):
    """A trainer assignment the rules refuse, with a message for the administrator."""


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


def translations_of(course: Course) -> list[Course]:
    """The course's other-language versions that learners can see, in the order of their language codes.

    Its published policy names them ({"fr": "public-service-innovation-fr"}); one that is not published, or
    whose published version is in another language than the policy says, is left out.
    """
    named = (course.published_version.policy if course.published_version else {}).get("translations", {})
    if not named:
        return []
    found = {other.slug: other for other in db.session.execute(
        select(Course).where(Course.slug.in_(named.values()), Course.published_version_id.is_not(None))
        .options(joinedload(Course.published_version))
    ).scalars()}
    return [found[slug] for language, slug in sorted(named.items())
            if slug in found and found[slug].published_version.language == language]


def version_of(course: Course, number: int) -> CourseVersion | None:
    """One of a course's versions by its number: pages of an older version may still link to it."""
    return db.session.execute(
        select(CourseVersion).where(CourseVersion.course_id == course.id, CourseVersion.number == number)
    ).scalar_one_or_none()


def is_trainer(user: User, course: Course) -> bool:
    """Whether the user runs this course: a trainer assigned to it."""
    if not getattr(user, "is_authenticated", False) or getattr(user, "role", None) != Role.TRAINER:
        return False
    return db.session.get(CourseTrainer, (course.id, user.id)) is not None


def manages(user: User, course: Course) -> bool:
    """Whether the user may oversee the course's learners and certificates: its trainers, and admins."""
    is_admin = getattr(user, "is_authenticated", False) and getattr(user, "role", None) == Role.ADMIN
    return is_admin or is_trainer(user, course)


def trainers_of(course: Course) -> list[User]:
    return list(db.session.execute(
        select(User).join(CourseTrainer, CourseTrainer.user_id == User.id)
        .where(CourseTrainer.course_id == course.id).order_by(User.name, User.id)
    ).scalars())


def add_trainer(course: Course, user: User) -> None:
    """Make a trainer run a course; adding twice changes nothing."""
    if user.role != Role.TRAINER:
        raise TrainerError(f"{user.email} is a {user.role}, not a trainer.")
    db.session.execute(
        conflict_insert(CourseTrainer, db.session.get_bind())
        .values(course_id=course.id, user_id=user.id, added_at=utcnow())
        .on_conflict_do_nothing(index_elements=["course_id", "user_id"])
    )


def remove_trainer(course: Course, user: User) -> bool:
    """Stop a trainer running a course; whether they were running it."""
    link = db.session.get(CourseTrainer, (course.id, user.id))
    if link is None:
        return False
    db.session.delete(link)
    db.session.flush()
    return True


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
