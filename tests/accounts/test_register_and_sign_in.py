"""Registering and signing in through the pages, as a learner without JavaScript would."""
from __future__ import annotations

import re

import pytest

from lms.accounts import services
from tests.accounts.conftest import PASSWORD
from tests.accounts.pages import is_signed_in, post_form, sign_in


def register(client, **fields):
    data = {"name": "Amina Diallo", "email": "amina@example.org", "password": PASSWORD, "confirm": PASSWORD}
    return post_form(client, "/register", {**data, **fields}, token_from="/register")


def test_register_signs_the_learner_in(client, db_session):
    response = register(client)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert "Welcome, Amina Diallo." in client.get("/").get_data(as_text=True)
    assert is_signed_in(client)
    assert services.find_user("amina@example.org").name == "Amina Diallo"


def test_register_follows_a_local_next(client, db_session):
    response = register(client, next="/courses/civic-tech/")
    assert response.headers["Location"] == "/courses/civic-tech/"


def test_register_keeps_the_language_chosen_before(client, db_session):
    post_form(client, "/language", {"locale": "fr", "next": "/register"})
    register(client)
    assert services.find_user("amina@example.org").locale == "fr"


def test_duplicate_email_is_shown_on_the_email_field(client, make_user):
    make_user(email="amina@example.org")
    response = register(client, email="Amina@Example.org")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="email-error"' in html
    assert "An account with this email already exists." in html
    assert not is_signed_in(client)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"password": "short", "confirm": "short"}, "Use at least 10 characters for your password."),
        ({"password": "amina@example.org", "confirm": "amina@example.org"},
         "Your password must not be your email address."),
        ({"confirm": "something else entirely"}, "The two passwords are not the same."),
        ({"password": "iloveyou123", "confirm": "iloveyou123"},
         "This is one of the passwords people use most, which attackers try first. Choose another."),
    ],
)
def test_weak_password_is_refused(client, db_session, fields, message):
    response = register(client, **fields)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert services.find_user("amina@example.org") is None


def test_errors_are_summarised_and_tied_to_their_fields(client, db_session):
    html = register(client, name="", email="not an email", password="short", confirm="short").get_data(as_text=True)
    assert "<title>Error: " in html
    summary = re.search(r'<div class="flash flash-error error-summary" role="alert".*?</div>', html, re.S).group(0)
    for field in ("name", "email", "password"):
        assert f'href="#{field}"' in summary
        tag = re.search(rf'<input [^>]*id="{field}"[^>]*>', html).group(0)
        assert 'aria-invalid="true"' in tag
        assert f"{field}-error" in re.search(r'aria-describedby="([^"]+)"', tag).group(1)
        assert f'id="{field}-error"' in html
    assert 'aria-describedby="password-hint password-error"' in html


@pytest.mark.parametrize(
    ("path", "autocomplete"),
    [
        ("/register", {"name": "name", "email": "email", "password": "new-password", "confirm": "new-password"}),
        ("/sign-in", {"email": "email", "password": "current-password"}),
    ],
)
def test_every_input_is_labelled_and_autocompletes(client, db_session, path, autocomplete):
    html = client.get(path).get_data(as_text=True)
    main = html[html.index("<main"):html.index("</main>")]
    inputs = re.findall(r"<input [^>]*>", main)
    visible = [tag for tag in inputs if 'type="hidden"' not in tag]
    assert visible
    for tag in visible:
        field_id = re.search(r'id="([^"]+)"', tag).group(1)
        assert f'<label for="{field_id}">' in main
        if field_id in autocomplete:
            assert f'autocomplete="{autocomplete[field_id]}"' in tag


def test_sign_in_and_out(client, make_user):
    user = make_user()
    response = sign_in(client, user.email)
    assert response.headers["Location"] == "/"
    assert is_signed_in(client)
    response = post_form(client, "/sign-out", {}, token_from="/account")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert "You are signed out." in client.get("/").get_data(as_text=True)
    assert not is_signed_in(client)


def test_sign_in_refusal_does_not_say_which_field_was_wrong(client, make_user):
    user = make_user()
    wrong_password = post_form(client, "/sign-in", {"email": user.email, "password": "not the password"})
    unknown_email = post_form(client, "/sign-in", {"email": "nobody@example.org", "password": PASSWORD})
    for response in (wrong_password, unknown_email):
        assert response.status_code == 422
        assert "The email address or password is not correct." in response.get_data(as_text=True)

    def without_tokens(html: str) -> str:
        return re.sub(r'value="[^"]*"', "", html)

    assert without_tokens(wrong_password.get_data(as_text=True)) == without_tokens(
        unknown_email.get_data(as_text=True)
    ).replace("nobody@example.org", user.email)
    assert not is_signed_in(client)


def test_a_protected_page_sends_the_learner_back_after_signing_in(client, make_user):
    user = make_user()
    response = client.get("/account")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/sign-in?next=")
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert '<input id="next" name="next" type="hidden" value="/account">' in html
    assert sign_in(client, user.email, next="/account").headers["Location"] == "/account"


def test_sign_in_starts_a_new_session_keeping_only_the_language(client, make_user):
    user = make_user()
    post_form(client, "/language", {"locale": "fr", "next": "/"})
    with client.session_transaction() as session:
        session["planted"] = "by someone else"
    sign_in(client, user.email)
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["locale"] == "fr"
