"""WCAG 2.2 AA beyond the matrix of test_learner_pages.py: axe finds a known defect, refused forms, focus rings, course content direction."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.accessibility import readable, run_axe
from tests.browser.pages import PAGES, VISITOR, LearnerPage

pytestmark = pytest.mark.browser


def open_page(new_context, base_url, site, viewers, learner_page: LearnerPage, **options) -> Page:
    page = new_context(storage_state=viewers[learner_page.viewer], **options).new_page()
    response = page.goto(base_url + learner_page.path(site))
    assert response is not None and response.status == learner_page.status, f"{learner_page.name}: {response and response.status}"
    if learner_page.viewer != VISITOR:
        # Still signed in: a lost session would test the sign-in page instead. On a phone the
        # button is in the closed menu, so hidden ones count.
        expect(page.get_by_role("button", name="Sign out", include_hidden=True)).to_have_count(1)
    return page


def test_axe_reports_a_known_defect(page: Page, base_url, axe):
    """The check can fail: an input stripped of its label is found (guards against a silent harness)."""
    page.goto(base_url + "/sign-in")
    page.evaluate("document.querySelector('label[for=email]').remove()")
    assert "label" in {violation["id"] for violation in run_axe(axe, page)}


# What a learner might type that the server refuses (the browser's own checks let it through).
REFUSED_FORMS = {
    "/sign-in": {"Email address": "nobody@example.org", "Password": "not the password"},
    "/register": {"Full name": "Ama", "Email address": "ama@example.org", "Password": "short",
                  "Password again": "different"},
}


@pytest.mark.parametrize("form_path", REFUSED_FORMS)
def test_no_axe_violations_on_a_refused_form(page: Page, base_url, axe, form_path):
    """Error summaries and invalid fields are where forms most often go wrong."""
    page.goto(base_url + form_path)
    for label, value in REFUSED_FORMS[form_path].items():
        page.get_by_label(label, exact=True).fill(value)
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_role("alert")).to_contain_text("There is a problem")
    violations = run_axe(axe, page)
    assert not violations, f"axe-core on the refused form {form_path}:\n{readable(violations)}"


# For every Tab stop: its focus outline, and the contrast of the outline's colour with the
# background it is drawn on (the parent's: the ring sits outside the element, WCAG 1.4.11).
FOCUS_RING = """() => {
  const rgb = c => (c.match(/[\\d.]+/g) || []).map(Number);
  const luminance = ([r, g, b]) => [r, g, b].map(v => v / 255)
      .map(v => v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4)
      .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
  const background = element => {
    for (let e = element; e; e = e.parentElement) {
      const c = rgb(getComputedStyle(e).backgroundColor);
      if (c.length === 3 || (c.length === 4 && c[3] > 0)) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const e = document.activeElement, style = getComputedStyle(e);
  const ring = rgb(style.outlineColor).slice(0, 3), behind = background(e.parentElement);
  const [hi, lo] = [luminance(ring), luminance(behind)].sort((a, b) => b - a);
  return {element: e.outerHTML.slice(0, 80), outline: style.outlineStyle, width: parseFloat(style.outlineWidth),
          contrast: (hi + 0.05) / (lo + 0.05)};
}"""


@pytest.mark.parametrize("learner_page", [p for p in PAGES if p.name in {"catalog-signed-in", "sign-in", "quiz-unit"}],
                         ids=lambda p: p.name)
def test_every_tab_stop_shows_a_visible_focus_ring(new_context, base_url, site, viewers, learner_page):
    page = open_page(new_context, base_url, site, viewers, learner_page)
    problems, seen = [], []
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement === document.body"):
            break
        ring = page.evaluate(FOCUS_RING)
        if ring["element"] in seen:
            break  # wrapped around to the top
        seen.append(ring["element"])
        if ring["outline"] == "none" or ring["width"] < 2 or ring["contrast"] < 3:
            problems.append(f"{ring['element']}: outline {ring['outline']} {ring['width']}px, "
                            f"contrast {ring['contrast']:.2f}:1 with the background behind it")
    assert seen, "no Tab stop found"
    assert not problems, f"{learner_page.name}: focus rings that are hard to see (WCAG 1.4.11, 2.4.7):\n" + "\n".join(problems)


def test_course_content_keeps_its_own_direction_in_an_arabic_page(new_context, base_url, site, viewers):
    """An English course inside the Arabic interface reads left to right (WCAG 1.3.2), the page around it right to left."""
    page = new_context(storage_state=viewers["learner"], extra_http_headers={"Accept-Language": "ar"}).new_page()
    page.goto(f"{base_url}/courses/{site.slug}/learn/{site.units[1]}")
    if page.locator("html").get_attribute("dir") != "rtl":
        pytest.skip("the server offers no right-to-left locale yet")
    article = page.locator("article.unit")
    language = article.get_attribute("lang") or ""
    assert not language.startswith(("ar", "fa", "he", "ur")), "the sample course is expected to be left to right"
    assert article.evaluate("e => getComputedStyle(e).direction") == "ltr", (
        f'<article lang="{language}"> inherits dir="rtl": give course content dir="ltr" for its language'
    )


def test_layout_mirrors_when_the_page_is_right_to_left(new_context, base_url, site, viewers):
    """Whatever the locale, the stylesheet must mirror: lesson navigation flips where previous and next sit side by
    side, and they stack without overflowing at 320 px."""
    for width in (320, 800):
        page = new_context(storage_state=viewers["learner"], viewport={"width": width, "height": 800}).new_page()
        page.goto(f"{base_url}/courses/{site.slug}/learn/{site.units[1]}")
        page.evaluate("document.documentElement.dir = 'rtl'")
        lessons = page.get_by_role("navigation", name="Lessons")
        previous = lessons.get_by_role("link", name=re.compile("^← Previous|^Previous")).bounding_box()
        following = lessons.get_by_role("link", name=re.compile(r"^Next\b")).bounding_box()
        assert previous and following
        if width == 320:
            assert following["y"] > previous["y"], "on a phone Next should come under Previous"
        else:
            assert following["x"] < previous["x"], "Next should sit left of Previous in RTL"
        assert page.evaluate("document.documentElement.scrollWidth") <= width

