"""PDF certificate benchmark: size and render time of a certificate's PDF, against its credential.json in the same run."""
# Run from the repository root: .venv/bin/python bench/certificate_pdf.py [--renders N]
# Builds the app on a throwaway SQLite database with the sample course, as the browser tests
# do, issues certificates to learners with Latin and Arabic names, and fetches each download
# N times through the app (the route, the rendering and the response, no network). The
# baseline is the same certificate's credential.json, the smallest file a learner can keep.
# Results: docs/performance.md.
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.browser.server import prepare_database  # noqa: E402

NAMES = {"latin": "João Gonçalves", "arabic": "فاطمة الزهراء"}


def issue(app, slug: str, name: str, email: str) -> str:
    """Issue a certificate of completion to a new learner who worked through the course; its public id."""
    from lms.accounts import services as accounts
    from lms.catalog import services as catalog
    from lms.certificates import services as certificates
    from lms.extensions import db
    from tests.certificates.records import work_through

    with app.app_context():
        course = catalog.get_course(slug)
        user = accounts.create_user(email=email, name=name, password="a long enough password")
        catalog.enroll(user, course)
        work_through(user, course, quiz_fraction=0.9, post_test_passed=True)
        public_id = certificates.issue_if_earned(user, course).public_id
        db.session.commit()
    return public_id


def revoke(app, public_id: str) -> None:
    from lms.certificates import services as certificates
    from lms.extensions import db

    with app.app_context():
        certificate = certificates.find_certificate(public_id)
        certificate.revoked_at, certificate.revoked_reason = datetime(2026, 11, 20, tzinfo=UTC), "benchmark"
        db.session.commit()


def measure(client, path: str, renders: int, language: str = "en") -> tuple[int, float, float]:
    """Bytes of the response body, then p50 and p95 milliseconds per request."""
    timings, size = [], 0
    for _ in range(renders):
        start = time.perf_counter()
        response = client.get(path, headers={"Accept-Language": language})
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (path, response.status_code)
        size = len(response.get_data())
    timings.sort()
    return size, statistics.median(timings), timings[max(0, round(0.95 * len(timings)) - 1)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--renders", type=int, default=30, help="requests per row (default 30)")
    args = parser.parse_args()

    from lms.extensions import db

    with tempfile.TemporaryDirectory(prefix="kuza-certificate-pdf-") as tmp:
        folder = Path(tmp)
        app, site = prepare_database(f"sqlite:///{folder / 'kuza.sqlite3'}", folder / "instance")
        app.config["KUZA_KEYS_DIR"] = str(folder / "keys")
        ids = {script: issue(app, site.slug, name, f"{script}@example.org") for script, name in NAMES.items()}
        revoked = issue(app, site.slug, NAMES["latin"], "revoked@example.org")
        revoke(app, revoked)
        client = app.test_client()
        rows = [
            ("credential.json (baseline)", measure(client, f"/certificates/{ids['latin']}/credential.json", args.renders)),
            ("PDF, Latin name", measure(client, f"/certificates/{ids['latin']}/certificate.pdf", args.renders)),
            ("PDF, Arabic name", measure(client, f"/certificates/{ids['arabic']}/certificate.pdf", args.renders)),
            ("PDF, Arabic name, Arabic page", measure(client, f"/certificates/{ids['arabic']}/certificate.pdf",
                                                      args.renders, "ar")),
            ("PDF, revoked", measure(client, f"/certificates/{revoked}/certificate.pdf", args.renders)),
        ]
        with app.app_context():
            db.engine.dispose()

    baseline_size, baseline_ms, _ = rows[0][1]
    print(f"{args.renders} requests a row through the app, no network.\n")
    print("| download | size (KB) | p50 ms | p95 ms | size vs baseline | time vs baseline |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, (size, p50, p95) in rows:
        print(f"| {name} | {size / 1000:.1f} | {p50:.1f} | {p95:.1f} | {size / baseline_size:.1f}x | "
              f"{p50 / baseline_ms:.1f}x |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
