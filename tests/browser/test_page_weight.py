"""The page-weight budget: every learner page, cold cache, at most 4 requests and 30 KB on the wire, all from Kuza itself."""
from __future__ import annotations

import pytest

from tests.browser.pages import BUDGET_BYTES, BUDGET_REQUESTS, PAGE_IDS, PAGES
from tests.browser.weight import measure_cold

pytestmark = pytest.mark.browser

# Text responses this big are worth compressing (Flask-Compress's own floor is smaller).
COMPRESS_FROM_BYTES = 1024
TEXT_TYPES = ("text/html", "text/css", "application/javascript", "text/javascript", "application/json", "image/svg+xml")


@pytest.fixture(scope="module")
def weights(browser, base_url, site, viewers) -> dict:
    """Each page measured once, cold, with JavaScript on (the heavier case: scripts load)."""
    return {
        page.name: measure_cold(browser, base_url + page.path(site), storage_state=viewers[page.viewer])
        for page in PAGES
    }


@pytest.mark.parametrize("name", PAGE_IDS)
def test_page_within_budget(weights, name):
    weight = weights[name]
    # Weighing an error page instead would pass for the wrong reason.
    expected = 404 if name == "not-found" else 200
    assert weight.document is not None and weight.document.status == expected, weight.describe()
    assert weight.requests <= BUDGET_REQUESTS, f"{weight.requests} requests > {BUDGET_REQUESTS}:\n{weight.describe()}"
    assert weight.wire_bytes <= BUDGET_BYTES, f"{weight.wire_bytes} B > {BUDGET_BYTES} B:\n{weight.describe()}"
    assert not [t for t in weight.transfers if t.failure], f"a request failed:\n{weight.describe()}"


@pytest.mark.parametrize("name", PAGE_IDS)
def test_page_uses_no_third_party_and_no_web_font(weights, name):
    weight = weights[name]
    assert not weight.third_party(), f"third-party requests:\n{weight.describe()}"
    assert not weight.fonts(), f"web fonts fetched:\n{weight.describe()}"
    assert weight.web_fonts == 0, f"{weight.web_fonts} @font-face rules declared on {weight.url}"


@pytest.mark.parametrize("name", PAGE_IDS)
def test_text_responses_are_compressed(weights, name):
    weight = weights[name]
    uncompressed = [
        t for t in weight.transfers
        if t.mime_type.startswith(TEXT_TYPES) and t.body_bytes >= COMPRESS_FROM_BYTES and not t.content_encoding
        # Flask-Compress leaves error responses alone; the 404 page is small and within budget anyway.
        and 200 <= t.status < 300
    ]
    assert not uncompressed, f"text sent uncompressed:\n{weight.describe()}"


def test_pages_without_javascript_fetch_no_more(browser, base_url, site, viewers, weights):
    """With JavaScript off the same pages load, and never cost more than with it on."""
    for page in PAGES:
        without = measure_cold(browser, base_url + page.path(site), storage_state=viewers[page.viewer], javascript=False)
        assert without.requests <= weights[page.name].requests, without.describe()
        assert without.wire_bytes <= BUDGET_BYTES, without.describe()
