"""The style guide's screenshots: learner pages on a 390 px phone, one screen each, as small PNGs in docs/style-guide/."""
# Run from the repository root: make screenshots (or .venv/bin/python bench/screenshots.py [--out DIR])
# It serves the sample course as the browser tests do (tests/browser/server.py), signs in the
# learners of tests/browser/pages.py, and saves the top screen of each page (the quiz result:
# the screen around it) with its colours reduced to a palette, which keeps each file small.
from __future__ import annotations

import argparse
import io
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PIL import Image  # noqa: E402

from tests.browser import chromium  # noqa: E402
from tests.browser.pages import PAGES, prepare_viewers  # noqa: E402
from tests.browser.server import LiveServer, prepare_database  # noqa: E402

OUT = Path(__file__).resolve().parent.parent / "docs" / "style-guide"
PHONE = {"width": 390, "height": 844}
# File name, page of tests/browser/pages.py, and the element whose screen is shown (None: the top).
SHOTS = (
    ("catalogue", "catalog-signed-in", None),
    ("outline", "outline", None),
    ("unit", "lesson-unit", None),
    ("quiz-result", "quiz-answered", ".kuza-quiz-result"),
    ("progress", "progress", None),
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=OUT, help=f"folder for the PNG files (default {OUT})")
    args = parser.parse_args()
    if reason := chromium.missing_reason():
        print(f"cannot run: {reason}", file=sys.stderr)
        return 2

    from playwright.sync_api import sync_playwright

    from lms.extensions import db

    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="kuza-screenshots-") as tmp:
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
                    for name, page_name, focus in SHOTS:
                        learner_page = next(page for page in PAGES if page.name == page_name)
                        context = browser.new_context(storage_state=viewers[learner_page.viewer], viewport=PHONE,
                                                      locale="en", reduced_motion="reduce")
                        try:
                            page = context.new_page()
                            page.goto(server.url + learner_page.path(site), wait_until="networkidle")
                            if focus:
                                # The element a third of the way down the screen, as a learner scrolls to it.
                                top = page.locator(focus).first.evaluate("e => e.getBoundingClientRect().top + scrollY")
                                page.evaluate("y => window.scrollTo(0, y)", max(0, top - PHONE["height"] // 3))
                            png = page.screenshot()
                        finally:
                            context.close()
                        path = args.out / f"{name}.png"
                        path.write_bytes(small_png(png))
                        print(f"{path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path}: "
                              f"{path.stat().st_size / 1024:.0f} KiB")
                finally:
                    browser.close()
        finally:
            server.stop()
            with app.app_context():
                db.engine.dispose()
    return 0


def small_png(png: bytes) -> bytes:
    """The screenshot with its colours reduced to a 64-colour palette: flat interface colours survive,
    and the file is a fraction of the size."""
    picture = Image.open(io.BytesIO(png)).convert("RGB").quantize(colors=64, method=Image.Quantize.MEDIANCUT)
    out = io.BytesIO()
    picture.save(out, "PNG", optimize=True)
    return out.getvalue()


if __name__ == "__main__":
    sys.exit(main())
