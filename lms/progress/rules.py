"""Progress as pure functions of a course's lessons and a learner's completions and scores.

A lesson is a unit (an OLX vertical): the page a learner opens. It is done once every leaf
block in it is complete (completion 1), so the outline, the unit page's "Lesson N of M", the
progress page and the certificate rules all count the same lessons the same way.
"""
from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

NOT_STARTED = "not_started"
IN_PROGRESS = "in_progress"
DONE = "done"


def whole_percent(fraction: float) -> int:
    """Rounded down, so 100 % is everything or full marks; float noise (0.7 × 100) is ignored."""
    return math.floor(round(fraction * 100, 6))


@dataclass(frozen=True)
class Fraction:
    done: int
    total: int

    @property
    def percent(self) -> int:
        """Whole percent, rounded down so that 100 % means every lesson is done."""
        return 100 * self.done // self.total if self.total else 0

    @property
    def complete(self) -> bool:
        return self.total > 0 and self.done == self.total


@dataclass(frozen=True)
class LessonState:
    """Where a learner is in one lesson, and their score in it when it holds scored blocks they
    have answered (earned over possible, across those blocks)."""

    state: str
    score: float | None = None

    @property
    def done(self) -> bool:
        return self.state == DONE

    @property
    def scored(self) -> bool:
        return self.score is not None

    @property
    def score_percent(self) -> int | None:
        return None if self.score is None else whole_percent(self.score)


def complete(leaf: str, completions: Mapping[str, float]) -> bool:
    return completions.get(leaf, 0.0) >= 1.0


def lesson_done(leaves: Iterable[str], completions: Mapping[str, float]) -> bool:
    """Every leaf complete; a lesson with no leaf has nothing left to do."""
    return all(complete(leaf, completions) for leaf in leaves)


def lesson_state(leaves: Iterable[str], completions: Mapping[str, float],
                 scores: Mapping[str, tuple[float, float]]) -> LessonState:
    """``scores`` maps a scored leaf to (earned, possible); a leaf never scored is absent."""
    leaves = list(leaves)
    answered = [scores[leaf] for leaf in leaves if leaf in scores]
    possible = sum(p for _e, p in answered)
    score = sum(e for e, _p in answered) / possible if possible > 0 else (0.0 if answered else None)
    if lesson_done(leaves, completions):
        state = DONE
    elif answered or any(completions.get(leaf, 0.0) > 0.0 for leaf in leaves):
        state = IN_PROGRESS
    else:
        state = NOT_STARTED
    return LessonState(state, score)


def lessons_done(lessons: Iterable[Iterable[str]], completions: Mapping[str, float]) -> Fraction:
    """Lessons done over all lessons; each lesson given as its leaf blocks."""
    lessons = [list(leaves) for leaves in lessons]
    return Fraction(sum(1 for leaves in lessons if lesson_done(leaves, completions)), len(lessons))


PRE_TEST = "pre_test"
POST_TEST = "post_test"


@dataclass(frozen=True)
class AssessmentScore:
    title: str
    earned: float
    possible: float

    @property
    def percent(self) -> int:
        return whole_percent(self.earned / self.possible) if self.possible > 0 else 0


@dataclass(frozen=True)
class KnowledgeGain:
    """A pre-test and its post-test (quizzes sharing a question set), as one learner took them:
    the pre-test's first attempt (what they knew before), the post-test's latest."""

    pre_title: str
    post_title: str
    pre: AssessmentScore | None = None
    post: AssessmentScore | None = None

    @property
    def points(self) -> int | None:
        """Post-test minus pre-test in percentage points, from the percentages the page shows."""
        if self.pre is None or self.post is None:
            return None
        return self.post.percent - self.pre.percent


def knowledge_gains(tests: Iterable[tuple[str, str, str, str]],
                    attempts: Iterable[tuple[str, float, float]]) -> list[KnowledgeGain]:
    """Pair each question set's pre-test with its post-test and score them from ``attempts``.

    ``tests``: (usage id, mode, question set, title) of the pre- and post-test quizzes in
    reading order; ``attempts``: (usage id, earned, possible), oldest first. A question set
    without both a pre-test and a post-test in the course compares nothing and is left out.
    """
    blocks: dict[str, dict[str, list[tuple[str, str]]]] = {}
    for usage_id, mode, question_set, title in tests:
        if mode in (PRE_TEST, POST_TEST):
            blocks.setdefault(question_set, {PRE_TEST: [], POST_TEST: []})[mode].append((usage_id, title))
    attempts = list(attempts)
    gains = []
    for pair in blocks.values():
        if not (pair[PRE_TEST] and pair[POST_TEST]):
            continue
        pre_ids = {usage_id: title for usage_id, title in pair[PRE_TEST]}
        post_ids = {usage_id: title for usage_id, title in pair[POST_TEST]}
        first = next((AssessmentScore(pre_ids[u], e, p) for u, e, p in attempts if u in pre_ids), None)
        latest = next((AssessmentScore(post_ids[u], e, p) for u, e, p in reversed(attempts) if u in post_ids), None)
        gains.append(KnowledgeGain(pair[PRE_TEST][0][1], pair[POST_TEST][0][1], first, latest))
    return gains
