"""Page-weight benchmark: every page of the browser matrix loaded cold in Chromium, its requests and bytes against the budget."""
# Run from the repository root: .venv/bin/python bench/page_weight.py [--details]
# It serves the sample course with gunicorn on a throwaway SQLite database exactly as the
# browser tests do (tests/browser/server.py), loads each learner page of tests/browser/pages.py
# in English and Arabic, with JavaScript on and off, at 1280 px and then narrowed to 320 px as
# the browser matrix does (tests/browser/matrix.py, without axe), and prints a Markdown table:
# one row per page and language, JavaScript on and off side by side, the heavier width's figures.
# Exit status 1 if any page is over budget. Results and method: docs/performance.md.
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.browser import chromium  # noqa: E402
from tests.browser.matrix import LANGUAGES, WIDTHS, Cell, open_context  # noqa: E402
from tests.browser.pages import BUDGET_BYTES, BUDGET_REQUESTS, PAGES, prepare_viewers  # noqa: E402
from tests.browser.server import LiveServer, prepare_database  # noqa: E402
from tests.browser.weight import PageWeight, load_cold  # noqa: E402

SCRIPTS = (True, False)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--details", action="store_true", help="list every request under the table")
    args = parser.parse_args()

    if reason := chromium.missing_reason():
        print(f"cannot run: {reason}", file=sys.stderr)
        return 2

    from playwright.sync_api import sync_playwright

    from lms.extensions import db

    with tempfile.TemporaryDirectory(prefix="kuza-page-weight-") as tmp:
        folder = Path(tmp)
        app, site = prepare_database(f"sqlite:///{folder / 'kuza.sqlite3'}", folder / "instance")
        server = LiveServer(database_url=app.config["SQLALCHEMY_DATABASE_URI"], log_path=folder / "gunicorn.log",
                            secret_key=app.config["SECRET_KEY"])
        server.start()
        try:
            with sync_playwright() as driver:
                browser = chromium.launch(driver)
                try:
                    viewers = prepare_viewers(browser, server.url, app, site)
                    weights = {
                        (page.name, language, javascript): weigh(browser, server.url + page.path(site), viewers,
                                                                 Cell(page, language, max(WIDTHS), javascript))
                        for page in PAGES for language in LANGUAGES for javascript in SCRIPTS
                    }
                    version = browser.version
                finally:
                    browser.close()
        finally:
            server.stop()
            with app.app_context():
                db.engine.dispose()

    print(f"Cold cache, Chromium {version}; at {max(WIDTHS)} px narrowed to {min(WIDTHS)} px (the heavier shown); "
          f"budget {BUDGET_REQUESTS} requests and {BUDGET_BYTES:,} B ({BUDGET_BYTES // 1024} KiB) transferred.\n")
    print(table(weights))
    heaviest = max(weights.values(), key=lambda weight: weight.wire_bytes)
    print(f"\nHeaviest: {urlsplit(heaviest.url).path}, {heaviest.wire_bytes:,} B, "
          f"{heaviest.wire_bytes / BUDGET_BYTES:.0%} of the budget.")
    if args.details:
        for weight in weights.values():
            print("\n" + weight.describe())
    over = [" ".join(map(str, key)) for key, weight in weights.items() if not within(weight)]
    if over:
        print(f"\nOVER BUDGET: {', '.join(over)}")
        return 1
    return 0


def weigh(browser, url: str, viewers: dict, cell: Cell) -> PageWeight:
    """The cell's page at every width of the matrix in one context; the heaviest of them."""
    context = open_context(browser, viewers, cell, java_script_enabled=cell.javascript)
    try:
        page = context.new_page()
        log = load_cold(page, url)
        weights = [log.weight(url)]
        for width in sorted(WIDTHS, reverse=True)[1:]:
            page.set_viewport_size({"width": width, "height": page.viewport_size["height"]})
            log.settle()
            weights.append(log.weight(url))
        return max(weights, key=lambda weight: (weight.wire_bytes, weight.requests))
    finally:
        context.close()


def within(weight: PageWeight) -> bool:
    return weight.requests <= BUDGET_REQUESTS and weight.wire_bytes <= BUDGET_BYTES


def table(weights: dict[tuple[str, str, bool], PageWeight]) -> str:
    rows = [
        "| page | language | status | requests (JS on / off) | transferred, B (JS on / off) "
        "| uncompressed, B (JS on) | share of 30 KiB | verdict |",
        "|---|---|---:|---:|---:|---:|---:|---|",
    ]
    for page in PAGES:
        for language in LANGUAGES:
            on, off = weights[(page.name, language, True)], weights[(page.name, language, False)]
            status = on.document.status if on.document else "?"
            heavier = max(on.wire_bytes, off.wire_bytes)
            rows.append(
                f"| {page.name} | {language} | {status} | {on.requests} / {off.requests} | "
                f"{on.wire_bytes:,} / {off.wire_bytes:,} | {on.body_bytes:,} | {heavier / BUDGET_BYTES:.0%} | "
                f"{'ok' if within(on) and within(off) else 'OVER'} |"
            )
    return "\n".join(rows)


if __name__ == "__main__":
    sys.exit(main())
