"""Several app processes on one PostgreSQL database serve one site: sessions work on any of them,
and a course published anywhere is what every process serves on its next request."""
from __future__ import annotations

import os
import re
import secrets
import shutil
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar

import pytest

from lms.courseware.packages import import_package
from lms.extensions import db
from tests.browser.server import LiveServer, create_learner, prepare_database
from tests.conftest import scratch_postgres
from tests.environment import SAMPLE_COURSE, skip_or_fail
from tests.factories import csrf_token_from

pytestmark = pytest.mark.postgres
TITLE = re.compile(r"<h1[^>]*>(.*?)</h1>", re.S)


@pytest.fixture
def two_servers(tmp_path):
    server = os.environ.get("TEST_DATABASE_URL")
    if not server:
        skip_or_fail("TEST_DATABASE_URL is not set: several processes on one PostgreSQL are not checked")
    with scratch_postgres(server) as url:
        app, site = prepare_database(url, tmp_path / "instance")
        key = secrets.token_hex(32)  # one site: the same key on every process
        servers = [LiveServer(database_url=url, log_path=tmp_path / f"server-{n}.log", workers=2,
                              secret_key=key).start() for n in range(2)]
        try:
            yield app, site, servers
        finally:
            for running in servers:
                running.stop()
            with app.app_context():
                db.engine.dispose()


def get(opener, url: str) -> str:
    with opener.open(url, timeout=30) as response:
        return response.read().decode()


def test_a_session_from_one_process_works_on_the_other(two_servers):
    app, site, (first, second) = two_servers
    learner = create_learner(app, "grace@example.org", enrol_in=site.slug)
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
    page = get(opener, first.url + "/sign-in")
    form = urllib.parse.urlencode({"email": learner.email, "password": learner.password,
                                   "csrf_token": csrf_token_from(page)}).encode()
    opener.open(first.url + "/sign-in", data=form, timeout=30).read()
    # The cookie was set by the first process; 127.0.0.1 is one cookie host whatever the port.
    assert learner.name in get(opener, second.url + "/account")
    unit = get(opener, second.url + f"/courses/{site.slug}/learn/{site.units[0]}")
    assert "Sign in" not in TITLE.search(unit).group(1)


def test_a_new_version_is_what_every_process_serves_on_its_next_request(two_servers, tmp_path):
    app, site, servers = two_servers
    opener = urllib.request.build_opener()
    before = [TITLE.search(get(opener, s.url + f"/courses/{site.slug}/")).group(1) for s in servers]
    assert before[0] == before[1]

    changed = tmp_path / "changed"
    shutil.copytree(SAMPLE_COURSE, changed)
    run = next((changed / "course").glob("*.xml"))
    run.write_text(re.sub(r'display_name="[^"]*"', 'display_name="Revised title"', run.read_text(), count=1))
    with app.app_context():
        assert import_package(changed).version_number == 2
        db.session.commit()

    for running in servers * 2:  # each process, with both its workers likely asked
        assert "Revised title" in TITLE.search(get(opener, running.url + f"/courses/{site.slug}/")).group(1)
