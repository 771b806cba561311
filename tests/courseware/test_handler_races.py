"""Handler calls of one learner on one block run one after another, even when they race."""
from __future__ import annotations

import json
import time
from functools import partial

import pytest
from sqlalchemy import func, select
from xblock.core import XBlock
from xblock.fields import Integer, Scope

from lms.catalog import services as catalog
from lms.courseware.models import Attempt, LearnerState
from lms.extensions import db
from tests.concurrency import at_once, signed_in_tabs
from tests.factories import csrf_token_from, install_block, make_course, make_user


class OneShotBlock(XBlock):
    """Accepts one use per learner: a check-then-write with a wide gap between the two."""

    uses = Integer(scope=Scope.user_state, default=0)

    def student_view(self, context=None):
        from web_fragments.fragment import Fragment

        return Fragment(f"<p>uses: {self.uses}</p>")

    @XBlock.json_handler
    def use(self, data, suffix=""):
        seen = self.uses
        time.sleep(0.3)  # another request would slip in here if calls were not serialised
        if seen >= 1:
            return {"accepted": False}
        self.uses = seen + 1
        self.runtime.publish(self, "kuza.quiz.attempt", {
            "attempt_id": data["token"], "submitted_at": "2026-11-28T08:00:00+00:00",
            "earned": 1, "possible": 1, "passed": True,
        })
        return {"accepted": True}


@pytest.fixture
def race_app(committed_app, monkeypatch):
    install_block(monkeypatch, "test_one_shot", OneShotBlock)
    monkeypatch.setitem(committed_app.config, "KUZA_EXTRA_XBLOCKS", ("test_one_shot",))
    with committed_app.app_context():
        learner = make_user(email="racer@example.org")
        catalog.enroll(learner, make_course(slug="race", units={"once": [("test_one_shot", {})]}))
        db.session.commit()
        learner_id = learner.id
    return committed_app, learner_id


def test_two_tabs_racing_get_one_use_and_one_attempt(race_app):
    app, learner_id = race_app
    tabs = signed_in_tabs(app, "racer@example.org")
    tokens = [csrf_token_from(tab.get("/courses/race/learn/once").get_data(as_text=True)) for tab in tabs]

    responses = at_once(*(partial(tab.post, "/courses/race/xblock/once-0/handler/use",
                                  data=json.dumps({"token": f"tab-{n}"}), content_type="application/json",
                                  headers={"X-CSRFToken": csrf})
                          for n, (tab, csrf) in enumerate(zip(tabs, tokens))))
    answers = [response.get_json() for response in responses]

    # Which tab wins is up to the scheduler, so only the set of answers is fixed.
    assert sorted(answer["accepted"] for answer in answers) == [False, True]
    with app.app_context():
        state = db.session.execute(select(LearnerState.state).filter_by(user_id=learner_id, usage_id="once-0")).scalar_one()
        assert state == {"uses": 1}
        assert db.session.scalar(select(func.count()).select_from(Attempt).filter_by(user_id=learner_id)) == 1

