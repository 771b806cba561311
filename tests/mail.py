"""A real SMTP server on loopback for tests that send mail (aiosmtpd), and reading what it received."""
from __future__ import annotations

import email
import email.policy
import os
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from email.message import EmailMessage
from pathlib import Path

from aiosmtpd.controller import Controller
from flask import Flask, has_app_context

from tests.conftest import RequestClient

from tests.commands import free_port


class Inbox:
    """An aiosmtpd handler that keeps every message the server accepts, parsed."""

    def __init__(self) -> None:
        self.port = free_port()
        self.messages: list[EmailMessage] = []
        self.recipients: list[list[str]] = []

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 - aiosmtpd's hook name
        self.recipients.append(list(envelope.rcpt_tos))
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 Message accepted for delivery"

    def clear(self) -> None:
        self.messages.clear()
        self.recipients.clear()

    def wait_for(self, count: int, timeout: float = 10) -> list[EmailMessage]:
        """The messages received, once there are ``count`` of them or ``timeout`` seconds have passed."""
        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        return self.messages

    def to(self, address: str) -> list[EmailMessage]:
        return [message for message in self.messages if message["To"] == address]


@contextmanager
def smtp_server() -> Iterator[Inbox]:
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=handler.port)
    controller.start()
    try:
        yield handler
    finally:
        controller.stop()


def mail_settings(inbox: Inbox) -> dict:
    """An app's settings for sending to ``inbox``; MAIL_USE_TLS off, since the loopback server speaks plain SMTP."""
    return {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": inbox.port, "MAIL_USE_TLS": False,
            "MAIL_DEFAULT_SENDER": "Kuza <no-reply@kuza.example>"}


def parts(message: EmailMessage) -> tuple[str, str]:
    """A message's plain-text and HTML bodies."""
    return (message.get_body(preferencelist=("plain",)).get_content(),
            message.get_body(preferencelist=("html",)).get_content())


class CommittedClient(RequestClient):
    """A test client for an app that really commits: before each request the test's own session ends
    its transaction, since on SQLite an open one (even one that only read) holds the write lock the
    request needs."""

    def open(self, *args, **kwargs):
        from lms.extensions import db

        if has_app_context() and db.session.registry.has():
            db.session.commit()
        return super().open(*args, **kwargs)


@contextmanager
def app_sending_to(inbox: Inbox, folder: Path, **overrides) -> Iterator[Flask]:
    """An app that sends its mail to ``inbox``, on a database of its own that really commits
    (a scratch PostgreSQL database when TEST_DATABASE_URL is set)."""
    from lms.extensions import db
    from tests.conftest import build_app, scratch_postgres

    with ExitStack() as stack:
        server = os.environ.get("TEST_DATABASE_URL")
        url = stack.enter_context(scratch_postgres(server)) if server else f"sqlite:///{folder / 'mail.sqlite3'}"
        app = build_app(url, folder / "instance", **mail_settings(inbox), **overrides)
        app.test_client_class = CommittedClient
        try:
            yield app
        finally:
            with app.app_context():
                db.engine.dispose()


def empty_tables() -> None:
    """Remove every row a committed test left, in an app context of the app that wrote them."""
    from lms.catalog.models import Course
    from lms.extensions import db

    db.session.rollback()
    # Courses and their versions point at each other: break the cycle first.
    db.session.execute(Course.__table__.update().values(published_version_id=None))
    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(table.delete())
    db.session.commit()
