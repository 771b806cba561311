"""The French flagship course in Chromium, read by a French-speaking learner on a 320 px phone: its longer words do
not widen the page, and no ordinary space is left where French typography keeps a no-break one (before "%", "?",
":" …), course text and site alike; no axe violations; within the page budget."""
from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page

from tests.browser.accessibility import readable, run_axe
from tests.browser.actions import sign_in
from tests.browser.pages import BUDGET_BYTES, BUDGET_REQUESTS
from tests.browser.server import LiveServer, create_learner
from tests.browser.weight import measure_cold
from tests.conftest import build_app, database_url
from tests.environment import REPO

SLUG = "public-service-innovation-fr"
# A lesson with a table, a case study with its results table, a quiz with a matching question, the post-test.
UNITS = ("welcome-what-is-innovation", "e-mutation-land-records", "equitable-services-check", "post-test")


@pytest.fixture(scope="module")
def french_site(tmp_path_factory) -> Iterator[tuple]:
    """A server of its own with the French course, so the sample course's pages stay as they are."""
    from lms.courseware.packages import import_package
    from lms.extensions import db

    app = build_app(database_url(tmp_path_factory, "french-course"), tmp_path_factory.mktemp("instance"))
    with app.app_context():
        import_package(REPO / "courses" / SLUG)
        db.session.commit()
    server = LiveServer(database_url=app.config["SQLALCHEMY_DATABASE_URI"],
                        log_path=tmp_path_factory.mktemp("gunicorn") / "gunicorn.log", workers=1).start()
    try:
        yield app, server.url
    finally:
        server.stop()


@pytest.fixture(scope="module")
def reader(browser, french_site) -> dict:
    """The storage state of a learner enrolled in the French course, who reads the site in French."""
    from lms.accounts import services as accounts
    from lms.accounts.models import User
    from lms.extensions import db

    app, base_url = french_site
    learner = create_learner(app, f"lectrice.{uuid.uuid4().hex[:8]}@example.org", enrol_in=SLUG)
    context = browser.new_context()
    try:
        sign_in(context.new_page(), base_url, learner)  # in English, whose labels sign_in looks for
        state = context.storage_state()
    finally:
        context.close()
    with app.app_context():
        accounts.set_locale(db.session.query(User).filter_by(email=learner.email).one(), "fr")
        db.session.commit()
    return state


def open_unit(new_context, french_site, reader, unit: str) -> Page:
    page = new_context(storage_state=reader, narrow=True).new_page()
    response = page.goto(f"{french_site[1]}/courses/{SLUG}/learn/{unit}")
    assert response is not None and response.status == 200
    assert page.evaluate("document.documentElement.lang") == "fr"
    return page


# Text the learner sees where an ordinary space, at which a line may break, stands before ":", ";", "!", "?", "%"
# or "»", or after "«": French typography wants a no-break space there, and the course and site use one.
PLAIN_SPACES = """() => {
  const found = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT, {
    acceptNode: node => node.parentElement.closest("script, style") ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT,
  });
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (const match of node.textContent.matchAll(/ [:;!?%»]|« /g)) {
      found.push(node.textContent.slice(Math.max(0, match.index - 20), match.index + 2));
    }
  }
  return found;
}"""


@pytest.mark.parametrize("unit", UNITS)
def test_a_320_px_phone_reads_the_french_unit_without_scrolling_sideways(new_context, french_site, reader, axe, unit):
    page = open_unit(new_context, french_site, reader, unit)

    widths = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert widths[0] <= widths[1], widths
    assert page.evaluate(PLAIN_SPACES) == []
    violations = run_axe(axe, page)
    assert not violations, readable(violations)


@pytest.mark.parametrize("unit", ["e-mutation-land-records", "equitable-services-check"])
def test_the_french_unit_stays_within_the_page_budget(browser, french_site, reader, unit):
    weight = measure_cold(browser, f"{french_site[1]}/courses/{SLUG}/learn/{unit}", storage_state=reader)
    assert weight.document is not None and weight.document.status == 200, weight.describe()
    assert weight.requests <= BUDGET_REQUESTS, weight.describe()
    assert weight.wire_bytes <= BUDGET_BYTES, weight.describe()
