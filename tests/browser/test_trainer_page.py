"""A trainer's certificates page in Chromium: no axe violations, fits 320 px, and revoking works through the form."""
from __future__ import annotations

import secrets
import uuid

import pytest
from playwright.sync_api import expect

from lms.accounts import services as accounts
from lms.accounts.services import OPERATOR
from lms.catalog import services as catalog
from lms.certificates.models import COMPLETION
from lms.extensions import db
from tests.browser.actions import sign_in
from tests.browser.server import Learner, create_learner, record_certificate
from tests.browser.accessibility import readable, run_axe


@pytest.fixture(scope="module")
def trainer(server_app, site) -> Learner:
    """A trainer who runs the sample course."""
    trainer = Learner(email=f"trainer.{uuid.uuid4().hex[:8]}@example.org", name="Grace Banda",
                      password=secrets.token_urlsafe(12))
    with server_app.app_context():
        user = accounts.create_user(email=trainer.email, name=trainer.name, password=trainer.password, role="trainer")
        catalog.add_staff(OPERATOR, catalog.get_course(site.slug), user, "editor")
        db.session.commit()
    return trainer


def _certificate(server_app, site) -> tuple[str, Learner]:
    learner = create_learner(server_app, f"holder.{uuid.uuid4().hex[:8]}@example.org", enrol_in=site.slug)
    return record_certificate(server_app, learner, site.slug, COMPLETION), learner


@pytest.mark.parametrize("narrow", [False, True], ids=["wide", "320px"])
def test_the_certificates_page_is_accessible_and_fits(new_context, base_url, axe, server_app, site, trainer, narrow):
    public_id, learner = _certificate(server_app, site)
    page = new_context(narrow=narrow).new_page()
    sign_in(page, base_url, trainer)
    response = page.goto(f"{base_url}/courses/{site.slug}/certificates")
    assert response is not None and response.status == 200
    expect(page.locator("main")).to_contain_text(learner.name)
    page.get_by_text("Revoke this certificate").first.click()  # the open form is checked too
    violations = run_axe(axe, page)
    assert not violations, readable(violations)
    if narrow:
        assert page.evaluate("document.documentElement.scrollWidth") <= 320


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_a_trainer_revokes_through_the_form(new_context, base_url, server_app, site, trainer, javascript):
    public_id, learner = _certificate(server_app, site)
    page = new_context(javascript=javascript).new_page()
    sign_in(page, base_url, trainer)
    page.goto(f"{base_url}/courses/{site.slug}/certificates?q={public_id}")
    card = page.locator("#certificates li").filter(has_text=learner.name)
    card.get_by_text("Revoke this certificate").click()
    card.get_by_label("Reason").fill("The assessment was taken by someone else")
    card.get_by_role("button", name="Revoke").click()
    expect(page.locator("main")).to_contain_text(f"Certificate {public_id} has been revoked.")
    expect(page.locator("main")).to_contain_text("by Grace Banda")

    page.goto(f"{base_url}/certificates/{public_id}")
    expect(page.locator("#status")).to_contain_text("This certificate was revoked on")
    expect(page.locator("main")).not_to_contain_text("someone else")
