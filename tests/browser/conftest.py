"""Browser fixtures: a live gunicorn server on the sample course, headless Chromium, and its contexts."""
from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from tests.browser import chromium
from tests.browser.matrix import Cell, Visit, load
from tests.browser.pages import prepare_viewers
from tests.browser.server import LiveServer, Site, prepare_database
from tests.conftest import database_url
from tests.environment import skip_or_fail

NARROW = {"width": 320, "height": 640}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # Everything in this folder needs the browser: mark it so `-m "not browser"` leaves it out.
    for item in items:
        if "tests/browser/" in item.nodeid.replace("\\", "/"):
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    report = yield
    # A failing page is often a server error: show what the server logged during the test.
    server = getattr(item, "_kuza_server", None)
    if report.failed and server is not None:
        excerpt = server.log()[item._kuza_log_start:]
        if "Traceback" in excerpt or "ERROR" in excerpt:
            report.sections.append(("gunicorn log during this test", excerpt[-8000:]))
    return report


@pytest.fixture(scope="session")
def playwright_driver() -> Iterator:
    if reason := chromium.missing_reason():
        skip_or_fail(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright_driver) -> Iterator:
    try:
        instance = chromium.launch(playwright_driver)
    except Exception as error:  # an unusable Chromium is a missing dependency, said plainly
        skip_or_fail(f"Chromium at {chromium.executable()} does not start: {error}")
    yield instance
    instance.close()


@pytest.fixture(scope="session")
def axe():
    try:
        from axe_playwright_python.sync_playwright import Axe
    except ImportError:
        skip_or_fail("axe-core is not installed (pip install axe-playwright-python)")
    return Axe()


@pytest.fixture(scope="session")
def prepared(tmp_path_factory) -> tuple:
    """The database the server uses, built like the ``committed_app`` fixture, with the sample course."""
    return prepare_database(database_url(tmp_path_factory, "browser"), tmp_path_factory.mktemp("instance"))


@pytest.fixture(scope="session")
def server_app(prepared):
    """The app in this process on the server's database: for creating accounts behind its back."""
    return prepared[0]


@pytest.fixture(scope="session")
def site(prepared) -> Site:
    return prepared[1]


@pytest.fixture(scope="session")
def live_server(server_app, tmp_path_factory) -> Iterator[LiveServer]:
    server = LiveServer(
        database_url=server_app.config["SQLALCHEMY_DATABASE_URI"],
        log_path=tmp_path_factory.mktemp("gunicorn") / "gunicorn.log",
        # The app's key, so that a password-reset link it makes (Site.reset_token) opens on the server.
        secret_key=server_app.config["SECRET_KEY"],
    )
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def base_url(live_server) -> str:
    return live_server.url


@pytest.fixture(scope="session")
def viewers(browser, base_url, server_app, site) -> dict[str, dict | None]:
    """Storage states (cookies) of a visitor, a signed-in newcomer and an enrolled learner."""
    return prepare_viewers(browser, base_url, server_app, site)


@pytest.fixture(scope="session")
def visit(browser, base_url, site, viewers, axe) -> Callable[[Cell], Visit]:
    """The learner pages' matrix (tests/browser/matrix.py): each cell loaded once, the first time a test asks."""
    visits: dict[Cell, Visit] = {}

    def visit_cell(cell: Cell) -> Visit:
        if cell not in visits:
            visits.update(load(browser, base_url, site, viewers, axe, cell))
        return visits[cell]

    return visit_cell


@pytest.fixture(autouse=True)
def _remember_log_position(request):
    if "live_server" in request.fixturenames:
        server = request.getfixturevalue("live_server")
        request.node._kuza_server = server
        request.node._kuza_log_start = len(server.log())


@pytest.fixture
def new_context(browser) -> Iterator[Callable]:
    """Open browser contexts (each with an empty cache) and close them after the test."""
    opened = []

    def open_context(*, javascript: bool = True, narrow: bool = False, storage_state: dict | None = None, **options):
        if narrow:
            options["viewport"] = NARROW
        context = browser.new_context(java_script_enabled=javascript, storage_state=storage_state, **options)
        context.set_default_timeout(10_000)
        opened.append(context)
        return context

    yield open_context
    for context in opened:
        context.close()


@pytest.fixture
def page(new_context):
    return new_context().new_page()


@pytest.fixture
def page_without_js(new_context):
    return new_context(javascript=False).new_page()


@pytest.fixture
def narrow_page(new_context):
    """A 320 × 640 phone screen."""
    return new_context(narrow=True).new_page()
