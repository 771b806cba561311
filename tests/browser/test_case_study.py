"""A case study in a unit, in Chromium: no axe violations, within the page budget, a 320 px phone and Arabic right to left."""
from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from kuza_xblocks.case_study.scenarios import E_MUTATION
from tests.browser.accessibility import readable, run_axe
from tests.browser.actions import sign_in
from tests.browser.pages import BUDGET_BYTES, BUDGET_REQUESTS
from tests.browser.server import LiveServer, create_learner
from tests.browser.weight import measure_cold
from tests.conftest import build_app, database_url

SLUG = "case-study-unit"
UNIT = f"/courses/{SLUG}/learn/bd-e-mutation-unit"

# A one-unit course holding the flagship case with every section, sources and a table.
PACKAGE = {
    "course.xml": f'<course url_name="2026" org="Kuza" course="{SLUG}"/>\n',
    "course/2026.xml": '<course display_name="Case studies" language="en"><chapter url_name="cases"/></course>\n',
    "chapter/cases.xml": '<chapter display_name="Cases"><sequential url_name="bangladesh"/></chapter>\n',
    "sequential/bangladesh.xml": '<sequential display_name="Bangladesh"><vertical url_name="bd-e-mutation-unit"/></sequential>\n',
    "vertical/bd-e-mutation-unit.xml": f'<vertical display_name="e-Mutation">\n{E_MUTATION}</vertical>\n',
}


@pytest.fixture(scope="module")
def case_site(tmp_path_factory) -> Iterator[tuple]:
    """A server of its own with the one-unit course, so the sample course's pages stay as they are."""
    from lms.courseware.packages import import_package
    from lms.extensions import db

    package = tmp_path_factory.mktemp("package")
    for name, text in PACKAGE.items():
        (package / name).parent.mkdir(parents=True, exist_ok=True)
        (package / name).write_text(text, encoding="utf-8")
    app = build_app(database_url(tmp_path_factory, "case-study"), tmp_path_factory.mktemp("instance"))
    with app.app_context():
        import_package(Path(package))
        db.session.commit()
    server = LiveServer(database_url=app.config["SQLALCHEMY_DATABASE_URI"],
                        log_path=tmp_path_factory.mktemp("gunicorn") / "gunicorn.log", workers=1).start()
    try:
        yield app, server.url
    finally:
        server.stop()


def reader(browser, case_site, locale: str | None = None) -> dict:
    """The storage state of a learner enrolled in the course, signed in, reading in ``locale``."""
    from lms.accounts import services as accounts
    from lms.accounts.models import User
    from lms.extensions import db

    app, base_url = case_site
    learner = create_learner(app, f"case.{uuid.uuid4().hex[:8]}@example.org", enrol_in=SLUG)
    context = browser.new_context()
    try:
        sign_in(context.new_page(), base_url, learner)  # in English, whose labels sign_in looks for
        state = context.storage_state()
    finally:
        context.close()
    if locale:
        with app.app_context():
            accounts.set_locale(db.session.query(User).filter_by(email=learner.email).one(), locale)
            db.session.commit()
    return state


def open_unit(new_context, browser, case_site, locale=None, **options) -> Page:
    page = new_context(storage_state=reader(browser, case_site, locale), **options).new_page()
    response = page.goto(case_site[1] + UNIT)
    assert response is not None and response.status == 200
    expect(page.locator("article.kuza-case h2")).to_have_text("e-Mutation: land records changed online")
    return page


def test_the_case_unit_has_no_axe_violations(new_context, browser, case_site, axe):
    page = open_unit(new_context, browser, case_site)
    violations = run_axe(axe, page)
    assert not violations, readable(violations)


def test_the_case_unit_stays_within_the_page_budget(browser, case_site):
    weight = measure_cold(browser, case_site[1] + UNIT, storage_state=reader(browser, case_site))
    assert weight.document is not None and weight.document.status == 200, weight.describe()
    assert weight.requests <= BUDGET_REQUESTS, weight.describe()
    assert weight.wire_bytes <= BUDGET_BYTES, weight.describe()


@pytest.mark.parametrize("locale", [None, "ar"], ids=["en", "ar"])
def test_a_320_px_phone_reads_the_case_without_scrolling_sideways(new_context, browser, case_site, axe, locale):
    page = open_unit(new_context, browser, case_site, locale, narrow=True)
    widths = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert widths[0] <= widths[1], widths
    # The results table scrolls in its own box instead of widening the page.
    table_box = page.locator("article.kuza-case .kuza-markdown-table")
    expect(table_box).to_have_attribute("role", "region")
    if locale == "ar":
        assert page.evaluate("document.documentElement.dir") == "rtl", page.content()[:400]
        expect(page.locator("article.kuza-case h3").first).to_have_text("المشكلة")
        expect(page.locator(".kuza-case-meta")).to_contain_text("بنغلادش")
        # Labels follow the page; the English course text keeps left to right.
        assert page.locator(".kuza-case-facts dt").first.evaluate("e => getComputedStyle(e).direction") == "rtl"
        assert page.locator(".kuza-case-section .kuza-markdown").first.evaluate(
            "e => getComputedStyle(e).direction") == "ltr"
    violations = run_axe(axe, page)
    assert not violations, readable(violations)


def test_the_sources_are_links_a_keyboard_reaches(new_context, browser, case_site):
    page = open_unit(new_context, browser, case_site)
    links = page.locator("ol.kuza-case-sources a")
    expect(links).to_have_count(7)
    expect(links.first).to_have_attribute("rel", "noopener noreferrer")
    links.first.focus()
    expect(links.first).to_be_focused()
