"""The User model and its roles."""
from __future__ import annotations

import secrets
from datetime import datetime
from enum import StrEnum

from flask_login import UserMixin
from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from lms.database import utcnow
from lms.extensions import db


class Role(StrEnum):
    LEARNER = "learner"
    TRAINER = "trainer"
    ADMIN = "admin"


def new_session_token() -> str:
    return secrets.token_urlsafe(24)


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(256))
    role: Mapped[str] = mapped_column(String(20), default=Role.LEARNER)
    locale: Mapped[str | None] = mapped_column(String(10))
    # Where the learner works: an ISO 3166-1 alpha-2 code and the organisation's name, as a roster
    # gave them; programme reports break results down by country.
    country: Mapped[str | None] = mapped_column(String(2))
    organisation: Mapped[str | None] = mapped_column(String(200))
    # An IANA time zone ("Africa/Dakar") for dates shown to this user; none means the site's (KUZA_TIME_ZONE).
    time_zone: Mapped[str | None] = mapped_column(String(64))
    # Part of the id kept in every session cookie: replacing it ends all of this user's sessions.
    session_token: Mapped[str] = mapped_column(String(64), default=new_session_token)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role}>"
