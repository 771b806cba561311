"""Page-weight benchmark: every learner page loaded cold in Chromium, its requests and bytes against the budget."""
# Run from the repository root: .venv/bin/python bench/page_weight.py [--no-js] [--details]
# It serves the sample course with gunicorn on a throwaway SQLite database exactly as the
# browser tests do (tests/browser/server.py) and prints a Markdown table, one row per page.
# Exit status 1 if any page is over budget. Results and method: docs/performance.md.
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.browser import chromium  # noqa: E402
from tests.browser.pages import BUDGET_BYTES, BUDGET_REQUESTS, PAGES, prepare_viewers  # noqa: E402
from tests.browser.server import LiveServer, prepare_database  # noqa: E402
from tests.browser.weight import PageWeight, measure_cold  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--no-js", action="store_true", help="load the pages with JavaScript turned off")
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
        server = LiveServer(database_url=app.config["SQLALCHEMY_DATABASE_URI"], log_path=folder / "gunicorn.log")
        server.start()
        try:
            with sync_playwright() as driver:
                browser = chromium.launch(driver)
                try:
                    viewers = prepare_viewers(browser, server.url, app, site)
                    weights = [
                        (page.name, measure_cold(browser, server.url + page.path(site),
                                                 storage_state=viewers[page.viewer], javascript=not args.no_js))
                        for page in PAGES
                    ]
                    version = browser.version
                finally:
                    browser.close()
        finally:
            server.stop()
            with app.app_context():
                db.engine.dispose()

    print(f"Cold cache, Chromium {version}, JavaScript {'off' if args.no_js else 'on'}; "
          f"budget {BUDGET_REQUESTS} requests and {BUDGET_BYTES} B ({BUDGET_BYTES // 1024} KiB) transferred.\n")
    print(table(weights))
    if args.details:
        for _name, weight in weights:
            print("\n" + weight.describe())
    over = [name for name, w in weights if w.requests > BUDGET_REQUESTS or w.wire_bytes > BUDGET_BYTES]
    if over:
        print(f"\nOVER BUDGET: {', '.join(over)}")
        return 1
    return 0


def table(weights: list[tuple[str, PageWeight]]) -> str:
    rows = [
        "| page | status | requests | transferred (B) | uncompressed (B) | share of 30 KiB | verdict |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for name, weight in weights:
        within = weight.requests <= BUDGET_REQUESTS and weight.wire_bytes <= BUDGET_BYTES
        status = weight.document.status if weight.document else "?"
        rows.append(
            f"| {name} | {status} | {weight.requests}/{BUDGET_REQUESTS} | {weight.wire_bytes:,} | "
            f"{weight.body_bytes:,} | {weight.wire_bytes / BUDGET_BYTES:.0%} | {'ok' if within else 'OVER'} |"
        )
    return "\n".join(rows)


if __name__ == "__main__":
    sys.exit(main())
