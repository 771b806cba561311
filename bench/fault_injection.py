"""Fault drill: learners submit quiz answers while every server process is SIGKILLed at random moments, 200 times."""
# Run from the repository root: .venv/bin/python bench/fault_injection.py [--cycles N] [--postgres URL]
# Each cycle starts gunicorn (2 workers) on the same database, lets four signed-in learners
# submit answers through the quiz's JSON handler as fast as they can, then kills the arbiter
# and its workers with SIGKILL after 0.5 to 2 s. Afterwards every answer the server acknowledged
# (HTTP 200) must be in the attempts table exactly once, none twice in the learners' state, and
# SQLite's integrity check must pass. tests/test_durability.py runs 20 cycles in CI.
# Results: docs/performance.md.
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests import durability  # noqa: E402
from tests.conftest import build_app, scratch_postgres  # noqa: E402


def drill(url: str, folder: Path, cycles: int) -> None:
    app = build_app(url, folder / "instance")
    durability.prepare(app)
    started = time.perf_counter()
    report = durability.run(app, url, folder, cycles=cycles)
    seconds = time.perf_counter() - started
    print(f"{url.split(':')[0]:10} {report.cycles:4d} kills  {report.sent:6d} sent  {len(report.acknowledged):6d} "
          f"acknowledged  {len(report.lost):3d} lost  {len(report.duplicated):3d} duplicated  "
          f"integrity {report.integrity}  ({seconds:.0f} s)")
    if report.lost or report.duplicated or report.integrity != "ok":
        raise SystemExit(1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cycles", type=int, default=200)
    parser.add_argument("--postgres", help="a PostgreSQL server URL (a scratch database is made on it)")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kuza-drill-") as scratch:
        drill(f"sqlite:///{Path(scratch) / 'drill.sqlite3'}", Path(scratch), arguments.cycles)
    if arguments.postgres:
        with tempfile.TemporaryDirectory(prefix="kuza-drill-") as scratch, scratch_postgres(arguments.postgres) as url:
            drill(url, Path(scratch), arguments.cycles)


if __name__ == "__main__":
    main()
