"""Security headers on every response, and Secure cookies over HTTPS."""
from __future__ import annotations

from tests.factories import PASSWORD, csrf_token_from, make_user


def test_every_page_sends_security_headers(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp and "'nonce-" in csp
    assert "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_nonce_differs_per_response(client):
    first = client.get("/").headers["Content-Security-Policy"]
    second = client.get("/").headers["Content-Security-Policy"]
    assert first != second


def test_remember_cookie_is_secure_over_https(client):
    user = make_user()
    page = client.get("/sign-in", base_url="https://localhost").get_data(as_text=True)
    # Over HTTPS, Flask-WTF also checks that the Referer is this site, as a browser sends it.
    response = client.post("/sign-in", base_url="https://localhost", headers={"Referer": "https://localhost/sign-in"}, data={
        "email": user.email, "password": PASSWORD, "remember_me": "y", "csrf_token": csrf_token_from(page)})
    cookies = response.headers.getlist("Set-Cookie")
    remember = [c for c in cookies if c.startswith("remember_token=")]
    assert remember and all("Secure" in c for c in cookies)


def test_pages_are_compressed_for_clients_that_accept_it(client):
    response = client.get("/sign-in", headers={"Accept-Encoding": "br, gzip"})
    assert response.headers.get("Content-Encoding") in {"br", "gzip"}
