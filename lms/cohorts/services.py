"""Cohort rules: who may create, see and change a cohort, its trainers, enrolment codes, joining and moving learners.

Only a cohort's own trainers (members of the course's staff whom the cohort names) and admins
see or change a cohort; every function here that returns or changes one decides that itself,
and reports a cohort its reader may not see as not found, never as existing. Course staff and
admins create cohorts. Services flush; views commit.
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import lazy_gettext as _  # lazy: translated when shown, in the reader's language
from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from lms.accounts.models import Role, User
from lms.accounts.services import PermissionDenied
from lms.catalog import services as catalog
from lms.catalog.models import Course, StaffMember
from lms.cohorts import times
from lms.cohorts.models import Cohort, CohortKind, CohortTrainer, EnrolmentCode, Membership
from lms.database import utcnow
from lms.extensions import db

MAX_NAME = 200
MAX_PLACE = 200
MAX_SEATS = 10_000
# Codes are read aloud in workshops and typed on phones: no 0/O or 1/I/L to confuse, ten
# characters (50 bits) shown as two groups of five.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 10
KIND_NAMES = {CohortKind.ONLINE: _("Online group"), CohortKind.WORKSHOP: _("Workshop"),
              CohortKind.STUDY_TOUR: _("Study tour")}


class CohortNotFound(LookupError):
    """No such cohort, or one the reader may not see; views answer 404."""


class CohortError(ValueError):
    """A change the rules refuse; ``field`` names the form field at fault."""

    def __init__(self, message, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        # The message may be a lazy string, translated when shown.
        return str(self.message)


class JoinError(CohortError):
    """A code that does not let this learner in, and why."""


# Who may do what.


def _is_admin(user) -> bool:
    return getattr(user, "is_authenticated", False) and getattr(user, "role", None) == Role.ADMIN


def may_create(actor, course: Course) -> bool:
    """Course staff and admins create cohorts of a course."""
    return catalog.manages(actor, course)


def trains(actor, cohort: Cohort) -> bool:
    """Whether the actor is one of the cohort's trainers and still on its course's staff."""
    if not catalog.is_trainer(actor, cohort.course):
        return False
    return db.session.get(CohortTrainer, (cohort.id, actor.id)) is not None


def may_run(actor, cohort: Cohort) -> bool:
    """A cohort's own trainers and admins see and change it; nobody else, not even the course's other staff."""
    return _is_admin(actor) or trains(actor, cohort)


def runs_cohorts(actor) -> bool:
    """Whether the cohorts pages have something for the actor: admins, and trainers on some course's staff."""
    return catalog.runs_any_course(actor)


def cohort_for(actor, cohort_id: int) -> Cohort:
    """The cohort, for its trainers and admins; CohortNotFound for anyone else, as for a cohort that does not exist."""
    cohort = db.session.execute(
        select(Cohort).where(Cohort.id == cohort_id)
        .options(joinedload(Cohort.course).joinedload(Course.published_version),
                 selectinload(Cohort.trainers).joinedload(CohortTrainer.user))
    ).scalar_one_or_none()
    if cohort is None or cohort.course.published_version is None or not may_run(actor, cohort):
        raise CohortNotFound(cohort_id)
    return cohort


def cohorts_run_by(actor) -> list[Cohort]:
    """The cohorts the actor runs, by course and start date: every cohort for admins, their own for
    trainers. Raises PermissionDenied for learners."""
    if not runs_cohorts(actor):
        raise PermissionDenied()
    query = (select(Cohort).join(Course, Course.id == Cohort.course_id)
             .where(Course.published_version_id.is_not(None))
             .options(joinedload(Cohort.course).joinedload(Course.published_version)))
    if not _is_admin(actor):
        query = (query.join(CohortTrainer, and_(CohortTrainer.cohort_id == Cohort.id, CohortTrainer.user_id == actor.id))
                 .join(StaffMember, and_(StaffMember.course_id == Cohort.course_id, StaffMember.user_id == actor.id)))
    return list(db.session.execute(query.order_by(Course.slug, Cohort.starts_on.desc(), Cohort.id)).scalars())


def member_counts(cohorts: list[Cohort]) -> dict[int, int]:
    ids = [cohort.id for cohort in cohorts]
    rows = db.session.execute(select(Membership.cohort_id, func.count()).where(Membership.cohort_id.in_(ids))
                              .group_by(Membership.cohort_id)) if ids else []
    counted = dict(rows.all()) if ids else {}
    return {cohort_id: counted.get(cohort_id, 0) for cohort_id in ids}


def staff_choices(course: Course) -> list[User]:
    """The trainers who may train the course's cohorts: its staff, by name."""
    return list(db.session.execute(
        select(User).join(StaffMember, StaffMember.user_id == User.id)
        .where(StaffMember.course_id == course.id, User.role == Role.TRAINER).order_by(User.name, User.id)
    ).scalars())


# Creating and changing cohorts.


@dataclass(frozen=True)
class CohortDetails:
    """What a trainer fills in for a cohort."""

    name: str
    kind: str
    starts_on: date | None
    ends_on: date | None
    place: str = ""
    trainer_ids: tuple[int, ...] = ()


def _checked(details: CohortDetails) -> CohortDetails:
    name = " ".join((details.name or "").split())
    if not name:
        raise CohortError(_("Give the cohort a name."), field="name")
    if len(name) > MAX_NAME:
        raise CohortError(_("Use at most %(count)d characters for the name.", count=MAX_NAME), field="name")
    if details.kind not in set(CohortKind):
        raise CohortError(_("Choose an online group, a workshop or a study tour."), field="kind")
    if details.starts_on is None:
        raise CohortError(_("Give the date the cohort starts."), field="starts_on")
    if details.ends_on is None:
        raise CohortError(_("Give the date the cohort ends."), field="ends_on")
    if details.ends_on < details.starts_on:
        raise CohortError(_("The cohort cannot end before it starts."), field="ends_on")
    place = " ".join((details.place or "").split())
    if details.kind == CohortKind.ONLINE:
        place = ""
    elif not place:
        raise CohortError(_("Say where the workshop or study tour takes place."), field="place")
    if len(place) > MAX_PLACE:
        raise CohortError(_("Use at most %(count)d characters for the place.", count=MAX_PLACE), field="place")
    return CohortDetails(name, details.kind, details.starts_on, details.ends_on, place, tuple(details.trainer_ids))


def _trainers_for(actor, course: Course, trainer_ids: tuple[int, ...]) -> list[User]:
    """The chosen trainers, each on the course's staff; a trainer who acts always stays one of them."""
    staff = {user.id: user for user in staff_choices(course)}
    chosen = set(trainer_ids)
    if chosen - staff.keys():
        raise CohortError(_("Only the course's staff can train its cohorts."), field="trainers")
    if not _is_admin(actor):
        chosen.add(actor.id)
    return [staff[user_id] for user_id in sorted(chosen)]


def create_cohort(actor, course: Course, details: CohortDetails) -> Cohort:
    if not may_create(actor, course):
        raise PermissionDenied()
    details = _checked(details)
    cohort = Cohort(course_id=course.id, name=details.name, kind=details.kind, starts_on=details.starts_on,
                    ends_on=details.ends_on, place=details.place or None, created_at=utcnow(),
                    created_by_id=getattr(actor, "id", None))
    cohort.course = course
    cohort.trainers = [CohortTrainer(user_id=user.id, added_at=utcnow())
                       for user in _trainers_for(actor, course, details.trainer_ids)]
    db.session.add(cohort)
    db.session.flush()
    return cohort


def update_cohort(actor, cohort: Cohort, details: CohortDetails) -> Cohort:
    if not may_run(actor, cohort):
        raise CohortNotFound(cohort.id)
    details = _checked(details)
    cohort.name, cohort.kind, cohort.place = details.name, details.kind, details.place or None
    cohort.starts_on, cohort.ends_on = details.starts_on, details.ends_on
    wanted = {user.id for user in _trainers_for(actor, cohort.course, details.trainer_ids)}
    cohort.trainers = ([trainer for trainer in cohort.trainers if trainer.user_id in wanted]
                       + [CohortTrainer(user_id=user_id, added_at=utcnow())
                          for user_id in sorted(wanted - {trainer.user_id for trainer in cohort.trainers})])
    db.session.flush()
    return cohort


# Enrolment codes.


def new_code_text() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(text: str) -> str:
    """A code as stored: what someone typed, without spaces or dashes, in capitals."""
    return "".join(ch for ch in (text or "").upper() if ch.isalnum())[:32]


def shown_code(code: str) -> str:
    return f"{code[:5]}-{code[5:]}" if len(code) == CODE_LENGTH else code


def create_code(actor, cohort: Cohort, *, valid_until: date | None, seat_limit: int | None) -> EnrolmentCode:
    """A new code for the cohort, valid to the end of ``valid_until`` in the actor's time zone, for at most
    ``seat_limit`` learners (no limit when None)."""
    if not may_run(actor, cohort):
        raise CohortNotFound(cohort.id)
    if seat_limit is not None and not 1 <= seat_limit <= MAX_SEATS:
        raise CohortError(_("Give between 1 and %(count)d seats, or leave it empty for no limit.", count=MAX_SEATS),
                          field="seat_limit")
    expires_at = times.end_of_day(valid_until, times.zone_of(actor)) if valid_until else None
    if expires_at is not None and expires_at <= times.as_stored(utcnow()):
        raise CohortError(_("Choose a date from today on."), field="valid_until")
    code = EnrolmentCode(cohort_id=cohort.id, code=new_code_text(), expires_at=expires_at, seat_limit=seat_limit,
                         seats_used=0, created_at=utcnow(), created_by_id=getattr(actor, "id", None))
    db.session.add(code)
    db.session.flush()
    return code


def codes_of(actor, cohort: Cohort) -> list[EnrolmentCode]:
    if not may_run(actor, cohort):
        raise CohortNotFound(cohort.id)
    return list(db.session.execute(select(EnrolmentCode).where(EnrolmentCode.cohort_id == cohort.id)
                                   .order_by(EnrolmentCode.created_at.desc(), EnrolmentCode.id.desc())).scalars())


def revoke_code(actor, cohort: Cohort, code_id: int) -> EnrolmentCode:
    code = db.session.get(EnrolmentCode, code_id)
    if code is None or code.cohort_id != cohort.id or not may_run(actor, cohort):
        raise CohortNotFound(cohort.id)
    if code.revoked_at is None:
        code.revoked_at = utcnow()
        db.session.flush()
    return code


def code_state(code: EnrolmentCode, now: datetime | None = None) -> str:
    """"revoked", "expired", "full" or "open"."""
    now = times.as_stored(now or utcnow())
    if code.revoked_at is not None:
        return "revoked"
    if code.expires_at is not None and times.as_stored(code.expires_at) <= now:
        return "expired"
    if code.seat_limit is not None and code.seats_used >= code.seat_limit:
        return "full"
    return "open"


def find_code(text: str) -> EnrolmentCode | None:
    """The code someone typed or followed, with its cohort and course, if it exists."""
    code = normalise_code(text)
    if not code:
        return None
    return db.session.execute(
        select(EnrolmentCode).where(EnrolmentCode.code == code)
        .options(joinedload(EnrolmentCode.cohort).joinedload(Cohort.course).joinedload(Course.published_version))
    ).scalar_one_or_none()


def _refusal(state: str) -> JoinError:
    return JoinError({
        "revoked": _("This code no longer works: ask your trainer for a new one."),
        "expired": _("This code has expired: ask your trainer for a new one."),
        "full": _("Every seat of this code is taken: ask your trainer for a new one."),
    }.get(state, _("This code does not work. Check it, or ask your trainer for a new one.")), field="code")


@dataclass(frozen=True)
class Joined:
    cohort: Cohort
    already: bool


def join_with_code(user: User, text: str) -> Joined:
    """Put a learner into the code's cohort (and enrol them in its course), taking one of its seats.

    The seat is taken by one conditional UPDATE, so two learners racing for the last seat cannot
    both get it; a learner already in the cohort takes no seat. Raises JoinError with the reason.
    """
    code = find_code(text)
    if code is None or code.cohort.course.published_version is None:
        raise _refusal("unknown")
    cohort = code.cohort
    if getattr(user, "role", None) != Role.LEARNER:
        raise JoinError(_("Codes are for learners: trainers are added to a cohort by its trainers."), field="code")
    current = membership_of(user, cohort.course)
    if current is not None:
        if current.cohort_id == cohort.id:
            return Joined(cohort, already=True)
        raise JoinError(_("You are already in the cohort %(name)s of this course. Ask your trainer to move you.",
                          name=current.cohort.name), field="code")
    state = code_state(code)
    if state != "open":
        raise _refusal(state)
    now = times.as_stored(utcnow())
    try:
        with db.session.begin_nested():
            taken = db.session.execute(
                update(EnrolmentCode)
                .where(EnrolmentCode.id == code.id, EnrolmentCode.revoked_at.is_(None),
                       or_(EnrolmentCode.expires_at.is_(None), EnrolmentCode.expires_at > now),
                       or_(EnrolmentCode.seat_limit.is_(None), EnrolmentCode.seats_used < EnrolmentCode.seat_limit))
                .values(seats_used=EnrolmentCode.seats_used + 1)
                .execution_options(synchronize_session=False)
            ).rowcount
            if taken != 1:
                raise _refusal("full")
            catalog.enroll(user, cohort.course)
            db.session.add(Membership(cohort_id=cohort.id, course_id=cohort.course_id, user_id=user.id,
                                      joined_by="code", joined_at=utcnow()))
    except IntegrityError:
        # The same learner joining in another tab got there first; this attempt took no seat.
        current = membership_of(user, cohort.course)
        if current is not None and current.cohort_id == cohort.id:
            return Joined(cohort, already=True)
        raise _refusal("unknown") from None
    db.session.refresh(code)
    return Joined(cohort, already=False)


# Learners in cohorts.


def membership_of(user, course: Course) -> Membership | None:
    """The learner's cohort in the course, if they are in one."""
    if not getattr(user, "is_authenticated", False):
        return None
    return db.session.execute(
        select(Membership).where(Membership.course_id == course.id, Membership.user_id == user.id)
        .options(joinedload(Membership.cohort))
    ).scalar_one_or_none()


def members_of(actor, cohort: Cohort) -> list[Membership]:
    if not may_run(actor, cohort):
        raise CohortNotFound(cohort.id)
    return list(db.session.execute(
        select(Membership).join(User, User.id == Membership.user_id).where(Membership.cohort_id == cohort.id)
        .options(joinedload(Membership.user)).order_by(User.name, User.id)
    ).scalars())


def add_member(cohort: Cohort, user: User, joined_by: str) -> Membership | None:
    """Enrol the learner and put them in the cohort, unless they are in a cohort of the course already
    (then None: the caller says why). For services that have checked who acts."""
    if membership_of(user, cohort.course) is not None:
        return None
    catalog.enroll(user, cohort.course)
    membership = Membership(cohort_id=cohort.id, course_id=cohort.course_id, user_id=user.id, joined_by=joined_by,
                            joined_at=utcnow())
    db.session.add(membership)
    db.session.flush()
    return membership


def other_cohorts(actor, cohort: Cohort) -> list[Cohort]:
    """The course's other cohorts the actor runs: where they may move this cohort's learners."""
    return [other for other in cohorts_run_by(actor) if other.course_id == cohort.course_id and other.id != cohort.id]


def _membership(cohort: Cohort, user_id: int) -> Membership:
    membership = db.session.execute(
        select(Membership).where(Membership.cohort_id == cohort.id, Membership.user_id == user_id)
        .options(joinedload(Membership.user))
    ).scalar_one_or_none()
    if membership is None:
        raise CohortError(_("This learner is not in the cohort."), field="learner")
    return membership


def move_member(actor, cohort: Cohort, user_id: int, target_id: int) -> Membership:
    """Move a learner to another cohort of the same course, which the actor also runs.

    Only the membership changes: scores, completions, attempts and plans are the learner's in the
    course, whichever cohort they are in.
    """
    if not may_run(actor, cohort):
        raise CohortNotFound(cohort.id)
    membership = _membership(cohort, user_id)
    target = db.session.get(Cohort, target_id)
    if target is None or target.course_id != cohort.course_id or target.id == cohort.id or not may_run(actor, target):
        raise CohortError(_("Choose another cohort of this course that you train."), field="target")
    membership.cohort_id = target.id
    membership.joined_by = "moved"
    membership.joined_at = utcnow()
    db.session.flush()
    db.session.expire(membership, ["cohort"])
    return membership


def remove_member(actor, cohort: Cohort, user_id: int) -> User:
    """Take a learner out of the cohort; they stay enrolled in the course with everything they did."""
    if not may_run(actor, cohort):
        raise CohortNotFound(cohort.id)
    membership = _membership(cohort, user_id)
    learner = membership.user
    db.session.delete(membership)
    db.session.flush()
    return learner
