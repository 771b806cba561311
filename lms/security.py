"""HTTP security headers on every response, with a per-request nonce for inline scripts."""
from __future__ import annotations

import secrets

from flask import Flask, g, request

# Inline <style> from blocks (fragments' CSS) is allowed; inline script only with the nonce.
CSP = (
    "default-src 'self'; script-src 'self' 'nonce-{nonce}'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'none'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)


def csp_nonce() -> str:
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    return g.csp_nonce


def init_security(app: Flask) -> None:
    app.jinja_env.globals["csp_nonce"] = csp_nonce

    @app.after_request
    def security_headers(response):
        response.headers.setdefault("Content-Security-Policy", CSP.format(nonce=csp_nonce()))
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        if request.is_secure:
            _mark_cookies_secure(response)
        return response


def _mark_cookies_secure(response) -> None:
    """Over HTTPS every cookie set so far (remember-me, language) is Secure, whatever the config
    says. The session cookie is written after this runs, so extensions.SessionInterface marks it."""
    cookies = response.headers.getlist("Set-Cookie")
    if not cookies:
        return
    response.headers.remove("Set-Cookie")
    for cookie in cookies:
        secure = any(part.strip().lower() == "secure" for part in cookie.split(";"))
        response.headers.add("Set-Cookie", cookie if secure else f"{cookie}; Secure")
