"""The public certificate verification page in Chromium: the holder's name shown, never the email
(axe, width and the page budget of this page are in the matrix of test_learner_pages.py)."""
from __future__ import annotations

from playwright.sync_api import expect


def test_verification_page_names_the_holder_but_not_the_email(page, base_url, site):
    response = page.goto(f"{base_url}/certificates/{site.certificate}")
    assert response is not None and response.status == 200
    expect(page.locator("main .holder")).to_have_text(site.graduate.name)
    expect(page.locator("main")).not_to_contain_text(site.graduate.email)
