"""Progress rules as pure functions: a lesson's state, lessons done, percentages."""
from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from lms.progress.rules import (DONE, IN_PROGRESS, NOT_STARTED, Fraction, LessonState, lesson_done, lesson_state,
                                lessons_done, whole_percent)


def test_a_lesson_is_done_once_every_leaf_in_it_is_complete():
    assert lesson_done(["a", "b"], {"a": 1.0, "b": 1.0})
    assert not lesson_done(["a", "b"], {"a": 1.0, "b": 0.99})
    assert not lesson_done(["a", "b"], {"a": 1.0})


def test_lessons_are_counted_not_leaves():
    lessons = [["a", "b"], ["c"], ["d", "e", "f"]]
    fraction = lessons_done(lessons, {"a": 1.0, "b": 1.0, "c": 0.5, "d": 1.0, "z": 1.0})
    assert fraction == Fraction(1, 3)
    assert fraction.percent == 33
    assert not fraction.complete


def test_a_lesson_state_says_not_started_in_progress_or_done():
    assert lesson_state(["a", "b"], {}, {}) == LessonState(NOT_STARTED)
    assert lesson_state(["a", "b"], {"a": 1.0}, {}) == LessonState(IN_PROGRESS)
    assert lesson_state(["a", "b"], {"a": 0.2}, {}).state == IN_PROGRESS
    assert lesson_state(["a", "b"], {"a": 1.0, "b": 1.0}, {}) == LessonState(DONE)


def test_a_scored_lesson_carries_its_score_across_its_scored_blocks():
    state = lesson_state(["text", "quiz"], {"text": 1.0, "quiz": 1.0}, {"quiz": (7.0, 10.0), "elsewhere": (0.0, 1.0)})
    assert state == LessonState(DONE, 0.7) and state.scored and state.score_percent == 70
    two = lesson_state(["q1", "q2"], {"q1": 1.0}, {"q1": (1.0, 4.0), "q2": (3.0, 4.0)})
    assert two.state == IN_PROGRESS and two.score == 0.5
    # A score of nothing possible is a score of 0, not no score.
    assert lesson_state(["q"], {"q": 1.0}, {"q": (0.0, 0.0)}).score_percent == 0
    assert lesson_state(["text"], {"text": 1.0}, {}).score_percent is None


def test_percent_rounds_down_so_100_means_everything():
    assert Fraction(199, 200).percent == 99
    assert Fraction(2, 3).percent == 66
    assert Fraction(3, 3).percent == 100 and Fraction(3, 3).complete
    assert whole_percent(0.7) == 70 and whole_percent(0.99995) == 99


def test_a_course_without_lessons_is_not_complete():
    assert lessons_done([], {}) == Fraction(0, 0)
    assert Fraction(0, 0).percent == 0 and not Fraction(0, 0).complete


@given(st.lists(st.lists(st.text(min_size=1, max_size=3), max_size=4), max_size=8),
       st.dictionaries(st.text(min_size=1, max_size=3), st.floats(0.0, 1.0), max_size=20))
def test_percent_is_within_bounds_and_full_only_when_every_lesson_is_done(lessons, completions):
    fraction = lessons_done(lessons, completions)
    assert 0 <= fraction.percent <= 100
    every = all(completions.get(leaf, 0.0) >= 1.0 for lesson in lessons for leaf in lesson)
    assert (fraction.percent == 100) == (bool(lessons) and every)
    assert fraction.done == sum(lesson_state(lesson, completions, {}).done for lesson in lessons)
