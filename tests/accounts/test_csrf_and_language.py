"""Every account form refuses a POST without its CSRF token; the language switch changes the next page."""
from __future__ import annotations

import re

import pytest

from lms.accounts import services
from tests.accounts.conftest import PASSWORD
from tests.accounts.pages import csrf_token, post_form, sign_in

FORMS = {
    "/register": {"name": "N", "email": "n@example.org", "password": PASSWORD, "confirm": PASSWORD},
    "/sign-in": {"email": "learner@example.org", "password": PASSWORD},
    "/sign-out": {},
    "/language": {"locale": "fr", "next": "/"},
    "/account/password": {"current_password": PASSWORD, "new_password": "a brand new passphrase",
                          "confirm": "a brand new passphrase"},
}


def test_testing_config_keeps_csrf_on(app):
    assert app.config.get("WTF_CSRF_ENABLED", True) is True


@pytest.mark.parametrize("path", FORMS)
def test_a_post_without_the_token_is_refused(app, make_user, path):
    user = make_user(email="learner@example.org")
    browser = app.test_client()
    sign_in(browser, user.email)
    session_id = user.get_id()
    assert browser.post(path, data=FORMS[path]).status_code == 400
    assert browser.post(path, data={**FORMS[path], "csrf_token": "forged"}).status_code == 400
    # A token is tied to its own browser's session.
    assert browser.post(path, data={**FORMS[path], "csrf_token": csrf_token(app.test_client())}).status_code == 400
    assert browser.get("/account").status_code == 200
    assert user.get_id() == session_id and services.authenticate(user.email, PASSWORD) is user


def html_lang(client, path="/sign-in") -> str:
    return re.search(r'<html lang="([^"]+)"', client.get(path).get_data(as_text=True)).group(1)


def test_switching_language_sets_the_lang_of_the_next_page(client, db_session):
    assert html_lang(client) == "en"
    response = post_form(client, "/language", {"locale": "fr", "next": "/sign-in"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/sign-in"
    assert html_lang(client) == "fr"


def test_a_signed_in_learners_language_is_kept_on_the_account(app, make_user):
    user = make_user()
    browser = app.test_client()
    sign_in(browser, user.email)
    post_form(browser, "/language", {"locale": "fr", "next": "/account"})
    assert user.locale == "fr"
    later = app.test_client()
    sign_in(later, user.email)
    assert html_lang(later, "/account") == "fr"


def test_an_unknown_language_changes_nothing(client, db_session):
    response = post_form(client, "/language", {"locale": "xx", "next": "/sign-in"})
    assert response.status_code == 302
    assert "That language is not available." in client.get("/sign-in").get_data(as_text=True)
    assert html_lang(client) == "en"
