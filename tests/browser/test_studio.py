"""The studio in Chromium: My courses, the outline and the publish page pass axe and fit 320 px and 1280 px,
and with JavaScript off a trainer adds, renames, moves and publishes through the plain forms."""
from __future__ import annotations

import re
import secrets
import uuid

import pytest
from playwright.sync_api import expect

from lms.accounts import services as accounts
from lms.accounts.services import OPERATOR
from lms.authoring import services as authoring
from lms.catalog import services as catalog
from lms.extensions import db
from tests.browser.accessibility import readable, run_axe
from tests.browser.actions import sign_in
from tests.browser.server import Learner


# What sticks out past the screen's edge, to say why a page scrolls sideways.
WIDER = """width => [...document.querySelectorAll('main *')].filter(e => e.getBoundingClientRect().right > width + 1)
    .slice(0, 5).map(e => `${e.tagName}.${e.className} ${Math.round(e.getBoundingClientRect().right)}`)"""


@pytest.fixture(scope="module")
def course(server_app) -> tuple[str, Learner]:
    """A course of its own, made in the studio and never published, with its owner."""
    slug = f"open-budgets-{uuid.uuid4().hex[:8]}"
    owner = Learner(email=f"owner.{uuid.uuid4().hex[:8]}@example.org", name="Grace Banda",
                    password=secrets.token_urlsafe(12))
    with server_app.app_context():
        user = accounts.create_user(email=owner.email, name=owner.name, password=owner.password, role="trainer")
        created = authoring.create_course(OPERATOR, "Open budgets for towns", slug, "en", "How towns publish budgets.")
        catalog.add_staff(OPERATOR, created, user, "owner")
        run = authoring.working_copy(OPERATOR, created).content["run"]
        chapter = authoring.add_block(OPERATOR, created, 1, run, "chapter", "Why open budgets")
        sequential = authoring.add_block(OPERATOR, created, 2, chapter, "sequential", "The basics")
        unit = authoring.add_block(OPERATOR, created, 3, sequential, "vertical", "What a budget says")
        authoring.add_block(OPERATOR, created, 4, unit, "kuza_markdown")
        authoring.add_block(OPERATOR, created, 5, unit, "kuza_quiz")
        second = authoring.add_block(OPERATOR, created, 6, sequential, "vertical", "Who reads it")
        authoring.add_block(OPERATOR, created, 7, second, "kuza_markdown")
        db.session.commit()
    return slug, owner


@pytest.mark.parametrize("narrow", [False, True], ids=["1280px", "320px"])
def test_my_courses_outline_and_publish_pass_axe_and_fit(new_context, base_url, axe, course, narrow):
    slug, owner = course
    # JavaScript on, for axe to run in the page; studio pages load none of their own.
    context = new_context(narrow=narrow, **({} if narrow else {"viewport": {"width": 1280, "height": 900}}))
    page = context.new_page()
    sign_in(page, base_url, owner)
    width = 320 if narrow else 1280
    for path, heading in [("/studio/", "My courses"), (f"/studio/{slug}/outline", "Open budgets for towns"),
                          (f"/studio/{slug}/publish", "Open budgets for towns")]:
        response = page.goto(base_url + path)
        assert response is not None and response.status == 200, path
        expect(page.locator("h1")).to_have_text(heading)
        if path.endswith("/outline"):
            page.locator(".studio-vertical details.studio-add > summary").first.click()  # open forms too
            page.locator(".studio-vertical details.studio-edit > summary").first.click()
        violations = run_axe(axe, page)
        assert not violations, f"{path}:\n{readable(violations)}"
        assert page.evaluate("document.documentElement.scrollWidth") <= width, (path, page.evaluate(WIDER, width))
        assert page.evaluate("document.scripts.length") == 0, f"{path} needs no JavaScript"


def test_a_trainer_edits_the_outline_and_publishes_with_javascript_off(new_context, base_url, course):
    slug, owner = course
    page = new_context(javascript=False).new_page()
    sign_in(page, base_url, owner)
    page.goto(f"{base_url}/studio/{slug}/outline")
    main = page.locator("main")
    expect(main).to_contain_text("Draft, never published.")

    sequential = page.locator(".studio-sequential").first
    sequential.locator("details.studio-add > summary").last.click()
    sequential.locator("details.studio-add").last.get_by_label("Title").fill("Reading the figures")
    sequential.locator("details.studio-add").last.get_by_role("button", name="Add").click()
    expect(page.locator(".flash-success")).to_have_text("Added.")
    units = page.locator(".studio-vertical > .studio-row .studio-name")
    expect(units).to_have_text(["What a budget says", "Who reads it", "Reading the figures"])

    page.get_by_role("button", name="Move up: Reading the figures").click()
    expect(units).to_have_text(["What a budget says", "Reading the figures", "Who reads it"])

    unit = page.locator(".studio-vertical").filter(has_text="Who reads it")
    unit.locator("details.studio-edit > summary").first.click()
    unit.locator(".studio-panel").first.get_by_label("Title").fill("Who reads a budget")
    unit.get_by_role("button", name="Rename").first.click()
    expect(units).to_have_text(["What a budget says", "Reading the figures", "Who reads a budget"])

    page.get_by_role("link", name="Review and publish").click()
    expect(page.locator("#changes-added")).to_have_text("Added")
    expect(page.locator(".studio-changes")).to_contain_text("Reading the figures")
    page.get_by_role("button", name="Publish the course").click()
    expect(page.locator(".flash-success")).to_contain_text("Version 1 is published")
    expect(page.locator(".studio-changes, .empty").first).to_contain_text("Nothing to publish")

    page.goto(f"{base_url}/courses/{slug}/")
    expect(page.locator("h1")).to_have_text("Open budgets for towns")
    page.goto(f"{base_url}/studio/")
    card = page.locator(".studio-courses > li").filter(has_text="Open budgets for towns")
    expect(card).to_contain_text("Published, up to date")
    expect(card).to_contain_text(re.compile(r"Version 1, "))
