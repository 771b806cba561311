"""Progress services: a learner's progress in one course and across their enrolments."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from lms.accounts.models import User
from lms.catalog import services as catalog
from lms.catalog.models import Course, Enrollment
from lms.courseware import services as courseware
from lms.progress.rules import Fraction, completed_fraction


@dataclass(frozen=True)
class ChapterProgress:
    title: str
    fraction: Fraction


@dataclass(frozen=True)
class CourseProgress:
    course: Course
    enrollment: Enrollment
    overall: Fraction
    chapters: list[ChapterProgress]


def progress_of(enrollment: Enrollment, completions: Mapping[str, float]) -> CourseProgress:
    """An enrolment's progress from completions already read, so a page that also needs them
    (the certificate standing, say) reads them once."""
    course = enrollment.course
    tree = courseware.load_tree(course.published_version)
    return CourseProgress(
        course=course,
        enrollment=enrollment,
        overall=completed_fraction(tree.leaves, completions),
        chapters=[
            ChapterProgress(chapter.title, completed_fraction(tree.leaves_under(chapter.usage_id), completions))
            for chapter in tree.chapters()
        ],
    )


def my_learning(user: User) -> list[CourseProgress]:
    return [
        progress_of(enrollment, courseware.completions(user.id, enrollment.course_id))
        for enrollment in catalog.user_enrollments(user)
        if enrollment.course.published_version is not None
    ]
