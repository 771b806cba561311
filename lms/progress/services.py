"""Progress services: a learner's progress in one course and across their enrolments."""
from __future__ import annotations

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


def course_progress(user: User, course: Course) -> CourseProgress:
    enrollment = catalog.require_enrollment(user, course)
    tree = courseware.load_tree(course.published_version)
    done = courseware.completions(user.id, course.id)
    return CourseProgress(
        course=course,
        enrollment=enrollment,
        overall=completed_fraction(tree.leaves, done),
        chapters=[
            ChapterProgress(chapter.title, completed_fraction(tree.leaves_under(chapter.usage_id), done))
            for chapter in tree.chapters()
        ],
    )


def my_learning(user: User) -> list[CourseProgress]:
    return [
        course_progress(user, enrollment.course)
        for enrollment in catalog.user_enrollments(user)
        if enrollment.course.published_version is not None
    ]
