"""Completion rules as pure functions: the rules built from a policy, scores, drops, states, what is missing."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lms.certificates import rules
from lms.certificates.rules import GradedSequential, Missing, ScoredBlock, Score

POLICY = {"grading_policy": {
    "GRADER": [{"type": "Quiz", "weight": 0.6, "min_count": 3, "drop_count": 0},
               {"type": "Post-test", "weight": 0.4, "min_count": 1, "drop_count": 0}],
    "GRADE_CUTOFFS": {"Pass": 0.7},
}}
QUIZZES = [GradedSequential(f"seq-{n}", f"Quiz {n}", "Quiz", (ScoredBlock(f"quiz-{n}"),)) for n in (1, 2, 3)]
FINAL = GradedSequential("seq-final", "Final", "Post-test", (ScoredBlock("final"),))
# Each chapter's lessons (units), each lesson as its leaf blocks.
CHAPTERS = [("Chapter 1", [["lesson-1", "quiz-1"]]),
            ("Chapter 2", [["lesson-2", "quiz-2"], ["quiz-3"], ["final"]])]
ALL_DONE = {leaf: 1.0 for _, lessons in CHAPTERS for lesson in lessons for leaf in lesson}


def sample_rules(policy=POLICY, graded=(*QUIZZES, FINAL), post_tests=("final",)):
    return rules.rules_from(policy, CHAPTERS, graded, post_tests)


def full(*usage_ids, fraction=1.0):
    return {usage_id: Score(fraction * 10, 10) for usage_id in usage_ids}


def test_rules_are_read_from_the_policy():
    built = sample_rules()
    assert built.pass_mark == 0.7
    assert [t.type for t in built.assignment_types] == ["Quiz", "Post-test"]
    assert built.leaves == ("lesson-1", "quiz-1", "lesson-2", "quiz-2", "quiz-3", "final")
    assert built.requires_score and built.post_tests == ("final",)


def test_the_rules_are_frozen():
    with pytest.raises(AttributeError):
        sample_rules().pass_mark = 0.1  # type: ignore[misc]


def test_lowest_cutoff_is_the_pass_mark_and_open_edx_default_without_cutoffs():
    assert sample_rules({"grading_policy": {"GRADER": [], "GRADE_CUTOFFS": {"A": 0.9, "C": 0.6}}}).pass_mark == 0.6
    assert sample_rules({}).pass_mark == rules.DEFAULT_PASS_MARK


def test_weighted_score_follows_the_graders_weights():
    scores = {**full("quiz-1", "quiz-2", "quiz-3"), **full("final", fraction=0.5)}
    assert rules.course_score(sample_rules(), scores) == pytest.approx(0.6 + 0.4 * 0.5)


def test_missing_scores_count_as_zero():
    # Two quizzes of three at 100 %, no final: 0.6 × 2/3.
    assert rules.course_score(sample_rules(), full("quiz-1", "quiz-2")) == pytest.approx(0.4)
    assert rules.course_score(sample_rules(), {}) == 0.0


def test_min_count_pads_with_zeros():
    assert rules.type_average([1.0], min_count=4, drop_count=0) == 0.25
    assert rules.type_average([], min_count=0, drop_count=0) == 0.0


def test_drop_count_drops_the_lowest_scores():
    assert rules.type_average([0.2, 1.0, 0.8], min_count=3, drop_count=1) == pytest.approx(0.9)
    assert rules.type_average([0.5], min_count=1, drop_count=5) == 0.0
    policy = {"grading_policy": {"GRADER": [{"type": "Quiz", "weight": 1.0, "min_count": 3, "drop_count": 1}],
                                 "GRADE_CUTOFFS": {"Pass": 0.7}}}
    scores = {**full("quiz-1"), **full("quiz-2", fraction=0.5)}  # quiz-3 never taken: the one dropped
    assert rules.course_score(sample_rules(policy), scores) == pytest.approx(0.75)


def test_a_sequential_weighs_its_blocks_by_their_weight_setting():
    sequential = GradedSequential("s", "S", "Quiz", (ScoredBlock("a", 3.0), ScoredBlock("b", 1.0)))
    assert rules.sequential_score(sequential, full("a")).fraction == 0.75
    assert rules.sequential_score(sequential, full("a")).attempted
    assert not rules.sequential_score(sequential, {}).attempted
    empty = GradedSequential("e", "E", "Quiz", ())
    assert rules.sequential_score(empty, {}).fraction == 0.0


def test_a_score_with_nothing_possible_is_zero():
    assert Score(0, 0).fraction == 0.0


def test_sequentials_of_a_format_without_grader_do_not_count():
    homework = GradedSequential("hw", "HW", "Homework", (ScoredBlock("hw-1"),))
    assert rules.course_score(sample_rules(graded=(homework,)), full("hw-1")) == 0.0


def test_in_progress_lists_lessons_left_per_chapter_then_score_then_post_test():
    standing = rules.standing(sample_rules(), {"lesson-1": 1.0, "quiz-1": 1.0, "lesson-2": 0.5}, {}, {})
    assert standing.state == rules.IN_PROGRESS and not standing.completed
    assert standing.missing == (Missing("lessons", "Chapter 2", 3), Missing("score"), Missing("post_test"))


def test_lessons_left_are_units_with_a_leaf_not_complete():
    # The first unit of chapter 2 has its text read but not its quiz: one lesson left, not one leaf.
    done = {**ALL_DONE, "quiz-2": 0.0}
    assert rules.standing(sample_rules(), done, {}, {}).missing[0] == Missing("lessons", "Chapter 2", 1)
    done = {**ALL_DONE, "lesson-2": 0.0, "quiz-2": 0.0}
    assert rules.standing(sample_rules(), done, {}, {}).missing[0] == Missing("lessons", "Chapter 2", 1)


def test_completed_without_passing_is_participation():
    scores = {**full("quiz-1", "quiz-2", "quiz-3", fraction=0.5), **full("final", fraction=0.6)}
    standing = rules.standing(sample_rules(), ALL_DONE, scores, {"final": False})
    assert standing.state == rules.COMPLETED and standing.completed
    assert standing.missing == (Missing("score"), Missing("post_test"))
    assert standing.course_score == pytest.approx(0.54)


def test_passed_needs_completion_score_and_post_test():
    scores = full("quiz-1", "quiz-2", "quiz-3", "final")
    assert rules.standing(sample_rules(), ALL_DONE, scores, {"final": True}).state == rules.PASSED
    # The latest post-test attempt failed: not passed, whatever the score.
    assert rules.standing(sample_rules(), ALL_DONE, scores, {"final": False}).missing == (Missing("post_test"),)
    # Score and post-test, but a lesson left: still in progress.
    not_done = {**ALL_DONE, "lesson-2": 0.0}
    assert rules.standing(sample_rules(), not_done, scores, {"final": True}).state == rules.IN_PROGRESS


def test_exactly_the_pass_mark_passes():
    # 0.6 × 0.7 + 0.4 × 0.7 is 0.7 only up to float rounding.
    scores = full("quiz-1", "quiz-2", "quiz-3", "final", fraction=0.7)
    standing = rules.standing(sample_rules(), ALL_DONE, scores, {"final": True})
    assert standing.state == rules.PASSED


def test_empty_graders_need_no_score_and_no_post_test_means_none_needed():
    built = sample_rules({"grading_policy": {"GRADER": []}}, graded=(), post_tests=())
    assert not built.requires_score
    standing = rules.standing(built, ALL_DONE, {}, {})
    assert standing.state == rules.PASSED and standing.missing == () and standing.quizzes == ()


def test_a_course_without_leaves_is_never_completed():
    built = rules.rules_from({}, [], [], [])
    assert rules.standing(built, {}, {}, {}).state == rules.IN_PROGRESS


def test_quiz_scores_come_in_the_given_order():
    standing = rules.standing(sample_rules(), {}, full("quiz-2", fraction=0.5), {})
    assert [(q.sequential.title, q.fraction, q.attempted) for q in standing.quizzes] == [
        ("Quiz 1", 0.0, False), ("Quiz 2", 0.5, True), ("Quiz 3", 0.0, False), ("Final", 0.0, False)]


fractions = st.floats(0.0, 1.0)


@given(st.lists(fractions, max_size=8), st.integers(0, 10), st.integers(0, 10))
def test_type_average_stays_within_bounds(values, min_count, drop_count):
    assert 0.0 <= rules.type_average(values, min_count, drop_count) <= 1.0 + 1e-9


@given(st.lists(fractions, min_size=4, max_size=4))
def test_course_score_rises_with_any_single_score(values):
    ids = ("quiz-1", "quiz-2", "quiz-3", "final")
    scores = {usage_id: Score(v, 1.0) for usage_id, v in zip(ids, values)}
    before = rules.course_score(sample_rules(), scores)
    better = {**scores, "quiz-2": Score(1.0, 1.0)}
    assert rules.course_score(sample_rules(), better) >= before - 1e-9
    assert 0.0 <= before <= 1.0 + 1e-9


def test_percentages_round_down_without_float_noise():
    assert rules.whole_percent(0.7) == 70 and rules.whole_percent(0.29) == 29
    assert rules.whole_percent(0.999) == 99 and rules.whole_percent(1.0) == 100
