"""Plan services: who may read a plan, a course's plans for its trainers, a learner's own, reviews, the block's service.

Plans are learner data: only the learner who wrote one and the course's trainers and
admins (catalog.manages) ever read it, and every function here that returns one decides
that itself. A plan that a reader may not see is reported as not found, never as existing.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from flask_babel import lazy_gettext as _
from sqlalchemy import select
from xblock.reference.plugins import Service

from lms.accounts.models import User
from lms.accounts.services import PermissionDenied
from lms.catalog import services as catalog
from lms.catalog.models import Course
from lms.courseware import services as courseware
from lms.courseware.models import Plan
from lms.database import utcnow
from lms.extensions import db
from lms.plans.models import PlanReview

MAX_FEEDBACK = 5000


class PlanNotFound(LookupError):
    pass


class ReviewError(ValueError):
    """A review the rules refuse, with a message for the trainer."""


@dataclass(frozen=True)
class PlanVersion:
    """One submitted version and its review, if any."""

    plan: Plan
    review: PlanReview | None

    @property
    def reviewed(self) -> bool:
        return self.review is not None and self.review.reviewed

    @property
    def answers(self) -> list[tuple[str, str]]:
        """(prompt text, answer) in the prompts' order, as the learner saw them."""
        return [(prompt["text"], self.plan.answers.get(prompt["name"], "")) for prompt in self.plan.prompts]


@dataclass(frozen=True)
class LearnerPlan:
    """One learner's plan in one block: every version, oldest first, and where the block is."""

    course: Course
    learner: User
    usage_id: str
    title: str
    unit_id: str | None
    unit_title: str
    versions: list[PlanVersion]

    @property
    def latest(self) -> PlanVersion:
        return self.versions[-1]

    def version(self, plan_id: int) -> PlanVersion:
        return next(version for version in self.versions if version.plan.id == plan_id)


def course_plans(actor, course: Course) -> list[LearnerPlan]:
    """Every learner's plan in the course, for its trainers and admins: those awaiting review
    first, then the most recently submitted."""
    if not catalog.manages(actor, course):
        raise PermissionDenied()
    found = _plans(course, Plan.course_id == course.id)
    return sorted(found, key=lambda plan: (plan.latest.reviewed, -plan.latest.plan.submitted_at.timestamp()))


def learner_plans(learner, course: Course) -> list[LearnerPlan]:
    """The learner's own plans in the course, in the course's order."""
    if not getattr(learner, "is_authenticated", False):
        return []
    found = _plans(course, Plan.course_id == course.id, Plan.user_id == learner.id)
    order = {usage_id: index for index, usage_id in enumerate(courseware.load_tree(course.published_version).leaves)}
    return sorted(found, key=lambda plan: order.get(plan.usage_id, len(order)))


def plan_for_reviewer(actor, course: Course, plan_id: int) -> LearnerPlan:
    """The plan that holds version ``plan_id``, for the course's trainers and admins only."""
    if not catalog.manages(actor, course):
        raise PermissionDenied()
    return _plan_holding(course, plan_id)


def plan_for_reader(actor, course: Course, plan_id: int) -> LearnerPlan:
    """The plan that holds version ``plan_id``, for its learner and the course's trainers and admins.

    Raises PlanNotFound for anyone else, as for a plan that does not exist."""
    plan = _plan_holding(course, plan_id)
    if getattr(actor, "is_authenticated", False) and (plan.learner.id == actor.id or catalog.manages(actor, course)):
        return plan
    raise PlanNotFound(plan_id)


def review(actor, plan: LearnerPlan, plan_id: int, feedback: str, *, mark_reviewed: bool) -> PlanReview:
    """Save a trainer's feedback on version ``plan_id``, and mark it reviewed if asked.

    Once reviewed, the feedback may still be corrected; the version stays reviewed.
    """
    if not catalog.manages(actor, plan.course):
        raise PermissionDenied()
    version = plan.version(plan_id)
    feedback = (feedback or "").replace("\r\n", "\n").strip()
    if len(feedback) > MAX_FEEDBACK:
        raise ReviewError(_("Use at most %(count)d characters for the feedback.", count=MAX_FEEDBACK))
    if mark_reviewed and not feedback and not version.reviewed:
        raise ReviewError(_("Write your feedback before you send it."))
    row = version.review or PlanReview(plan_id=version.plan.id, reviewer_id=actor.id)
    row.feedback = feedback
    row.reviewer_id = actor.id
    if mark_reviewed and not row.reviewed:
        row.reviewed = True
        row.reviewed_at = utcnow()
    db.session.add(row)
    db.session.flush()
    return row


class PlanReviews(Service):
    """The ``plans`` service Kuza's runtime offers plan blocks: reviews of one learner's versions.

    Made for one learner in one course (create_app offers it through courseware), so a block
    can only ever ask about the learner it is rendered for.
    """

    def __init__(self, learner_id: int, course: Course, download_url: Callable[[int, str], str]):
        super().__init__()
        self._learner_id = learner_id
        self._course = course
        self._download_url = download_url

    def versions(self, block) -> dict[int, dict]:
        """By version number: whether it is reviewed, the feedback once it is, and its downloads."""
        rows = db.session.execute(
            select(Plan, PlanReview)
            .outerjoin(PlanReview, PlanReview.plan_id == Plan.id)
            .where(Plan.user_id == self._learner_id, Plan.course_id == self._course.id,
                   Plan.usage_id == str(block.scope_ids.usage_id))
        ).all()
        found = {}
        for plan, row in rows:
            version = {"reviewed": False, "markdown_url": self._download_url(plan.id, "md"),
                       "pdf_url": self._download_url(plan.id, "pdf")}
            if row is not None and row.reviewed:
                version.update(reviewed=True, feedback=row.feedback, reviewer=row.reviewer.name,
                               reviewed_at=_utc(row.reviewed_at).isoformat(timespec="seconds"))
            found[plan.version] = version
        return found


def _plan_holding(course: Course, plan_id: int) -> LearnerPlan:
    plan = db.session.get(Plan, plan_id)
    if plan is None or plan.course_id != course.id:
        raise PlanNotFound(plan_id)
    (found,) = _plans(course, Plan.course_id == course.id, Plan.user_id == plan.user_id,
                      Plan.usage_id == plan.usage_id)
    return found


def _plans(course: Course, *where) -> list[LearnerPlan]:
    rows = db.session.execute(
        select(Plan, PlanReview, User)
        .join(User, User.id == Plan.user_id)
        .outerjoin(PlanReview, PlanReview.plan_id == Plan.id)
        .where(*where)
        .order_by(Plan.user_id, Plan.usage_id, Plan.version)
    ).all()
    tree = courseware.load_tree(course.published_version)
    grouped: dict[tuple[int, str], LearnerPlan] = {}
    for plan, row, user in rows:
        key = (plan.user_id, plan.usage_id)
        if key not in grouped:
            node = tree.nodes.get(plan.usage_id)
            unit_id = courseware.unit_of(tree, plan.usage_id) if node is not None else None
            grouped[key] = LearnerPlan(
                course=course, learner=user, usage_id=plan.usage_id,
                title=(node.title if node is not None else "") or plan.usage_id,
                unit_id=unit_id, unit_title=tree.nodes[unit_id].title if unit_id else "", versions=[],
            )
        grouped[key].versions.append(PlanVersion(plan, row))
    return list(grouped.values())


def _utc(moment: datetime) -> datetime:
    # SQLite gives back naive datetimes; every stored one is UTC.
    return moment.replace(tzinfo=moment.tzinfo or UTC)
