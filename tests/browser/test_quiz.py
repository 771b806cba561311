"""A chapter quiz of the sample course in Chromium: answered in place with JavaScript, by POST without."""
from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from lms.courseware.models import Attempt
from lms.extensions import db
from tests.browser.accessibility import readable, run_axe
from tests.browser.actions import sign_in
from tests.browser.pages import BUDGET_BYTES, BUDGET_REQUESTS
from tests.browser.server import create_learner
from tests.browser.weight import measure_cold

QUIZ_UNIT = "what-is-innovation-check"


def open_quiz(new_context, base_url, site, server_app, javascript):
    learner = create_learner(server_app, f"quiz.{uuid.uuid4().hex[:8]}@example.org", enrol_in=site.slug)
    page = new_context(javascript=javascript).new_page()
    sign_in(page, base_url, learner)
    page.goto(f"{base_url}/courses/{site.slug}/learn/{QUIZ_UNIT}")
    return page, learner


def attempts_of(server_app, email) -> list[Attempt]:
    from lms.accounts.models import User

    with server_app.app_context():
        user = db.session.execute(select(User).filter_by(email=email)).scalar_one()
        return list(db.session.execute(select(Attempt).filter_by(user_id=user.id)).scalars())


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_a_quiz_is_answered_and_its_result_shown(new_context, base_url, site, server_app, javascript):
    page, learner = open_quiz(new_context, base_url, site, server_app, javascript)
    quiz = page.locator(".xblock[data-block-type='kuza_quiz']")
    documents: list[str] = []
    page.on("framenavigated", lambda frame: frame == page.main_frame and documents.append(frame.url))

    quiz.locator("fieldset").first.locator("input[type=radio]").first.check()
    quiz.get_by_role("button", name="Submit answers").click()

    result = quiz.locator(".kuza-quiz-result")
    expect(result).to_be_visible()
    expect(result).to_contain_text("Score:")
    expect(quiz.get_by_text("Attempts used: 1 of 3.", exact=True)).to_be_visible()
    if javascript:
        # Updated in place: no new document, and the result heading has the focus.
        assert documents == []
        expect(result.locator("h3")).to_be_focused()
    else:
        # POST, then 303 back to the unit.
        assert documents and documents[-1].endswith(f"/learn/{QUIZ_UNIT}")
    [attempt] = attempts_of(server_app, learner.email)
    assert attempt.mode == "graded" and attempt.possible > 0


# The page after two attempts, at phone and desktop widths and in each interface language.

VIEWS = [("en", 320), ("en", 390), ("en", 1280), ("fr", 320), ("pt", 320), ("ar", 320)]

# Each visible word of ``root`` that the browser split across lines although it is narrower than
# ``root`` (only a word longer than a whole line, such as a long link, may have to break: a column
# too narrow for "Attempt" is the layout's fault); and the words looked at. Visually hidden text
# (a 1 px clipped box: table headers kept for screen readers, the live region) is skipped.
SPLIT_WORDS = """root => {
  const hidden = e => {
    for (; e && e !== root; e = e.parentElement) {
      const box = e.getBoundingClientRect();
      if (getComputedStyle(e).overflow !== 'visible' && (box.width <= 1 || box.height <= 1)) return true;
    }
    return false;
  };
  const split = [], seen = [], room = root.getBoundingClientRect().width;
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (hidden(node.parentElement)) continue;
    // Words end at spaces and at hyphens and dashes, after which lines may break ("non-|governmental").
    for (const match of node.data.matchAll(/[^\\s\\u00ad\\u2010-\\u2014-]+/g)) {
      const range = document.createRange();
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      const rects = [...range.getClientRects()].filter(rect => rect.width > 0);
      if (!rects.length) continue;  // not rendered (an <option>, display: none)
      seen.push(match[0]);
      const lines = new Set(rects.map(rect => Math.round(rect.top))).size;
      const width = rects.reduce((sum, rect) => sum + rect.width, 0);
      if (lines > 1 && width < room) split.push(match[0]);
    }
  }
  return {split, seen};
}"""


@pytest.fixture(scope="module")
def tried_twice(browser, base_url, site, server_app) -> dict:
    """The cookies of a learner who has submitted the chapter quiz twice, by the plain form."""
    learner = create_learner(server_app, f"quiz.{uuid.uuid4().hex[:8]}@example.org", enrol_in=site.slug)
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        sign_in(page, base_url, learner)
        for _ in range(2):
            page.goto(f"{base_url}/courses/{site.slug}/learn/{QUIZ_UNIT}")
            page.locator(".kuza-quiz fieldset").first.locator("input[type=radio]").first.check()
            page.get_by_role("button", name="Submit answers").click()
        expect(page.locator(".kuza-quiz-history tbody tr")).to_have_count(2)
        return context.storage_state()
    finally:
        context.close()


def open_tried_quiz(new_context, base_url, site, tried_twice, language: str, width: int):
    page = new_context(storage_state=tried_twice, locale=language, extra_http_headers={"Accept-Language": language},
                       viewport={"width": width, "height": 800}).new_page()
    page.goto(f"{base_url}/courses/{site.slug}/learn/{QUIZ_UNIT}")
    expect(page.locator("html")).to_have_attribute("lang", re.compile(f"^{language}"))
    expect(page.locator(".kuza-quiz-history tbody tr")).to_have_count(2)
    return page


@pytest.mark.parametrize(("language", "width"), VIEWS, ids=[f"{language}-{width}" for language, width in VIEWS])
def test_the_quiz_fits_the_screen_and_splits_no_word(new_context, base_url, site, tried_twice, language, width):
    page = open_tried_quiz(new_context, base_url, site, tried_twice, language, width)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    words = page.locator(".kuza-quiz").evaluate(SPLIT_WORDS)
    assert not words["split"], f"words split across lines at {width} px in {language}: {words['split']}"
    # The attempts were among the words looked at: their first header ("Attempt") is shown,
    # as a column header on a wide screen or as each attempt's label on a narrow one.
    header = page.locator(".kuza-quiz-history thead th").first.text_content()
    assert header in words["seen"]


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_quiz_with_attempts_passes_axe_at_320_px(new_context, base_url, site, tried_twice, axe, language):
    page = open_tried_quiz(new_context, base_url, site, tried_twice, language, 320)
    violations = run_axe(axe, page)
    assert not violations, f"axe-core on the quiz in {language} at 320 px:\n{readable(violations)}"


def test_each_attempt_reads_right_to_left_in_arabic(new_context, base_url, site, tried_twice):
    page = open_tried_quiz(new_context, base_url, site, tried_twice, "ar", 320)
    first = page.locator(".kuza-quiz-history tbody tr").first
    label = first.locator("td .kuza-quiz-cell-label").first.bounding_box()
    value = first.locator("time").bounding_box()
    assert label and value and label["x"] > value["x"] + value["width"], "the label should sit right of its value"
    # A course written in Arabic turns the whole quiz right to left; it still fits.
    page.evaluate("document.querySelector('article.unit').dir = 'rtl'")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320


def test_the_quiz_speaks_right_to_left_inside_an_english_course(new_context, base_url, site, tried_twice):
    """The sample course is in English, so its unit reads left to right; the quiz's own Arabic
    sentences (result, legends, hints, statuses) read right to left, the course's prompts do not."""
    page = open_tried_quiz(new_context, base_url, site, tried_twice, "ar", 320)
    quiz = page.locator(".kuza-quiz")

    def direction(locator) -> str:
        return locator.evaluate("e => getComputedStyle(e).direction")

    assert direction(page.locator("article.unit")) == "ltr"
    for part in (".kuza-quiz-result", "legend", ".kuza-quiz-hint", ".kuza-quiz-status", ".kuza-quiz-history"):
        assert direction(quiz.locator(part).first) == "rtl", part
    assert direction(quiz.locator(".kuza-quiz-prompt").first) == "ltr"


def test_attempts_stay_a_table_for_screen_readers_on_a_narrow_screen(new_context, base_url, site, tried_twice):
    """Drawn as boxes at 320 px, the attempts are still a table in Chromium's accessibility tree:
    screen readers announce each cell with its column header, and not the labels drawn for the eye."""
    page = open_tried_quiz(new_context, base_url, site, tried_twice, "en", 320)
    assert page.locator(".kuza-quiz-history").evaluate("e => getComputedStyle(e).display") == "block"
    cdp = page.context.new_cdp_session(page)
    nodes = cdp.send("Accessibility.getFullAXTree")["nodes"]
    named = [(node["role"]["value"], (node.get("name") or {}).get("value", "")) for node in nodes]
    assert ("table", "Your attempts") in named
    headers = [name for role, name in named if role == "columnheader"]
    assert headers == ["Attempt", "Submitted", "Score", "Result"]
    assert [name for role, name in named if role == "rowheader"] == ["1", "2"]
    cells = [name for role, name in named if role == "cell"]
    assert len(cells) == 6 and not [cell for cell in cells if any(header in cell for header in headers)]


def test_the_quiz_with_attempts_is_within_the_page_budget(browser, base_url, site, tried_twice):
    weight = measure_cold(browser, f"{base_url}/courses/{site.slug}/learn/{QUIZ_UNIT}", storage_state=tried_twice)
    assert weight.document is not None and weight.document.status == 200, weight.describe()
    assert weight.requests <= BUDGET_REQUESTS, weight.describe()
    assert weight.wire_bytes <= BUDGET_BYTES, weight.describe()
