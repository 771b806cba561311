"""A learner midway through a course keeps every completion, score, attempt and state across a publish
that reorders, adds and removes units; the removed unit's records stay too."""
from __future__ import annotations

import re

from sqlalchemy import select

from lms.accounts.services import OPERATOR
from lms.catalog import services as catalog
from lms.courseware import services as courseware
from lms.courseware.models import Attempt, Completion, LearnerState, Score
from lms.extensions import db
from tests.courseware.test_quiz import QUESTIONS
from tests.factories import csrf_token_from, make_course, make_user, sign_in

QUIZ = {"display_name": "Check", "questions": QUESTIONS, "mode": "graded", "pass_mark": 0.5}


def records(learner) -> dict:
    """Everything stored about the learner, as comparable values."""
    def rows(model, *columns):
        return sorted(tuple(row) for row in db.session.execute(
            select(*(getattr(model, name) for name in columns)).where(model.user_id == learner.id)))

    return {
        "completions": rows(Completion, "usage_id", "completion"),
        "scores": rows(Score, "usage_id", "earned", "possible"),
        "attempts": rows(Attempt, "usage_id", "attempt_id", "earned", "possible", "passed"),
        "states": sorted((usage_id, repr(state)) for usage_id, state in db.session.execute(
            select(LearnerState.usage_id, LearnerState.state).where(LearnerState.user_id == learner.id))),
    }


def post(client, path: str, **data):
    token = csrf_token_from(client.get("/sign-in").get_data(as_text=True))
    return client.post(path, data={"csrf_token": token, **data})


def revision(client) -> str:
    return re.search(r'name="revision" value="(\d+)"', client.get("/studio/civic-tech/outline").get_data(as_text=True)).group(1)


def test_a_learner_keeps_everything_across_a_publish_that_reorders_adds_and_removes_units(app, client, db_session):
    course = make_course("civic-tech", units={
        "welcome": [("kuza_markdown", {"display_name": "Welcome", "markdown": "Hello."})],
        "check": [("kuza_quiz", QUIZ)],
        "practice": [("kuza_markdown", {"display_name": "Practice", "markdown": "Try it."})],
        "closing": [("kuza_markdown", {"display_name": "Closing", "markdown": "Bye."})],
    })
    learner, trainer = make_user(email="learner@example.org"), make_user("trainer", email="trainer@example.org")
    catalog.add_staff(OPERATOR, course, trainer, "editor")
    catalog.enroll(learner, course)
    db.session.commit()

    # The learner reads two units and answers the quiz, once right and once wrong; "closing" is left to do.
    sign_in(client, learner)
    client.get("/courses/civic-tech/learn/welcome")
    for choice in ("0", "1"):
        page = client.get("/courses/civic-tech/learn/check").get_data(as_text=True)
        submission = re.search(r'name="submission" value="([^"]+)"', page).group(1)
        answered = client.post("/courses/civic-tech/xblock/check-0/handler/submit", data={
            "csrf_token": csrf_token_from(page), "submission": submission, "q-capital": choice, "q-women": "true",
            "return_to": "/courses/civic-tech/learn/check"})
        assert answered.status_code in (302, 303)
    client.get("/courses/civic-tech/learn/practice")
    before = records(learner)
    assert [usage_id for usage_id, _ in before["completions"]] == ["check-0", "practice-0", "welcome-0"]
    assert len(before["attempts"]) == 2 and before["scores"]

    # The trainer moves the quiz last, adds a unit, removes the unit the learner read first, and publishes.
    studio = app.test_client()
    sign_in(studio, trainer)
    assert post(studio, "/studio/civic-tech/outline/move", revision=revision(studio), down="check").status_code == 303
    assert post(studio, "/studio/civic-tech/outline/move", revision=revision(studio), down="check").status_code == 303
    assert post(studio, "/studio/civic-tech/outline/add", revision=revision(studio), parent="sequence-1",
                type="vertical", title="Going further").status_code == 303
    assert post(studio, "/studio/civic-tech/outline/delete", revision=revision(studio),
                block="welcome").status_code == 303
    summary = studio.get("/studio/civic-tech/publish").get_data(as_text=True)
    assert "Going further" in summary and "Welcome" in summary
    published = post(studio, "/studio/civic-tech/publish", revision=revision(studio))
    assert published.status_code == 303

    version = catalog.get_course("civic-tech").published_version
    tree = courseware.load_tree(version)
    assert version.number == 2 and "welcome" not in tree.nodes
    assert tree.units[:3] == ("practice", "closing", "check") and tree.nodes[tree.units[3]].title == "Going further"
    # Every record is still there, the removed unit's too, and nothing was added by publishing.
    assert records(learner) == before

    # The learner sees their quiz result and completed units in the new version.
    quiz = client.get("/courses/civic-tech/learn/check")
    assert quiz.status_code == 200
    progress = client.get("/courses/civic-tech/progress")
    assert progress.status_code == 200
    done = courseware.completions(learner.id, course.id)
    assert done["check-0"] == 1.0 and done["practice-0"] == 1.0 and done["welcome-0"] == 1.0
