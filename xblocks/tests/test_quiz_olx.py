"""Tests for a quiz's OLX form: reading, writing, exact round trips, and the errors a malformed quiz gets."""

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from kuza_xblocks.errors import OLXError
from kuza_xblocks.quiz.questions import QUESTION_TYPES, grade, validate
from kuza_xblocks.quiz.quiz_olx import read_quiz, write_quiz

SAMPLE = """\
<kuza_quiz url_name="ch1-quiz" display_name="Check your understanding" mode="graded" max_attempts="3" \
pass_mark="0.7" show_answers="after_last_attempt" shuffle="true" xblock-family="xblock.v1">
  <single_choice id="q1">
    <prompt>Who organises the UN Public Service Awards?</prompt>
    <choice id="a" correct="true" feedback="Yes: UN DESA runs the awards.">UN DESA</choice>
    <choice id="b" feedback="No: UNDP runs development programmes.">UNDP</choice>
    <explanation>The awards are run by the Division for Public Institutions of **UN DESA**.</explanation>
  </single_choice>
  <multiple_response id="q2" scoring="partial" weight="2">
    <prompt>Which of these made services easier to reach?</prompt>
    <choice id="a" correct="true">One-stop shops</choice>
    <choice id="b" correct="true" feedback="Yes: no trip to town.">Mobile payments</choice>
    <choice id="c" feedback="No: longer forms mean more work.">Longer forms</choice>
  </multiple_response>
  <true_false id="q3" answer="true" feedback_true="Right." feedback_false="It is true: since 2003.">
    <prompt>
The awards have been given **every year** since 2003.

Decide whether this is true.
    </prompt>
  </true_false>
  <numeric id="q4" answer="9827" tolerance="1%">
    <prompt>How many applications were filed online in the pilot's first month?</prompt>
    <explanation>9,827, from the programme's report.</explanation>
  </numeric>
  <numeric id="q5" answer="2.5" tolerance="0.5" weight="0.5">
    <prompt>How many days does a permit take now?</prompt>
  </numeric>
  <numeric id="q6" answer="-12.75">
    <prompt>What was the balance, in millions?</prompt>
  </numeric>
  <short_text id="q7" accent_sensitive="true">
    <prompt>What is the capital of Rwanda?</prompt>
    <answer>Kigali</answer>
    <answer>Kigali City</answer>
  </short_text>
  <ordering id="q8" scoring="partial">
    <prompt>Put the steps in order.</prompt>
    <item id="listen">Listen to citizens</item>
    <item id="prototype">Build a prototype</item>
    <item id="scale">Scale up</item>
  </ordering>
  <matching id="q9">
    <prompt>Match each country with its practice.</prompt>
    <pair id="p1">
      <left>Bangladesh</left>
      <right>Cyclone preparedness</right>
    </pair>
    <pair id="p2">
      <left>Rwanda</left>
      <right>Irembo e-services</right>
    </pair>
  </matching>
</kuza_quiz>"""

SAMPLE_SETTINGS = {
    "display_name": "Check your understanding",
    "mode": "graded",
    "max_attempts": "3",
    "pass_mark": "0.7",
    "show_answers": "after_last_attempt",
    "shuffle": "true",
}


def common(id_, type_, prompt, explanation="", weight=1.0):
    return {"id": id_, "type": type_, "prompt": prompt, "explanation": explanation, "weight": weight}


SAMPLE_QUESTIONS = [
    {
        **common("q1", "single_choice", "Who organises the UN Public Service Awards?",
                 "The awards are run by the Division for Public Institutions of **UN DESA**."),
        "choices": [
            {"id": "a", "text": "UN DESA", "correct": True, "feedback": "Yes: UN DESA runs the awards."},
            {"id": "b", "text": "UNDP", "correct": False, "feedback": "No: UNDP runs development programmes."},
        ],
    },
    {
        **common("q2", "multiple_response", "Which of these made services easier to reach?", weight=2.0),
        "scoring": "partial",
        "choices": [
            {"id": "a", "text": "One-stop shops", "correct": True, "feedback": ""},
            {"id": "b", "text": "Mobile payments", "correct": True, "feedback": "Yes: no trip to town."},
            {"id": "c", "text": "Longer forms", "correct": False, "feedback": "No: longer forms mean more work."},
        ],
    },
    {
        **common("q3", "true_false",
                 "The awards have been given **every year** since 2003.\n\nDecide whether this is true."),
        "answer": True, "feedback_true": "Right.", "feedback_false": "It is true: since 2003.",
    },
    {
        **common("q4", "numeric", "How many applications were filed online in the pilot's first month?",
                 "9,827, from the programme's report."),
        "answer": 9827.0, "tolerance": {"kind": "relative", "value": 0.01},
    },
    {
        **common("q5", "numeric", "How many days does a permit take now?", weight=0.5),
        "answer": 2.5, "tolerance": {"kind": "absolute", "value": 0.5},
    },
    {
        **common("q6", "numeric", "What was the balance, in millions?"),
        "answer": -12.75, "tolerance": {"kind": "exact", "value": 0.0},
    },
    {
        **common("q7", "short_text", "What is the capital of Rwanda?"),
        "answers": ["Kigali", "Kigali City"], "case_sensitive": False, "accent_sensitive": True,
    },
    {
        **common("q8", "ordering", "Put the steps in order."),
        "scoring": "partial",
        "items": [
            {"id": "listen", "text": "Listen to citizens"},
            {"id": "prototype", "text": "Build a prototype"},
            {"id": "scale", "text": "Scale up"},
        ],
    },
    {
        **common("q9", "matching", "Match each country with its practice."),
        "pairs": [
            {"id": "p1", "left": "Bangladesh", "right": "Cyclone preparedness"},
            {"id": "p2", "left": "Rwanda", "right": "Irembo e-services"},
        ],
    },
]


def read(olx: str):
    return read_quiz(etree.fromstring(olx))


def write(settings_: dict, questions: list[dict], url_name="ch1-quiz") -> str:
    # As the block will: the host names the node, the block adds its fields and its family.
    node = etree.Element("kuza_quiz")
    node.set("url_name", url_name)
    write_quiz(node, settings_, questions)
    node.set("xblock-family", "xblock.v1")
    return etree.tostring(node, encoding="unicode")


def test_sample_is_read_into_settings_and_questions():
    quiz_settings, questions = read(SAMPLE)
    assert quiz_settings == SAMPLE_SETTINGS
    assert questions == SAMPLE_QUESTIONS


def test_sample_is_written_back_exactly():
    assert write(SAMPLE_SETTINGS, SAMPLE_QUESTIONS) == SAMPLE


def test_every_type_is_in_the_sample():
    assert {q["type"] for q in SAMPLE_QUESTIONS} == set(QUESTION_TYPES)


def test_defaults_are_read_for_attributes_left_out_and_not_written():
    olx = """<kuza_quiz>
  <multiple_response id="q1"><prompt>P</prompt><choice id="a" correct="true">A</choice><choice id="b">B</choice>
  </multiple_response>
  <short_text id="q2"><prompt>P</prompt><answer>A</answer></short_text>
  <ordering id="q3"><prompt>P</prompt><item id="a">A</item><item id="b">B</item></ordering>
  <numeric id="q4" answer="1" tolerance="0"><prompt>P</prompt></numeric>
  <numeric id="q5" answer="1" tolerance="0%"><prompt>P</prompt></numeric>
  <true_false id="q6" answer="false"><prompt>P</prompt></true_false>
</kuza_quiz>"""
    _, questions = read(olx)
    assert questions[0]["scoring"] == "all_or_nothing" and questions[0]["weight"] == 1.0
    assert questions[0]["choices"][1] == {"id": "b", "text": "B", "correct": False, "feedback": ""}
    assert (questions[1]["case_sensitive"], questions[1]["accent_sensitive"]) == (False, False)
    assert questions[2]["scoring"] == "all_or_nothing"
    assert questions[3]["tolerance"] == questions[4]["tolerance"] == {"kind": "exact", "value": 0.0}
    assert (questions[5]["feedback_true"], questions[5]["feedback_false"]) == ("", "")
    written = write({}, questions)
    for absent in ("scoring", "weight", "case_sensitive", "accent_sensitive", "tolerance", "feedback", "correct=\"false"):
        assert absent not in written


def test_booleans_and_settings_values_are_written_as_strings():
    olx = write({"display_name": "Quiz", "shuffle": True, "max_attempts": 0, "question_set": None}, [])
    assert olx == '<kuza_quiz url_name="ch1-quiz" display_name="Quiz" shuffle="true" max_attempts="0" ' \
                  'xblock-family="xblock.v1"/>'
    assert read(olx) == ({"display_name": "Quiz", "shuffle": "true", "max_attempts": "0"}, [])


def test_comments_are_not_content():
    olx = """<kuza_quiz>
  <!-- Chapter 1 -->
  <true_false id="q1" answer="true"><!-- easy --><prompt>P<!-- note --> Q</prompt></true_false>
</kuza_quiz>"""
    assert read(olx)[1][0]["prompt"] == "P Q"


def test_multi_line_text_is_kept_exactly_and_written_flush_left():
    prompt = "  Indented first line\n\n| a | b |\n|---|---|\n| 1 &lt; 2 | x |\n  "
    question = {**common("q1", "true_false", prompt), "answer": True, "feedback_true": "", "feedback_false": ""}
    olx = write({}, [question])
    assert "<prompt>\n  Indented first line\n" in olx and "| x |\n  \n    </prompt>" in olx
    assert read(olx)[1] == [question]


def test_relative_tolerances_read_as_written():
    for percent, fraction in (("5%", 0.05), ("7%", 0.07), ("0.1%", 0.001), ("12.5%", 0.125), ("150%", 1.5)):
        olx = f'<kuza_quiz><numeric id="q" answer="3" tolerance="{percent}"><prompt>P</prompt></numeric></kuza_quiz>'
        assert read(olx)[1][0]["tolerance"] == {"kind": "relative", "value": fraction}
        assert f'tolerance="{percent}"' in write({}, read(olx)[1])


# Round trips of generated quizzes -----------------------------------------------------

# Characters an XML file can carry.
XML_CHARACTERS = st.characters(
    codec="utf-8", exclude_categories=("Cs",), exclude_characters="\ufffe\uffff", min_codepoint=0x09
).filter(lambda c: c in "\t\n\r" or ord(c) >= 0x20)
TEXT = st.text(alphabet=XML_CHARACTERS, max_size=40)
SOME_TEXT = TEXT.filter(str.strip)
IDS = st.from_regex(r"[a-z0-9_-]{1,40}", fullmatch=True)
WEIGHTS = st.one_of(st.just(1.0), st.floats(min_value=1e-6, max_value=1e6))
NUMBERS = st.floats(allow_nan=False, allow_infinity=False)
POSITIVE = st.floats(min_value=0, exclude_min=True, allow_infinity=False)


def question_base(type_):
    return st.fixed_dictionaries({
        "id": IDS, "type": st.just(type_), "prompt": SOME_TEXT, "explanation": TEXT, "weight": WEIGHTS,
    })


def with_keys(type_, **keys):
    return st.tuples(question_base(type_), st.fixed_dictionaries(keys)).map(lambda parts: {**parts[0], **parts[1]})


def distinct(records, *keys):
    return st.lists(records, min_size=2, max_size=5,
                    unique_by=tuple((lambda r, k=k: r[k].strip()) for k in keys))


CHOICES = distinct(
    st.fixed_dictionaries({"id": IDS, "text": SOME_TEXT, "correct": st.booleans(), "feedback": TEXT}), "id", "text"
)


def single_correct(choices, index):
    return [{**c, "correct": i == index % len(choices)} for i, c in enumerate(choices)]


SINGLE_CHOICE = st.builds(
    lambda q, choices, index: {**q, "choices": single_correct(choices, index)},
    question_base("single_choice"), CHOICES, st.integers(0, 4),
)
MULTIPLE_RESPONSE = with_keys(
    "multiple_response", choices=CHOICES.filter(lambda cs: any(c["correct"] for c in cs)),
    scoring=st.sampled_from(["all_or_nothing", "partial"]),
)
TRUE_FALSE = with_keys("true_false", answer=st.booleans(), feedback_true=TEXT, feedback_false=TEXT)
NUMERIC = st.one_of(
    with_keys("numeric", answer=NUMBERS, tolerance=st.just({"kind": "exact", "value": 0.0})),
    with_keys("numeric", answer=NUMBERS, tolerance=st.fixed_dictionaries({"kind": st.just("absolute"),
                                                                         "value": POSITIVE})),
    with_keys("numeric", answer=NUMBERS.filter(bool), tolerance=st.fixed_dictionaries({"kind": st.just("relative"),
                                                                                      "value": POSITIVE})),
)
SHORT_TEXT = with_keys("short_text", answers=st.lists(SOME_TEXT, min_size=1, max_size=3),
                       case_sensitive=st.booleans(), accent_sensitive=st.booleans())
ORDERING = with_keys("ordering", items=distinct(st.fixed_dictionaries({"id": IDS, "text": SOME_TEXT}), "id", "text"),
                     scoring=st.sampled_from(["all_or_nothing", "partial"]))
MATCHING = with_keys("matching", pairs=distinct(
    st.fixed_dictionaries({"id": IDS, "left": SOME_TEXT, "right": SOME_TEXT}), "id", "left", "right"))
QUESTIONS = st.lists(
    st.one_of(SINGLE_CHOICE, MULTIPLE_RESPONSE, TRUE_FALSE, NUMERIC, SHORT_TEXT, ORDERING, MATCHING),
    max_size=6, unique_by=lambda q: q["id"],
)
SETTINGS = st.dictionaries(st.sampled_from(sorted(SAMPLE_SETTINGS) + ["weight", "question_set"]), TEXT, max_size=4)


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(quiz_settings=SETTINGS, questions=QUESTIONS)
def test_generated_quizzes_round_trip_exactly(quiz_settings, questions):
    assert all(validate(q) == [] for q in questions)
    olx = write(quiz_settings, questions)
    assert read(olx) == (quiz_settings, questions)
    assert write(*read(olx)) == olx


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(questions=QUESTIONS.filter(bool))
def test_correct_responses_of_generated_questions_score_one(questions):
    for question in questions:
        assert grade(question, QUESTION_TYPES[question["type"]].correct_response(question)).correct


# Malformed quizzes --------------------------------------------------------------------


def error_of(olx: str) -> tuple[str, int | None]:
    with pytest.raises(OLXError) as caught:
        read(olx)
    return caught.value.message, caught.value.line


QUESTION_TYPE_LIST = "single_choice, multiple_response, true_false, numeric, short_text, ordering, matching"


@pytest.mark.parametrize(
    ("olx", "message", "line"),
    [
        pytest.param(
            """<kuza_quiz>
  <true_false id="q1" answer="true"><prompt>P</prompt></true_false>
  <essay id="q2"><prompt>Why?</prompt></essay>
</kuza_quiz>""",
            f"<essay> is not a question type; use one of: {QUESTION_TYPE_LIST}.", 3, id="unknown question type"),
        pytest.param(
            """<kuza_quiz>
  <single_choice id="q1">
    <prompt>Who?</prompt>
    <choice id="a">A</choice>
    <choice id="b" correct="false">B</choice>
  </single_choice>
</kuza_quiz>""",
            '<single_choice id="q1">: no choice is marked correct="true"; mark exactly one.', 2,
            id="no correct answer"),
        pytest.param(
            """<kuza_quiz>

  <multiple_response id="q1"><prompt>Who?</prompt><choice id="a">A</choice><choice id="b">B</choice>
  </multiple_response>
</kuza_quiz>""",
            '<multiple_response id="q1">: no choice is marked correct="true"; mark at least one.', 3,
            id="multiple response without a correct answer"),
        pytest.param(
            """<kuza_quiz>
  <single_choice id="q1">
    <prompt>Who?</prompt>
    <choice id="a" correct="true">A</choice>
    <choice id="b" correct="true">B</choice>
  </single_choice>
</kuza_quiz>""",
            '<single_choice id="q1">: 2 choices are marked correct="true", but a single choice question has exactly'
            " one (use <multiple_response> to accept several).", 2, id="two correct answers in single choice"),
        pytest.param(
            """<kuza_quiz>
  <numeric id="q1" answer="12" tolerance="about 1"><prompt>How many?</prompt></numeric>
</kuza_quiz>""",
            '<numeric id="q1"> attribute "tolerance" is "about 1", which is not a number: write an absolute'
            ' tolerance such as tolerance="0.5", a relative one such as tolerance="5%", or tolerance="0" for an'
            " exact answer.", 2, id="tolerance not a number"),
        pytest.param(
            """<kuza_quiz>
  <numeric id="q1" answer="12" tolerance="0,5"><prompt>How many?</prompt></numeric>
</kuza_quiz>""",
            '<numeric id="q1"> attribute "tolerance" is "0,5", which is not a number: write an absolute tolerance'
            ' such as tolerance="0.5", a relative one such as tolerance="5%", or tolerance="0" for an exact answer.'
            " OLX numbers use a decimal point, not a comma.", 2, id="tolerance with a decimal comma"),
        pytest.param(
            """<kuza_quiz>
  <numeric id="q1" answer="12" tolerance="-1"><prompt>How many?</prompt></numeric>
</kuza_quiz>""",
            '<numeric id="q1"> tolerance "-1" is negative; a tolerance is 0 or more.', 2, id="negative tolerance"),
        pytest.param(
            """<kuza_quiz>
  <numeric id="q1" answer="1e3"><prompt>How many?</prompt></numeric>
</kuza_quiz>""",
            '<numeric id="q1"> attribute "answer" is "1e3", which is not a number.', 2, id="answer not a number"),
        pytest.param(
            """<kuza_quiz>
  <numeric id="q1"><prompt>How many?</prompt></numeric>
</kuza_quiz>""",
            '<numeric id="q1"> has no answer: add answer="…" with the number.', 2, id="numeric without answer"),
        pytest.param(
            """<kuza_quiz>
  <numeric id="q1" answer="0" tolerance="5%"><prompt>How many?</prompt></numeric>
</kuza_quiz>""",
            '<numeric id="q1">: a relative tolerance around an answer of 0 accepts only 0 itself; give an absolute'
            ' tolerance instead, such as tolerance="0.01".', 2, id="relative tolerance around 0"),
        pytest.param(
            """<kuza_quiz>
  <true_false id="q1" answer="yes"><prompt>True?</prompt></true_false>
</kuza_quiz>""",
            '<true_false id="q1"> attribute "answer" must be "true" or "false", not "yes".', 2,
            id="true false answer not a boolean"),
        pytest.param(
            """<kuza_quiz>
  <true_false id="q1"><prompt>True?</prompt></true_false>
</kuza_quiz>""",
            '<true_false id="q1"> has no answer: add answer="true" or answer="false".', 2,
            id="true false without answer"),
        pytest.param(
            """<kuza_quiz>
  <true_false id="q1" answer="true"><prompt>A</prompt></true_false>
  <true_false id="q2" answer="true"><prompt>B</prompt></true_false>
  <true_false id="q1" answer="false"><prompt>C</prompt></true_false>
</kuza_quiz>""",
            'two questions have the id "q1"; the first is on line 2. Give each question of a quiz its own id.', 4,
            id="duplicate question ids"),
        pytest.param(
            """<kuza_quiz>
  <single_choice id="q1">
    <prompt>Who?</prompt>
    <choice id="a" correct="true">A</choice>
    <choice id="a">B</choice>
  </single_choice>
</kuza_quiz>""",
            '<single_choice id="q1">: two choices have the id "a".', 2, id="duplicate choice ids"),
        pytest.param(
            """<kuza_quiz>
  <true_false id="q1" answer="true">
    <explanation>Because.</explanation>
  </true_false>
</kuza_quiz>""",
            '<true_false id="q1">: it has no prompt: write the question in <prompt>.', 2, id="missing prompt"),
        pytest.param(
            """<kuza_quiz>
  <true_false id="q1" answer="true">
    <prompt>A</prompt>
    <prompt>B</prompt>
  </true_false>
</kuza_quiz>""",
            '<true_false id="q1"> has more than one <prompt>.', 4, id="two prompts"),
        pytest.param(
            """<kuza_quiz>
  <true_false answer="true"><prompt>A</prompt></true_false>
</kuza_quiz>""",
            "<true_false>: a question has no id.", 2, id="missing question id"),
        pytest.param(
            """<kuza_quiz>
  <true_false id="Question 1" answer="true"><prompt>A</prompt></true_false>
</kuza_quiz>""",
            '<true_false id="Question 1">: question id \'Question 1\' must be 1 to 40 lowercase letters, digits,'
            ' "_" or "-".', 2, id="invalid question id"),
        pytest.param(
            """<kuza_quiz>
  <true_false id="q1" answer="true" points="2"><prompt>A</prompt></true_false>
</kuza_quiz>""",
            '<true_false id="q1"> has an unknown attribute "points"; it accepts id, weight, answer, feedback_true'
            " and feedback_false.", 2, id="unknown question attribute"),
        pytest.param(
            """<kuza_quiz>
  <single_choice id="q1">
    <prompt>Who?</prompt>
    <choice id="a" correct="true">A</choice>
    <choice id="b" corect="true">B</choice>
  </single_choice>
</kuza_quiz>""",
            '<choice id="b"> has an unknown attribute "corect"; it accepts id, correct and feedback.', 5,
            id="unknown choice attribute"),
        pytest.param(
            """<kuza_quiz>
  <single_choice id="q1">
    <prompt>Who?</prompt>
    <choice id="a" correct="true">A</choice>
    <choice id="b">B<feedback>No.</feedback></choice>
  </single_choice>
</kuza_quiz>""",
            '<choice> must contain only text, but it contains the element <feedback>. To show markup in the text,'
            ' escape it: write "&lt;" for "<" and "&amp;" for "&".', 5, id="element inside a choice"),
        pytest.param(
            """<kuza_quiz>
  <single_choice id="q1">
    <prompt>Who?</prompt>
    <hint>Think.</hint>
  </single_choice>
</kuza_quiz>""",
            '<single_choice id="q1"> cannot contain <hint>; it holds <prompt>, <choice> and <explanation>.', 4,
            id="unknown child element"),
        pytest.param(
            """<kuza_quiz>
  <true_false id="q1" answer="true">Is it true?</true_false>
</kuza_quiz>""",
            '<true_false id="q1"> holds text outside its <prompt> and <explanation>: move the text into one of'
            " them.", 2, id="text outside the prompt"),
        pytest.param(
            """<kuza_quiz>
  Answer all questions.
  <true_false id="q1" answer="true"><prompt>A</prompt></true_false>
</kuza_quiz>""",
            "<kuza_quiz> holds text outside any question: put it in a question's <prompt>.", 1,
            id="text outside questions"),
        pytest.param(
            """<kuza_quiz>
  <true_false id="q1" answer="true" weight="heavy"><prompt>A</prompt></true_false>
</kuza_quiz>""",
            '<true_false id="q1"> attribute "weight" is "heavy", which is not a number.', 2, id="weight not a number"),
        pytest.param(
            """<kuza_quiz>
  <true_false id="q1" answer="true" weight="0"><prompt>A</prompt></true_false>
</kuza_quiz>""",
            '<true_false id="q1">: its weight must be a number greater than 0, not 0.0.', 2, id="zero weight"),
        pytest.param(
            """<kuza_quiz>
  <short_text id="q1"><prompt>Capital?</prompt></short_text>
</kuza_quiz>""",
            '<short_text id="q1">: it has no accepted answer: add at least one <answer>.', 2,
            id="short text without answer"),
        pytest.param(
            """<kuza_quiz>
  <ordering id="q1" scoring="some"><prompt>Order</prompt><item id="a">A</item></ordering>
</kuza_quiz>""",
            '<ordering id="q1">: it needs at least 2 items (<item> elements), but has 1; its scoring must be'
            ' "all_or_nothing" or "partial", not "some".', 2, id="ordering with one item and bad scoring"),
        pytest.param(
            """<kuza_quiz>
  <matching id="q1">
    <prompt>Match</prompt>
    <pair id="p1"><left>A</left><right>X</right></pair>
    <pair id="p2"><left>B</left></pair>
  </matching>
</kuza_quiz>""",
            '<matching id="q1">: pair "p2" has no <right> text.', 2, id="pair without a right side"),
        pytest.param(
            """<kuza_quiz>
  <matching id="q1">
    <prompt>Match</prompt>
    <pair id="p1"><left>A</left><right>X</right></pair>
    <pair id="p2"><left>B</left><right>Y</right><right>Z</right></pair>
  </matching>
</kuza_quiz>""",
            '<pair id="p2"> has more than one <right>.', 5, id="pair with two right sides"),
    ],
)
def test_malformed_quizzes_are_refused_with_the_line_and_a_clear_reason(olx, message, line):
    assert error_of(olx) == (message, line)


# The authoring guide -------------------------------------------------------------------

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "authoring.md"


def guide_examples() -> list[str]:
    if not GUIDE.exists():  # an sdist of the package has no docs/
        return []
    # The "Quizzes" section only: the guide's later sections show other blocks.
    quizzes = GUIDE.read_text(encoding="utf-8").partition("\n## Quizzes\n")[2].partition("\n## ")[0]
    return re.findall(r"```xml\n(.*?)```", quizzes, flags=re.DOTALL)


@pytest.mark.skipif(not guide_examples(), reason="docs/authoring.md is not beside this package")
def test_every_example_in_the_authoring_guide_reads_and_writes_back():
    examples = guide_examples()
    assert len(examples) >= 8
    types = set()
    for example in examples:
        olx = example if example.startswith("<kuza_quiz") else f"<kuza_quiz>\n{example}</kuza_quiz>"
        quiz_settings, questions = read(olx)
        types |= {q["type"] for q in questions}
        assert read(write(quiz_settings, questions)) == (quiz_settings, questions)
    assert types == set(QUESTION_TYPES)
