"""Unit tests for the per-learner order of options: stable, different between learners, reversible."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kuza_xblocks.quiz.layout import Layout, learner_seed, question_layout


def choice_question(count, question_id="q"):
    return {"id": question_id, "type": "single_choice", "choices": [{"id": f"c{i}"} for i in range(count)]}


def test_the_seed_depends_on_learner_and_block():
    assert learner_seed(1, "quiz") == learner_seed(1, "quiz")
    assert len({learner_seed(1, "quiz"), learner_seed(2, "quiz"), learner_seed(1, "other")}) == 3


def test_without_shuffle_choices_keep_their_authored_order():
    assert question_layout("s", choice_question(5), shuffle=False).options == (0, 1, 2, 3, 4)


def test_shuffled_choices_are_the_same_for_one_seed_and_vary_between_seeds():
    question = choice_question(6)
    assert question_layout("a", question, shuffle=True) == question_layout("a", question, shuffle=True)
    orders = {question_layout(learner_seed(n, "quiz"), question, shuffle=True).options for n in range(20)}
    assert len(orders) > 5


def test_two_questions_of_one_learner_are_shuffled_apart():
    orders = {question_layout("seed", choice_question(8, f"q{n}"), shuffle=True).options for n in range(5)}
    assert len(orders) > 1


@pytest.mark.parametrize(
    "question",
    [
        {"id": "o", "type": "ordering", "items": [{"id": f"i{n}"} for n in range(6)]},
        {"id": "m", "type": "matching", "pairs": [{"id": f"p{n}"} for n in range(6)]},
    ],
)
def test_ordering_items_and_matching_options_are_always_shuffled(question):
    # Authored in the correct order (ordering) or beside their partner (matching).
    orders = {question_layout(learner_seed(n, "quiz"), question, shuffle=False).options for n in range(20)}
    assert len(orders) > 5


def test_other_types_have_no_options():
    for kind in ("true_false", "numeric", "short_text"):
        assert question_layout("s", {"id": "q", "type": kind}, shuffle=True) == Layout()


@given(st.integers(1, 12), st.text(max_size=10))
def test_a_layout_is_a_permutation_and_keys_map_back(count, seed):
    layout = question_layout(seed, choice_question(count), shuffle=True)
    assert sorted(layout.options) == list(range(count))
    for authored in range(count):
        assert layout.authored_index(layout.key(authored)) == authored


@pytest.mark.parametrize("key", ["", "-1", "3", "1.0", "x", "٣", "00000"])
def test_keys_the_page_did_not_offer_name_nothing(key):
    assert Layout((2, 0, 1)).authored_index(key) is None
