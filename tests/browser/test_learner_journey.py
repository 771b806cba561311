"""A learner's whole journey in Chromium, with JavaScript on and off, and with the keyboard alone."""
from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import Page, expect

from tests.browser.actions import next_link, register, sign_in, sign_out
from tests.browser.server import Learner, create_learner

pytestmark = pytest.mark.browser


def unit_url(base_url: str, slug: str, unit_id: str) -> re.Pattern:
    return re.compile(re.escape(f"{base_url}/courses/{slug}/learn/{unit_id}") + "$")


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_register_enrol_read_every_unit_and_resume(new_context, base_url, site, javascript):
    page = new_context(javascript=javascript).new_page()
    learner = Learner(email=f"journey.{uuid.uuid4().hex[:8]}@example.org", name="Amina Journey",
                      password="a long enough passphrase")
    total = len(site.units)

    # From the catalog to the course page, and from there to registering.
    page.goto(base_url + "/")
    page.locator("main").get_by_role("link", name=re.compile("innovative practices", re.I)).first.click()
    expect(page).to_have_url(f"{base_url}/courses/{site.slug}/")
    page.get_by_role("link", name="Register to enrol").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Create an account")
    register(page, learner)
    # Registering brings the learner back to the course they wanted.
    expect(page).to_have_url(f"{base_url}/courses/{site.slug}/")

    page.get_by_role("button", name="Enrol in this course").click()
    expect(page).to_have_url(unit_url(base_url, site.slug, site.units[0]))

    # Every unit, in order, by following "Next"; a quiz is answered (blank: it still counts as
    # an attempt) before going on, in place with JavaScript, by POST and redirect without, and
    # the adaptation plan is written and submitted.
    for position, unit_id in enumerate(site.units, start=1):
        expect(page).to_have_url(unit_url(base_url, site.slug, unit_id))
        expect(page.get_by_role("navigation", name="Lessons")).to_contain_text(f"Lesson {position} of {total}")
        expect(page.locator("article.unit h1")).not_to_be_empty()
        quiz = page.locator(".xblock[data-block-type='kuza_quiz']")
        if quiz.count():
            quiz.get_by_role("button", name="Submit answers").click()
            expect(quiz.locator(".kuza-quiz-result")).to_be_visible()
            expect(page).to_have_url(unit_url(base_url, site.slug, unit_id))
        plan = page.locator(".xblock[data-block-type='kuza_reflection']")
        if plan.count():
            # The adaptation plan completes once submitted, with every prompt answered.
            for box in plan.locator("textarea").all():
                box.fill("My plan.")
            plan.get_by_role("button", name="Submit my plan").click()
            expect(plan.locator(".kuza-reflection-versions")).to_be_visible()
            expect(page).to_have_url(unit_url(base_url, site.slug, unit_id))
        if position < total:
            next_link(page).click()
    expect(next_link(page)).to_have_count(0)
    expect(page.get_by_role("link", name=re.compile("See my progress"))).to_be_visible()

    page.get_by_role("navigation", name="Main").get_by_role("link", name="My learning").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My learning")
    expect(page.locator("main")).to_contain_text("100 % complete")

    page.goto(f"{base_url}/courses/{site.slug}/progress")
    expect(page.locator("#overall")).to_contain_text(re.compile(r"(\d+) of \1 lessons complete \(100 %\)"))

    sign_out(page)
    expect(page).to_have_url(base_url + "/")
    # Really signed out: a learner's page now asks for signing in.
    page.goto(base_url + "/my-learning")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")

    sign_in(page, base_url, learner)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="My learning").click()
    page.get_by_role("link", name=re.compile("^Resume")).click()
    expect(page).to_have_url(unit_url(base_url, site.slug, site.units[-1]))
    expect(page.get_by_role("navigation", name="Lessons")).to_contain_text(f"Lesson {total} of {total}")


@pytest.mark.parametrize("path", ["/", "/sign-in"])
def test_skip_link_is_the_first_tab_stop_and_moves_focus_to_main(page: Page, base_url, path):
    page.goto(base_url + path)
    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Skip to content")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()
    # The next Tab goes on from the content, not from the top of the page again.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('main') !== null"), "focus left main after the skip link"


def tab_to(page: Page, locator, limit: int = 40) -> None:
    """Press Tab until ``locator`` has the focus, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if locator.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"{locator} never got the focus in {limit} Tab presses")


def test_sign_in_with_the_keyboard_only(page: Page, base_url, server_app):
    learner = create_learner(server_app, f"keyboard.{uuid.uuid4().hex[:8]}@example.org")
    page.goto(base_url + "/sign-in")

    tab_to(page, page.get_by_label("Email address"))
    page.keyboard.type(learner.email)
    page.keyboard.press("Tab")
    expect(page.get_by_label("Password", exact=True)).to_be_focused()
    page.keyboard.type(learner.password)
    tab_to(page, page.get_by_role("button", name="Sign in"))
    page.keyboard.press("Enter")

    expect(page.get_by_role("status").filter(has_text="You are signed in.")).to_be_visible()
    expect(page.get_by_role("navigation", name="Main").get_by_role("link", name=learner.name)).to_be_visible()


def test_a_refused_sign_in_says_why_and_keeps_the_keyboard_user_in_the_form(page: Page, base_url):
    page.goto(base_url + "/sign-in")
    tab_to(page, page.get_by_label("Email address"))
    page.keyboard.type(f"nobody.{uuid.uuid4().hex[:8]}@example.org")
    page.keyboard.press("Tab")
    page.keyboard.type("not the password at all")
    page.keyboard.press("Enter")
    expect(page).to_have_title(re.compile("^Error"))
    expect(page.locator("main")).to_contain_text("The email address or password is not correct.")
