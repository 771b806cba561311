"""The fault drill: learners submit quiz answers while every server process is killed at random moments.

Shared by the shortened test (tests/test_durability.py, in CI) and the full run
(bench/fault_injection.py). An answer counts as acknowledged when the server said 200 to it;
every acknowledged answer must be in the database exactly once after the kills, and no answer
(acknowledged or not) may be there twice.
"""
from __future__ import annotations

import json
import random
import re
import secrets
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass, field
from http.cookiejar import CookieJar
from pathlib import Path

import sqlalchemy as sa

from tests.browser.server import LiveServer, create_learner

SLUG = "fault-drill"
UNIT = "drill"
QUIZ = f"{UNIT}-0"
TOKEN = re.compile(r'name="csrf-token" content="([^"]+)"')
CHOICE = re.compile(r'<input type="radio" id="([^"]+)" name="([^"]+)" value="([^"]+)"')
QUESTIONS = [{"id": "capital", "type": "single_choice", "prompt": "Where is the Isange One Stop Centre?",
              "weight": 1.0, "choices": [{"id": "kigali", "text": "Kigali", "correct": True},
                                         {"id": "dhaka", "text": "Dhaka", "correct": False}]}]


@dataclass
class DrillReport:
    cycles: int = 0
    sent: int = 0
    acknowledged: set[str] = field(default_factory=set)
    stored: dict[str, int] = field(default_factory=dict)  # attempt id -> rows with it
    in_state: dict[str, int] = field(default_factory=dict)  # attempt id -> times in the learners' state
    integrity: str = ""

    @property
    def lost(self) -> set[str]:
        return {token for token in self.acknowledged if self.stored.get(token, 0) == 0}

    @property
    def duplicated(self) -> set[str]:
        return {token for token, count in {**self.stored, **self.in_state}.items() if count > 1}


def prepare(app) -> None:
    """A course whose one unit holds a quiz that may be taken without limit."""
    from lms.extensions import db
    from tests.factories import make_course

    with app.app_context():
        make_course(slug=SLUG, units={UNIT: [("kuza_quiz", {
            "display_name": "Drill", "questions": QUESTIONS, "mode": "practice", "max_attempts": 0})]})
        db.session.commit()


def _signed_in(server: LiveServer, learner) -> tuple[urllib.request.OpenerDirector, str]:
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
    page = opener.open(server.url + "/sign-in", timeout=30).read().decode()
    csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"', page)
    form = urllib.parse.urlencode({"email": learner.email, "password": learner.password,
                                   "csrf_token": csrf.group(1) or csrf.group(2)}).encode()
    opener.open(server.url + "/sign-in", data=form, timeout=30).read()
    unit = opener.open(f"{server.url}/courses/{SLUG}/learn/{UNIT}", timeout=30).read().decode()
    # The right answer as the page offers it: the radio button labelled Kigali.
    element_id, name, value = next(match for match in CHOICE.findall(unit)
                                   if re.search(rf'<label for="{re.escape(match[0])}"><bdi>Kigali<', unit))
    return opener, TOKEN.search(unit).group(1), {name: value}


def run(app, database_url: str, folder: Path, cycles: int, learners: int = 4, seed: int | None = None) -> DrillReport:
    """``cycles`` times: start gunicorn (2 workers), let ``learners`` submit as fast as they can, SIGKILL it."""
    from lms.courseware.models import Attempt, LearnerState
    from lms.extensions import db

    chance = random.Random(seed)
    accounts = [create_learner(app, f"drill{n}@example.org", enrol_in=SLUG) for n in range(learners)]
    key = secrets.token_hex(32)
    report = DrillReport()
    lock = threading.Lock()
    sessions: dict[str, tuple] = {}
    for cycle in range(cycles):
        server = LiveServer(database_url=database_url, log_path=folder / f"cycle-{cycle}.log", workers=2,
                            secret_key=key).start()
        # Sessions outlive the processes (same key, cookies by host), as they would for learners.
        for learner in accounts:
            if learner.email not in sessions:
                sessions[learner.email] = _signed_in(server, learner)
        handler = f"{server.url}/courses/{SLUG}/xblock/{QUIZ}/handler/submit"
        stop = threading.Event()

        def submit(opener, csrf, responses) -> None:
            while not stop.is_set():
                token = str(uuid.uuid4())
                body = json.dumps({"submission": token, "responses": responses}).encode()
                request = urllib.request.Request(handler, data=body, headers={
                    "Content-Type": "application/json", "X-CSRFToken": csrf})
                with lock:
                    report.sent += 1
                try:
                    with opener.open(request, timeout=10) as answer:
                        if answer.status == 200:
                            with lock:
                                report.acknowledged.add(token)
                except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
                    return  # the server is gone: this answer was never acknowledged

        threads = [threading.Thread(target=submit, args=sessions[learner.email]) for learner in accounts]
        for thread in threads:
            thread.start()
        time.sleep(chance.uniform(0.5, 2.0))
        server.kill()
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
        report.cycles += 1

    with app.app_context():
        for attempt_id, count in db.session.execute(
                sa.select(Attempt.attempt_id, sa.func.count()).group_by(Attempt.attempt_id)).all():
            report.stored[attempt_id] = count
        for (state,) in db.session.execute(sa.select(LearnerState.state).where(LearnerState.usage_id == QUIZ)):
            for attempt in (state or {}).get("attempts", []):
                report.in_state[attempt["id"]] = report.in_state.get(attempt["id"], 0) + 1
        if db.engine.dialect.name == "sqlite":
            report.integrity = db.session.execute(sa.text("PRAGMA integrity_check")).scalar_one()
        else:
            report.integrity = "ok" if db.session.execute(sa.text("SELECT 1")).scalar_one() == 1 else "unreachable"
        db.engine.dispose()
    return report
