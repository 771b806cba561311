"""The outline, a unit and the progress page in Chromium, in English and Arabic, at 320 and 1280 px: axe finds
nothing, nothing scrolls sideways, the course menu folds on phones and stands beside the lesson on wide screens,
and the progress page reads its numbers in the right order right to left."""
from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from playwright.sync_api import Page, expect

from tests.browser.accessibility import readable, run_axe
from tests.browser.actions import sign_in
from tests.browser.server import create_learner

pytestmark = pytest.mark.browser

WIDTHS = (320, 1280)
LOCALES = ("en", "ar")
PAGES = {"outline": "/courses/{slug}/learn/", "unit": "/courses/{slug}/learn/{unit}",
         "progress": "/courses/{slug}/progress"}


@pytest.fixture(scope="module")
def part_way(server_app, site):
    """Learners (one per locale) a third of the way through: the first chapter read, the pre-test taken (4 of 10),
    the first quiz (7.5 of 10) and the post-test (8 of 10), recorded straight in the tables as the runtime
    records them (the pages that record them are tested over HTTP)."""
    from lms.accounts.models import User
    from lms.catalog.services import get_course
    from lms.courseware.runtime import AttemptRecord
    from lms.courseware.services import LearnerRecords, load_tree
    from lms.extensions import db

    learners = {}
    for locale in LOCALES:
        learner = create_learner(server_app, f"pages.{locale}.{uuid.uuid4().hex[:8]}@example.org", enrol_in=site.slug)
        with server_app.app_context():
            user = db.session.query(User).filter_by(email=learner.email).one()
            user.locale = locale
            course = get_course(site.slug)
            tree = load_tree(course.published_version)
            records = LearnerRecords(user.id, course.id)
            for unit in tree.units_under(tree.chapters()[0].usage_id):
                for leaf in tree.leaves_under(unit):
                    records.record_completion(leaf, 1.0)
            for day, (usage_id, mode, earned) in enumerate((("pre-test-quiz", "pre_test", 4.0),
                                                             ("what-is-innovation-check-quiz", "graded", 7.5),
                                                             ("post-test-quiz", "post_test", 8.0)), start=1):
                records.record_attempt(usage_id, "kuza_quiz", AttemptRecord(
                    f"attempt-{day}", mode, "course-knowledge", datetime(2026, 3, day, tzinfo=UTC), earned, 10.0,
                    earned >= 7, {}, {}))
                records.record_score(usage_id, earned, 10.0, False)
                records.record_completion(usage_id, 1.0)
            db.session.commit()
        learners[locale] = learner
    return learners


@pytest.fixture(scope="module")
def signed_in(browser, base_url, part_way) -> dict[str, dict]:
    states = {}
    for locale, learner in part_way.items():
        context = browser.new_context()
        sign_in(context.new_page(), base_url, learner) if locale == "en" else _sign_in_any_language(
            context.new_page(), base_url, learner)
        states[locale] = context.storage_state()
        context.close()
    return states


def _sign_in_any_language(page: Page, base_url: str, learner) -> None:
    page.goto(base_url + "/sign-in")
    page.locator("#email").fill(learner.email)
    page.locator("#password").fill(learner.password)
    page.locator("main form button[type=submit]").click()
    expect(page.locator("form[action='/sign-out']")).to_have_count(1)


def open_page(new_context, base_url, site, signed_in, name: str, locale: str, width: int, javascript=True) -> Page:
    page = new_context(storage_state=signed_in[locale], viewport={"width": width, "height": 900},
                       javascript=javascript).new_page()
    # The fourth lesson of the first chapter: read, with lessons before and after it.
    response = page.goto(base_url + PAGES[name].format(slug=site.slug, unit=site.units[4]))
    assert response is not None and response.status == 200
    expect(page.locator("html")).to_have_attribute("lang", locale)
    return page


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("name", PAGES)
def test_no_axe_violations_and_no_sideways_scroll(new_context, base_url, site, signed_in, axe, name, locale, width):
    page = open_page(new_context, base_url, site, signed_in, name, locale, width)
    violations = run_axe(axe, page)
    assert not violations, f"axe-core on {name} in {locale} at {width} px:\n{readable(violations)}"
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("locale", LOCALES)
def test_the_outline_opens_the_learners_chapter_and_marks_their_place(new_context, base_url, site, signed_in, locale):
    page = open_page(new_context, base_url, site, signed_in, "outline", locale, 320, javascript=False)
    chapters = page.locator("details.chapter")
    # The learner's place is in the first chapter, or nowhere yet (then the first chapter is theirs): it is open,
    # the others closed, and a tap opens one without JavaScript.
    expect(chapters.first).to_have_attribute("open", "")
    expect(chapters.nth(1)).not_to_have_attribute("open", "")
    expect(chapters.nth(1).locator("a.lesson").first).to_be_hidden()
    chapters.nth(1).locator("summary").click()
    expect(chapters.nth(1).locator("a.lesson").first).to_be_visible()
    # Each lesson's state is an icon drawn from the page's one sprite, and words for screen readers.
    first = chapters.first.locator("a.lesson")
    expect(first.first.locator("svg use")).to_have_attribute("href", "#state-scored")
    assert page.locator("svg.sprite symbol").count() == 4
    expect(first.nth(1).locator(".visually-hidden")).to_have_text("(مكتمل)" if locale == "ar" else "(Done)")


@pytest.mark.parametrize("locale", LOCALES)
def test_the_course_menu_folds_on_phones_and_stands_beside_the_lesson_on_wide_screens(
        new_context, base_url, site, signed_in, locale):
    phone = open_page(new_context, base_url, site, signed_in, "unit", locale, 320, javascript=False)
    menu = phone.locator("details.course-menu")
    expect(menu).not_to_have_attribute("open", "")
    current = menu.locator("a[aria-current=page]")
    expect(current).to_be_hidden()
    menu.locator("summary").click()
    expect(current).to_be_visible()
    expect(current).to_have_attribute("href", f"/courses/{site.slug}/learn/{site.units[4]}")
    # Previous and next show the titles of the lessons they lead to.
    expect(phone.locator(".unit-nav .previous .target")).to_be_visible()
    expect(phone.locator(".unit-nav .next .target")).not_to_be_empty()

    wide = open_page(new_context, base_url, site, signed_in, "unit", locale, 1280)
    menu = wide.locator("details.course-menu")
    expect(menu).to_have_attribute("open", "")
    expect(menu.locator("a[aria-current=page]")).to_be_visible()
    beside, lesson = menu.bounding_box(), wide.locator("article.unit").bounding_box()
    assert beside and lesson and abs(beside["y"] - lesson["y"]) < 200
    # At the start of the line: left of the lesson in English, right of it in Arabic.
    assert (beside["x"] > lesson["x"]) == (locale == "ar")


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("locale", LOCALES)
def test_the_progress_page_shows_the_gain_and_reads_percentages_in_order(
        new_context, base_url, site, signed_in, locale, width):
    page = open_page(new_context, base_url, site, signed_in, "progress", locale, width)
    gain = page.locator("ul.gain")
    expect(gain.locator(".pre-test strong")).to_have_text("40%" if locale == "ar" else "40 %")
    expect(gain.locator(".post-test strong")).to_have_text("80%" if locale == "ar" else "80 %")
    expect(gain.locator(".gain-points strong")).to_have_text("+40")
    # Each percentage inside its isolate: the digits come first, left of their sign, even in an Arabic line.
    order = page.evaluate("""() => [...document.querySelectorAll('#overall bdi.figure, ul.gain bdi.figure')]
        .filter(b => b.textContent.includes('%')).map(b => {
          const text = b.firstChild, range = document.createRange(), at = text.data.indexOf('%');
          range.setStart(text, 0); range.setEnd(text, 1); const digit = range.getBoundingClientRect().left;
          range.setStart(text, at); range.setEnd(text, at + 1);
          return {text: text.data, digitFirst: digit < range.getBoundingClientRect().left};
        })""")
    assert order and all(item["digitFirst"] for item in order), order
    pre, post, points = (gain.locator("li").nth(n).bounding_box() for n in range(3))
    # The two scores side by side, on a phone too; the gain beside them where there is room, else under them.
    assert pre and post and points and abs(pre["y"] - post["y"]) < 2
    assert (abs(points["y"] - pre["y"]) < 2) == (width > 320)
