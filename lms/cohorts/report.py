"""A cohort's learners as its trainers follow them: progress, pre-test and post-test, latest quiz, last activity,
certificate; sorted as asked, and as a CSV that a spreadsheet opens safely.

Reads what the runtime and certificates recorded, for every learner of the cohort at once (a
handful of queries, whatever the cohort's size), and counts progress through the progress
domain, so the trainer sees the numbers the learner sees.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext
from sqlalchemy import select

from lms.accounts.models import User
from lms.catalog.models import Enrollment
from lms.certificates.models import COMPLETION, PARTICIPATION, Certificate
from lms.cohorts import services as cohorts
from lms.cohorts import times
from lms.cohorts.models import Cohort
from lms.courseware import services as courseware
from lms.courseware.models import Attempt, Completion
from lms.extensions import db
from lms.progress import services as progress
from lms.progress.rules import Fraction

PRE_TEST = "pre_test"
POST_TEST = "post_test"
# Cells a spreadsheet would run as a formula (OWASP's list): a quote in front makes them text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
SORTS = ("name", "progress", "pre", "post", "quiz", "activity", "certificate")
CERTIFICATE_ORDER = {None: 0, "revoked": 1, PARTICIPATION: 2, COMPLETION: 3}


@dataclass(frozen=True)
class QuizResult:
    title: str
    earned: float
    possible: float
    submitted_at: datetime

    @property
    def percent(self) -> int:
        return int(100 * self.earned // self.possible) if self.possible else 0


@dataclass(frozen=True)
class LearnerRow:
    learner: User
    joined_by: str
    joined_at: datetime
    progress: Fraction
    pre_test: QuizResult | None
    post_test: QuizResult | None
    latest_quiz: QuizResult | None
    last_activity: datetime | None
    # "completion", "participation", "revoked" (held one, now revoked) or None.
    certificate: str | None


def learners(actor, cohort: Cohort) -> list[LearnerRow]:
    """Every learner of the cohort with their standing, by name; for its trainers and admins."""
    members = cohorts.members_of(actor, cohort)
    if not members:
        return []
    course = cohort.course
    ids = [member.user_id for member in members]
    tree = courseware.load_tree(course.published_version)
    enrollments = {row.user_id: row for row in db.session.execute(
        select(Enrollment).where(Enrollment.course_id == course.id, Enrollment.user_id.in_(ids))).scalars()}
    completions: dict[int, dict[str, float]] = {user_id: {} for user_id in ids}
    completed_at: dict[int, datetime] = {}
    for user_id, usage_id, value, modified in db.session.execute(
            select(Completion.user_id, Completion.usage_id, Completion.completion, Completion.modified_at)
            .where(Completion.course_id == course.id, Completion.user_id.in_(ids))):
        completions[user_id][usage_id] = value
        completed_at[user_id] = max(completed_at.get(user_id, modified), modified)
    quizzes = _quiz_results(course.id, ids, tree)
    certificates = _certificates(course.id, ids)
    rows = []
    for member in members:
        enrollment = enrollments.get(member.user_id)
        fraction = (progress.progress_of(enrollment, completions[member.user_id]).overall if enrollment is not None
                    else Fraction(0, len(tree.leaves)))
        found = quizzes.get(member.user_id, {})
        moments = [moment for moment in (enrollment.last_visited_at if enrollment else None,
                                         completed_at.get(member.user_id),
                                         found["latest"].submitted_at if "latest" in found else None) if moment]
        rows.append(LearnerRow(
            learner=member.user, joined_by=member.joined_by, joined_at=member.joined_at, progress=fraction,
            pre_test=found.get(PRE_TEST), post_test=found.get(POST_TEST), latest_quiz=found.get("latest"),
            last_activity=max((times.as_stored(moment) for moment in moments), default=None),
            certificate=certificates.get(member.user_id),
        ))
    return rows


def _quiz_results(course_id: int, ids: list[int], tree: courseware.CourseTree) -> dict[int, dict[str, QuizResult]]:
    """Per learner: the latest pre-test and post-test attempt, and their latest attempt of any quiz."""
    found: dict[int, dict[str, QuizResult]] = {}
    rows = db.session.execute(
        select(Attempt.user_id, Attempt.usage_id, Attempt.mode, Attempt.earned, Attempt.possible, Attempt.submitted_at)
        .where(Attempt.course_id == course_id, Attempt.user_id.in_(ids))
        .order_by(Attempt.submitted_at, Attempt.id))
    # Oldest first, so the latest of each kind is the one left.
    for user_id, usage_id, mode, earned, possible, submitted_at in rows:
        node = tree.nodes.get(usage_id)
        result = QuizResult((node.title if node else "") or usage_id, earned, possible, times.as_stored(submitted_at))
        found.setdefault(user_id, {})["latest"] = result
        if mode in (PRE_TEST, POST_TEST):
            found[user_id][mode] = result
    return found


def _certificates(course_id: int, ids: list[int]) -> dict[int, str]:
    """Per learner, the best certificate they hold: completion over participation; "revoked" when all theirs are."""
    best: dict[int, str] = {}
    for user_id, kind, revoked_at in db.session.execute(
            select(Certificate.user_id, Certificate.kind, Certificate.revoked_at)
            .where(Certificate.course_id == course_id, Certificate.user_id.in_(ids))):
        state = "revoked" if revoked_at is not None else kind
        if CERTIFICATE_ORDER[state] > CERTIFICATE_ORDER[best.get(user_id)]:
            best[user_id] = state
    return best


def parse_sort(value: str | None) -> tuple[str, bool]:
    """The column and direction a ``sort`` parameter asks for ("progress", "-activity"); by name otherwise."""
    value = (value or "").strip()
    descending = value.startswith("-")
    column = value.lstrip("-")
    return (column, descending) if column in SORTS else ("name", False)


def sorted_rows(rows: list[LearnerRow], column: str, descending: bool) -> list[LearnerRow]:
    """Rows by a column; learners with nothing in it come last either way, then by name."""
    def value(row: LearnerRow):
        return {
            "name": row.learner.name.casefold(),
            "progress": (row.progress.percent, row.progress.done),
            "pre": row.pre_test.percent if row.pre_test else None,
            "post": row.post_test.percent if row.post_test else None,
            "quiz": row.latest_quiz.percent if row.latest_quiz else None,
            "activity": row.last_activity,
            "certificate": CERTIFICATE_ORDER[row.certificate] or None,
        }[column]

    by_name = sorted(rows, key=lambda row: (row.learner.name.casefold(), row.learner.id))
    present = [row for row in by_name if value(row) is not None]
    missing = [row for row in by_name if value(row) is None]
    return sorted(present, key=value, reverse=descending) + missing


def spreadsheet_safe(cell) -> str:
    """A cell as text a spreadsheet shows and never runs: one that would start a formula gets a quote in front."""
    text = "" if cell is None else str(cell)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_bytes(rows: list[LearnerRow], certificate_names: dict[str | None, str]) -> bytes:
    """The learners as CSV, headed in the reader's language; UTF-8 with a byte-order mark, which
    spreadsheets need to read Arabic or accented names right."""
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    # A literal percent sign is %% in every catalogue, and gettext without values leaves it doubled: "% {}" halves it.
    writer.writerow([gettext("Name"), gettext("Email"), gettext("Country"), gettext("Organisation"),
                     gettext("Language"), gettext("Joined"), gettext("Lessons done"), gettext("Lessons in the course"),
                     gettext("Progress (%%)") % {}, gettext("Pre-test (%%)") % {},
                     gettext("Post-test (%%)") % {}, gettext("Latest quiz"),
                     gettext("Latest quiz (%%)") % {}, gettext("Last activity (UTC)"),
                     gettext("Certificate")])
    for row in rows:
        learner = row.learner
        writer.writerow([spreadsheet_safe(cell) for cell in (
            learner.name, learner.email, learner.country or "", learner.organisation or "", learner.locale or "",
            times.as_stored(row.joined_at).date().isoformat(), row.progress.done, row.progress.total,
            row.progress.percent,
            row.pre_test.percent if row.pre_test else "", row.post_test.percent if row.post_test else "",
            row.latest_quiz.title if row.latest_quiz else "", row.latest_quiz.percent if row.latest_quiz else "",
            row.last_activity.strftime("%Y-%m-%d %H:%M") if row.last_activity else "",
            certificate_names.get(row.certificate, ""),
        )])
    return out.getvalue().encode("utf-8-sig")


def counts(rows: list[LearnerRow]) -> dict[str, int]:
    """The cohort's summary: learners, how many finished every lesson, how many hold a certificate."""
    return {"learners": len(rows), "finished": sum(1 for row in rows if row.progress.complete),
            "certified": sum(1 for row in rows if row.certificate in (COMPLETION, PARTICIPATION))}

