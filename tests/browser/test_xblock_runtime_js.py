"""The JavaScript runtime in Chromium: a block's init function, handlerUrl and a JSON handler call."""
from __future__ import annotations

import threading

import pytest
from playwright.sync_api import expect
from sqlalchemy import select
from web_fragments.fragment import Fragment
from werkzeug.serving import make_server
from xblock.core import XBlock
from xblock.fields import Integer, Scope

from lms.catalog import services as catalog
from lms.courseware.models import LearnerState, Score
from lms.extensions import db
from tests.browser.actions import sign_in
from tests.browser.server import Learner
from tests.conftest import build_app
from tests.factories import PASSWORD, install_block, make_course, make_user

SCRIPT = """
function KuzaTapCounter(runtime, element, args) {
  var output = element.querySelector(".taps");
  var button = element.querySelector("button");
  element.querySelector(".started").textContent = "started with " + args.taps;
  button.addEventListener("click", function (event) {
    event.preventDefault();
    runtime.postJSON(runtime.handlerUrl(element, "tap", "from/js"), {by: 2}).then(function (answer) {
      output.textContent = answer.taps + " " + answer.suffix;
    });
  });
}
"""


class TapCounter(XBlock):
    """A block with JavaScript: taps add up in user_state and are graded out of four."""

    has_score = True
    taps = Integer(scope=Scope.user_state, default=0)

    def max_score(self):
        return 4

    def student_view(self, context=None):
        fragment = Fragment(
            f'<p class="started"></p><p class="taps">{self.taps}</p>'
            f'<form method="post" action="{self.runtime.handler_url(self, "tap_form")}"><button>Tap</button></form>'
        )
        fragment.add_javascript(SCRIPT)
        fragment.initialize_js("KuzaTapCounter", {"taps": self.taps})
        return fragment

    @XBlock.json_handler
    def tap(self, data, suffix=""):
        self.taps += int(data["by"])
        self.runtime.publish(self, "grade", {"value": min(self.taps, 4), "max_value": 4})
        return {"taps": self.taps, "suffix": suffix}


@pytest.fixture
def server_with_tap_block(monkeypatch, tmp_path, browser):
    install_block(monkeypatch, "test_tap", TapCounter)
    app = build_app(f"sqlite:///{tmp_path / 'js.sqlite3'}", tmp_path / "instance", KUZA_EXTRA_XBLOCKS=("test_tap",))
    with app.app_context():
        user = make_user(email="taps@example.org")
        catalog.enroll(user, make_course(slug="taps", units={"tapping": [("test_tap", {})]}))
        db.session.commit()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield app, f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()


def test_block_javascript_initialises_and_calls_its_handler(server_with_tap_block, new_context):
    app, base_url = server_with_tap_block
    page = new_context().new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))

    sign_in(page, base_url, Learner(name="Amina Diallo", email="taps@example.org", password=PASSWORD))
    page.goto(base_url + "/courses/taps/learn/tapping")
    block = page.locator('.xblock[data-block-type="test_tap"]')
    # The init function ran with its JSON arguments (inline script allowed by the CSP nonce).
    expect(block.locator(".started")).to_have_text("started with 0")

    block.get_by_role("button", name="Tap").click()
    expect(block.locator(".taps")).to_have_text("2 from/js")
    block.get_by_role("button", name="Tap").click()
    expect(block.locator(".taps")).to_have_text("4 from/js")
    assert errors == []

    with app.app_context():
        state = db.session.execute(select(LearnerState.state).filter_by(usage_id="tapping-0")).scalar_one()
        score = db.session.execute(select(Score).filter_by(usage_id="tapping-0")).scalar_one()
        assert state == {"taps": 4}
        assert (score.earned, score.possible) == (4.0, 4.0)

    # The state is there on the next visit, rendered by the server.
    page.reload()
    expect(block.locator(".started")).to_have_text("started with 4")
