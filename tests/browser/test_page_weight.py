"""What pages cost on the wire beyond the budget the matrix of test_learner_pages.py holds: compression, and a warm cache."""
from __future__ import annotations

import gzip
import urllib.request
import uuid

import pytest

from tests.browser.actions import sign_in
from tests.browser.matrix import Cell
from tests.browser.pages import PAGE_IDS, PAGES, LearnerPage
from tests.browser.server import create_learner
from tests.browser.weight import PageWeight

pytestmark = pytest.mark.browser

# Text responses this big are worth compressing (Flask-Compress's own floor is smaller).
COMPRESS_FROM_BYTES = 1024
TEXT_TYPES = ("text/html", "text/css", "application/javascript", "text/javascript", "application/json", "image/svg+xml")


def weighed(visit, page: LearnerPage) -> PageWeight:
    """The page as the matrix of test_learner_pages.py measured it, in English on a wide screen with JavaScript."""
    return visit(Cell(page, "en", 1280, True)).weight


@pytest.mark.parametrize("page", PAGES, ids=PAGE_IDS)
def test_text_responses_are_compressed(visit, page):
    weight = weighed(visit, page)
    uncompressed = [
        t for t in weight.transfers
        if t.mime_type.startswith(TEXT_TYPES) and t.body_bytes >= COMPRESS_FROM_BYTES and not t.content_encoding
        # Flask-Compress leaves error responses alone; the 404 page is small and within budget anyway.
        and 200 <= t.status < 300
    ]
    assert not uncompressed, f"text sent uncompressed:\n{weight.describe()}"


def test_gzip_only_clients_get_gzip(visit, viewers):
    """Older phone browsers and some proxies offer gzip alone: they must not get uncompressed text."""
    problems, seen = [], set()
    for page in PAGES:
        state = viewers[page.viewer] or {"cookies": []}
        cookie = "; ".join(f"{c['name']}={c['value']}" for c in state["cookies"])
        for transfer in weighed(visit, page).transfers:
            if transfer.url in seen or not (transfer.mime_type.startswith(TEXT_TYPES) and 200 <= transfer.status < 300):
                continue
            seen.add(transfer.url)
            request = urllib.request.Request(transfer.url, headers={"Accept-Encoding": "gzip", "Cookie": cookie})
            with urllib.request.urlopen(request, timeout=10) as response:
                body = response.read()
                encoding = response.headers.get("Content-Encoding", "")
            size = len(gzip.decompress(body)) if encoding == "gzip" else len(body)
            if size >= COMPRESS_FROM_BYTES and encoding != "gzip":
                problems.append(f"{transfer.url} ({page.name}): {size} B sent as {encoding or 'identity'}")
    assert not problems, "\n".join(problems)


def test_a_later_page_never_fetches_again_what_the_browser_has(new_context, base_url, site, server_app):
    """Warm cache: static files (addressed by their digest, cached for a year) are fetched once,
    not even again after signing in changes the session cookie; a page fetches only its HTML
    and static files it is the first to need."""
    learner = create_learner(server_app, f"warm.{uuid.uuid4().hex[:8]}@example.org", enrol_in=site.slug)
    page = new_context().new_page()
    cdp = page.context.new_cdp_session(page)
    responses: dict[str, str] = {}
    from_cache: set[str] = set()
    cdp.on("Network.requestServedFromCache", lambda event: from_cache.add(event["requestId"]))
    cdp.on("Network.responseReceived", lambda event: responses.update(
        {event["requestId"]: event["response"]["url"]} if not event["response"].get("fromDiskCache") else {}))
    cdp.send("Network.enable")

    def fetched() -> list[str]:
        """URLs that came over the network since the last call."""
        urls = [url for request_id, url in responses.items() if request_id not in from_cache]
        responses.clear()
        from_cache.clear()
        return urls

    page.goto(base_url + "/", wait_until="networkidle")
    cold = fetched()
    assert any("/static/" in url for url in cold), f"the first page fetched no stylesheet: {cold}"
    seen = set(cold)
    sign_in(page, base_url, learner)
    fetched()
    # The first unit holds a quiz, so it is the first page that needs the JavaScript runtime;
    # the last unit (also a quiz) must take it from the cache.
    paths = (f"/courses/{site.slug}/", f"/courses/{site.slug}/learn/{site.units[0]}", "/my-learning",
             f"/courses/{site.slug}/learn/{site.units[-1]}")
    for path in paths:
        page.goto(base_url + path, wait_until="networkidle")
        warm = fetched()
        assert warm[0] == base_url + path, f"{path} fetched something before its HTML: {warm}"
        again = [url for url in warm[1:] if url in seen or "/static/" not in url]
        assert again == [], f"{path} fetched again what the browser already had: {again}"
        seen.update(warm)
