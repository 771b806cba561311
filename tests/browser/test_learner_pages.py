"""Every learner page in English and Arabic, at 320 and 1280 px, with JavaScript on and off: no axe
violations, no sideways scrolling, within the page budget, no browser errors; Arabic mirrored."""
from __future__ import annotations

import io
import re
import uuid
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageOps
from playwright.sync_api import Page, expect

from tests.browser.accessibility import readable
from tests.browser.matrix import CELLS, HEIGHT, LANGUAGES, Cell
from tests.browser.pages import BUDGET_BYTES, BUDGET_REQUESTS, PAGES, VISITOR
from tests.environment import REPO

pytestmark = pytest.mark.browser

@pytest.mark.parametrize("cell", CELLS, ids=[cell.id for cell in CELLS])
def test_the_page_is_served_in_the_language_asked_for(visit, cell):
    seen = visit(cell)
    assert seen.status == cell.page.status, seen.weight.describe()
    assert seen.lang == cell.language and seen.direction == ("rtl" if cell.language == "ar" else "ltr"), (
        f'<html lang="{seen.lang}" dir="{seen.direction}">')
    assert seen.signed_in == (cell.page.viewer != VISITOR), "the viewer is not signed in as expected"


@pytest.mark.parametrize("cell", CELLS, ids=[cell.id for cell in CELLS])
def test_no_axe_violations(visit, cell):
    seen = visit(cell)
    assert not seen.violations, f"axe-core on {cell.id}:\n{readable(seen.violations)}"


@pytest.mark.parametrize("cell", CELLS, ids=[cell.id for cell in CELLS])
def test_no_horizontal_scrolling(visit, cell):
    seen = visit(cell)
    assert seen.scroll_width <= cell.width, (
        f"{cell.id} is {seen.scroll_width} px wide in a {cell.width} px viewport; sticking out:\n" + "\n".join(seen.too_wide))


@pytest.mark.parametrize("cell", CELLS, ids=[cell.id for cell in CELLS])
def test_within_the_page_budget(visit, cell):
    weight = visit(cell).weight
    assert weight.requests <= BUDGET_REQUESTS, f"{weight.requests} requests > {BUDGET_REQUESTS}:\n{weight.describe()}"
    assert weight.wire_bytes <= BUDGET_BYTES, f"{weight.wire_bytes} B > {BUDGET_BYTES} B:\n{weight.describe()}"
    assert not [t for t in weight.transfers if t.failure], f"a request failed:\n{weight.describe()}"
    assert not weight.third_party(), f"third-party requests:\n{weight.describe()}"
    assert not weight.fonts() and weight.web_fonts == 0, f"web fonts:\n{weight.describe()}"


@pytest.mark.parametrize("cell", [cell for cell in CELLS if not cell.javascript],
                         ids=[cell.id for cell in CELLS if not cell.javascript])
def test_without_javascript_a_page_costs_no_more(visit, cell):
    without = visit(cell).weight
    with_js = visit(Cell(cell.page, cell.language, cell.width, True)).weight
    assert without.requests <= with_js.requests, f"{without.describe()}\nwith JavaScript:\n{with_js.describe()}"


@pytest.mark.parametrize("cell", [cell for cell in CELLS if cell.javascript],
                         ids=[cell.id for cell in CELLS if cell.javascript])
def test_no_browser_errors(visit, cell):
    """No script error and no console error (a blocked resource, a CSP refusal)."""
    assert not visit(cell).errors, "\n".join(visit(cell).errors)


# == Right to left ==

def glyph(png: bytes) -> Image.Image:
    """The ink of a screenshot, cropped to it and scaled to a fixed size, so two drawings compare."""
    ink = ImageOps.invert(Image.open(io.BytesIO(png)).convert("L")).point(lambda v: 255 if v > 96 else 0)
    box = ink.getbbox()
    assert box, "nothing drawn"
    return ink.crop(box).resize((24, 24))


def difference(one: Image.Image, other: Image.Image) -> float:
    return sum(ImageChops.difference(one, other).get_flattened_data()) / (24 * 24 * 255)


def assert_mirrored(arabic: bytes, english: bytes, what: str) -> None:
    """The Arabic drawing is the English one flipped left to right, and not the English one itself."""
    ar, en = glyph(arabic), glyph(english)
    flipped, same = difference(ar, ImageOps.mirror(en)), difference(ar, en)
    assert flipped < same / 2, f"{what}: Arabic differs by {same:.2f} from English and {flipped:.2f} from it mirrored"


@pytest.fixture(scope="module")
def unit_pages(browser, base_url, site, viewers) -> dict[str, Page]:
    """The lesson unit in English and in Arabic, wide enough for the breadcrumbs to sit on one line, drawn
    four times finer than the screen so that glyphs compare; links not underlined, so only glyphs are drawn."""
    lesson = next(page for page in PAGES if page.name == "lesson-unit")
    pages = {}
    for language in LANGUAGES:
        context = browser.new_context(storage_state=viewers[lesson.viewer], viewport={"width": 1280, "height": HEIGHT},
                                      device_scale_factor=4, locale=language,
                                      extra_http_headers={"Accept-Language": language})
        pages[language] = context.new_page()
        pages[language].goto(base_url + lesson.path(site))
        pages[language].add_style_tag(content="main a{text-decoration:none!important}")
    yield pages
    for page in pages.values():
        page.context.close()


# The box of an arrow and of the word it goes with (the first text beside it: "Next", "التالي").
ARROW_AND_WORD = """arrow => {
  const word = [...arrow.parentElement.childNodes].find(node => node.nodeType === 3 && node.textContent.trim());
  const range = document.createRange();
  range.selectNodeContents(word);
  const box = b => ({left: b.left, right: b.right});
  return [box(arrow.getBoundingClientRect()), box(range.getBoundingClientRect())];
}"""


def test_arabic_arrows_point_the_way_it_reads(unit_pages):
    """"Next" points left in Arabic, after its word and so on its left; "Previous" points right."""
    for rel in ("next", "prev"):
        links = {language: page.locator(f"main a[rel={rel}]") for language, page in unit_pages.items()}
        assert links["ar"].evaluate("e => getComputedStyle(e).direction") == "rtl"
        assert_mirrored(links["ar"].locator(".arrow").screenshot(), links["en"].locator(".arrow").screenshot(),
                        f"the {rel} arrow")
    arabic = unit_pages["ar"]
    following = arabic.locator("main a[rel=next]").bounding_box()
    previous = arabic.locator("main a[rel=prev]").bounding_box()
    assert following["x"] < previous["x"], "in Arabic, Next belongs on the left and Previous on the right"
    arrow, word = arabic.locator("main a[rel=next] .arrow").evaluate(ARROW_AND_WORD)
    assert arrow["right"] <= word["left"] + 1, f"in Arabic the Next arrow belongs left of its word: {arrow} {word}"
    arrow, word = unit_pages["en"].locator("main a[rel=next] .arrow").evaluate(ARROW_AND_WORD)
    assert arrow["left"] >= word["right"] - 1, f"in English the Next arrow belongs right of its word: {arrow} {word}"


# Only the separators of the breadcrumbs after the first are drawn: the crumbs' text is hidden.
SEPARATORS_ONLY = """
.breadcrumbs li{color:transparent!important}
.breadcrumbs li>*{visibility:hidden!important}
.breadcrumbs li+li::before{color:#000!important}
"""


def test_arabic_breadcrumbs_run_right_to_left_with_mirrored_separators(unit_pages):
    crumbs = unit_pages["ar"].locator("nav.breadcrumbs li")
    assert crumbs.count() >= 2
    assert crumbs.nth(1).evaluate("e => getComputedStyle(e).direction") == "rtl"
    boxes = [crumbs.nth(index).bounding_box() for index in range(crumbs.count())]
    on_one_line = [(one, other) for one, other in zip(boxes, boxes[1:]) if abs(one["y"] - other["y"]) < 1]
    assert on_one_line, "no two crumbs on one line to compare"
    for one, other in on_one_line:
        assert other["x"] + other["width"] <= one["x"] + 1, "each crumb belongs left of the one before in Arabic"
    shots = {}
    for language, page in unit_pages.items():
        page.add_style_tag(content=SEPARATORS_ONLY)
        shots[language] = page.locator("nav.breadcrumbs li").nth(1).screenshot()
    assert_mirrored(shots["ar"], shots["en"], "the breadcrumb separator")


def test_arabic_list_markers_sit_on_the_right(new_context, base_url):
    """A list in the interface (the refused sign-in's error summary) has its markers on the right."""
    page = new_context(locale="ar", extra_http_headers={"Accept-Language": "ar"}, narrow=True).new_page()
    page.goto(base_url + "/sign-in")
    page.locator("#email").fill(f"nobody.{uuid.uuid4().hex[:8]}@example.org")
    page.locator("#password").fill("not the password")
    page.locator("main form button[type=submit]").click()
    summary_list = page.locator(".error-summary ul")
    expect(summary_list).to_be_visible()
    direction, left, right, marker = summary_list.evaluate(
        "e => { const s = getComputedStyle(e); return [s.direction, s.paddingLeft, s.paddingRight, s.listStyleType]; }")
    assert direction == "rtl" and marker != "none", (direction, marker)
    assert left == "0px" and right != "0px", f"the room for markers belongs on the right: padding {left} left, {right} right"


@pytest.mark.parametrize("language", ["en", "fr", "ar"])
def test_a_checkbox_label_starts_on_the_line_of_its_box_at_320_px(new_context, base_url, language):
    """However long "Keep me signed in on this device" is in the reader's language, it wraps beside
    its box, starting on the box's own side (the right in Arabic), not on a line under it."""
    page = new_context(locale=language, extra_http_headers={"Accept-Language": language}, narrow=True).new_page()
    page.goto(base_url + "/sign-in")
    box, label = page.locator("#remember_me").bounding_box(), page.locator("label[for=remember_me]").bounding_box()
    assert label["y"] < box["y"] + box["height"], f"the label starts under its checkbox: {box} {label}"
    beside = label["x"] >= box["x"] + box["width"] if language != "ar" else label["x"] + label["width"] <= box["x"]
    assert beside, f"the label belongs after its checkbox in reading order: {box} {label}"


# == The stylesheets: logical properties only ==

STYLESHEETS = [REPO / "lms" / "static" / "kuza.css", *sorted((REPO / "xblocks" / "kuza_xblocks").glob("*/public/*.css"))]
PHYSICAL_PROPERTY = re.compile(r"(^|-)(left|right)(-|$)")
# Properties whose value may name a side: text-align:left, float:right, clear:left, background-position…
SIDE_VALUE = re.compile(r"(^|[\s,])(left|right)($|[\s,])")
# Shorthands whose four values go top, right, bottom, left: only symmetric ones mirror.
FOUR_SIDES = {"margin", "padding", "inset", "border-width", "border-style", "border-color", "scroll-margin", "scroll-padding"}


def physical_declarations(css: str) -> list[str]:
    """Each declaration that names a physical left or right side, or sets the two differently."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    found = []
    for block in re.findall(r"\{([^{}]*)\}", css):
        for declaration in block.split(";"):
            name, _, value = (part.strip().lower() for part in declaration.partition(":"))
            if not value:
                continue
            values = value.replace("!important", "").split()
            if PHYSICAL_PROPERTY.search(name) or SIDE_VALUE.search(value) or (
                    name in FOUR_SIDES and len(values) == 4 and values[1] != values[3]) or (
                    name == "border-radius" and len(values) == 4 and (values[0], values[2]) != (values[1], values[3])):
                found.append(f"{name}:{value}")
    return found


def test_the_css_scan_finds_physical_properties():
    css = """a{margin-left:1rem;color:red} @media (min-width:1px){b{text-align:right}}
             c{padding:0 1rem 0 2rem;float:left;inset-inline-start:0;margin:0 1rem;border-top-right-radius:2px}"""
    assert physical_declarations(css) == ["margin-left:1rem", "text-align:right", "padding:0 1rem 0 2rem",
                                          "float:left", "border-top-right-radius:2px"]


@pytest.mark.parametrize("stylesheet", STYLESHEETS, ids=[path.name for path in STYLESHEETS])
def test_no_stylesheet_rule_names_a_physical_side(stylesheet: Path):
    found = physical_declarations(stylesheet.read_text(encoding="utf-8"))
    assert not found, f"{stylesheet.relative_to(REPO)}: use logical properties (margin-inline-start, text-align:start …):\n" + "\n".join(found)
