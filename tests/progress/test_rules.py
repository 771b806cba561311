"""Progress rules as pure functions."""
from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from lms.progress.rules import Fraction, completed_fraction


def test_counts_only_fully_completed_leaves():
    fraction = completed_fraction(["a", "b", "c", "d"], {"a": 1.0, "b": 0.5, "z": 1.0})
    assert fraction == Fraction(1, 4)
    assert fraction.percent == 25
    assert not fraction.complete


def test_percent_rounds_down_so_100_means_everything():
    assert Fraction(199, 200).percent == 99
    assert Fraction(2, 3).percent == 66
    assert Fraction(3, 3).percent == 100 and Fraction(3, 3).complete


def test_a_course_without_leaves_is_not_complete():
    assert completed_fraction([], {}) == Fraction(0, 0)
    assert Fraction(0, 0).percent == 0 and not Fraction(0, 0).complete


@given(st.dictionaries(st.text(min_size=1, max_size=5), st.floats(0.0, 1.0), max_size=20))
def test_percent_is_within_bounds_and_full_only_when_all_done(completions):
    leaves = list(completions)
    fraction = completed_fraction(leaves, completions)
    assert 0 <= fraction.percent <= 100
    assert (fraction.percent == 100) == (bool(leaves) and all(v >= 1.0 for v in completions.values()))
