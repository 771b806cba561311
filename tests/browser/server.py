"""A live Kuza for browser tests and benchmarks: a prepared database served by a gunicorn process."""
from __future__ import annotations

import os
import re
import secrets
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from flask import Flask

from tests.environment import REPO, SAMPLE_COURSE

GUNICORN = Path(sys.executable).with_name("gunicorn")
START_TIMEOUT = 60.0
LISTENING = re.compile(r"Listening at: (http://127\.0\.0\.1:\d+)")


@dataclass(frozen=True)
class Learner:
    """An account the tests sign in with."""

    email: str
    name: str
    password: str


@dataclass(frozen=True)
class Site:
    """What the prepared database holds: the sample course's slug, its units in reading order, and
    a learner enrolled in it who holds a certificate of participation (its public id) and a link
    to choose a new password (its token, valid on a server given the app's secret key)."""

    slug: str
    units: tuple[str, ...]
    graduate: Learner
    certificate: str
    reset_token: str


def prepare_database(url: str, instance: Path) -> tuple[Flask, Site]:
    """Build an app on a fresh database (as the test fixtures do), import the sample course, and
    record a certificate and a password-reset link for a learner in it."""
    from lms.accounts import services as accounts
    from lms.catalog import services as catalog
    from lms.certificates.models import PARTICIPATION
    from lms.courseware.packages import import_package
    from lms.courseware.services import load_tree
    from lms.extensions import db
    from tests.conftest import build_app

    app = build_app(url, instance)
    with app.app_context():
        result = import_package(SAMPLE_COURSE)
        db.session.commit()
        course = catalog.get_course(result.slug)
        units = tuple(load_tree(course.published_version).units)
    graduate = create_learner(app, "graduate@example.org", enrol_in=result.slug)
    certificate = record_certificate(app, graduate, result.slug, PARTICIPATION)
    with app.app_context():
        reset_token = accounts.password_reset_token(accounts.find_user(graduate.email))
    return app, Site(slug=result.slug, units=units, graduate=graduate, certificate=certificate, reset_token=reset_token)


def create_learner(app: Flask, email: str, *, enrol_in: str | None = None) -> Learner:
    """Add a learner account straight through the services, optionally enrolled in a course."""
    from lms.accounts import services as accounts
    from lms.catalog import services as catalog
    from lms.extensions import db

    learner = Learner(email=email, name=email.split("@")[0].replace(".", " ").title(), password=secrets.token_urlsafe(12))
    with app.app_context():
        user = accounts.create_user(email=learner.email, name=learner.name, password=learner.password)
        if enrol_in:
            catalog.enroll(user, catalog.get_course(enrol_in))
        db.session.commit()
    return learner


def record_certificate(app: Flask, learner: Learner, slug: str, kind: str) -> str:
    """A certificate recorded straight in the table for the learner (issuance is tested
    elsewhere); its public id."""
    from lms.accounts.models import User
    from lms.catalog import services as catalog
    from lms.certificates.models import COMPLETION, Certificate
    from lms.extensions import db

    with app.app_context():
        user = db.session.query(User).filter_by(email=learner.email).one()
        course = catalog.get_course(slug)
        certificate = Certificate(public_id="c" + secrets.token_urlsafe(12), user_id=user.id, course_id=course.id,
                                  version_id=course.published_version.id, version_number=1, kind=kind,
                                  rule={"state": "passed" if kind == COMPLETION else "completed"})
        db.session.add(certificate)
        db.session.commit()
        return certificate.public_id


@dataclass
class LiveServer:
    """``gunicorn wsgi:app`` on 127.0.0.1 and a port the system chose, configured by environment
    variables as in production (``KUZA_CONFIG``, ``DATABASE_URL``, ``SECRET_KEY``)."""

    database_url: str
    log_path: Path
    workers: int = 2
    # Two servers given one key are one site: a session from one is valid on the other.
    secret_key: str = field(default_factory=lambda: secrets.token_hex(32))
    settings: dict[str, str] = field(default_factory=dict)  # more environment variables
    url: str = ""
    process: subprocess.Popen | None = field(default=None, repr=False)

    def start(self) -> LiveServer:
        env = {
            **os.environ,
            "KUZA_CONFIG": "default",
            "DATABASE_URL": self.database_url,
            "SECRET_KEY": self.secret_key,
            # The pages are under test here, not the limits: every test signs in from 127.0.0.1.
            "KUZA_RATE_LIMITS": "false",
            **self.settings,
        }
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                [
                    str(GUNICORN), "--bind", "127.0.0.1:0", "--workers", str(self.workers),
                    "--chdir", str(REPO), "--access-logfile", "-", "--error-logfile", "-",
                    "wsgi:app",
                ],
                stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env, cwd=REPO,
                start_new_session=True,
            )
        try:
            self.url = self._wait_for_address()
            self._wait_until_serving()
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        # SIGTERM to the gunicorn arbiter we started: it stops its own workers gracefully.
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)

    def kill(self) -> None:
        """SIGKILL the arbiter and every worker at once, as a power cut or the OOM killer would."""
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGKILL)  # started in a session (process group) of its own
        self.process.wait(timeout=15)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def _wait_for_address(self) -> str:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if match := LISTENING.search(self.log()):
                return match.group(1)
            self._check_alive()
            time.sleep(0.05)
        raise RuntimeError(f"gunicorn did not start listening within {START_TIMEOUT:.0f} s:\n{self.log()}")

    def _wait_until_serving(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            self._check_alive()
            try:
                with urllib.request.urlopen(self.url + "/", timeout=5) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.1)
        raise RuntimeError(f"the catalog did not answer 200 within {START_TIMEOUT:.0f} s:\n{self.log()}")

    def _check_alive(self) -> None:
        assert self.process is not None
        if self.process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with status {self.process.returncode}:\n{self.log()}")
