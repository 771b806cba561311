"""What a learner does in the browser, through labels and roles as a person sees them."""
from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.browser.server import Learner


def register(page: Page, learner: Learner) -> None:
    """Fill and send the registration form already open on ``page``."""
    page.get_by_label("Full name").fill(learner.name)
    page.get_by_label("Email address").fill(learner.email)
    page.get_by_label("Password", exact=True).fill(learner.password)
    page.get_by_label("Password again").fill(learner.password)
    page.get_by_role("button", name="Create account").click()
    expect_signed_in(page)


def sign_in(page: Page, base_url: str, learner: Learner) -> None:
    """Open the sign-in page, sign in, and wait until the header shows the learner signed in."""
    page.goto(base_url + "/sign-in")
    page.get_by_label("Email address").fill(learner.email)
    page.get_by_label("Password", exact=True).fill(learner.password)
    page.get_by_role("button", name="Sign in").click()
    expect_signed_in(page)


def expect_signed_in(page: Page) -> None:
    """The header offers "Sign out" (inside the closed menu on a phone, so hidden counts)."""
    expect(page.get_by_role("button", name="Sign out", include_hidden=True)).to_have_count(1)


def open_menu(page: Page) -> None:
    """On a phone the header's links are in a menu: open it if it is closed."""
    menu = page.locator("details.menu")
    if page.locator("details.menu > summary").is_visible() and menu.get_attribute("open") is None:
        page.locator("details.menu > summary").click()


def sign_out(page: Page) -> None:
    open_menu(page)
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("link", name="Sign in", exact=True, include_hidden=True).first).to_be_attached()


def next_link(page: Page):
    """The unit page's "Next" link (its accessible name goes on with the next lesson's title)."""
    return page.get_by_role("navigation", name="Lessons").get_by_role("link", name=re.compile(r"^Next\b"))

def answer_quiz(page: Page) -> None:
    """Answer the quiz of the unit open on ``page``: the first choice of every question that offers
    choices, then "Submit answers"; wait for the result."""
    quiz = page.locator(".xblock[data-block-type='kuza_quiz']")
    for question in quiz.locator("fieldset").all():
        choices = question.locator("input[type=radio], input[type=checkbox]")
        if choices.count():
            choices.first.check()
    quiz.get_by_role("button", name="Submit answers").click()
    expect(quiz.locator(".kuza-quiz-result")).to_be_visible()
