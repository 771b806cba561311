"""The page frame without JavaScript: the phone menu opens, wide screens show its links, the language switch brings you back."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.actions import open_menu

pytestmark = pytest.mark.browser


def test_the_phone_menu_opens_without_javascript(new_context, base_url):
    page = new_context(javascript=False, narrow=True).new_page()
    page.goto(base_url + "/register")
    sign_in = page.get_by_role("navigation", name="Main").get_by_role("link", name="Sign in")
    expect(sign_in).to_be_hidden()
    open_menu(page)
    expect(sign_in).to_be_visible()
    sign_in.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")


def test_wide_screens_show_the_links_without_a_menu_button(new_context, base_url):
    page = new_context(javascript=False, viewport={"width": 1280, "height": 800}).new_page()
    page.goto(base_url + "/register")
    expect(page.locator("details.menu > summary")).to_be_hidden()
    expect(page.get_by_role("navigation", name="Main").get_by_role("link", name="Sign in")).to_be_visible()


def test_the_language_switch_works_without_javascript_and_returns_to_the_page(new_context, base_url):
    page = new_context(javascript=False, narrow=True).new_page()
    page.goto(base_url + "/sign-in?next=/my-learning")
    page.locator("details.language-switch > summary").click()
    page.get_by_role("button", name="Français").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    assert page.url == base_url + "/sign-in?next=/my-learning"
    expect(page.get_by_role("heading", level=1)).to_have_text("Se connecter")
    page.locator("details.language-switch > summary").click()
    expect(page.get_by_role("button", name="Français")).to_have_attribute("aria-current", "true")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
