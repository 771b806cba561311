"""Rate limits and the sign-in lockout: 429 with Retry-After and a translated page, a lockout that
slows, locks and ends, the same for addresses without an account, and limits shared through Redis."""
from __future__ import annotations

import secrets
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar

import pytest
import redis

from lms.accounts import services
from lms.extensions import db
from lms.limits import limiter
from tests.browser.server import LiveServer, prepare_database
from tests.conftest import build_app
from tests.environment import skip_or_fail
from tests.factories import csrf_token_from

PASSWORD = "correct horse battery"
REDIS_URL = "redis://127.0.0.1:6379/15"  # a database of its own, emptied by these tests


@pytest.fixture
def limited(tmp_path):
    """An app with limits on and small numbers, on a database of its own, counters emptied."""
    app = build_app(f"sqlite:///{tmp_path / 'limits.sqlite3'}", tmp_path / "instance", KUZA_RATE_LIMITS=True,
                    KUZA_LIMIT_SIGN_IN="30 per minute", KUZA_LIMIT_SIGN_IN_ACCOUNT="30 per minute",
                    KUZA_LOCKOUT_SLOW_AFTER=2, KUZA_LOCKOUT_AFTER=4, KUZA_LOCKOUT_SECONDS=3)
    limiter.reset()
    with app.app_context():
        services.create_user(email="amina@example.org", name="Amina Diallo", password=PASSWORD)
        db.session.commit()
        yield app
        db.engine.dispose()
    limiter.reset()


def attempt(client, email: str, password: str):
    page = client.get("/sign-in").get_data(as_text=True)
    return client.post("/sign-in", data={"email": email, "password": password, "csrf_token": csrf_token_from(page)})


def test_too_many_sign_ins_from_one_address_answer_429_with_retry_after_in_the_readers_language(limited):
    limited.config["KUZA_LIMIT_SIGN_IN"] = "3 per minute"
    client = limited.test_client()
    page = client.get("/sign-in").get_data(as_text=True)
    client.post("/language", data={"locale": "fr", "next": "/sign-in", "csrf_token": csrf_token_from(page)})
    answers = [attempt(client, f"someone{n}@example.org", "wrong password") for n in range(4)]
    assert [a.status_code for a in answers[:3]] == [422, 422, 422]
    refused = answers[3]
    assert refused.status_code == 429
    assert 0 < int(refused.headers["Retry-After"]) <= 61  # the minute, rounded up to whole seconds
    assert "Trop de tentatives" in refused.get_data(as_text=True)


def test_failed_sign_ins_slow_down_then_lock_the_account_and_the_lock_ends(limited):
    client = limited.test_client()
    assert attempt(client, "amina@example.org", "wrong one").status_code == 422
    assert attempt(client, "amina@example.org", "wrong two").status_code == 422  # second: wait 1 s
    slowed = attempt(client, "amina@example.org", PASSWORD)
    assert (slowed.status_code, slowed.headers["Retry-After"]) == (429, "1")
    assert "Wait 1 second" in slowed.get_data(as_text=True)
    time.sleep(1.1)
    assert attempt(client, "amina@example.org", "wrong three").status_code == 422  # third: wait 2 s
    time.sleep(2.1)
    assert attempt(client, "amina@example.org", "wrong four").status_code == 422  # fourth: locked 3 s
    locked = attempt(client, "amina@example.org", PASSWORD)
    assert locked.status_code == 429 and "locked for 1 minute" in locked.get_data(as_text=True)
    time.sleep(3.1)
    assert attempt(client, "amina@example.org", PASSWORD).status_code == 302


def test_an_address_without_an_account_is_slowed_down_the_same_way(limited):
    client = limited.test_client()
    for email in ("amina@example.org", "nobody@example.org"):
        attempt(client, email, "wrong one")
        attempt(client, email, "wrong two")
    known, unknown = attempt(client, "amina@example.org", "x" * 12), attempt(client, "nobody@example.org", "x" * 12)
    assert (known.status_code, known.headers["Retry-After"]) == (unknown.status_code, unknown.headers["Retry-After"])


def test_a_password_reset_ends_the_lock(limited):
    client = limited.test_client()
    for number in range(2):
        attempt(client, "amina@example.org", f"wrong {number}")
    time.sleep(1.1)
    attempt(client, "amina@example.org", "wrong 2")
    time.sleep(2.1)
    attempt(client, "amina@example.org", "wrong 3")
    assert attempt(client, "amina@example.org", PASSWORD).status_code == 429
    user = services.find_user("amina@example.org")
    services.reset_password(services.password_reset_token(user), "a brand new sentence")
    db.session.commit()
    assert attempt(client, "amina@example.org", "a brand new sentence").status_code == 302


def test_a_certificate_is_verified_at_most_so_often(limited):
    limited.config["KUZA_LIMIT_VERIFY_CERTIFICATE"] = "2 per minute"
    client = limited.test_client()
    codes = [client.get("/certificates/no-such-certificate").status_code for _ in range(3)]
    assert codes == [404, 404, 429]
    assert client.get("/certificates/another-one").status_code == 404  # another certificate, another count


@pytest.fixture
def shared_redis():
    try:
        connection = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
        connection.ping()
    except redis.exceptions.ConnectionError:
        skip_or_fail("no Redis on 127.0.0.1:6379: limits shared between processes are not checked")
    connection.flushdb()
    yield connection
    connection.flushdb()


def test_limits_hold_across_two_server_processes_that_share_redis(shared_redis, tmp_path):
    prepare_database(f"sqlite:///{tmp_path / 'shared.sqlite3'}", tmp_path / "instance")
    settings = {"REDIS_URL": REDIS_URL, "KUZA_RATE_LIMITS": "true"}
    key = secrets.token_hex(32)
    servers = [LiveServer(database_url=f"sqlite:///{tmp_path / 'shared.sqlite3'}", log_path=tmp_path / f"{n}.log",
                          workers=1, secret_key=key, settings=settings).start() for n in range(2)]
    try:
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
        codes = []
        for number in range(22):  # KUZA_LIMIT_SIGN_IN: 20 a minute from one address, on any server
            server = servers[number % 2]
            page = opener.open(server.url + "/sign-in", timeout=30).read().decode()
            form = urllib.parse.urlencode({"email": f"someone{number}@example.org", "password": "wrong password",
                                           "csrf_token": csrf_token_from(page)}).encode()
            try:
                codes.append(opener.open(server.url + "/sign-in", data=form, timeout=30).status)
            except urllib.error.HTTPError as answer:
                codes.append(answer.code)
                retry_after = answer.headers.get("Retry-After")
        assert codes[:20] == [422] * 20 and codes[20:] == [429, 429]
        assert retry_after and int(retry_after) > 0
    finally:
        for server in servers:
            server.stop()
