"""Progress services: a learner's lessons in one course, and their progress across their enrolments.

Every page that shows how far a learner is (the outline, the unit page's course menu, the
progress page, My learning, the catalogue) asks here, so they all count the same lessons.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import select

from lms.accounts.models import User
from lms.catalog import services as catalog
from lms.catalog.models import Course, Enrollment
from lms.courseware import services as courseware
from lms.courseware.models import Attempt
from lms.extensions import db
from lms.progress import rules
from lms.progress.rules import POST_TEST, PRE_TEST, Fraction, KnowledgeGain, LessonState, lesson_state, lessons_done


@dataclass(frozen=True)
class ChapterProgress:
    title: str
    fraction: Fraction
    usage_id: str = ""


@dataclass(frozen=True)
class CourseProgress:
    course: Course
    enrollment: Enrollment
    overall: Fraction
    chapters: list[ChapterProgress]


@dataclass(frozen=True)
class Lessons:
    """Each lesson's state for one learner in one version's tree, for the pages that list lessons."""

    tree: courseware.CourseTree
    states: Mapping[str, LessonState]

    def of(self, unit_id: str) -> LessonState:
        return self.states[unit_id]

    def done_in(self, usage_id: str) -> Fraction:
        """Lessons done inside a chapter or sequential, over its lessons."""
        units = self.tree.units_under(usage_id)
        return Fraction(sum(1 for unit in units if self.states[unit].done), len(units))

    @property
    def overall(self) -> Fraction:
        return Fraction(sum(1 for state in self.states.values() if state.done), len(self.states))


def lessons_of(tree: courseware.CourseTree, user_id: int, course_id: int) -> Lessons:
    """The learner's state in every lesson of ``tree``: two reads, completions and scores."""
    completions = courseware.completions(user_id, course_id)
    scores = courseware.scores(user_id, course_id)
    return Lessons(tree, {unit: lesson_state(tree.leaves_under(unit), completions, scores) for unit in tree.units})


def progress_of(enrollment: Enrollment, completions: Mapping[str, float]) -> CourseProgress:
    """An enrolment's progress in lessons done, from completions already read, so a page that also
    needs them (the certificate standing, say) reads them once."""
    course = enrollment.course
    tree = courseware.load_tree(course.published_version)

    def done(units) -> Fraction:
        return lessons_done((tree.leaves_under(unit) for unit in units), completions)

    return CourseProgress(
        course=course,
        enrollment=enrollment,
        overall=done(tree.units),
        chapters=[ChapterProgress(chapter.title, done(tree.units_under(chapter.usage_id)), chapter.usage_id)
                  for chapter in tree.chapters()],
    )


def my_learning(user: User) -> list[CourseProgress]:
    return [
        progress_of(enrollment, courseware.completions(user.id, enrollment.course_id))
        for enrollment in catalog.user_enrollments(user)
        if enrollment.course.published_version is not None
    ]


def knowledge_gains(tree: courseware.CourseTree, user_id: int, course_id: int) -> list[KnowledgeGain]:
    """The learner's pre-test and post-test scores in the course, side by side, and their gain.

    Pre- and post-tests are the quizzes whose ``mode`` says so, paired by their question set;
    scores come from the attempts table, which keeps every submission.
    """
    tests = [(leaf, str(tree.nodes[leaf].fields.get("mode", "")), str(tree.nodes[leaf].fields.get("question_set", "")),
              tree.nodes[leaf].title)
             for leaf in tree.leaves if tree.nodes[leaf].fields.get("mode") in (PRE_TEST, POST_TEST)]
    if not tests:
        return []
    rows = db.session.execute(
        select(Attempt.usage_id, Attempt.earned, Attempt.possible)
        .where(Attempt.user_id == user_id, Attempt.course_id == course_id,
               Attempt.usage_id.in_([usage_id for usage_id, *_rest in tests]))
        .order_by(Attempt.submitted_at, Attempt.id)
    )
    return rules.knowledge_gains(tests, rows.all())
