"""What the catalogue tells a visitor about a course before enrolling: its cover, its effort,
its modules (chapters) and lessons (units), and the certificates it awards.

Plain data from a published version and its block tree; the views pass the tree in.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from lms.catalog import covers
from lms.catalog.models import CourseVersion

# Open edX's course "effort" is free text; Studio suggests "HH:MM" (hours and minutes).
CLOCK = re.compile(r"^\s*(\d{1,3}):([0-5]\d)\s*$")


@dataclass(frozen=True)
class Module:
    title: str
    lessons: int


@dataclass(frozen=True)
class Effort:
    """Hours (from "HH:MM" or certificate_hours), or the author's own words when effort is free text."""

    hours: float | None = None
    text: str = ""


@dataclass(frozen=True)
class CourseOverview:
    modules: tuple[Module, ...]
    effort: Effort | None
    # Path of the cover under the package's static/, or None when the course declares none.
    cover: str | None
    pass_mark: float | None

    @property
    def lessons(self) -> int:
        return sum(module.lessons for module in self.modules)


def overview_of(version: CourseVersion, tree) -> CourseOverview:
    """``tree`` is the version's courseware CourseTree."""
    root = tree.nodes[tree.root]
    return CourseOverview(
        modules=tuple(Module(chapter.title, _lessons_in(tree, chapter.usage_id)) for chapter in tree.chapters()),
        effort=effort_of(version.policy),
        cover=covers.image_path(root.fields.get("course_image", "")),
        pass_mark=_pass_mark(version.policy),
    )


def effort_of(policy: dict) -> Effort | None:
    """The course's effort as Open edX gives it, else the hours its certificates state, else nothing."""
    effort = policy.get("effort")
    if isinstance(effort, str) and effort.strip():
        if clock := CLOCK.match(effort):
            return Effort(hours=int(clock[1]) + int(clock[2]) / 60)
        return Effort(text=effort.strip())
    hours = policy.get("certificate_hours")
    if isinstance(hours, int | float) and not isinstance(hours, bool) and hours > 0:
        return Effort(hours=float(hours))
    return None


def _lessons_in(tree, usage_id: str) -> int:
    node = tree.nodes[usage_id]
    if node.block_type == "vertical":
        return 1
    return sum(_lessons_in(tree, child) for child in node.children)


def _pass_mark(policy: dict) -> float | None:
    cutoffs = policy.get("grading_policy", {}).get("GRADE_CUTOFFS", {})
    marks = [value for value in cutoffs.values() if isinstance(value, int | float)]
    return min(marks) if marks else None
