"""Tests for the question types: grading of every type, feedback, checks, and properties of numbers and texts."""

import unicodedata
from decimal import Decimal, localcontext

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from kuza_xblocks.quiz import questions
from kuza_xblocks.quiz.questions import (
    QUESTION_TYPES,
    Result,
    grade,
    max_points,
    normalise_text,
    parse_number,
    score_attempt,
    validate,
)


def choice(id, text, correct=False, feedback=""):  # noqa: A002 - the key's name
    return {"id": id, "text": text, "correct": correct, "feedback": feedback}


def question(type_, **keys):
    return {"id": "q1", "type": type_, "prompt": "Which?", "explanation": "", "weight": 1.0, **keys}


SINGLE = question(
    "single_choice",
    choices=[
        choice("a", "UN DESA", True, "Yes: UN DESA runs the awards."),
        choice("b", "UNDP", False, "No: UNDP runs development programmes."),
        choice("c", "UNESCO"),
    ],
)
MULTIPLE = question(
    "multiple_response",
    scoring="all_or_nothing",
    choices=[
        choice("a", "One-stop shops", True, "Yes: fewer visits."),
        choice("b", "Mobile payments", True),
        choice("c", "Longer forms", False, "No: more work for citizens."),
        choice("d", "More queues", False),
    ],
)
PARTIAL = {**MULTIPLE, "scoring": "partial"}
TRUE_FALSE = question("true_false", answer=True, feedback_true="Right: since 2003.", feedback_false="It is true.")
NUMERIC = question("numeric", answer=9827.0, tolerance={"kind": "exact", "value": 0.0})
SHORT = question("short_text", answers=["Kigali", "Kigali City"], case_sensitive=False, accent_sensitive=False)
ORDERING = question(
    "ordering",
    scoring="all_or_nothing",
    items=[{"id": "a", "text": "Listen"}, {"id": "b", "text": "Prototype"}, {"id": "c", "text": "Test"},
           {"id": "d", "text": "Scale"}],
)
MATCHING = question(
    "matching",
    pairs=[
        {"id": "p1", "left": "Bangladesh", "right": "Cyclone preparedness"},
        {"id": "p2", "left": "Rwanda", "right": "Irembo e-services"},
        {"id": "p3", "left": "Brazil", "right": "Participatory budgeting"},
        {"id": "p4", "left": "Estonia", "right": "X-Road"},
    ],
)
ALL = [SINGLE, MULTIPLE, TRUE_FALSE, NUMERIC, SHORT, ORDERING, MATCHING]


def numeric(answer, kind="exact", value=0.0):
    return {**NUMERIC, "answer": answer, "tolerance": {"kind": kind, "value": value}}


def scored(score, feedback=(), invalid=False):
    return Result(score=score, correct=score == 1, answered=True, feedback=tuple(feedback), invalid=invalid)


UNANSWERED = Result(score=0.0, correct=False, answered=False, feedback=())


# The registry -------------------------------------------------------------------------


def test_registry_is_keyed_by_type_name():
    assert list(QUESTION_TYPES) == [
        "single_choice", "multiple_response", "true_false", "numeric", "short_text", "ordering", "matching"
    ]
    for name, kind in QUESTION_TYPES.items():
        assert kind.name == name
        for method in ("grade", "validate", "correct_response", "from_olx", "to_olx"):
            assert callable(getattr(kind, method))


@pytest.mark.parametrize("q", ALL, ids=lambda q: q["type"])
def test_examples_are_valid_and_their_correct_response_scores_one(q):
    assert validate(q) == []
    result = grade(q, QUESTION_TYPES[q["type"]].correct_response(q))
    assert result.score == 1 and result.correct and result.answered and not result.invalid


@pytest.mark.parametrize("q", ALL, ids=lambda q: q["type"])
@pytest.mark.parametrize("response", [None, "", "   ", [], {}])
def test_a_missing_or_empty_response_is_unanswered(q, response):
    assert grade(q, response) == UNANSWERED


@pytest.mark.parametrize("q", ALL, ids=lambda q: q["type"])
@pytest.mark.parametrize("response", [42, 1.5, object(), ["x", 1], {"x": ["y"]}, "zzz", b"a", True])
def test_grading_never_raises_on_a_strange_response(q, response):
    result = grade(q, response)
    assert result.answered
    assert 0 <= result.score <= 1


def test_an_unknown_type_is_refused():
    with pytest.raises(ValueError, match="'essay' is not a question type; use one of: single_choice"):
        grade({**SINGLE, "type": "essay"}, "a")
    assert validate({**SINGLE, "type": "essay"}) == [
        "'essay' is not a question type; use one of: single_choice, multiple_response, true_false, numeric,"
        " short_text, ordering, matching"
    ]


# Single choice ------------------------------------------------------------------------


def test_single_choice_right_with_its_feedback():
    assert grade(SINGLE, "a") == scored(1.0, ["Yes: UN DESA runs the awards."])


def test_single_choice_wrong_with_its_feedback():
    assert grade(SINGLE, "b") == scored(0.0, ["No: UNDP runs development programmes."])


def test_single_choice_without_feedback_gives_none():
    assert grade(SINGLE, "c") == scored(0.0)


def test_single_choice_unknown_id_is_invalid():
    assert grade(SINGLE, "z") == scored(0.0, invalid=True)


def test_single_choice_needs_exactly_one_correct_choice():
    none = {**SINGLE, "choices": [{**c, "correct": False} for c in SINGLE["choices"]]}
    two = {**SINGLE, "choices": [{**c, "correct": c["id"] != "c"} for c in SINGLE["choices"]]}
    assert validate(none) == ['no choice is marked correct="true"; mark exactly one']
    assert validate(two) == [
        '2 choices are marked correct="true", but a single choice question has exactly one'
        " (use <multiple_response> to accept several)"
    ]


def test_choice_questions_need_two_distinct_choices_with_ids_and_text():
    assert validate({**SINGLE, "choices": [choice("a", "Yes", True)]}) == [
        "it needs at least 2 choices (<choice> elements), but has 1"
    ]
    problems = validate({**SINGLE, "choices": [choice("a", "Yes", True), choice("a", " "), choice("B", "Yes ")]})
    assert problems == [
        'two choices have the id "a"',
        "choice id 'B' must be 1 to 40 lowercase letters, digits, \"_\" or \"-\"",
        'choice "a" has no text',
        'two choices read "Yes": learners could not tell them apart',
    ]


# Multiple response --------------------------------------------------------------------


def test_multiple_response_all_or_nothing():
    assert grade(MULTIPLE, ["a", "b"]) == scored(1.0, ["Yes: fewer visits."])
    assert grade(MULTIPLE, ["b", "a"]).correct
    assert grade(MULTIPLE, ["a"]) == scored(0.0, ["Yes: fewer visits."])
    assert grade(MULTIPLE, ["a", "b", "c"]) == scored(0.0, ["Yes: fewer visits.", "No: more work for citizens."])


def test_multiple_response_partial_credit_subtracts_wrong_choices_and_stops_at_zero():
    assert grade(PARTIAL, ["a", "b"]).score == 1
    assert grade(PARTIAL, ["a"]).score == 0.5
    assert grade(PARTIAL, ["a", "c"]).score == 0
    assert grade(PARTIAL, ["a", "b", "c"]).score == 0.5
    assert grade(PARTIAL, ["c", "d"]) == scored(0.0, ["No: more work for citizens."])
    assert grade(PARTIAL, ["a", "b", "c", "d"]).score == 0
    assert grade(PARTIAL, ["a", "a"]).score == 0.5  # a choice counts once


def test_multiple_response_feedback_follows_the_order_of_the_choices():
    assert grade(MULTIPLE, ["c", "a"]).feedback == ("Yes: fewer visits.", "No: more work for citizens.")


def test_multiple_response_unknown_id_is_invalid():
    assert grade(PARTIAL, ["a", "zz"]) == scored(0.0, ["Yes: fewer visits."], invalid=True)
    assert grade(PARTIAL, "a") == scored(0.0, invalid=True)


def test_multiple_response_checks():
    assert validate({**MULTIPLE, "choices": [{**c, "correct": False} for c in MULTIPLE["choices"]]}) == [
        'no choice is marked correct="true"; mark at least one'
    ]
    assert validate({**MULTIPLE, "scoring": "some"}) == [
        'its scoring must be "all_or_nothing" or "partial", not "some"'
    ]
    all_correct = {**MULTIPLE, "choices": [{**c, "correct": True} for c in MULTIPLE["choices"]]}
    assert validate(all_correct) == []


# True/false ---------------------------------------------------------------------------


def test_true_false_right_and_wrong_with_feedback_for_the_option_picked():
    assert grade(TRUE_FALSE, True) == scored(1.0, ["Right: since 2003."])
    assert grade(TRUE_FALSE, False) == scored(0.0, ["It is true."])
    false_one = {**TRUE_FALSE, "answer": False}
    assert grade(false_one, False) == scored(1.0, ["It is true."])
    assert grade({**TRUE_FALSE, "feedback_false": ""}, False) == scored(0.0)


def test_true_false_answer_must_be_a_boolean():
    assert grade(TRUE_FALSE, "true") == scored(0.0, invalid=True)
    assert validate({**TRUE_FALSE, "answer": "true"}) == ['its answer must be "true" or "false"']


# Numeric ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("12.5", "12.5"), ("12,5", "12.5"), (" 12,5 ", "12.5"), ("-3", "-3"), ("+3", "3"), ("\u22123,5", "-3.5"),
        (".5", "0.5"), (",5", "0.5"), ("0,125", "0.125"), ("1,234", "1.234"), ("007", "7"),
        ("1 234", "1234"), ("1 234 567,25", "1234567.25"), ("1\u00a0234,5", "1234.5"), ("1\u202f234.5", "1234.5"),
        ("12345", "12345"), ("\u0663\u066b\u0661\u0664", "3.14"), ("\u0661\u066c\u0662\u0663\u0664", "1234"),
    ],
)
def test_numbers_learners_write(text, number):
    assert parse_number(text) == Decimal(number)


@pytest.mark.parametrize(
    "text",
    ["", "-", ".", "1e3", "1E3", "1,234.5", "1.234,5", "1.234.567", "12 34", "1 2345", "1  234", "12 345,6 7",
     "5.", "5%", "12 km", "0x10", "inf", "nan", "--1", "1-", "- 1", "1" * 1001],
)
def test_texts_that_are_not_numbers(text):
    assert parse_number(text) is None


def test_numeric_exact():
    assert grade(NUMERIC, "9827") == scored(1.0)
    assert grade(NUMERIC, "9 827,0") == scored(1.0)
    assert grade(NUMERIC, "9828") == scored(0.0)
    assert grade(NUMERIC, "about 9827") == scored(0.0, invalid=True)
    assert grade(NUMERIC, "1e3") == scored(0.0, invalid=True)


def test_numeric_tolerance_bounds_are_included_and_exact_on_the_written_numbers():
    # In floats, 1.1 - 1.0 > 0.1; the author means 1.1 to be within 0.1 of 1.
    assert grade(numeric(1.0, "absolute", 0.1), "1.1").correct
    assert grade(numeric(1.0, "absolute", 0.1), "0,9").correct
    assert not grade(numeric(1.0, "absolute", 0.1), "1.1000000001").correct
    assert grade(numeric(200.0, "relative", 0.05), "210").correct
    assert grade(numeric(200.0, "relative", 0.05), "190").correct
    assert not grade(numeric(200.0, "relative", 0.05), "210,01").correct
    assert grade(numeric(-200.0, "relative", 0.05), "-210").correct


def test_numeric_accepts_a_number_from_a_json_client():
    assert grade(numeric(0.5), 0.5).correct
    assert grade(numeric(2.0), 2).correct
    assert grade(numeric(2.0), 10**400) == scored(0.0)
    assert grade(numeric(2.0), float("inf")) == scored(0.0, invalid=True)
    assert grade(numeric(1.0), True) == scored(0.0, invalid=True)


def test_numeric_checks():
    assert validate(numeric(1.0, "absolute", -1.0)) == ["its tolerance must be a number, 0 or more, not -1.0"]
    assert validate(numeric(1.0, "approximate", 1.0)) == [
        'its tolerance must have a kind "exact", "absolute" or "relative"'
    ]
    assert validate(numeric(float("nan"))) == ["its answer must be a number, not nan"]
    assert validate(numeric(0.0, "relative", 0.05)) == [
        'a relative tolerance around an answer of 0 accepts only 0 itself; give an absolute tolerance instead,'
        ' such as tolerance="0.01"'
    ]


def spell(number: Decimal, *, decimal_separator=".", group_separator="") -> str:
    """Write ``number`` as a learner might: a point or comma, digits grouped in threes or not."""
    text = format(number, "f")
    sign = "-" if text.startswith("-") else ""
    whole, _, fraction = text.removeprefix("-").partition(".")
    if group_separator:
        head = len(whole) % 3 or 3
        whole = group_separator.join([whole[:head]] + [whole[i:i + 3] for i in range(head, len(whole), 3)])
    return f"{sign}{whole}{decimal_separator + fraction if fraction else ''}"


ANSWERS = st.floats(min_value=-1e9, max_value=1e9, allow_nan=False, allow_infinity=False)
OFFSETS = st.decimals(min_value=-10**6, max_value=10**6, places=6, allow_nan=False, allow_infinity=False)
SPELLINGS = st.sampled_from([(".", ""), (",", ""), (",", " "), (".", "\u00a0"), (",", "\u202f")])


def written(number: float) -> Decimal:
    return Decimal(repr(number))


@given(answer=ANSWERS, tolerance=st.floats(min_value=0, max_value=1e6), offset=OFFSETS, spelling=SPELLINGS)
def test_absolute_tolerance_accepts_exactly_the_values_within_it(answer, tolerance, offset, spelling):
    with localcontext() as context:
        context.prec = 1000
        value = written(answer) + offset
        inside = abs(offset) <= written(tolerance)
    text = spell(value, decimal_separator=spelling[0], group_separator=spelling[1])
    assert grade(numeric(answer, "absolute", tolerance), text).correct is inside


@given(answer=ANSWERS, tolerance=st.floats(min_value=0, max_value=1e6), sign=st.sampled_from([1, -1]),
       spelling=SPELLINGS)
def test_absolute_tolerance_bounds_are_in_and_just_beyond_is_out(answer, tolerance, sign, spelling):
    with localcontext() as context:
        context.prec = 1000
        bound = written(answer) + sign * written(tolerance)
        beyond = bound + sign * Decimal("1e-40")
    q = numeric(answer, "absolute", tolerance)
    assert grade(q, spell(bound, decimal_separator=spelling[0], group_separator=spelling[1])).correct
    assert not grade(q, spell(beyond, decimal_separator=spelling[0], group_separator=spelling[1])).correct


@given(answer=ANSWERS.filter(bool), fraction=st.floats(min_value=0, max_value=10), offset=OFFSETS,
       spelling=SPELLINGS)
def test_relative_tolerance_accepts_exactly_the_values_within_it(answer, fraction, offset, spelling):
    with localcontext() as context:
        context.prec = 1000
        value = written(answer) + offset
        inside = abs(offset) <= written(fraction) * abs(written(answer))
    text = spell(value, decimal_separator=spelling[0], group_separator=spelling[1])
    assert grade(numeric(answer, "relative", fraction), text).correct is inside


@given(answer=ANSWERS.filter(bool), fraction=st.floats(min_value=0, max_value=10), sign=st.sampled_from([1, -1]))
def test_relative_tolerance_bounds_are_in_and_just_beyond_is_out(answer, fraction, sign):
    with localcontext() as context:
        context.prec = 1000
        bound = written(answer) + sign * written(fraction) * abs(written(answer))
        beyond = bound + sign * Decimal("1e-40")
    q = numeric(answer, "relative", fraction)
    assert grade(q, spell(bound, decimal_separator=",")).correct
    assert not grade(q, spell(beyond)).correct


@given(fraction=st.floats(min_value=0, max_value=1e6), offset=OFFSETS)
@example(fraction=0.05, offset=Decimal("0.000001"))
def test_relative_tolerance_around_zero_accepts_only_zero(fraction, offset):
    q = numeric(0.0, "relative", fraction)
    assert grade(q, spell(offset, decimal_separator=",")).correct is (offset == 0)
    for zero in ("0", "-0", "0,000", "+0.0"):
        assert grade(q, zero).correct


@given(answer=ANSWERS, value=OFFSETS, spelling=SPELLINGS)
def test_exact_answers_need_the_same_number_however_it_is_written(answer, value, spelling):
    text = spell(value, decimal_separator=spelling[0], group_separator=spelling[1])
    assert grade(numeric(answer), text).correct is (value == written(answer))
    assert grade(numeric(answer), spell(written(answer), decimal_separator=spelling[0],
                                        group_separator=spelling[1])).correct


@given(value=st.decimals(allow_nan=False, allow_infinity=False, places=8, min_value=-10**15, max_value=10**15),
       spelling=SPELLINGS)
def test_every_spelling_of_a_number_reads_as_that_number(value, spelling):
    assert parse_number(spell(value, decimal_separator=spelling[0], group_separator=spelling[1])) == value


@given(text=st.text(max_size=30))
def test_any_text_grades_without_raising_and_non_numbers_are_invalid(text):
    result = grade(numeric(1.0, "absolute", 0.5), text)
    if not text.strip():
        assert result == UNANSWERED
    else:
        assert result.invalid is (parse_number(text) is None)


# Short text ---------------------------------------------------------------------------


def test_short_text_normalises_case_space_and_accents():
    for typed in ("Kigali", "kigali", "  KIGALI ", "Kígálí", "kigali  city", "Kigali\u00a0City", "KİGALİ"):
        assert grade(SHORT, typed) == scored(1.0), typed
    for typed in ("Kigal", "Kigali Town", "Butare", "Kigali-City"):
        assert grade(SHORT, typed) == scored(0.0), typed


def test_short_text_case_and_accent_sensitivity_are_per_question():
    answers = {**SHORT, "answers": ["São Tomé"]}
    assert grade(answers, "sao tome").correct
    assert not grade({**answers, "accent_sensitive": True}, "sao tome").correct
    assert grade({**answers, "accent_sensitive": True}, "são tomé").correct
    assert not grade({**answers, "case_sensitive": True}, "são tomé").correct
    assert grade({**answers, "case_sensitive": True}, " Sao  Tome ").correct
    # A precomposed letter and a letter with a combining accent are the same text.
    assert grade({**answers, "accent_sensitive": True, "case_sensitive": True}, "Sa\u0303o Tome\u0301").correct


def test_short_text_arabic_short_vowel_marks_are_accents():
    q = {**SHORT, "answers": ["كتاب"]}
    assert grade(q, "كِتَاب").correct
    assert not grade({**q, "accent_sensitive": True}, "كِتَاب").correct


def test_short_text_checks():
    assert validate({**SHORT, "answers": []}) == ["it has no accepted answer: add at least one <answer>"]
    assert validate({**SHORT, "answers": ["Kigali", "  "]}) == ["an accepted answer is empty"]
    assert validate({**SHORT, "case_sensitive": "no"}) == ["its case_sensitive must be true or false"]


OPTIONS = st.fixed_dictionaries({"case_sensitive": st.booleans(), "accent_sensitive": st.booleans()})


@given(text=st.text(), options=OPTIONS)
def test_normalising_twice_changes_nothing(text, options):
    once = normalise_text(text, **options)
    assert normalise_text(once, **options) == once
    assert once == once.strip() and "  " not in once


# Words in the course's languages: Latin letters with their accents, and Arabic letters.
# (Not the dotless ı: its capital is I, whose small letter is i, as everywhere but in Turkish.)
LETTERS = st.sampled_from([
    c for c in map(chr, [*range(0x41, 0x7B), *range(0xC0, 0x17F), *range(0x621, 0x64B)])
    if c.isalpha() and c != "ı"
])
WORDS = st.lists(st.text(alphabet=LETTERS, min_size=1, max_size=8), min_size=1, max_size=4)
SPACES = st.text(alphabet=" \t\n\u00a0\u2009\u3000", max_size=3)
ACCENTS = st.sampled_from(["\u0301", "\u0300", "\u0302", "\u0308", "\u0327", "\u0303", "\u064e", "\u0650"])


@given(words=WORDS, before=SPACES, after=SPACES, between=st.text(alphabet=" \t\u00a0", min_size=1, max_size=3),
       case=st.sampled_from([str.upper, str.lower, str.swapcase, str.title, str]))
def test_case_and_space_variants_of_an_accepted_answer_are_accepted(words, before, after, between, case):
    q = {**SHORT, "answers": ["Something else", " ".join(words)]}
    assert grade(q, before + case(between.join(words)) + after).correct


@given(words=WORDS, accents=st.lists(ACCENTS, min_size=1), data=st.data())
def test_accented_variants_of_an_accepted_answer_are_accepted(words, accents, data):
    answer = " ".join(words)
    positions = data.draw(st.lists(st.integers(0, len(answer) - 1), min_size=len(accents), max_size=len(accents)))
    letters = list(answer)
    for position, accent in zip(positions, accents):
        letters[position] += accent
    typed = unicodedata.normalize("NFC", "".join(letters))
    assert grade({**SHORT, "answers": [answer]}, typed).correct


@given(words=WORDS, extra=st.text(alphabet=LETTERS, min_size=1, max_size=3), options=OPTIONS,
       where=st.sampled_from(["start", "end", "word"]))
def test_an_answer_with_other_letters_is_not_accepted(words, extra, options, where):
    answer = " ".join(words)
    typed = {"start": extra + answer, "end": answer + extra, "word": f"{answer} {extra}"}[where]
    assert not grade({**SHORT, **options, "answers": [answer]}, typed).correct


@given(answer=st.text().filter(str.strip), typed=st.text(), options=OPTIONS)
def test_short_text_is_right_exactly_when_the_normalised_texts_are_equal(answer, typed, options):
    q = {**SHORT, **options, "answers": [answer]}
    expected = normalise_text(typed, **options) == normalise_text(answer, **options) and bool(typed.strip())
    assert grade(q, typed).correct is expected


# Ordering -----------------------------------------------------------------------------


def test_ordering_all_or_nothing():
    assert grade(ORDERING, ["a", "b", "c", "d"]) == scored(1.0)
    assert grade(ORDERING, ["a", "b", "d", "c"]) == scored(0.0)


def test_ordering_partial_counts_items_in_their_place():
    partial = {**ORDERING, "scoring": "partial"}
    assert grade(partial, ["a", "b", "d", "c"]).score == 0.5
    assert grade(partial, ["d", "c", "b", "a"]).score == 0
    assert grade(partial, ["a", "c", "b", "d"]).score == 0.5
    assert grade(partial, ["b", "c", "d", "a"]).score == 0


@pytest.mark.parametrize("response", [["a", "b", "c"], ["a", "a", "b", "c"], ["a", "b", "c", "d", "e"],
                                      ["a", "b", "c", 4], "abcd"])
def test_ordering_anything_but_a_rearrangement_is_invalid(response):
    assert grade({**ORDERING, "scoring": "partial"}, response) == scored(0.0, invalid=True)


def test_ordering_checks():
    assert validate({**ORDERING, "items": ORDERING["items"][:1]}) == [
        "it needs at least 2 items (<item> elements), but has 1"
    ]
    assert validate({**ORDERING, "items": [{"id": "a", "text": "x"}, {"id": "b", "text": "x"}]}) == [
        'two items read "x": learners could not tell them apart'
    ]


# Matching -----------------------------------------------------------------------------


def test_matching_scores_the_share_of_pairs_matched():
    right = {"p1": "p1", "p2": "p2", "p3": "p3", "p4": "p4"}
    assert grade(MATCHING, right) == scored(1.0)
    assert grade(MATCHING, {**right, "p3": "p4", "p4": "p3"}).score == 0.5
    assert grade(MATCHING, {"p1": "p2", "p2": "p1", "p3": "p4", "p4": "p3"}) == scored(0.0)
    assert grade(MATCHING, {"p1": "p1"}).score == 0.25  # the others left unmatched
    assert grade(MATCHING, {"p1": "p1", "p2": "", "p3": None}).score == 0.25
    assert grade(MATCHING, {"p1": "", "p2": None}) == UNANSWERED
    assert grade(MATCHING, ["p1"]) == scored(0.0, invalid=True)


def test_matching_checks():
    pairs = [{"id": "p1", "left": "A", "right": "x"}, {"id": "p2", "left": "B", "right": "x "}]
    assert validate({**MATCHING, "pairs": pairs}) == ['two right sides read "x": learners could not tell them apart']
    assert validate({**MATCHING, "pairs": [{"id": "p1", "left": "B", "right": ""}, *pairs[:1]]}) == [
        'two pairs have the id "p1"', 'pair "p1" has no <right> text'
    ]


# Common checks and whole attempts -----------------------------------------------------


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"id": "Q 1"}, "question id 'Q 1' must be 1 to 40 lowercase letters, digits, \"_\" or \"-\""),
        ({"id": "q" * 41}, f"question id '{'q' * 41}' must be 1 to 40 lowercase letters, digits, \"_\" or \"-\""),
        ({"id": ""}, "a question has no id"),
        ({"prompt": " \n"}, "it has no prompt: write the question in <prompt>"),
        ({"weight": 0}, "its weight must be a number greater than 0, not 0"),
        ({"weight": True}, "its weight must be a number greater than 0, not True"),
        ({"explanation": None}, "its explanation must be text"),
    ],
)
def test_common_checks(change, problem):
    assert validate({**SINGLE, **change}) == [problem]


def test_validate_never_raises_on_a_broken_question():
    for broken in ({"type": "single_choice"}, {"type": "matching", "pairs": "x"}, {"type": "ordering", "items": [1]},
                   {"type": "numeric", "tolerance": "5%"}, {"type": "short_text", "answers": "Kigali"}):
        assert validate(broken)


def test_max_points_is_the_sum_of_weights():
    assert max_points([SINGLE, {**MULTIPLE, "weight": 2.0}, {**TRUE_FALSE, "weight": 0.5}]) == 3.5
    assert max_points([]) == 0


def test_score_attempt_weighs_each_question_and_grades_missing_ones_as_unanswered():
    quiz = [SINGLE, {**PARTIAL, "id": "q2", "weight": 2.0}, {**SHORT, "id": "q3"}]
    earned, results = score_attempt(quiz, {"q1": "a", "q2": ["a"], "other": "ignored"})
    assert earned == 2.0
    assert results == {
        "q1": scored(1.0, ["Yes: UN DESA runs the awards."]),
        "q2": scored(0.5, ["Yes: fewer visits."]),
        "q3": UNANSWERED,
    }


def test_results_are_frozen():
    with pytest.raises(AttributeError):
        grade(SINGLE, "a").score = 0  # type: ignore[misc]


def test_number_text_writes_plain_digits():
    assert [questions.number_text(n) for n in (9827.0, 0.5, 1e-05, 1e22, -0.0, 2.5e-7)] == [
        "9827", "0.5", "0.00001", "10000000000000000000000", "-0", "0.00000025"
    ]


def test_partial_credit_types_name_the_types_that_give_part_of_a_point():
    ordering = {"type": "ordering", "scoring": "partial", "items": []}
    asked = [
        {"type": "single_choice"}, {"type": "ordering", "items": []}, ordering,
        {"type": "multiple_response", "scoring": "all_or_nothing"}, {"type": "matching", "pairs": []},
        {"type": "multiple_response", "scoring": "partial"}, ordering, {"type": "no-such-type"}, "not a question",
    ]
    # Once each, in the order met; all-or-nothing ordering and multiple response give none, matching always does.
    assert questions.partial_credit_types(asked) == ("ordering", "matching", "multiple_response")
    assert questions.partial_credit_types([{"type": "true_false"}, {"type": "numeric"}]) == ()
    # What the types say agrees with how they grade: half the items in place earns half a point.
    two = {"id": "o", "type": "ordering", "scoring": "partial", "items": [{"id": "a"}, {"id": "b"}, {"id": "c"}, {"id": "d"}]}
    assert questions.grade(two, ["a", "b", "d", "c"]).score == 0.5
