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
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def sign_in(page: Page, base_url: str, learner: Learner) -> None:
    """Open the sign-in page, sign in, and wait until the header shows the learner signed in."""
    page.goto(base_url + "/sign-in")
    page.get_by_label("Email address").fill(learner.email)
    page.get_by_label("Password", exact=True).fill(learner.password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("link", name="Sign in", exact=True)).to_be_visible()


def next_link(page: Page):
    """The unit page's "Next" link (its accessible name goes on with the next unit's title)."""
    return page.get_by_role("navigation", name="Units").get_by_role("link", name=re.compile(r"^Next\b"))
