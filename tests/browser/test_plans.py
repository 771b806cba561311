"""Adaptation plans in Chromium: written and submitted without JavaScript, reviewed by a trainer, read back; axe-clean at every width."""
from __future__ import annotations

import secrets
import uuid
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from lms.accounts import services as accounts
from lms.accounts.services import OPERATOR
from lms.catalog import services as catalog
from lms.extensions import db
from tests.browser.accessibility import readable, run_axe
from tests.browser.actions import sign_in
from tests.browser.server import Learner, create_learner

UNIT = "your-adaptation-plan"
ARABIC_PROBLEM = "تنتظر الأسر ثلاثة أيام للحصول على شهادة الميلاد في مكتب المنطقة."


@pytest.fixture(scope="module")
def trainer(server_app, site) -> Learner:
    trainer = Learner(email=f"plans.trainer.{uuid.uuid4().hex[:8]}@example.org", name="Grace Banda",
                      password=secrets.token_urlsafe(12))
    with server_app.app_context():
        user = accounts.create_user(email=trainer.email, name=trainer.name, password=trainer.password, role="trainer")
        catalog.add_staff(OPERATOR, catalog.get_course(site.slug), user, "editor")
        db.session.commit()
    return trainer


def write_plan(page, base_url, site, problem: str) -> None:
    page.goto(f"{base_url}/courses/{site.slug}/learn/{UNIT}")
    form = page.locator("form.kuza-reflection-form")
    form.get_by_label("The problem in my own context").fill(problem)
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator(".kuza-reflection-status")).to_contain_text("Draft saved on")
    for label, answer in [
        ("The practice I will learn from", "Rwanda's Isange One Stop Centre."),
        ("What I would adapt, and what I would keep", "Keep one place for every service; adapt the staffing."),
        ("My first three steps", "1. Count the queue.\n2. Ask the families.\n3. Pilot in one district."),
        ("Risks", "No budget for staff: start with two days a week."),
        ("How I will know it works", "Days of waiting, for women and men, before and after."),
    ]:
        form.get_by_label(label).fill(answer)
    page.get_by_role("button", name="Submit my plan").click()
    expect(page.locator(".kuza-reflection-status")).to_contain_text("Waiting for your trainer's feedback.")


@pytest.fixture(scope="module")
def reviewed(browser, base_url, site, server_app, trainer) -> dict:
    """A learner who submitted a plan (JavaScript off), and a trainer who sent feedback on it."""
    learner = create_learner(server_app, f"planner.{uuid.uuid4().hex[:8]}@example.org", enrol_in=site.slug)
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    sign_in(page, base_url, learner)
    write_plan(page, base_url, site, ARABIC_PROBLEM)
    learner_state = context.storage_state()
    context.close()

    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    sign_in(page, base_url, trainer)
    page.goto(f"{base_url}/courses/{site.slug}/plans")
    page.get_by_role("link", name=learner.name).first.click()
    plan_path = urlsplit(page.url).path
    page.get_by_role("textbox", name="Feedback").fill("A clear problem. Name the district, and say who pays for the staff.")
    page.get_by_role("button", name="Send feedback and mark reviewed").click()
    expect(page.locator("main")).to_contain_text("Your feedback has been sent to the learner.")
    trainer_state = context.storage_state()
    context.close()
    return {"learner": learner_state, "trainer": trainer_state, "plan_path": plan_path}


def test_the_learner_reads_the_feedback_in_the_unit(new_context, base_url, site, reviewed):
    page = new_context(javascript=False, storage_state=reviewed["learner"]).new_page()
    page.goto(f"{base_url}/courses/{site.slug}/learn/{UNIT}")
    feedback = page.locator(".kuza-reflection-feedback")
    expect(feedback).to_contain_text("Feedback on version 1")
    expect(feedback).to_contain_text("Name the district, and say who pays for the staff.")
    expect(page.get_by_role("button", name="Submit my plan")).to_be_visible()
    # The Arabic answer reads right to left inside the English course.
    answer = page.get_by_label("The problem in my own context")
    assert answer.evaluate("element => getComputedStyle(element).direction") == "rtl"


PAGES = {
    "unit": lambda site, reviewed: f"/courses/{site.slug}/learn/{UNIT}",
    "progress": lambda site, reviewed: f"/courses/{site.slug}/progress",
    "plans": lambda site, reviewed: f"/courses/{site.slug}/plans",
    "plan": lambda site, reviewed: reviewed["plan_path"],
}
WHO = {"unit": "learner", "progress": "learner", "plans": "trainer", "plan": "trainer"}
VIEWS = [("en", 390), ("en", 1280), ("ar", 320)]


@pytest.mark.parametrize(("language", "width"), VIEWS, ids=[f"{language}-{width}" for language, width in VIEWS])
@pytest.mark.parametrize("name", sorted(PAGES))
def test_plan_pages_pass_axe_and_fit_the_screen(new_context, base_url, site, reviewed, axe, name, language, width):
    page = new_context(storage_state=reviewed[WHO[name]], locale=language, viewport={"width": width, "height": 900},
                       extra_http_headers={"Accept-Language": language}).new_page()
    response = page.goto(base_url + PAGES[name](site, reviewed))
    assert response is not None and response.status == 200
    for details in page.locator("details.kuza-reflection-version").all():
        details.locator("summary").click()  # open versions are checked too
    violations = run_axe(axe, page)
    assert not violations, readable(violations)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
