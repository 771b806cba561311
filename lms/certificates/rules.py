"""Completion rules of a course version, and a learner's standing under them, as pure functions.

The rules are "stored with the version" by being derived from it: a published version's
policy and blocks never change, so building the rules from them gives the same rules every
time, and a certificate records the version it was earned under. No column is added: a copy
of the rules on the version could only disagree with the policy it was copied from.

Grading follows Open edX: graded sequentials (``graded=True``) have a ``format`` naming an
assignment type of the policy's ``GRADER``; a type's score is the average of its
sequentials' scores (missing ones count 0, at least ``min_count`` of them) after dropping the
lowest ``drop_count``, times the type's ``weight``. The pass mark is the lowest of
``GRADE_CUTOFFS`` (Open edX's default, 0.5, when there is none).
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

# Percentages round down as progress rounds them, so credentials and pages state the same ones.
from lms.progress.rules import lessons_done, whole_percent

IN_PROGRESS = "in_progress"
COMPLETED = "completed"
PASSED = "passed"

# Open edX's default GRADE_CUTOFFS when a course gives none.
DEFAULT_PASS_MARK = 0.5


@dataclass(frozen=True)
class ScoredBlock:
    usage_id: str
    # The block's own ``weight`` setting: its share of its sequential's score.
    weight: float = 1.0


@dataclass(frozen=True)
class GradedSequential:
    usage_id: str
    title: str
    format: str
    blocks: tuple[ScoredBlock, ...]


@dataclass(frozen=True)
class AssignmentType:
    type: str
    weight: float
    min_count: int = 0
    drop_count: int = 0


@dataclass(frozen=True)
class Chapter:
    """A chapter's lessons (units), each given as its leaf blocks."""

    title: str
    lessons: tuple[tuple[str, ...], ...]

    @property
    def leaves(self) -> tuple[str, ...]:
        return tuple(leaf for lesson in self.lessons for leaf in lesson)


@dataclass(frozen=True)
class CompletionRules:
    """What a learner must do in one course version: finish every lesson (participation),
    and also reach the pass mark and pass the post-test (achievement)."""

    chapters: tuple[Chapter, ...]
    assignment_types: tuple[AssignmentType, ...]
    graded: tuple[GradedSequential, ...]
    pass_mark: float
    post_tests: tuple[str, ...] = ()

    @property
    def leaves(self) -> tuple[str, ...]:
        return tuple(leaf for chapter in self.chapters for leaf in chapter.leaves)

    @property
    def requires_score(self) -> bool:
        """A course without graders has no score to reach: passing then needs no mark."""
        return bool(self.assignment_types)


@dataclass(frozen=True)
class Score:
    earned: float
    possible: float

    @property
    def fraction(self) -> float:
        return self.earned / self.possible if self.possible > 0 else 0.0


@dataclass(frozen=True)
class SequentialScore:
    sequential: GradedSequential
    fraction: float
    attempted: bool

    @property
    def percent(self) -> int:
        return whole_percent(self.fraction)


@dataclass(frozen=True)
class Missing:
    """One thing still needed for the certificate: ``what`` is lessons, score or post_test."""

    what: str
    chapter: str = ""
    count: int = 0


@dataclass(frozen=True)
class Standing:
    state: str
    course_score: float
    pass_mark: float
    requires_score: bool
    quizzes: tuple[SequentialScore, ...]
    missing: tuple[Missing, ...] = field(default=())

    @property
    def completed(self) -> bool:
        return self.state in (COMPLETED, PASSED)

    @property
    def score_percent(self) -> int:
        return whole_percent(self.course_score)

    @property
    def pass_percent(self) -> int:
        return whole_percent(self.pass_mark)


def rules_from(policy: Mapping, chapters: Iterable[tuple[str, Iterable[Iterable[str]]]],
               graded: Iterable[GradedSequential], post_tests: Iterable[str] = ()) -> CompletionRules:
    """The rules of a version from its policy (``policy["grading_policy"]``) and its blocks;
    ``chapters`` gives each chapter's title and its lessons, each lesson as its leaf blocks."""
    grading = policy.get("grading_policy") or {}
    types = tuple(
        AssignmentType(
            type=str(entry.get("type", "")),
            weight=float(entry.get("weight", 0.0)),
            min_count=int(entry.get("min_count", 0)),
            drop_count=int(entry.get("drop_count", 0)),
        )
        for entry in grading.get("GRADER") or ()
    )
    cutoffs = [float(value) for value in (grading.get("GRADE_CUTOFFS") or {}).values()]
    return CompletionRules(
        chapters=tuple(Chapter(title, tuple(tuple(lesson) for lesson in lessons)) for title, lessons in chapters),
        assignment_types=types,
        graded=tuple(graded),
        pass_mark=min(cutoffs) if cutoffs else DEFAULT_PASS_MARK,
        post_tests=tuple(post_tests),
    )


def sequential_score(sequential: GradedSequential, scores: Mapping[str, Score]) -> SequentialScore:
    """The weighted mean of the blocks' fractions; a block never scored counts 0."""
    total = sum(block.weight for block in sequential.blocks)
    earned = sum(block.weight * scores[block.usage_id].fraction
                 for block in sequential.blocks if block.usage_id in scores)
    return SequentialScore(sequential, earned / total if total > 0 else 0.0,
                           any(block.usage_id in scores for block in sequential.blocks))


def type_average(fractions: Iterable[float], min_count: int, drop_count: int) -> float:
    """Average after padding to ``min_count`` with zeros and dropping the lowest ``drop_count``."""
    values = sorted(fractions)
    values = [0.0] * max(0, min_count - len(values)) + values
    kept = values[drop_count:]
    return sum(kept) / len(kept) if kept else 0.0


def course_score(rules: CompletionRules, scores: Mapping[str, Score]) -> float:
    """The weighted course score, 0 to 1 when the graders' weights add up to 1."""
    total = 0.0
    for kind in rules.assignment_types:
        fractions = [sequential_score(s, scores).fraction for s in rules.graded if s.format == kind.type]
        total += kind.weight * type_average(fractions, kind.min_count, kind.drop_count)
    return total


def standing(rules: CompletionRules, completions: Mapping[str, float], scores: Mapping[str, Score],
             post_tests_passed: Mapping[str, bool]) -> Standing:
    """Where a learner stands: their state, their scores, and what is still missing.

    ``post_tests_passed`` holds whether the latest attempt at each post-test passed; a post-test
    never attempted is not passed.
    """
    missing: list[Missing] = []
    for chapter in rules.chapters:
        # Lessons counted as the progress page and the unit pages count them, so they never disagree.
        done = lessons_done(chapter.lessons, completions)
        if left := done.total - done.done:
            missing.append(Missing("lessons", chapter.title, left))
    completed = bool(rules.leaves) and not missing
    score = course_score(rules, scores)
    # Compared in whole hundredths of a percent, so 0.7 reached through float sums is 0.7.
    reached = not rules.requires_score or round(score, 4) >= round(rules.pass_mark, 4)
    if not reached:
        missing.append(Missing("score"))
    post_tested = all(post_tests_passed.get(usage_id, False) for usage_id in rules.post_tests)
    if not post_tested:
        missing.append(Missing("post_test"))
    state = PASSED if completed and reached and post_tested else COMPLETED if completed else IN_PROGRESS
    return Standing(
        state=state,
        course_score=score,
        pass_mark=rules.pass_mark,
        requires_score=rules.requires_score,
        quizzes=tuple(sequential_score(s, scores) for s in rules.graded),
        missing=tuple(missing),
    )
