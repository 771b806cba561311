"""The public certificate verification page in Chromium: no axe violations, fits 320 px, within budget."""
from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import expect

from lms.certificates.models import PARTICIPATION
from tests.browser.pages import BUDGET_BYTES, BUDGET_REQUESTS
from tests.browser.server import create_learner, record_certificate
from tests.browser.accessibility import readable, run_axe
from tests.browser.weight import measure_cold


@pytest.fixture(scope="module")
def certificate(server_app, site) -> tuple[str, object]:
    """A participation certificate recorded straight in the table (its rules are tested elsewhere)."""
    learner = create_learner(server_app, f"cert.{uuid.uuid4().hex[:8]}@example.org", enrol_in=site.slug)
    return f"/certificates/{record_certificate(server_app, learner, site.slug, PARTICIPATION)}", learner


@pytest.mark.parametrize("narrow", [False, True], ids=["wide", "320px"])
def test_verification_page_is_accessible_and_fits(new_context, base_url, axe, certificate, narrow):
    path, learner = certificate
    page = new_context(narrow=narrow).new_page()
    response = page.goto(base_url + path)
    assert response is not None and response.status == 200
    expect(page.locator("main")).to_contain_text(learner.name)
    expect(page.locator("main")).not_to_contain_text(learner.email)
    violations = run_axe(axe, page)
    assert not violations, readable(violations)
    if narrow:
        assert page.evaluate("document.documentElement.scrollWidth") <= 320


def test_verification_page_is_within_the_page_budget(browser, base_url, certificate):
    weight = measure_cold(browser, base_url + certificate[0])
    assert weight.requests <= BUDGET_REQUESTS and weight.wire_bytes <= BUDGET_BYTES, weight
