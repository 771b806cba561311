"""Account services: the rules for users and passwords, sessions, roles and the demo learner."""
from __future__ import annotations

import stat
from pathlib import Path

import pytest

from lms.accounts import services
from lms.accounts.models import Role
from tests.accounts.conftest import PASSWORD


def test_create_user_normalises_the_email(db_session):
    user = services.create_user(email="  Amina.Diallo@Example.ORG ", name=" Amina Diallo ", password=PASSWORD)
    assert user.email == "amina.diallo@example.org"
    assert user.name == "Amina Diallo"
    assert user.role == Role.LEARNER
    assert user.password_hash != PASSWORD


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"email": "not-an-email"}, "email", "Enter an email address"),
        ({"email": "a@b@example.org"}, "email", "Enter an email address"),
        ({"name": "   "}, "name", "Enter your name"),
        ({"name": "x" * 201}, "name", "at most 200"),
        ({"password": "short"}, "password", "at least 10"),
        ({"password": " Someone@Example.org "}, "password", "must not be your email"),
        # Long enough, and among the passwords people use most, in any letter case.
        ({"password": "1234567890"}, "password", "passwords people use most"),
        ({"password": "QwertyUiop"}, "password", "passwords people use most"),
        ({"role": "superuser"}, "role", "Unknown role"),
    ],
)
def test_create_user_refuses_what_breaks_a_rule(db_session, fields, field, message):
    arguments = {"email": "someone@example.org", "name": "Someone", "password": PASSWORD, **fields}
    with pytest.raises(services.AccountError) as raised:
        services.create_user(**arguments)
    assert raised.value.field == field
    assert message in str(raised.value)


def test_duplicate_email_is_refused_whatever_its_case(db_session):
    services.create_user(email="twice@example.org", name="First", password=PASSWORD)
    with pytest.raises(services.AccountError, match="An account with this email already exists."):
        services.create_user(email="TWICE@example.org", name="Second", password=PASSWORD)


def test_uses_the_configured_hash_method(db_session):
    user = services.create_user(email="hash@example.org", name="Hash", password=PASSWORD)
    assert user.password_hash.startswith("pbkdf2:sha256:1000$")


def test_authenticate(make_user):
    user = make_user(email="auth@example.org")
    assert services.authenticate(" AUTH@example.org", PASSWORD) is user
    assert services.authenticate("auth@example.org", "wrong password") is None
    assert services.authenticate("nobody@example.org", PASSWORD) is None


def test_authenticate_checks_a_hash_even_for_an_unknown_email(db_session, monkeypatch):
    checked = []
    monkeypatch.setattr(services, "check_password_hash", lambda *args: checked.append(args) or False)
    assert services.authenticate("nobody@example.org", PASSWORD) is None
    assert len(checked) == 1


def test_change_password_rotates_the_session_token(make_user):
    user = make_user()
    old_id = user.get_id()
    services.change_password(user, PASSWORD, "a brand new passphrase")
    assert user.get_id() != old_id
    assert services.authenticate(user.email, "a brand new passphrase") is user
    assert services.authenticate(user.email, PASSWORD) is None


@pytest.mark.parametrize(
    ("current", "new", "field"),
    [("wrong password", "a brand new passphrase", "current_password"), (PASSWORD, "short", "new_password")],
)
def test_change_password_refusals_keep_the_sessions(make_user, current, new, field):
    user = make_user()
    old_id = user.get_id()
    with pytest.raises(services.AccountError) as raised:
        services.change_password(user, current, new)
    assert raised.value.field == field
    assert user.get_id() == old_id


def test_load_user_needs_both_id_and_token(make_user):
    user = make_user()
    session_id = user.get_id()
    assert services.load_user(session_id) is user
    assert services.load_user(f"{user.id}:wrong-token") is None
    assert services.load_user(f"{user.id}") is None
    assert services.load_user(f"{user.id}:") is None
    assert services.load_user("x:" + user.session_token) is None
    assert services.load_user(f"999999:{user.session_token}") is None
    services.end_sessions(user)
    assert services.load_user(session_id) is None
    assert services.load_user(user.get_id()) is user


def test_set_locale(make_user):
    user = make_user()
    services.set_locale(user, "fr")
    assert user.locale == "fr"
    with pytest.raises(services.AccountError):
        services.set_locale(user, "xx")
    assert user.locale == "fr"


def test_require_role(make_user):
    trainer = make_user(role="trainer")
    services.require_role(trainer, Role.TRAINER, Role.ADMIN)
    with pytest.raises(services.PermissionDenied):
        services.require_role(trainer, Role.ADMIN)
    with pytest.raises(services.PermissionDenied):
        services.require_role(None, Role.LEARNER)


@pytest.fixture
def instance(app, tmp_path, monkeypatch) -> Path:
    monkeypatch.setattr(app, "instance_path", str(tmp_path))
    return tmp_path


def test_ensure_demo_learner_is_idempotent_and_keeps_the_password_private(db_session, instance):
    email, password = services.ensure_demo_learner()
    assert email == "learner@demo.kuza.invalid"
    login_file = instance / "demo-login.txt"
    assert stat.S_IMODE(login_file.stat().st_mode) == 0o600
    assert login_file.read_text().strip() == password
    assert services.ensure_demo_learner() == (email, password)
    user = services.authenticate(email, password)
    assert user is not None and user.name == "Demo Learner" and user.role == Role.LEARNER


def test_ensure_demo_learner_resets_the_password_when_the_file_is_gone(db_session, instance):
    email, first = services.ensure_demo_learner()
    (instance / "demo-login.txt").unlink()
    again, second = services.ensure_demo_learner()
    assert again == email and second != first
    assert services.authenticate(email, second) is not None
    assert services.authenticate(email, first) is None
    assert stat.S_IMODE((instance / "demo-login.txt").stat().st_mode) == 0o600


def test_ensure_demo_learner_repairs_a_file_that_no_longer_matches(db_session, instance):
    email, _ = services.ensure_demo_learner()
    (instance / "demo-login.txt").write_text("written by hand, long enough\n")
    assert services.ensure_demo_learner() == (email, "written by hand, long enough")
    assert services.authenticate(email, "written by hand, long enough") is not None
