"""The practice library in Chromium with 100 cases: axe, the page budget, 320 px phones, Arabic, JavaScript off."""
from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from kuza_xblocks.case_study.scenarios import E_MREJESHO, E_MUTATION, OUTPUT_BASED_AID
from tests.browser.accessibility import readable, run_axe
from tests.browser.pages import BUDGET_BYTES, BUDGET_REQUESTS
from tests.browser.server import LiveServer
from tests.browser.weight import measure_cold
from tests.conftest import build_app, database_url

SLUG = "hundred-cases"
CASES = 100
TEMPLATES = (E_MUTATION, OUTPUT_BASED_AID, E_MREJESHO)
PER_UNIT = 10


def numbered(template: str, number: int) -> str:
    """A scenario case under a url_name and title of its own."""
    case = re.sub(r'url_name="[^"]+"', f'url_name="case-{number}"', template, count=1)
    return re.sub(r'display_name="([^"]+)"', lambda m: f'display_name="{m.group(1)} ({number})"', case, count=1)


def package_files() -> dict[str, str]:
    """One course whose ten units hold ten case studies each, drawn from the block's real scenarios."""
    units = [f"cases-{index}" for index in range(CASES // PER_UNIT)]
    files = {
        "course.xml": f'<course url_name="2026" org="Kuza" course="{SLUG}"/>\n',
        "course/2026.xml": '<course display_name="A hundred cases" language="en"><chapter url_name="cases"/></course>\n',
        "chapter/cases.xml": '<chapter display_name="Cases"><sequential url_name="all-cases"/></chapter>\n',
        "sequential/all-cases.xml": "<sequential display_name=\"All cases\">"
                                    + "".join(f'<vertical url_name="{unit}"/>' for unit in units) + "</sequential>\n",
    }
    for index, unit in enumerate(units):
        cases = "".join(numbered(TEMPLATES[number % 3], number)
                        for number in range(index * PER_UNIT, (index + 1) * PER_UNIT))
        files[f"vertical/{unit}.xml"] = f'<vertical display_name="Cases {index + 1}">\n{cases}</vertical>\n'
    return files


@pytest.fixture(scope="module")
def library_site(tmp_path_factory) -> Iterator[str]:
    from lms.courseware.packages import import_package
    from lms.extensions import db

    package = tmp_path_factory.mktemp("package")
    for name, text in package_files().items():
        (package / name).parent.mkdir(parents=True, exist_ok=True)
        (package / name).write_text(text, encoding="utf-8")
    app = build_app(database_url(tmp_path_factory, "library"), tmp_path_factory.mktemp("instance"))
    with app.app_context():
        import_package(Path(package))
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


def assert_fits(page: Page) -> None:
    widths = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert widths[0] <= widths[1], widths


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
@pytest.mark.parametrize("path", ["/library", "/library?region=african&q=water", f"/library/{SLUG}/case-0"],
                         ids=["library", "filtered", "case"])
def test_library_pages_stay_within_the_page_budget(browser, library_site, path, javascript):
    weight = measure_cold(browser, library_site + path, javascript=javascript)
    assert weight.document is not None and weight.document.status == 200, weight.describe()
    assert weight.requests <= BUDGET_REQUESTS, weight.describe()
    assert weight.wire_bytes <= BUDGET_BYTES, weight.describe()
    assert not weight.third_party() and not weight.fonts(), weight.describe()


@pytest.mark.parametrize("locale", ["en", "ar"])
@pytest.mark.parametrize("narrow", [True, False], ids=["320px", "1280px"])
@pytest.mark.parametrize("path", ["/library", f"/library/{SLUG}/case-1"], ids=["library", "case"])
def test_library_pages_have_no_axe_violations_and_fit_the_screen(new_context, library_site, axe, path, locale,
                                                                 narrow):
    options = {"narrow": True} if narrow else {"viewport": {"width": 1280, "height": 900}}
    page = open_page(new_context, library_site + path, locale=locale, **options)
    if locale == "ar":
        assert page.evaluate("document.documentElement.dir") == "rtl"
    assert_fits(page)
    violations = run_axe(axe, page)
    assert not violations, readable(violations)


def test_filters_and_search_work_with_javascript_off(new_context, library_site):
    page = open_page(new_context, library_site + "/library", javascript=False, narrow=True)
    expect(page.locator("#results")).to_have_text("100 case studies")
    page.locator("summary", has_text="Filters").click()
    page.select_option("#country", "KE")
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"country=KE"))
    # Every third case is the Kenyan one: 33 of the hundred.
    expect(page.locator("#results")).to_have_text("33 case studies match")
    page.fill("#q", "sanitation")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.locator(".case-card")).to_have_count(33)
    page.fill("#q", "e-Mrejesho")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.locator(".empty-state")).to_contain_text("No case study matches these filters.")


def test_a_case_page_reads_alone_for_someone_not_signed_in(new_context, library_site):
    page = open_page(new_context, library_site + "/library", javascript=False)
    page.get_by_role("link", name="e-Mutation: land records changed online (0)").click()
    expect(page.locator("article.kuza-case h2")).to_have_text("e-Mutation: land records changed online (0)")
    expect(page.locator("ol.kuza-case-sources a")).to_have_count(7)
    expect(page.get_by_role("link", name="See the course")).to_have_attribute("href", f"/courses/{SLUG}/")
