"""Sessions: cookies, remember-me, ending sessions elsewhere, changing the password, safe redirects."""
from __future__ import annotations

import pytest
from flask_login.config import COOKIE_NAME as REMEMBER_COOKIE

from lms.accounts import services
from tests.accounts.conftest import PASSWORD
from tests.accounts.pages import is_signed_in, post_form, set_cookies, sign_in
from tests.accounts.test_redirects import HOSTILE

NEW_PASSWORD = "a brand new passphrase"


def test_remember_me_is_off_unless_ticked(client, make_user):
    user = make_user()
    response = sign_in(client, user.email)
    assert set_cookies(response, REMEMBER_COOKIE) == []
    assert client.get_cookie(REMEMBER_COOKIE) is None
    assert 'name="remember_me" type="checkbox" value="y">' in client.get("/sign-in").get_data(as_text=True)


def test_remember_me_keeps_the_learner_signed_in_after_the_browser_closes(client, make_user):
    user = make_user()
    response = sign_in(client, user.email, remember_me="y")
    [cookie] = set_cookies(response, REMEMBER_COOKIE)
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    client.delete_cookie("session")
    assert is_signed_in(client)


@pytest.mark.parametrize(("base_url", "secure"), [("http://localhost", False), ("https://localhost", True)])
def test_session_cookie_flags(client, db_session, base_url, secure):
    [cookie] = set_cookies(client.get("/sign-in", base_url=base_url), "session")
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert ("Secure" in cookie) is secure


def test_signing_out_ends_the_other_sessions_too(app, make_user):
    user = make_user()
    here, elsewhere, remembered = app.test_client(), app.test_client(), app.test_client()
    sign_in(here, user.email)
    sign_in(elsewhere, user.email)
    sign_in(remembered, user.email, remember_me="y")
    post_form(here, "/sign-out", {}, token_from="/account")
    assert not is_signed_in(here)
    assert not is_signed_in(elsewhere)
    remembered.delete_cookie("session")
    assert not is_signed_in(remembered)


def test_signing_out_clears_the_remember_cookie(client, make_user):
    user = make_user()
    sign_in(client, user.email, remember_me="y")
    response = post_form(client, "/sign-out", {}, token_from="/account")
    [cookie] = set_cookies(response, REMEMBER_COOKIE)
    assert cookie.startswith(f"{REMEMBER_COOKIE}=;")
    assert client.get_cookie(REMEMBER_COOKIE) is None


def change_password(client, current=PASSWORD, new=NEW_PASSWORD, confirm=None):
    return post_form(client, "/account/password",
                     {"current_password": current, "new_password": new, "confirm": confirm or new},
                     token_from="/account")


def test_changing_the_password_ends_other_sessions_and_keeps_this_one(app, make_user):
    user = make_user()
    here, elsewhere = app.test_client(), app.test_client()
    sign_in(here, user.email)
    sign_in(elsewhere, user.email)
    response = change_password(here)
    assert response.status_code == 302
    assert response.headers["Location"] == "/account"
    assert "Your password is changed." in here.get("/account").get_data(as_text=True)
    assert is_signed_in(here)
    assert not is_signed_in(elsewhere)
    assert post_form(elsewhere, "/sign-in", {"email": user.email, "password": PASSWORD}).status_code == 422
    sign_in(elsewhere, user.email, NEW_PASSWORD)


def test_changing_the_password_renews_this_browsers_remember_cookie(client, make_user):
    user = make_user()
    sign_in(client, user.email, remember_me="y")
    change_password(client)
    client.delete_cookie("session")
    assert is_signed_in(client)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"current": "not my password"}, "Your current password is not correct."),
        ({"new": "short"}, "Use at least 10 characters for your password."),
        ({"confirm": "something else entirely"}, "The two passwords are not the same."),
    ],
)
def test_a_refused_password_change_changes_nothing(app, make_user, fields, message):
    user = make_user()
    here, elsewhere = app.test_client(), app.test_client()
    sign_in(here, user.email)
    sign_in(elsewhere, user.email)
    response = change_password(here, **fields)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert is_signed_in(here) and is_signed_in(elsewhere)
    assert services.authenticate(user.email, PASSWORD) is not None


@pytest.mark.parametrize("target", [value for value in HOSTILE if value is not None])
def test_hostile_next_values_fall_back_to_a_local_page(app, make_user, target):
    user = make_user()
    browser = app.test_client()
    assert sign_in(browser, user.email, next=target).headers["Location"] == "/"
    for path, data in [("/language", {"locale": "en", "next": target}),
                       ("/register", {"name": "N", "email": "n@example.org", "password": PASSWORD,
                                      "confirm": PASSWORD, "next": target})]:
        response = post_form(app.test_client(), path, data)
        assert response.status_code == 302
        assert response.headers["Location"] == "/"


def test_a_hostile_next_is_not_carried_into_the_form(client, db_session):
    html = client.get("/sign-in", query_string={"next": "//evil.example"}).get_data(as_text=True)
    assert '<input id="next" name="next" type="hidden" value="">' in html
    assert '<a href="/register">' in html


def test_a_local_next_is_followed(client, make_user):
    user = make_user()
    target = "/courses/civic-tech/learn/unit-1?from=email"
    assert sign_in(client, user.email, next=target).headers["Location"] == target
    response = post_form(client, "/language", {"locale": "fr", "next": target})
    assert response.headers["Location"] == target
