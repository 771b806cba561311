"""The flagship course in two languages, in Chromium: the catalogue's language filter and the links between
versions work with JavaScript off, the practice library shows each case once until every language is asked
for; no axe violations, no sideways scrolling at 320 or 1280 px, in English and Arabic; within the page budget."""
from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from tests.browser.accessibility import readable, run_axe
from tests.browser.pages import BUDGET_BYTES, BUDGET_REQUESTS
from tests.browser.server import LiveServer
from tests.browser.weight import measure_cold
from tests.conftest import build_app, database_url
from tests.environment import REPO

ENGLISH = "public-service-innovation"
FRENCH = f"{ENGLISH}-fr"
FRENCH_TITLE = "Transférer et adapter des pratiques innovantes de prestation de services publics"
PAGES = {"catalogue": "/", "catalogue-in-french": "/?language=fr", "course": f"/courses/{ENGLISH}/",
         "library": "/library", "library-every-language": "/library?language=all",
         "case": f"/library/{FRENCH}/e-mutation-land-records-case"}


@pytest.fixture(scope="module")
def both_languages(tmp_path_factory) -> Iterator[str]:
    """A server of its own with both versions of the flagship course, as `make run` serves them."""
    from lms.courseware.packages import import_package
    from lms.extensions import db

    app = build_app(database_url(tmp_path_factory, "two-languages"), tmp_path_factory.mktemp("instance"))
    with app.app_context():
        for slug in (ENGLISH, FRENCH):
            import_package(REPO / "courses" / slug)
        db.session.commit()
    server = LiveServer(database_url=app.config["SQLALCHEMY_DATABASE_URI"],
                        log_path=tmp_path_factory.mktemp("gunicorn") / "gunicorn.log", workers=1).start()
    try:
        yield server.url
    finally:
        server.stop()


def open_page(new_context, url: str, *, locale: str = "en", **options) -> Page:
    page = new_context(locale=locale, **options).new_page()
    response = page.goto(url)
    assert response is not None and response.status == 200
    return page


@pytest.mark.parametrize("locale", ["en", "ar"])
@pytest.mark.parametrize("narrow", [True, False], ids=["320px", "1280px"])
@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
def test_no_axe_violations_and_no_sideways_scrolling(new_context, both_languages, axe, path, locale, narrow):
    options = {"narrow": True} if narrow else {"viewport": {"width": 1280, "height": 900}}
    page = open_page(new_context, both_languages + path, locale=locale, **options)
    if locale == "ar":
        assert page.evaluate("document.documentElement.dir") == "rtl"
    widths = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert widths[0] <= widths[1], widths
    violations = run_axe(axe, page)
    assert not violations, readable(violations)


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
@pytest.mark.parametrize("path", ["/", "/?language=fr", f"/courses/{FRENCH}/", "/library"],
                         ids=["catalogue", "catalogue-in-french", "course", "library"])
def test_the_pages_stay_within_the_page_budget(browser, both_languages, path, javascript):
    weight = measure_cold(browser, both_languages + path, javascript=javascript)
    assert weight.document is not None and weight.document.status == 200, weight.describe()
    assert weight.requests <= BUDGET_REQUESTS, weight.describe()
    assert weight.wire_bytes <= BUDGET_BYTES, weight.describe()
    assert not weight.third_party() and not weight.fonts(), weight.describe()


def test_a_reader_picks_a_language_and_goes_between_versions_with_javascript_off(new_context, both_languages):
    page = open_page(new_context, both_languages + "/", javascript=False, narrow=True)
    expect(page.locator(".course-card")).to_have_count(2)
    filters = page.get_by_role("navigation", name="Language of the course")
    expect(filters.get_by_role("link", name="All languages (2)")).to_have_attribute("aria-current", "page")
    filters.get_by_role("link", name="French (1)").click()
    expect(page).to_have_url(re.compile(r"\?language=fr$"))
    expect(page.locator(".course-card")).to_have_count(1)
    expect(page.locator(".course-card h2")).to_have_text(FRENCH_TITLE)
    expect(filters.get_by_role("link", name="French (1)")).to_have_attribute("aria-current", "page")

    page.locator(".course-card").get_by_role("link", name=FRENCH_TITLE, exact=True).click()
    expect(page).to_have_url(re.compile(rf"/courses/{FRENCH}/$"))
    page.locator(".course-intro .also-in").get_by_role("link").click()
    expect(page).to_have_url(re.compile(rf"/courses/{ENGLISH}/$"))
    expect(page.locator(".course-intro .also-in a")).to_have_attribute("hreflang", "fr")


def test_the_library_shows_each_case_once_until_asked_for_every_language(new_context, both_languages):
    page = open_page(new_context, both_languages + "/library", javascript=False, narrow=True)
    once = page.locator(".case-card").count()
    expect(page.locator("#results")).to_have_text(f"{once} case studies")
    # In English, every case of the flagship course is in both versions: all English, each linking to its French.
    expect(page.locator(".case-card[lang=en]")).to_have_count(once)
    expect(page.locator(".case-card .also-in a[hreflang=fr]")).to_have_count(once)

    page.locator("summary", has_text="Filters").click()
    page.select_option("#language", "all")
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"language=all"))
    expect(page.locator(".case-card")).to_have_count(2 * once)

    page.select_option("#language", "fr")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator(".case-card[lang=fr]")).to_have_count(once)


def test_a_french_reader_gets_the_french_cases(new_context, both_languages):
    page = open_page(new_context, both_languages + "/library", locale="fr", javascript=False)
    assert page.evaluate("document.documentElement.lang") == "fr"
    cards = page.locator(".case-card")
    expect(page.locator(".case-card[lang=fr]")).to_have_count(cards.count())
    expect(cards.first.locator(".also-in a")).to_have_text(re.compile(r"^English: "))
    expect(cards.first.locator(".also-in a")).to_have_attribute("hreflang", "en")
