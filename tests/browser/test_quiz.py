"""A chapter quiz of the sample course in Chromium: answered in place with JavaScript, by POST without."""
from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from lms.courseware.models import Attempt
from lms.extensions import db
from tests.browser.actions import sign_in
from tests.browser.server import create_learner

QUIZ_UNIT = "what-is-innovation-check"


def open_quiz(new_context, base_url, site, server_app, javascript):
    learner = create_learner(server_app, f"quiz.{uuid.uuid4().hex[:8]}@example.org", enrol_in=site.slug)
    page = new_context(javascript=javascript).new_page()
    sign_in(page, base_url, learner)
    page.goto(f"{base_url}/courses/{site.slug}/learn/{QUIZ_UNIT}")
    return page, learner


def attempts_of(server_app, email) -> list[Attempt]:
    from lms.accounts.models import User

    with server_app.app_context():
        user = db.session.execute(select(User).filter_by(email=email)).scalar_one()
        return list(db.session.execute(select(Attempt).filter_by(user_id=user.id)).scalars())


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_a_quiz_is_answered_and_its_result_shown(new_context, base_url, site, server_app, javascript):
    page, learner = open_quiz(new_context, base_url, site, server_app, javascript)
    quiz = page.locator(".xblock[data-block-type='kuza_quiz']")
    documents: list[str] = []
    page.on("framenavigated", lambda frame: frame == page.main_frame and documents.append(frame.url))

    quiz.locator("fieldset").first.locator("input[type=radio]").first.check()
    quiz.get_by_role("button", name="Submit answers").click()

    result = quiz.locator(".kuza-quiz-result")
    expect(result).to_be_visible()
    expect(result).to_contain_text("Score:")
    expect(quiz.get_by_text("Attempts used: 1 of 3.", exact=True)).to_be_visible()
    if javascript:
        # Updated in place: no new document, and the result heading has the focus.
        assert documents == []
        expect(result.locator("h3")).to_be_focused()
    else:
        # POST, then 303 back to the unit.
        assert documents and documents[-1].endswith(f"/learn/{QUIZ_UNIT}")
    [attempt] = attempts_of(server_app, learner.email)
    assert attempt.mode == "graded" and attempt.possible > 0
