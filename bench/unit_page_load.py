"""Load benchmark: unit pages (XBlock rendering plus learner writes) against cheap routes, same server, same run."""
# Run from the repository root: .venv/bin/python bench/unit_page_load.py [--requests N] [--threads T]
# Serves the sample course with gunicorn (2 workers) on a throwaway SQLite database, as the
# browser tests do, signs one learner in per thread and sends a bounded number of requests to
# each route over loopback. Prints throughput and latency per route and each route's cost as
# a ratio of the static-file baseline measured in the same run. Results: docs/performance.md.
from __future__ import annotations

import argparse
import http.cookiejar
import re
import statistics
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.browser.server import LiveServer, create_learner, prepare_database  # noqa: E402

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def signed_in_opener(base: str, email: str, password: str) -> urllib.request.OpenerDirector:
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    page = opener.open(base + "/sign-in", timeout=10).read().decode()
    form = urllib.parse.urlencode({"email": email, "password": password, "csrf_token": TOKEN.search(page).group(1)})
    opener.open(base + "/sign-in", data=form.encode(), timeout=10).read()
    return opener


def hammer(openers: list, url: str, per_thread: int) -> tuple[float, list[float]]:
    """Every thread sends ``per_thread`` GETs to ``url``; returns wall time and all latencies."""
    latencies: list[float] = []
    lock = threading.Lock()
    failures: list[str] = []

    def worker(opener) -> None:
        mine = []
        for _ in range(per_thread):
            started = time.perf_counter()
            with opener.open(url, timeout=30) as response:
                response.read()
                if response.status != 200:
                    failures.append(f"{url}: {response.status}")
            mine.append(time.perf_counter() - started)
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=worker, args=(opener,)) for opener in openers]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise RuntimeError("; ".join(failures[:5]))
    return time.perf_counter() - started, latencies


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=200, help="requests per route per thread")
    parser.add_argument("--threads", type=int, default=4, help="concurrent learners")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="kuza-load-") as tmp:
        folder = Path(tmp)
        app, site = prepare_database(f"sqlite:///{folder / 'kuza.sqlite3'}", folder / "instance")
        learners = [create_learner(app, f"load{n}@example.org", enrol_in=site.slug) for n in range(args.threads)]
        server = LiveServer(database_url=app.config["SQLALCHEMY_DATABASE_URI"], log_path=folder / "gunicorn.log")
        server.start()
        try:
            openers = [signed_in_opener(server.url, learner.email, learner.password) for learner in learners]
            css = re.search(r'href="(/static/kuza\.css\?v=\w+)"', openers[0].open(server.url + "/").read().decode())
            routes = [
                ("static file (baseline)", server.url + css.group(1)),
                ("catalog", server.url + "/"),
                ("my learning", server.url + "/my-learning"),
                ("unit page", f"{server.url}/courses/{site.slug}/learn/{site.units[len(site.units) // 2]}"),
            ]
            for _, url in routes:  # warm the workers' caches (course tree, templates)
                hammer(openers, url, 2)
            results = [(name, *hammer(openers, url, args.requests)) for name, url in routes]
        finally:
            server.stop()

    total = args.requests * args.threads
    baseline = results[0][1] / total
    print(f"{args.threads} threads x {args.requests} requests per route; gunicorn, 2 sync workers, SQLite\n")
    print("| route | requests/s | p50 ms | p95 ms | cost vs baseline |")
    print("|---|---:|---:|---:|---:|")
    for name, wall, latencies in results:
        latencies.sort()
        p95 = latencies[int(len(latencies) * 0.95) - 1]
        print(f"| {name} | {total / wall:,.0f} | {statistics.median(latencies) * 1000:.1f} | "
              f"{p95 * 1000:.1f} | {wall / total / baseline:.1f}x |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
