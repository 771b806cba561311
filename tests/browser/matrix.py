"""The learner pages' matrix: each page in each interface language, screen width and with JavaScript
on or off, loaded once, cold, and what it showed (status, language, width, weight, axe, errors)."""
from __future__ import annotations

from dataclasses import dataclass, field

from tests.browser.accessibility import run_axe
from tests.browser.pages import PAGES, LearnerPage
from tests.browser.server import Site
from tests.browser.weight import PageWeight, load_cold

LANGUAGES = ("en", "ar")
WIDTHS = (320, 1280)
HEIGHT = 800


@dataclass(frozen=True)
class Cell:
    """One page as one reader sees it: interface language, screen width, JavaScript on or off."""

    page: LearnerPage
    language: str
    width: int
    javascript: bool

    @property
    def id(self) -> str:
        return f"{self.page.name}-{self.language}-{self.width}px-{'js' if self.javascript else 'no-js'}"


CELLS = [Cell(page, language, width, javascript)
         for page in PAGES for language in LANGUAGES for width in WIDTHS for javascript in (True, False)]


@dataclass
class Visit:
    """What one cold load of a cell showed: read once, then asserted by several tests."""

    status: int
    lang: str
    direction: str
    signed_in: bool
    scroll_width: int
    too_wide: list[str]
    weight: PageWeight
    violations: list[dict]
    errors: list[str] = field(default_factory=list)


# The shown elements that reach past the viewport on either side (right to left pages overflow to the
# left), to name in a failure; a skip link waiting off screen until it has the focus is not one of them.
TOO_WIDE = """width => [...document.querySelectorAll('body *')]
  .filter(e => e.checkVisibility() && !e.matches('.skip-link:not(:focus)'))
  .filter(e => { const box = e.getBoundingClientRect(); return box.width && (box.right > width + .5 || box.left < -.5); })
  .slice(0, 8).map(e => e.outerHTML.slice(0, 140))"""


def open_context(browser, viewers: dict, cell: Cell, **options):
    """A browser context (empty cache) for the cell's viewer, language and width."""
    return browser.new_context(
        storage_state=viewers[cell.page.viewer],
        viewport={"width": cell.width, "height": HEIGHT}, locale=cell.language,
        extra_http_headers={"Accept-Language": cell.language}, **options,
    )


def load(browser, base_url: str, site: Site, viewers: dict, axe, cell: Cell) -> dict[Cell, Visit]:
    """Load the cell's page cold in a browser context of its own and check what it shows at each of
    WIDTHS, widest first, narrowing the window in between: one load instead of one per width. The
    wide screen is seen as it loads (a script may open a menu there); the narrow one then shows
    that state too, which is one a phone's reader reaches by opening it, and its weight counts
    what the wide screen fetched, so it is never under what a phone loads."""
    first = Cell(cell.page, cell.language, max(WIDTHS), cell.javascript)
    context = open_context(browser, viewers, first)
    context.set_default_timeout(15_000)
    try:
        page = context.new_page()
        scripts = context.new_cdp_session(page)
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(f"script error: {error}"))
        page.on("console", lambda message: errors.append(f"console {message.type}: {message.text}")
                if message.type == "error" else None)
        url = base_url + cell.page.path(site)
        if not cell.javascript:
            # Chromium's switch for JavaScript (the one java_script_enabled=False sets), held by this
            # session so that it can be lifted for axe-core, which needs timers, once the page is
            # loaded: the page's own scripts have not run and will not.
            scripts.send("Emulation.setScriptExecutionDisabled", {"value": True})
        log = load_cold(page, url)
        if cell.page.status >= 400:
            # Chromium reports an error status of the page itself on the console; that one is expected.
            errors = [error for error in errors if str(cell.page.status) not in error]
        visits = {}
        for width in sorted(WIDTHS, reverse=True):
            if width != first.width:
                page.set_viewport_size({"width": width, "height": HEIGHT})
                log.settle()
            weight = log.weight(url)
            html = page.locator("html")
            shown = {"status": weight.document.status if weight.document else 0,
                     "lang": html.get_attribute("lang") or "", "direction": html.get_attribute("dir") or "",
                     # A lost session would check the sign-in page instead of the page named.
                     "signed_in": page.locator("form[action$='/sign-out']").count() == 1,
                     "scroll_width": page.evaluate("document.documentElement.scrollWidth"),
                     "too_wide": page.evaluate(TOO_WIDE, width)}
            if not cell.javascript:
                scripts.send("Emulation.setScriptExecutionDisabled", {"value": False})
            violations = run_axe(axe, page)
            if not cell.javascript:
                scripts.send("Emulation.setScriptExecutionDisabled", {"value": True})
            visits[Cell(cell.page, cell.language, width, cell.javascript)] = Visit(
                **shown, weight=weight, violations=violations, errors=list(errors))
        return visits
    finally:
        context.close()
