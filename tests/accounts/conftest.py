"""Accounts fixtures: test clients that behave like separate browsers, and users made through the services."""
from __future__ import annotations

import contextvars
from collections.abc import Callable
from itertools import count

import pytest
from flask import Flask
from flask.testing import FlaskClient

from lms.accounts import services
from lms.accounts.models import User

PASSWORD = "correct horse battery"
_serial = count(1)


class SeparateBrowser(FlaskClient):
    """A test client whose every request gets its own app context, as in production.

    The db_session fixture keeps an app context pushed for the whole test, and a request
    would otherwise reuse it, sharing ``g`` (the loaded user, the CSRF token, the locale)
    between requests and between clients.
    """

    def open(self, *args, **kwargs):
        return contextvars.Context().run(super().open, *args, **kwargs)


@pytest.fixture
def new_browser(app: Flask, db_session) -> Callable[[], FlaskClient]:
    def make() -> FlaskClient:
        return SeparateBrowser(app, app.response_class, use_cookies=True)

    return make


@pytest.fixture
def client(new_browser) -> FlaskClient:
    return new_browser()


@pytest.fixture
def make_user(db_session) -> Callable[..., User]:
    """Create and commit a user; the db_session fixture rolls it back after the test."""

    def make(email: str | None = None, role: str = "learner", name: str = "Amina Diallo",
             password: str = PASSWORD) -> User:
        user = services.create_user(email=email or f"learner{next(_serial)}@example.org", name=name,
                                    password=password, role=role)
        db_session.commit()
        return user

    return make
