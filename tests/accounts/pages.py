"""Driving the account pages from a test client: reading CSRF tokens, posting forms, signing in."""
from __future__ import annotations

import re

from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from tests.accounts.conftest import PASSWORD


def csrf_token(client: FlaskClient, path: str = "/sign-in") -> str:
    html = client.get(path).get_data(as_text=True)
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    assert match, f"{path} has no CSRF token"
    return match.group(1)


def post_form(client: FlaskClient, path: str, data: dict, token_from: str = "/sign-in", **kwargs) -> TestResponse:
    """POST like a browser would: with the CSRF token from a page this client just loaded."""
    return client.post(path, data={"csrf_token": csrf_token(client, token_from), **data}, **kwargs)


def sign_in(client: FlaskClient, email: str, password: str = PASSWORD, **fields) -> TestResponse:
    response = post_form(client, "/sign-in", {"email": email, "password": password, **fields})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return response


def is_signed_in(client: FlaskClient) -> bool:
    return client.get("/account").status_code == 200


def set_cookies(response: TestResponse, name: str) -> list[str]:
    return [header for header in response.headers.getlist("Set-Cookie") if header.startswith(f"{name}=")]
