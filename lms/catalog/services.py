"""Catalog services: published courses, who runs them (their staff), enrolment, and where a learner left off."""
from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

from flask_babel import lazy_gettext as _  # lazy: these texts are translated when shown, in the reader's language
from sqlalchemy import case, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from lms.accounts.models import Role, User
from lms.accounts.services import PermissionDenied
from lms.catalog.models import Course, CourseVersion, Enrollment, StaffMember, StaffRole
from lms.database import conflict_insert, utcnow
from lms.extensions import db


class CourseNotFound(LookupError):
    pass


class NotEnrolled(PermissionError):
    pass


class StaffError(ValueError):
    """A change to a course's staff that the rules refuse; ``field`` names the form field at fault."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        # The message may be a lazy string, translated when shown.
        return str(self.message)


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
    named = _named_translations(course)
    if not named:
        return []
    found = {other.slug: other for other in db.session.execute(
        select(Course).where(Course.slug.in_(named.values()), Course.published_version_id.is_not(None))
        .options(joinedload(Course.published_version))
    ).scalars()}
    return _translations_among(course, found)


def _named_translations(course: Course) -> dict[str, str]:
    return (course.published_version.policy if course.published_version else {}).get("translations", {})


def _translations_among(course: Course, published: Mapping[str, Course]) -> list[Course]:
    """translations_of, among published courses already read (by slug)."""
    return [published[slug] for language, slug in sorted(_named_translations(course).items())
            if slug in published and published[slug].published_version.language == language]


def translation_families(courses: list[Course]) -> dict[str, str]:
    """Which published courses are language versions of one another: each course's slug with the
    smallest slug of its family, so two courses are versions of one course when they map alike.

    A family is every course reached by following translations either way, since a policy may
    name its versions one way only (the Portuguese version names none, the English names it).
    """
    published = {course.slug: course for course in courses}
    family = {slug: slug for slug in published}

    def head(slug: str) -> str:
        while family[slug] != slug:
            slug = family[slug]
        return slug

    for course in courses:
        for other in _translations_among(course, published):
            first, second = sorted((head(course.slug), head(other.slug)))
            family[second] = first
    return {slug: head(slug) for slug in published}


def same_language(code: str, locale: str) -> bool:
    """Whether a course in ``code`` ("pt-BR") is in the reader's language ``locale`` ("pt")."""
    return bool(code) and bool(locale) and _primary(code) == _primary(locale)


def _primary(code: str) -> str:
    return code.replace("_", "-").split("-")[0].lower()


@dataclass(frozen=True)
class Catalogue:
    """The published courses a reader is shown, and the course languages they may choose among."""

    courses: list[Course]
    # Every published course's language, with its number of courses, whatever is chosen.
    languages: Counter
    # The language chosen; "" for every language.
    language: str
    # Each course's other-language versions, by course id.
    translations: dict[int, list[Course]]

    @property
    def total(self) -> int:
        return sum(self.languages.values())


def catalogue(language: str = "", reader_locale: str = "") -> Catalogue:
    """The published courses in ``language`` (every one for "", or for a language no course is in),
    the reader's own language first.

    Each language version is a course of its own, with its own enrolment, progress and
    certificate, so each has its card; the reader's language comes first, and every card names
    its other versions.
    """
    courses = published_courses()
    languages = Counter(course.published_version.language for course in courses)
    language = language if language in languages else ""
    published = {course.slug: course for course in courses}
    shown = [course for course in courses if not language or course.published_version.language == language]
    # sorted() is stable: within each group the courses keep their order by slug.
    shown = sorted(shown, key=lambda course: not same_language(course.published_version.language, reader_locale))
    return Catalogue(courses=shown, languages=languages, language=language,
                     translations={course.id: _translations_among(course, published) for course in shown})


def version_of(course: Course, number: int) -> CourseVersion | None:
    """One of a course's versions by its number: pages of an older version may still link to it."""
    return db.session.execute(
        select(CourseVersion).where(CourseVersion.course_id == course.id, CourseVersion.number == number)
    ).scalar_one_or_none()


def _is_admin(user) -> bool:
    return getattr(user, "is_authenticated", False) and getattr(user, "role", None) == Role.ADMIN


def staff_role(user, course: Course) -> StaffRole | None:
    """The user's role on the course's staff, or None when they are not on it."""
    if not getattr(user, "is_authenticated", False) or getattr(user, "role", None) != Role.TRAINER:
        return None
    member = db.session.get(StaffMember, (course.id, user.id))
    return StaffRole(member.role) if member is not None else None


def is_trainer(user, course: Course) -> bool:
    """Whether the user runs this course: a trainer on its staff, owner or editor."""
    return staff_role(user, course) is not None


def manages(user, course: Course) -> bool:
    """Whether the user may oversee the course's learners and certificates: its staff, and admins."""
    return _is_admin(user) or is_trainer(user, course)


def may_manage_staff(user, course: Course) -> bool:
    """Whether the user decides who is on the course's staff: its owners, and admins."""
    return _is_admin(user) or staff_role(user, course) == StaffRole.OWNER


def runs_any_course(user) -> bool:
    """Whether the user has courses to run: admins, and trainers on some course's staff."""
    if _is_admin(user):
        return True
    if not getattr(user, "is_authenticated", False) or getattr(user, "role", None) != Role.TRAINER:
        return False
    return db.session.scalar(select(StaffMember.course_id).where(StaffMember.user_id == user.id).limit(1)) is not None


def courses_run_by(user) -> list[tuple[Course, StaffRole | None]]:
    """The courses the user runs with their role in each, by slug: for admins every course
    (with their staff role where they have one), for trainers those whose staff they are on.

    Raises PermissionDenied for anyone else: learners run no course.
    """
    if _is_admin(user):
        query = (select(Course, StaffMember.role)
                 .outerjoin(StaffMember, (StaffMember.course_id == Course.id) & (StaffMember.user_id == user.id)))
    elif getattr(user, "is_authenticated", False) and getattr(user, "role", None) == Role.TRAINER:
        query = (select(Course, StaffMember.role)
                 .join(StaffMember, (StaffMember.course_id == Course.id) & (StaffMember.user_id == user.id)))
    else:
        raise PermissionDenied()
    rows = db.session.execute(query.options(joinedload(Course.published_version)).order_by(Course.slug))
    return [(course, StaffRole(role) if role else None) for course, role in rows]


def enrollment_counts(courses: list[Course]) -> dict[int, int]:
    """How many learners are enrolled in each course, by course id (0 for none)."""
    ids = [course.id for course in courses]
    rows = db.session.execute(
        select(Enrollment.course_id, func.count()).where(Enrollment.course_id.in_(ids)).group_by(Enrollment.course_id)
    ) if ids else []
    counted = {course_id: number for course_id, number in rows}
    return {course_id: counted.get(course_id, 0) for course_id in ids}


def staff_of(actor, course: Course) -> list[StaffMember]:
    """The course's staff, owners first, then by name; for its staff and admins only."""
    if not manages(actor, course):
        raise PermissionDenied()
    return list(db.session.execute(
        select(StaffMember).join(User, StaffMember.user_id == User.id).where(StaffMember.course_id == course.id)
        .options(joinedload(StaffMember.user))
        .order_by(case((StaffMember.role == StaffRole.OWNER, 0), else_=1), User.name, User.id)
    ).scalars())


def _role(role: str) -> StaffRole:
    try:
        return StaffRole(role)
    except ValueError:
        raise StaffError(_("Choose owner or editor."), field="role") from None


def _require_staff_manager(actor, course: Course) -> None:
    if not may_manage_staff(actor, course):
        raise PermissionDenied()


def _member(course: Course, user: User) -> StaffMember:
    member = db.session.get(StaffMember, (course.id, user.id))
    if member is None:
        raise StaffError(_("%(name)s is not on this course's staff.", name=user.name))
    return member


def _keep_an_owner(actor, course: Course, member: StaffMember) -> None:
    """A course that has owners keeps one: an owner may not remove or demote the last of them.

    Admins may, since they run every course anyway: a course with no owner is one only admins
    manage, as every course is when first imported.
    """
    if member.role != StaffRole.OWNER or _is_admin(actor):
        return
    owners = db.session.scalar(select(func.count()).select_from(StaffMember).where(
        StaffMember.course_id == course.id, StaffMember.role == StaffRole.OWNER))
    if owners <= 1:
        raise StaffError(_("A course needs an owner: make someone else an owner first."), field="role")


def add_staff(actor, course: Course, user: User | None, role: str) -> StaffMember:
    """Put a trainer on the course's staff with a role; owners and admins only."""
    _require_staff_manager(actor, course)
    role = _role(role)
    if user is None:
        raise StaffError(_("No account has this email address. Ask an administrator to create one."), field="email")
    if user.role != Role.TRAINER:
        if user.role == Role.ADMIN:
            message = _("%(name)s is an administrator and already runs every course.", name=user.name)
        else:
            message = _("%(name)s has a learner's account: only trainers can be on a course's staff.", name=user.name)
        raise StaffError(message, field="email")
    existing = db.session.get(StaffMember, (course.id, user.id))
    already = StaffError(_("%(name)s is already on this course's staff: change their role below.", name=user.name),
                         field="email")
    if existing is not None:
        raise already
    member = StaffMember(course_id=course.id, user_id=user.id, role=role, added_at=utcnow())
    # A savepoint, so an owner adding the same person in another tab fails alone.
    try:
        with db.session.begin_nested():
            db.session.add(member)
    except IntegrityError:
        raise already from None
    return member


def change_role(actor, course: Course, user: User, role: str) -> StaffMember:
    """Give a member of the staff another role; owners and admins only, and never the course's last owner."""
    _require_staff_manager(actor, course)
    role = _role(role)
    member = _member(course, user)
    if member.role != role:
        if role != StaffRole.OWNER:
            _keep_an_owner(actor, course, member)
        member.role = role
        db.session.flush()
    return member


def remove_staff(actor, course: Course, user: User) -> None:
    """Take someone off the course's staff; owners and admins only, and never the course's last owner.

    The certificates they revoked stay revoked.
    """
    _require_staff_manager(actor, course)
    member = _member(course, user)
    _keep_an_owner(actor, course, member)
    db.session.delete(member)
    db.session.flush()


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
