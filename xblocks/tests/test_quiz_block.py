"""Tests for the kuza_quiz block on xblock-sdk's workbench runtime: grading through the handler, attempts, policies, leaks."""

import json
import re
from collections import Counter
from importlib import resources

import lxml.html
import pytest
from lxml import etree
from webob import Request
from xblock.completable import XBlockCompletionMode
from xblock.core import XBlock
from xblock.fields import Scope, ScopeIds

from kuza_xblocks.quiz.block import QuizBlock, script, stylesheet

# Every string that must stay out of the page until the policy allows it.
SECRET = {
    "feedback": "FEEDBACK-on-b",
    "right feedback": "FEEDBACK-on-a",
    "explanation": "EXPLANATION-of-q1",
    "tf feedback": "FEEDBACK-tf-true",
    "tf explanation": "EXPLANATION-of-tf",
}

QUIZ = """\
<kuza_quiz url_name="quiz" display_name="Check" mode="graded" max_attempts="{max_attempts}" show_answers="{show_answers}" xblock-family="xblock.v1">
  <single_choice id="q1" weight="2">
    <prompt>Pick the right one.</prompt>
    <choice id="a" correct="true" feedback="FEEDBACK-on-a">Right choice</choice>
    <choice id="b" feedback="FEEDBACK-on-b">Wrong choice</choice>
    <explanation>EXPLANATION-of-q1</explanation>
  </single_choice>
  <true_false id="tf" answer="false" feedback_true="FEEDBACK-tf-true">
    <prompt>The sky is green.</prompt>
    <explanation>EXPLANATION-of-tf</explanation>
  </true_false>
</kuza_quiz>
"""

# One question of each type, with a right and a wrong answer as a learner gives them:
# by the labels and options they see.
TYPES = {
    "single_choice": (
        """<single_choice id="q"><prompt>Who runs the awards?</prompt>
        <choice id="a" correct="true">UN DESA</choice><choice id="b">UNDP</choice><choice id="c">OECD</choice></single_choice>""",
        {"choose": ["UN DESA"]},
        {"choose": ["OECD"]},
    ),
    "multiple_response": (
        """<multiple_response id="q"><prompt>Which are evidence?</prompt>
        <choice id="a" correct="true">Waiting times fell</choice><choice id="b" correct="true">Fewer complaints</choice>
        <choice id="c">More posters</choice></multiple_response>""",
        {"choose": ["Waiting times fell", "Fewer complaints"]},
        {"choose": ["Waiting times fell", "More posters"]},
    ),
    "true_false": (
        """<true_false id="q" answer="false"><prompt>Copy practices unchanged.</prompt></true_false>""",
        {"choose": ["False"]},
        {"choose": ["True"]},
    ),
    "numeric": (
        """<numeric id="q" answer="2.5" tolerance="0.1"><prompt>Half of 5?</prompt></numeric>""",
        {"type": "2,55"},
        {"type": "3"},
    ),
    "short_text": (
        """<short_text id="q"><prompt>Short name?</prompt><answer>UN DESA</answer></short_text>""",
        {"type": "  un   désa "},
        {"type": "UNDP"},
    ),
    "ordering": (
        """<ordering id="q"><prompt>Order them.</prompt><item id="s">Study</item><item id="a">Adapt</item>
        <item id="p">Pilot</item></ordering>""",
        {"select": {"Study": "1", "Adapt": "2", "Pilot": "3"}},
        {"select": {"Study": "3", "Adapt": "2", "Pilot": "1"}},
    ),
    "matching": (
        """<matching id="q"><prompt>Match.</prompt>
        <pair id="rw"><left>Rwanda</left><right>Africa</right></pair>
        <pair id="co"><left>Colombia</left><right>Latin America</right></pair></matching>""",
        {"select": {"Rwanda": "Africa", "Colombia": "Latin America"}},
        {"select": {"Rwanda": "Latin America", "Colombia": "Africa"}},
    ),
}


def quiz_olx(questions, **settings):
    attributes = " ".join(f'{name}="{value}"' for name, value in settings.items())
    return f'<kuza_quiz url_name="t" {attributes}>{questions}</kuza_quiz>'


@pytest.fixture
def events(runtime, monkeypatch):
    """Every event the blocks on ``runtime`` publish, as (event type, data)."""
    published = []
    monkeypatch.setattr(runtime, "publish", lambda block, event_type, data: published.append((event_type, data)))
    return published


@pytest.fixture
def make_quiz(runtime, new_keys):
    """Build a QuizBlock from OLX, as a host loading a course package does."""

    def make(olx=None, *, user_id=None, keys=None, on_runtime=None, **settings):
        target = on_runtime or runtime
        if olx is None:
            olx = QUIZ.format(max_attempts=settings.pop("max_attempts", 0), show_answers=settings.pop("show_answers", "always"))
        keys = keys or new_keys(target, "kuza_quiz")
        if user_id is not None:
            keys = ScopeIds(user_id, keys.block_type, keys.def_id, keys.usage_id)
        block = QuizBlock.parse_xml(etree.fromstring(olx), target, keys)
        for name, value in settings.items():
            setattr(block, name, value)
        return block

    return make


def html_of(block):
    return block.student_view({}).content


def token_of(html):
    return re.search(r'name="submission" value="([^"]+)"', html).group(1)


def label_text(label):
    # The option's own text, without the "(correct answer)" mark a revealed page adds.
    text = label.find("bdi")
    return (text if text is not None else label).text_content().strip()


def form_fields(html, answer):
    """The form fields a learner sends by choosing labels, typing, or picking options by their text."""
    page = lxml.html.fragment_fromstring(html, create_parent="div")
    fields = {}
    for text in answer.get("choose", ()):
        (label,) = [label for label in page.iter("label") if label_text(label) == text]
        control = page.get_element_by_id(label.get("for"))
        fields.setdefault(control.get("name"), []).append(control.get("value"))
    if "type" in answer:
        (control,) = page.xpath("//input[@type='text']")
        fields[control.get("name")] = [answer["type"]]
    for text, option_text in answer.get("select", {}).items():
        (label,) = [label for label in page.iter("label") if label_text(label) == text]
        control = page.get_element_by_id(label.get("for"))
        (option,) = [option for option in control.iter("option") if option.text_content() == option_text]
        fields[control.get("name")] = [option.get("value")]
    return fields


def post_form(block, fields, token=None, **extra):
    body = [("submission", token or token_of(html_of(block)))]
    body += [(name, value) for name, values in fields.items() for value in values]
    body += list(extra.items())
    request = Request.blank("/", method="POST", POST=body)
    return block.handle("submit", request)


def post_json(block, fields, token=None):
    request = Request.blank("/", method="POST", headers={"Accept": "application/json"})
    request.content_type = "application/json"
    request.body = json.dumps({"submission": token or token_of(html_of(block)), "responses": fields}).encode()
    return block.handle("submit", request)


def answer_quiz(block, right=True, *, via="json"):
    """Submit QUIZ with both questions right, or both wrong."""
    html = html_of(block)
    fields = form_fields(html, {"choose": ["Right choice", "False"] if right else ["Wrong choice", "True"]})
    return (post_json if via == "json" else post_form)(block, fields, token_of(html))


# Registration, fields, scoring and completion


def test_block_is_registered_as_kuza_quiz():
    assert XBlock.load_class("kuza_quiz") is QuizBlock


def test_fields_scopes_and_defaults(make_quiz):
    block = make_quiz(quiz_olx(""))
    assert QuizBlock.questions.scope == Scope.content
    assert QuizBlock.attempts.scope == Scope.user_state
    for name in ("display_name", "mode", "max_attempts", "pass_mark", "weight", "show_answers", "shuffle", "question_set"):
        assert QuizBlock.fields[name].scope == Scope.settings, name
    assert (block.display_name, block.mode, block.max_attempts, block.pass_mark, block.weight) == ("Quiz", "graded", 0, 0.6, 1.0)
    assert (block.show_answers, block.shuffle, block.question_set, block.questions, block.attempts) == (
        "always", False, "", [], []
    )


def test_score_is_the_sum_of_question_weights_and_completion_is_custom(make_quiz):
    block = make_quiz()
    assert QuizBlock.has_score is True
    assert block.max_score() == 3.0
    assert QuizBlock.completion_mode == XBlockCompletionMode.COMPLETABLE
    assert QuizBlock.has_custom_completion is True


# Each type, right and wrong, through the handler


@pytest.mark.parametrize("via", ["form", "json"])
@pytest.mark.parametrize("kind", sorted(TYPES))
@pytest.mark.parametrize("right", [True, False], ids=["right", "wrong"])
def test_each_type_is_graded_through_the_handler(make_quiz, events, kind, right, via):
    question, right_answer, wrong_answer = TYPES[kind]
    block = make_quiz(quiz_olx(question, max_attempts=3))
    html = html_of(block)
    fields = form_fields(html, right_answer if right else wrong_answer)
    response = (post_form if via == "form" else post_json)(block, fields, token_of(html))
    assert response.status_code == (303 if via == "form" else 200)
    (attempt,) = block.attempts
    assert attempt["results"]["q"]["correct"] is right
    assert attempt["results"]["q"]["answered"] is True
    grade = [data for event, data in events if event == "grade"]
    assert grade == [{"value": 1.0 if right else 0.0, "max_value": 1.0}]


def test_decimal_comma_and_normalised_text_are_stored_as_typed(make_quiz):
    question, right_answer, _ = TYPES["numeric"]
    block = make_quiz(quiz_olx(question))
    post_form(block, form_fields(html_of(block), right_answer))
    assert block.attempts[0]["responses"] == {"q": "2,55"}


def test_responses_are_stored_with_authored_ids(make_quiz):
    question, right_answer, _ = TYPES["matching"]
    block = make_quiz(quiz_olx(question))
    post_json(block, form_fields(html_of(block), right_answer))
    assert block.attempts[0]["responses"] == {"q": {"rw": "rw", "co": "co"}}
    question, right_answer, _ = TYPES["ordering"]
    block = make_quiz(quiz_olx(question))
    post_form(block, form_fields(html_of(block), right_answer))
    assert block.attempts[0]["responses"] == {"q": ["s", "a", "p"]}


# Events, attempts and history


def test_a_submission_publishes_grade_then_attempt_then_completion(make_quiz, events):
    block = make_quiz(mode="practice", question_set="set-1")
    answer_quiz(block, right=False)
    assert [event for event, _ in events] == ["grade", "kuza.quiz.attempt", "completion"]
    grade, attempt, completion = (data for _, data in events)
    assert grade == {"value": 0.0, "max_value": 3.0}
    assert completion == {"completion": 1.0}
    stored = block.attempts[0]
    assert attempt == {
        "attempt_id": stored["id"],
        "mode": "practice",
        "question_set": "set-1",
        "submitted_at": stored["submitted_at"],
        "responses": {"q1": "b", "tf": True},
        "results": {
            "q1": {"score": 0.0, "correct": False, "answered": True, "invalid": False},
            "tf": {"score": 0.0, "correct": False, "answered": True, "invalid": False},
        },
        "earned": 0.0,
        "possible": 3.0,
        "passed": False,
    }
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", stored["submitted_at"])
    json.dumps(attempt)  # hosts store it as JSON


def test_weighted_points_and_pass_mark(make_quiz, events):
    block = make_quiz(pass_mark=0.6)
    html = html_of(block)
    post_json(block, form_fields(html, {"choose": ["Right choice", "True"]}), token_of(html))
    assert events[0][1] == {"value": 2.0, "max_value": 3.0}
    assert block.attempts[0]["passed"] is True
    assert block.attempts[0]["earned"] == 2.0


def test_attempts_are_appended_and_listed_with_date_and_score(make_quiz):
    block = make_quiz(max_attempts=3)
    answer_quiz(block, right=False)
    first = dict(block.attempts[0])
    answer_quiz(block, right=True, via="form")
    assert len(block.attempts) == 2
    assert block.attempts[0] == first  # never rewritten
    assert block.attempts[1]["earned"] == 3.0
    html = html_of(block)
    history = lxml.html.fragment_fromstring(html, create_parent="div").find_class("kuza-quiz-history")[0]
    headers = [header.text_content() for header in history.find("thead").iter("th")]
    assert headers == ["Attempt", "Submitted", "Score", "Result"]
    rows = []
    for row in history.find("tbody").iter("tr"):
        cells = row.xpath("th|td")
        assert cells[0].tag == "th" and cells[0].get("scope") == "row"
        # Each cell repeats its column's header for narrow screens, hidden from screen readers.
        labels = [cell.find_class("kuza-quiz-cell-label")[0] for cell in cells]
        assert [label.text for label in labels] == headers
        assert {label.get("aria-hidden") for label in labels} == {"true"}
        rows.append([cell.text_content()[len(label.text):].strip() for cell, label in zip(cells, labels)])
    assert [row[0] for row in rows] == ["1", "2"]
    assert rows[0][2] == "0 of 3 (0%)" and rows[1][2] == "3 of 3 (100%)"
    assert rows[0][3] == "Not passed" and rows[1][3] == "Passed"
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d\xa0UTC", rows[0][1])
    assert f'datetime="{first["submitted_at"]}"' in html


def test_the_page_after_a_form_post_shows_result_and_attempts_left(make_quiz):
    block = make_quiz(max_attempts=2, pass_mark=0.5)
    response = answer_quiz(block, right=True, via="form")
    assert response.status_code == 303
    html = html_of(block)
    assert 'id="' in html and "Your result" in html
    assert "Score: 3 of 3 (100%)." in html
    assert "You passed." in html
    assert "Attempts used: 1 of 2." in html and "Attempts left: 1." in html
    # The learner's answers are still chosen, so a second attempt starts from the first.
    page = lxml.html.fragment_fromstring(html, create_parent="div")
    checked = [label_text(i.getnext()) for i in page.xpath("//input[@checked]")]
    assert checked == ["Right choice", "False"]


def test_json_answer_carries_the_re_rendered_block_and_a_summary(make_quiz):
    block = make_quiz(max_attempts=2, show_answers="never")
    response = answer_quiz(block, right=False)
    assert response.status_code == 200
    assert response.content_type == "application/json"
    body = response.json
    assert body["html"].startswith('<div class="kuza-quiz"')
    assert "Your result" in body["html"]
    # A fresh token: the re-rendered form is a new submission.
    assert token_of(body["html"]) != block.attempts[0]["id"]
    assert body["result"] == {
        "attempts_used": 1,
        "attempts_left": 1,
        "repeated": False,
        "attempt_id": block.attempts[0]["id"],
        "earned": 0.0,
        "possible": 3.0,
        "passed": False,
        "questions": {
            "q1": {"score": 0.0, "correct": False, "answered": True},
            "tf": {"score": 0.0, "correct": False, "answered": True},
        },
    }


# Double submission and the attempt limit


@pytest.mark.parametrize("via", ["form", "json"])
def test_a_form_sent_twice_counts_once(make_quiz, events, via):
    block = make_quiz(max_attempts=5)
    html = html_of(block)
    fields = form_fields(html, {"choose": ["Right choice", "False"]})
    post = post_form if via == "form" else post_json
    first = post(block, fields, token_of(html))
    events.clear()
    again = post(block, form_fields(html, {"choose": ["Wrong choice", "True"]}), token_of(html))
    assert len(block.attempts) == 1
    assert block.attempts[0]["earned"] == 3.0  # the first one stands
    assert events == []
    assert again.status_code == first.status_code
    if via == "json":
        assert again.json["result"]["repeated"] is True
        assert again.json["result"]["attempt_id"] == first.json["result"]["attempt_id"]
        assert again.json["result"]["earned"] == 3.0


def test_the_attempt_limit_refuses_the_next_attempt(make_quiz, events):
    block = make_quiz(max_attempts=2)
    answer_quiz(block, right=False)
    answer_quiz(block, right=False, via="form")
    events.clear()
    refused = answer_quiz(block, right=True)
    assert refused.status_code == 409
    assert refused.json["error"] == "You have used all your attempts at this quiz, so this one was not recorded."
    assert refused.json["error"] in refused.json["html"]
    assert refused.json["result"]["attempts_left"] == 0
    assert len(block.attempts) == 2 and events == []
    by_form = answer_quiz(block, right=True, via="form")
    assert by_form.status_code == 303
    assert len(block.attempts) == 2 and events == []
    html = html_of(block)
    assert "You have used all your attempts." in html
    assert "<button" not in html
    assert all(" disabled" in tag for tag in re.findall(r"<input type=\"radio\"[^>]*>", html))


def test_a_resent_last_attempt_is_answered_even_at_the_limit(make_quiz, events):
    block = make_quiz(max_attempts=1)
    html = html_of(block)
    fields = form_fields(html, {"choose": ["Right choice", "False"]})
    post_json(block, fields, token_of(html))
    events.clear()
    again = post_json(block, fields, token_of(html))
    assert again.status_code == 200 and again.json["result"]["repeated"] is True
    assert events == []


def test_unlimited_attempts(make_quiz):
    block = make_quiz(max_attempts=0)
    for _ in range(4):
        answer_quiz(block, right=False)
    assert len(block.attempts) == 4
    html = html_of(block)
    assert "Attempts used: 4." in html and "<button" in html


# Malformed posts


def test_a_post_without_a_valid_token_is_refused(make_quiz):
    block = make_quiz()
    fields = form_fields(html_of(block), {"choose": ["Right choice"]})
    for token in ("", "not-a-token", "../../x"):
        request = Request.blank("/", method="POST", POST={"submission": token, **{k: v[0] for k, v in fields.items()}})
        assert block.handle("submit", request).status_code == 400
    response = post_json(block, fields, token="nope")
    assert response.status_code == 400
    assert response.json == {"error": "This quiz page is out of date. Reload the page and submit your answers again."}
    assert block.attempts == []


@pytest.mark.parametrize(
    "fields",
    [
        {"q-q1": ["9"]},  # an option the page did not offer
        {"q-q1": ["0", "1"]},  # two answers to a single choice
        {"q-tf": ["maybe"]},
        {"q-q1": ["x" * 501]},
    ],
)
def test_a_value_the_page_cannot_have_offered_is_refused(make_quiz, fields):
    block = make_quiz()
    assert post_form(block, fields).status_code == 400
    assert post_json(block, fields).status_code == 400
    assert block.attempts == []


def test_a_json_body_of_another_shape_is_refused(make_quiz):
    block = make_quiz()
    for body in (b"[]", b"not json", b'{"submission": "x", "responses": []}'):
        request = Request.blank("/", method="POST")
        request.content_type = "application/json"
        request.body = body
        assert block.handle("submit", request).status_code == 400


def test_get_is_not_allowed(make_quiz):
    response = make_quiz().handle("submit", Request.blank("/"))
    assert response.status_code == 405
    assert response.headers["Allow"] == "POST"


def test_host_fields_and_unanswered_questions_are_ignored(make_quiz):
    block = make_quiz()
    response = post_form(block, {}, csrf_token="abc", return_to="/courses/x/unit/u1")
    assert response.status_code == 303
    assert block.attempts[0]["responses"] == {}
    assert block.attempts[0]["results"]["q1"]["answered"] is False


# Redirect after POST


@pytest.mark.parametrize(
    ("return_to", "referer", "expected"),
    [
        ("/courses/demo/unit/u1", None, "/courses/demo/unit/u1"),
        ("//evil.example/x", "http://localhost/unit", "http://localhost/unit"),
        ("/\\evil.example", None, "."),
        ("https://evil.example/", None, "."),
        (None, "http://localhost/courses/u?x=1", "http://localhost/courses/u?x=1"),
        (None, "http://evil.example/courses/u", "."),
        (None, None, "."),
    ],
)
def test_a_form_post_redirects_back_to_the_page(make_quiz, return_to, referer, expected):
    block = make_quiz()
    body = {"submission": token_of(html_of(block))}
    if return_to is not None:
        body["return_to"] = return_to
    request = Request.blank("/", method="POST", POST=body, headers={"Referer": referer} if referer else {})
    response = block.handle("submit", request)
    assert response.status_code == 303
    assert response.headers["Location"] == expected


# Shuffling


SIX = quiz_olx(
    '<single_choice id="q"><prompt>Pick.</prompt>'
    + "".join(f'<choice id="c{i}"{" correct=\"true\"" if i == 0 else ""}>Choice {i}</choice>' for i in range(6))
    + "</single_choice>",
    shuffle="true",
)


def choice_order(html):
    return re.findall(r"<bdi>(Choice \d)</bdi>", html)


def test_shuffled_choices_stay_in_the_same_order_for_a_learner(make_quiz, new_keys, runtime):
    keys = new_keys(runtime, "kuza_quiz")
    first = choice_order(html_of(make_quiz(SIX, user_id="amina", keys=keys)))
    again = choice_order(html_of(make_quiz(SIX, user_id="amina", keys=keys)))
    assert first == again and sorted(first) == [f"Choice {i}" for i in range(6)]


def test_shuffled_choices_differ_between_learners(make_quiz, new_keys, runtime):
    keys = new_keys(runtime, "kuza_quiz")
    orders = {tuple(choice_order(html_of(make_quiz(SIX, user_id=f"learner-{n}", keys=keys)))) for n in range(8)}
    assert len(orders) > 1


def test_choices_keep_their_order_without_shuffle(make_quiz):
    olx = SIX.replace(' shuffle="true"', "")
    assert choice_order(html_of(make_quiz(olx))) == [f"Choice {i}" for i in range(6)]


def test_a_shuffled_quiz_grades_what_the_learner_chose(make_quiz, new_keys, runtime):
    keys = new_keys(runtime, "kuza_quiz")
    for n in range(4):
        block = make_quiz(SIX, user_id=f"learner-{n}", keys=keys)
        html = html_of(block)
        post_form(block, form_fields(html, {"choose": ["Choice 0"]}), token_of(html))
        assert block.attempts[-1]["responses"] == {"q": "c0"}
        assert block.attempts[-1]["results"]["q"]["correct"] is True


def test_the_page_names_options_by_position_not_by_authored_id(make_quiz):
    for kind, (question, _, _) in TYPES.items():
        html = html_of(make_quiz(quiz_olx(question)))
        values = set(re.findall(r'value="([^"]*)"', html)) - {token_of(html)}
        assert values <= {"", "true", "false", "0", "1", "2", "3"}, kind


# No answer leakage, and each show_answers policy


ALL_SECRETS = [*SECRET.values(), "(correct answer)", "The correct answer is", "Explanation"]


def assert_hidden(text):
    for secret in ALL_SECRETS:
        assert secret not in text, secret


def test_nothing_is_revealed_before_submitting(make_quiz):
    block = make_quiz(show_answers="always")
    fragment = block.student_view({})
    assert_hidden(fragment.content)
    assert_hidden(json.dumps(fragment.json_init_args))
    assert "kuza-quiz-status" not in fragment.content


def test_always_reveals_everything_after_the_first_submission(make_quiz):
    block = make_quiz(show_answers="always", max_attempts=3)
    response = answer_quiz(block, right=False)
    for text in (response.json["html"], html_of(block)):
        assert "FEEDBACK-on-b" in text and "FEEDBACK-tf-true" in text  # feedback on what was chosen
        assert "FEEDBACK-on-a" not in text  # not on what was not chosen
        assert "EXPLANATION-of-q1" in text and "EXPLANATION-of-tf" in text
        assert re.search(r"Right choice</bdi> <strong>\(correct answer\)</strong>", text)
        assert "The correct answer is: False" in text


def test_never_reveals_only_right_or_wrong_and_the_score(make_quiz):
    block = make_quiz(show_answers="never", max_attempts=2)
    first = answer_quiz(block, right=False)
    last = answer_quiz(block, right=False)
    for text in (first.json["html"], last.json["html"], html_of(block), json.dumps(last.json["result"])):
        assert_hidden(text)
    html = html_of(block)
    assert "Incorrect." in html and "Points: 0 of 2." in html
    assert "Score: 0 of 3 (0%)." in html


def test_after_passing_reveals_once_an_attempt_passed(make_quiz):
    block = make_quiz(show_answers="after_passing", max_attempts=3)
    failed = answer_quiz(block, right=False)
    assert_hidden(failed.json["html"])
    assert "Incorrect." in failed.json["html"]
    passed = answer_quiz(block, right=True)
    assert "EXPLANATION-of-q1" in passed.json["html"] and "(correct answer)" in passed.json["html"]
    assert "FEEDBACK-on-a" in passed.json["html"]
    assert "EXPLANATION-of-q1" in html_of(block)


def test_after_last_attempt_reveals_when_no_attempt_is_left(make_quiz):
    block = make_quiz(show_answers="after_last_attempt", max_attempts=2)
    first = answer_quiz(block, right=True)
    assert_hidden(first.json["html"])
    assert "Correct." in first.json["html"]
    last = answer_quiz(block, right=False)
    assert "EXPLANATION-of-tf" in last.json["html"] and "FEEDBACK-on-b" in last.json["html"]


def test_after_last_attempt_with_unlimited_attempts_never_reveals(make_quiz):
    block = make_quiz(show_answers="after_last_attempt", max_attempts=0)
    for _ in range(3):
        assert_hidden(answer_quiz(block, right=False).json["html"])


def test_a_pre_test_shows_only_the_score_whatever_its_policy(make_quiz):
    block = make_quiz(show_answers="always", max_attempts=1, mode="pre_test", question_set="m1")
    response = answer_quiz(block, right=False)
    html = response.json["html"]
    assert_hidden(html)
    assert "kuza-quiz-status" not in html
    assert "Score: 0 of 3 (0%)." in html
    assert "You did not pass" not in html  # a pre-test is not passed or failed
    assert "questions" not in response.json["result"] and "passed" not in response.json["result"]
    assert "the post-test asks the same questions" in html_of(make_quiz(mode="pre_test"))


@pytest.mark.parametrize("kind", ["numeric", "short_text", "ordering", "matching", "multiple_response"])
def test_each_type_hides_its_answer_until_allowed(make_quiz, kind):
    question, _, wrong = TYPES[kind]
    question = question.replace("</prompt>", "</prompt><explanation>EXPLANATION-x</explanation>", 1)
    question = re.sub(r"(</\w+>)$", r"\1", question)
    hidden = make_quiz(quiz_olx(question, show_answers="never"))
    shown = make_quiz(quiz_olx(question, show_answers="always"))
    markers = {
        "numeric": "The correct answer is: 2.5, give or take 0.1",
        "short_text": "Accepted answers:",
        "ordering": "The correct order:",
        "matching": "The correct pairs:",
        "multiple_response": "(correct answer)",
    }
    for block in (hidden, shown):
        html = html_of(block)
        assert markers[kind] not in html and "EXPLANATION-x" not in html
        post_form(block, form_fields(html, wrong))
    assert markers[kind] not in html_of(hidden) and "EXPLANATION-x" not in html_of(hidden)
    assert markers[kind] in html_of(shown) and "EXPLANATION-x" in html_of(shown)


def test_the_correct_order_and_pairs_are_listed_when_revealed(make_quiz):
    question, _, wrong = TYPES["ordering"]
    block = make_quiz(quiz_olx(question))
    post_form(block, form_fields(html_of(block), wrong))
    assert re.search(r"<ol>\s*<li><bdi>Study</bdi></li>\s*<li><bdi>Adapt</bdi></li>\s*<li><bdi>Pilot</bdi></li>", html_of(block))
    question, _, wrong = TYPES["matching"]
    block = make_quiz(quiz_olx(question))
    post_form(block, form_fields(html_of(block), wrong))
    assert "<li><bdi>Rwanda</bdi>: <bdi>Africa</bdi></li>" in html_of(block)


# The fragment


def test_student_view_carries_its_css_and_javascript_inline(make_quiz):
    fragment = make_quiz().student_view({})
    kinds = {(resource.mimetype, resource.kind) for resource in fragment.resources}
    assert kinds == {("text/css", "text"), ("application/javascript", "text")}
    assert fragment.js_init_fn == "KuzaQuizInit"
    assert stylesheet() == resources.files("kuza_xblocks.quiz").joinpath("public/quiz.css").read_text()
    # A few KB at most: the learner page has 30 KB for everything.
    assert len(stylesheet().encode()) < 3072 and len(script().encode()) < 4096


def test_css_uses_logical_properties():
    assert not re.search(r"(margin|padding|border)-(left|right)|\b(left|right)\s*:|float\s*:", stylesheet())


def test_javascript_uses_no_framework():
    code = script()
    assert "jQuery(" not in code and "$(" not in code
    assert "X-CSRFToken" in code and "csrfToken" in code and "csrftoken" in code
    assert "application/json" in code and "aria-live" in code and ".focus()" in code


def test_the_form_works_without_javascript(make_quiz):
    html = html_of(make_quiz())
    page = lxml.html.fragment_fromstring(html, create_parent="div")
    (form,) = page.iter("form")
    assert form.get("method") == "post"
    assert form.get("action").startswith("/handler/")
    assert form.get("action").split("?")[0].endswith("/submit/")
    assert len(page.xpath("//fieldset/legend")) == 2
    for control in page.xpath("//input[@type!='hidden'] | //select"):
        assert page.xpath(f"//label[@for='{control.get('id')}']"), control.get("name")
    assert page.xpath("//button[@type='submit']")


def test_numeric_answers_ask_for_a_decimal_keyboard(make_quiz):
    html = html_of(make_quiz(quiz_olx(TYPES["numeric"][0])))
    assert re.search(r'<input type="text"[^>]*inputmode="decimal"', html)


def test_ids_differ_between_two_quizzes_on_one_page(make_quiz):
    first = set(re.findall(r'id="([^"]+)"', html_of(make_quiz())))
    second = set(re.findall(r'id="([^"]+)"', html_of(make_quiz())))
    assert first and not first & second


def test_the_quiz_speaks_french_when_the_i18n_service_does(make_quiz, french_runtime, new_keys):
    block = make_quiz(on_runtime=french_runtime, keys=new_keys(french_runtime, "kuza_quiz"))
    html = html_of(block)
    assert "Question 1 sur 2" in html
    assert "Envoyer les réponses" in html


def test_the_workbench_runtime_renders_the_block_wrapped(runtime, make_quiz):
    fragment = runtime.render(make_quiz(), "student_view", {})
    assert "data-block-type='kuza_quiz'" in fragment.content
    assert "KuzaQuizInit" in fragment.content


def test_an_empty_quiz_says_so_and_refuses_submissions(make_quiz, events):
    block = make_quiz(quiz_olx(""))
    html = html_of(block)
    assert "This quiz has no questions yet." in html and "<form" not in html
    response = post_json(block, {}, token="0b0c0a36-3c5e-4c63-9d5c-5c1d1f1b2a10")
    assert response.status_code == 409 and block.attempts == [] and events == []


# Studio


def test_studio_view_edits_every_setting_and_the_questions(make_quiz):
    fragment = make_quiz().studio_view({})
    html = fragment.content
    assert fragment.js_init_fn == "StudioEditableXBlockMixin"
    for name in ("display_name", "mode", "question_set", "max_attempts", "pass_mark", "weight", "show_answers", "shuffle", "questions"):
        assert f'data-field-name="{name}"' in html, name
    assert "Pick the right one." in html  # the questions, as JSON text
    assert "After the last attempt" in html and "Pre-test" in html


def test_studio_view_labels_are_translated(make_quiz, french_runtime, new_keys):
    html = make_quiz(on_runtime=french_runtime, keys=new_keys(french_runtime, "kuza_quiz")).studio_view({}).content
    assert "Nombre maximal de tentatives" in html
    assert "Après la dernière tentative" in html


def studio_save(block, values, defaults=()):
    request = Request.blank("/", method="POST")
    request.body = json.dumps({"values": values, "defaults": list(defaults)}).encode()
    return block.handle("submit_studio_edits", request)


def test_studio_save_accepts_valid_questions(make_quiz):
    block = make_quiz()
    questions = [{"id": "n", "type": "numeric", "prompt": "2+2?", "explanation": "", "weight": 1.0, "answer": 4.0,
                  "tolerance": {"kind": "exact", "value": 0.0}}]
    response = studio_save(block, {"questions": questions, "max_attempts": 2, "mode": "practice"})
    assert response.status_code == 200, response.body
    assert block.questions == questions and block.max_attempts == 2 and block.mode == "practice"


@pytest.mark.parametrize(
    ("values", "reason"),
    [
        ({"questions": [{"id": "q", "type": "single_choice", "prompt": "P", "choices": [
            {"id": "a", "text": "A", "correct": False}, {"id": "b", "text": "B", "correct": False}]}]}, "no choice is marked"),
        ({"questions": [{"id": "q", "type": "essay", "prompt": "P"}]}, "not a question type"),
        ({"questions": [{"id": "n", "type": "numeric", "prompt": "P", "answer": 1.0,
                         "tolerance": {"kind": "absolute", "value": "a lot"}}]}, "tolerance must be a number"),
        ({"questions": [{"id": "q", "type": "true_false", "prompt": "P", "answer": True}] * 2}, "another question has the id"),
        ({"mode": "exam"}, "mode must be one of"),
        ({"pass_mark": 1.5}, "pass_mark must be a fraction"),
        ({"max_attempts": -1}, "max_attempts must be"),
    ],
)
def test_studio_save_rejects_an_invalid_quiz(make_quiz, values, reason):
    block = make_quiz()
    before = (block.questions, block.mode, block.pass_mark, block.max_attempts)
    response = studio_save(block, values)
    assert response.status_code == 400
    assert reason in response.body.decode()
    assert (block.questions, block.mode, block.pass_mark, block.max_attempts) == before


def test_validate_warns_about_settings_that_hide_or_leak_answers(make_quiz):
    block = make_quiz(show_answers="after_last_attempt", max_attempts=0)
    messages = [message.text for message in block.validate().messages]
    assert any("never see the answers" in text for text in messages)
    block = make_quiz(mode="post_test", max_attempts=2)
    assert any("needs a question_set" in message.text for message in block.validate().messages)
    assert make_quiz(max_attempts=2, show_answers="after_last_attempt").validate().messages == []


# Workbench scenarios


def test_workbench_scenarios_cover_every_type_a_mixed_quiz_and_a_pre_post_pair(runtime):
    scenarios = QuizBlock.workbench_scenarios()
    titles = [title for title, _ in scenarios]
    assert len(titles) == len(set(titles)) == 10
    kinds = []
    blocks = []
    for title, olx in scenarios:
        runtime.id_generator.set_scenario(title)
        block = runtime.get_block(runtime.parse_xml_string(olx))
        assert isinstance(block, QuizBlock), title
        assert 'class="kuza-quiz"' in block.student_view({}).content, title
        blocks.append(block)
        kinds.append({question["type"] for question in block.questions})
    assert [next(iter(k)) for k in kinds[:7]] == [
        "single_choice", "multiple_response", "true_false", "numeric", "short_text", "ordering", "matching"
    ]
    assert len(kinds[7]) == 7
    pre, post = blocks[8], blocks[9]
    assert (pre.mode, post.mode) == ("pre_test", "post_test")
    assert pre.question_set == post.question_set != ""
    assert [q["id"] for q in pre.questions] == [q["id"] for q in post.questions]
    assert all(block.validate().messages == [] for block in blocks[7:])


def test_the_json_answer_goes_through_the_hosts_replace_urls_service(make_quiz, runtime):
    class StaticLinks:
        def replace_urls(self, text):
            return text.replace('src="/static/', 'src="/assets/course-1/')

    olx = quiz_olx('<true_false id="q" answer="true"><prompt>![Map](/static/map.png)</prompt></true_false>')
    block = make_quiz(olx)
    assert 'src="/static/map.png"' in html_of(block)  # a page is rewritten by the host itself
    runtime._overrides["replace_urls"] = StaticLinks()
    response = post_json(block, {"q-q": ["true"]})
    assert 'src="/assets/course-1/map.png"' in response.json["html"]


def test_choices_items_and_pairs_are_short_markdown(make_quiz):
    html = html_of(make_quiz(quiz_olx(
        '<single_choice id="s"><prompt>P</prompt><choice id="a" correct="true">The **SDGs** &amp; more</choice>'
        '<choice id="b">`code`</choice></single_choice>'
        '<ordering id="o"><prompt>P</prompt><item id="x">*First*</item><item id="y">Second</item></ordering>'
        '<matching id="m"><prompt>P</prompt><pair id="p"><left>**Left**</left><right>*Right* side</right></pair>'
        '<pair id="q"><left>L2</left><right>R2</right></pair></matching>'
    )))
    assert "<bdi>The <strong>SDGs</strong> &amp; more</bdi>" in html
    assert "<bdi><code>code</code></bdi>" in html
    assert "<bdi><em>First</em></bdi>" in html and "<bdi><strong>Left</strong></bdi>" in html
    assert ">Right side</option>" in html  # an option holds text only
    assert not re.search(r"<label[^>]*>(?:(?!</label>).)*<p>", html, re.S)


# Markdown fragments: their own ids, their labels in the learner's language

FOOTNOTES = quiz_olx(
    '<single_choice id="s"><prompt>Which figure is right?[^src]\n\n'
    "| Year | Days |\n|--|--|\n| 2019 | 12 |\n\n[^src]: Ministry report.</prompt>"
    '<choice id="a" correct="true" feedback="Yes[^why].&#10;&#10;[^why]: See the report.">Twelve days[^1]\n\n[^1]: In 2019.</choice>'
    '<choice id="b" feedback="No[^why].&#10;&#10;[^why]: See the table.">Ten days[^1]\n\n[^1]: In 2020.</choice>'
    "<explanation>As reported[^1].\n\n[^1]: Annual report.</explanation></single_choice>"
    '<ordering id="o"><prompt>Order.</prompt><item id="x">Study[^1]\n\n[^1]: First.</item>'
    '<item id="y">Adapt[^1]\n\n[^1]: Second.</item></ordering>'
    '<matching id="m"><prompt>Match.</prompt><pair id="p"><left>Rwanda[^1]\n\n[^1]: Left.</left>'
    "<right>Africa[^1]\n\n[^1]: Right.</right></pair>"
    "<pair id='q'><left>Peru</left><right>Latin America</right></pair></matching>",
    show_answers="always",
)


def page_tree(html):
    return lxml.html.fragment_fromstring(html, create_parent="div")


def test_every_fragment_has_ids_of_its_own_and_its_links_reach_its_notes(make_quiz):
    block = make_quiz(FOOTNOTES)
    post_json(block, {"q-s": ["1"]})  # "Ten days", the second choice
    tree = page_tree(html_of(block))  # answers, feedback and explanations shown too
    ids = [element.get("id") for element in tree.iter() if element.get("id")]
    assert [name for name, count in Counter(ids).items() if count > 1] == []
    # The prompt, the choices, the feedback, the explanation, the items (in the rows and in the
    # correct order) and the sides of a pair (in the rows and in the correct pairs) have a note each.
    notes = [element for element in tree.iter("li") if re.search(r"-fn-[^-]+$", element.get("id", ""))]
    assert len(notes) == 12
    for link in tree.xpath("//a[starts-with(@href, '#')]"):
        (target,) = tree.xpath("//*[@id=$id]", id=link.get("href")[1:])
        assert target is not link
    # A choice's footnote link leads to the note written for that choice.
    for label_text_, note in (("Twelve days", "In 2019."), ("Ten days", "In 2020.")):
        (label,) = [label for label in tree.iter("label") if label.text_content().startswith(label_text_)]
        (link,) = label.find_class("footnote-ref")
        assert tree.get_element_by_id(link.get("href")[1:]).text_content().strip().startswith(note)


def test_fragment_ids_are_the_same_on_every_render_and_for_every_learner(make_quiz, new_keys, runtime):
    keys = new_keys(runtime, "kuza_quiz")

    def ids(user_id):
        tree = page_tree(html_of(make_quiz(FOOTNOTES, user_id=user_id, keys=keys)))
        return [element.get("id") for element in tree.iter() if element.get("id")]

    first = ids("amina")
    assert first == ids("amina") and len(first) > 10
    # Ordering items are shuffled per learner, so only their set of ids is shared.
    assert sorted(first) == sorted(ids("kofi"))


def test_markdown_labels_in_prompts_and_choices_speak_french(make_quiz, french_runtime, new_keys):
    block = make_quiz(FOOTNOTES, on_runtime=french_runtime, keys=new_keys(french_runtime, "kuza_quiz"))
    post_json(block, {"q-s": ["1"]})
    html = html_of(block)
    tree = page_tree(html)
    (table_box,) = tree.find_class("kuza-markdown-table")
    assert table_box.get("aria-label") == "Tableau défilant"
    backlinks = tree.find_class("footnote-backref")
    assert len(backlinks) >= 12
    assert {link.get("title") for link in backlinks} == {"Revenir à l'appel de la note 1 dans le texte"}
    assert "Scrollable table" not in html and "Jump back" not in html
