"""kuza_quiz hosted by Kuza: attempts, scores and completions in their tables, limits, no leakage."""
from __future__ import annotations

import json
import re
from functools import partial
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from lms.catalog import services as catalog
from lms.courseware.models import Attempt, Completion, Score
from lms.extensions import db
from tests.concurrency import at_once, signed_in_tabs
from tests.factories import csrf_token_from, make_course, make_user, sign_in

QUESTIONS = [
    {"id": "capital", "type": "single_choice", "prompt": "Where is the Isange One Stop Centre?",
     "explanation": "EXPLANATION-CAPITAL", "weight": 1.0,
     "choices": [{"id": "kigali", "text": "Kigali", "correct": True, "feedback": "FEEDBACK-RIGHT"},
                 {"id": "dhaka", "text": "Dhaka", "correct": False, "feedback": "FEEDBACK-WRONG"}]},
    {"id": "women", "type": "true_false", "prompt": "Women volunteers took part.", "explanation": "EXPLANATION-TF",
     "weight": 1.0, "answer": True, "feedback_true": "TF-YES", "feedback_false": "TF-NO"},
]
QUIZ_URL = "/courses/quiz-course/learn/check"
HANDLER = "/courses/quiz-course/xblock/check-0/handler/submit"


def quiz_fields(**settings) -> dict:
    return {"display_name": "Check", "questions": QUESTIONS, "mode": "graded", "max_attempts": 2,
            "pass_mark": 0.5, "show_answers": "after_last_attempt", "shuffle": False, **settings}


def publish_quiz(**settings):
    return make_course(slug="quiz-course", units={"check": [("kuza_quiz", quiz_fields(**settings))]})


INPUT = re.compile(r'<input type="(?:radio|checkbox)" id="([^"]+)" name="([^"]+)" value="([^"]+)"')


def form_of(html: str) -> dict:
    """The quiz form's hidden fields, and its options as {label text: (name, value)}."""
    form = html[html.index('<form method="post" action="' + HANDLER):]
    form = form[: form.index("</form>")]
    hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form))
    options = {
        re.search(rf'<label for="{re.escape(element_id)}"><bdi>([^<]+)</bdi>', form).group(1): (name, value)
        for element_id, name, value in INPUT.findall(form)
    }
    return {"hidden": hidden, "options": options}


def submit_json(client, responses: dict):
    """Submit through the handler as the quiz's JavaScript does."""
    page = client.get(QUIZ_URL).get_data(as_text=True)
    token = re.search(r'name="submission" value="([^"]+)"', page).group(1)
    return client.post(HANDLER, data=json.dumps({"submission": token, "responses": responses}),
                       content_type="application/json", headers={"X-CSRFToken": csrf_token_from(page)})


def answer(client, choices: list[str]) -> tuple:
    """Submit the quiz form on the unit page with the options labelled ``choices``, as a browser would."""
    form = form_of(client.get(QUIZ_URL).get_data(as_text=True))
    data = dict(form["hidden"])
    for label in choices:
        name, value = form["options"][label]
        data[name] = value
    return client.post(HANDLER, data=data), data


@pytest.fixture
def learner_client(client, db_session):
    learner = make_user()
    return SimpleNamespace(client=client, learner=learner)


def enrol_and_sign_in(ctx, course):
    catalog.enroll(ctx.learner, course)
    db.session.commit()
    sign_in(ctx.client, ctx.learner)


def rows(model, learner):
    return db.session.execute(select(model).filter_by(user_id=learner.id).order_by(model.id)).scalars().all()


def test_plain_form_submission_is_stored_graded_completed_and_redirects_back(learner_client):
    enrol_and_sign_in(learner_client, publish_quiz())
    response, _ = answer(learner_client.client, ["Kigali", "True"])

    assert response.status_code == 303
    assert response.headers["Location"] == QUIZ_URL
    [attempt] = rows(Attempt, learner_client.learner)
    assert (attempt.earned, attempt.possible, attempt.passed, attempt.mode) == (2.0, 2.0, True, "graded")
    assert attempt.responses == {"capital": "kigali", "women": True}
    [score] = rows(Score, learner_client.learner)
    assert (score.earned, score.possible) == (2.0, 2.0)
    assert [c.completion for c in rows(Completion, learner_client.learner)] == [1.0]
    page = learner_client.client.get(QUIZ_URL).get_data(as_text=True)
    # After the redirect the page shows the result of each question.
    assert page.count("Correct. Points: 1 of 1.") == 2


def test_resent_form_counts_once(learner_client):
    enrol_and_sign_in(learner_client, publish_quiz())
    first, data = answer(learner_client.client, ["Dhaka", "True"])
    again = learner_client.client.post(HANDLER, data=data)
    assert first.status_code == again.status_code == 303
    assert len(rows(Attempt, learner_client.learner)) == 1


def test_attempt_limit_holds_and_refused_attempts_store_nothing(learner_client):
    enrol_and_sign_in(learner_client, publish_quiz(max_attempts=1))
    answer(learner_client.client, ["Dhaka", "False"])
    response = submit_json(learner_client.client, {})
    assert response.status_code == 409
    assert "used all your attempts" in response.get_json()["error"]
    [attempt] = rows(Attempt, learner_client.learner)
    assert attempt.earned == 0.0
    [score] = rows(Score, learner_client.learner)
    assert score.earned == 0.0


def test_answers_feedback_and_explanations_stay_hidden_until_the_policy_allows(learner_client):
    enrol_and_sign_in(learner_client, publish_quiz(max_attempts=2))
    secrets = ("FEEDBACK-RIGHT", "FEEDBACK-WRONG", "EXPLANATION-CAPITAL", "EXPLANATION-TF", "TF-YES", "TF-NO",
               'class="kuza-quiz-key"', "correct answer")
    before = learner_client.client.get(QUIZ_URL).get_data(as_text=True)
    assert not [s for s in secrets if s in before]

    answer(learner_client.client, ["Dhaka", "False"])
    after_first = learner_client.client.get(QUIZ_URL).get_data(as_text=True)
    assert not [s for s in secrets if s in after_first]  # one attempt left: nothing revealed yet

    assert submit_json(learner_client.client, {}).status_code == 200
    final = learner_client.client.get(QUIZ_URL).get_data(as_text=True)
    assert "EXPLANATION-CAPITAL" in final and "correct answer" in final


def test_json_answers_carry_no_answer_before_the_policy_allows(learner_client):
    enrol_and_sign_in(learner_client, publish_quiz(max_attempts=3))
    response = submit_json(learner_client.client, {})
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    for secret in ("FEEDBACK-RIGHT", "EXPLANATION-CAPITAL", "TF-YES", "class=\\\"kuza-quiz-key", "correct answer"):
        assert secret not in body, secret


def race(posts) -> list[int]:
    """Send ``posts`` (client, data) at the same moment from threads; return the status codes in their order."""
    responses = at_once(*(partial(client.post, HANDLER, data=data) for client, data in posts))
    return [response.status_code for response in responses]


@pytest.fixture
def racing_learner(committed_app):
    with committed_app.app_context():
        learner = make_user(email="two-tabs@example.org")
        catalog.enroll(learner, publish_quiz(max_attempts=1))
        db.session.commit()
        learner_id = learner.id
    return committed_app, learner_id, signed_in_tabs(committed_app, "two-tabs@example.org")


def stored_attempts(app, learner_id) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Attempt).filter_by(user_id=learner_id))


def test_two_tabs_submitting_at_once_respect_the_attempt_limit(racing_learner):
    app, learner_id, tabs = racing_learner
    posts = []
    for tab, choice in zip(tabs, ("Kigali", "Dhaka")):
        form = form_of(tab.get(QUIZ_URL).get_data(as_text=True))
        posts.append((tab, {**form["hidden"], form["options"][choice][0]: form["options"][choice][1]}))
    assert posts[0][1]["submission"] != posts[1][1]["submission"]

    assert race(posts) == [303, 303]
    assert stored_attempts(app, learner_id) == 1


def test_a_double_click_sent_twice_at_once_counts_once(racing_learner):
    app, learner_id, tabs = racing_learner
    form = form_of(tabs[0].get(QUIZ_URL).get_data(as_text=True))
    data = {**form["hidden"], form["options"]["Kigali"][0]: form["options"]["Kigali"][1]}

    assert race([(tabs[0], data), (tabs[0], data)]) == [303, 303]
    assert stored_attempts(app, learner_id) == 1
