"""Unit tests for the quiz policy: attempts left, passing, and what each show_answers policy reveals when."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kuza_xblocks.quiz import policy
from kuza_xblocks.quiz.policy import EVERYTHING, NOTHING, RESULTS_ONLY


def attempts(*passed):
    return [{"passed": value} for value in passed]


@pytest.mark.parametrize(
    ("max_attempts", "used", "left", "may"),
    [(0, 0, None, True), (0, 99, None, True), (3, 0, 3, True), (3, 2, 1, True), (3, 3, 0, False), (3, 5, 0, False)],
)
def test_attempts_left_and_may_submit(max_attempts, used, left, may):
    assert policy.attempts_left(max_attempts, used) == left
    assert policy.may_submit(max_attempts, used) is may


@pytest.mark.parametrize(
    ("earned", "possible", "mark", "passed"),
    [
        (6, 10, 0.6, True),
        (5.9, 10, 0.6, False),
        (0.1 + 0.2, 1, 0.3, True),  # 0.30000000000000004 and the float sum the other way round
        (0.3, 1.0, 0.1 + 0.2, True),
        (0, 10, 0, True),
        (10, 10, 1, True),
        (0, 0, 0.6, True),  # nothing to fail
    ],
)
def test_passed(earned, possible, mark, passed):
    assert policy.passed(earned, possible, mark) is passed


@given(st.floats(0, 100), st.floats(0.01, 100), st.floats(0, 1))
def test_passing_is_monotonic_in_the_score(earned, possible, mark):
    earned = min(earned, possible)
    if policy.passed(earned, possible, mark):
        assert policy.passed(possible, possible, mark)


def reveal(show_answers, history, *, mode="graded", max_attempts=2):
    return policy.reveal(mode=mode, show_answers=show_answers, max_attempts=max_attempts, attempts=history)


@pytest.mark.parametrize("show_answers", policy.SHOW_ANSWERS)
@pytest.mark.parametrize("mode", policy.MODES)
def test_nothing_is_revealed_before_the_first_attempt(show_answers, mode):
    assert reveal(show_answers, [], mode=mode) == NOTHING


def test_never_shows_results_only_even_after_the_last_attempt():
    assert reveal("never", attempts(True)) == RESULTS_ONLY
    assert reveal("never", attempts(False, True)) == RESULTS_ONLY


def test_always_shows_everything_after_submitting():
    assert reveal("always", attempts(False)) == EVERYTHING


def test_after_passing():
    assert reveal("after_passing", attempts(False)) == RESULTS_ONLY
    assert reveal("after_passing", attempts(False, True)) == EVERYTHING
    # Once shown, the answers stay shown: a later failed attempt cannot take them back.
    assert reveal("after_passing", attempts(True, False), max_attempts=3) == EVERYTHING


def test_after_last_attempt():
    assert reveal("after_last_attempt", attempts(True), max_attempts=2) == RESULTS_ONLY
    assert reveal("after_last_attempt", attempts(True, False), max_attempts=2) == EVERYTHING
    assert reveal("after_last_attempt", attempts(*[False] * 9), max_attempts=0) == RESULTS_ONLY


@pytest.mark.parametrize("show_answers", policy.SHOW_ANSWERS)
def test_a_pre_test_reveals_nothing_but_its_score(show_answers):
    assert reveal(show_answers, attempts(True, True), mode="pre_test", max_attempts=2) == NOTHING


@pytest.mark.parametrize("mode", ["graded", "practice", "post_test"])
def test_other_modes_follow_the_policy(mode):
    assert reveal("always", attempts(False), mode=mode) == EVERYTHING
    assert reveal("never", attempts(False), mode=mode) == RESULTS_ONLY


def test_pass_or_fail_is_shown_in_graded_quizzes_and_post_tests_only():
    assert [mode for mode in policy.MODES if policy.shows_pass_or_fail(mode)] == ["graded", "post_test"]
