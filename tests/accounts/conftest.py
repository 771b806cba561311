"""Accounts fixtures: users made through the services."""
from __future__ import annotations

from collections.abc import Callable
from itertools import count

import pytest

from lms.accounts import services
from lms.accounts.models import User

PASSWORD = "correct horse battery"
_serial = count(1)


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
