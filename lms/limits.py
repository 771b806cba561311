"""Rate limits and the sign-in lockout, counted in one store that every app process shares.

KUZA_RATE_LIMITS=false turns limits and lockout off (load benchmarks, page tests). The store is
Redis when REDIS_URL is set, so limits hold across any number of gunicorn
processes and hosts; without it (the embedded default, one host) it is each process's memory.
A request over a limit gets 429 with Retry-After and a page in the reader's language.

Sign-in lockout, per account (by email address, whether or not it exists, so that the answers
do not tell which addresses have accounts):

- failed sign-ins are counted over a window of KUZA_LOCKOUT_WINDOW seconds (15 minutes);
- from the KUZA_LOCKOUT_SLOW_AFTER-th failure (5) on, each next attempt must wait 1, 2, 4, 8 …
  seconds after the last failure;
- at the KUZA_LOCKOUT_AFTER-th failure (10) the account is locked for KUZA_LOCKOUT_SECONDS
  (15 minutes), right password or not; the lock then ends by itself;
- a successful sign-in or a password reset clears the count and the lock, and "Forgot your
  password?" keeps working during a lock, so an attacker can delay a victim but never keep
  them out: the victim resets the password and is in.
"""
from __future__ import annotations

import hashlib
import math
import time
from dataclasses import dataclass

from flask import Flask, current_app, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from limits.storage import Storage


# The client's address is request.remote_addr: behind KUZA_PROXY_COUNT proxies, create_app's
# ProxyFix makes it the address the first proxy saw. Limits are read from the config at request
# time, so a setting (or a test) can change them.
# Flask-Limiter's own headers are off: it would put a Retry-After on every answer, and raise the
# lockout's to its own; retry_after() gives the breached limit's to the 429 page.
limiter = Limiter(key_func=get_remote_address, headers_enabled=False, strategy="moving-window")


def init_limits(app: Flask) -> None:
    app.config.setdefault("RATELIMIT_STORAGE_URI", app.config.get("REDIS_URL") or "memory://")
    app.config.setdefault("RATELIMIT_KEY_PREFIX", "kuza")
    limiter.init_app(app)


def retry_after() -> int:
    """Seconds until the limit this request broke lets the next one through."""
    breached = [limit for limit in limiter.current_limits if limit.breached] or limiter.current_limits
    return max(1, math.ceil(max((limit.reset_at for limit in breached), default=time.time() + 1) - time.time()))


def enabled() -> bool:
    """KUZA_RATE_LIMITS, read per request: one process may hold several apps (the tests do)."""
    return bool(current_app.config["KUZA_RATE_LIMITS"])


def _off() -> bool:
    return not enabled()


def per_address(setting: str, methods: tuple[str, ...] = ("POST",)):
    """A decorator: the limit the setting names ("10 per hour"), for each client address."""
    return limiter.limit(lambda: current_app.config[setting], methods=list(methods), key_func=get_remote_address,
                         scope=f"{setting}:address", exempt_when=_off)


def per_account(setting: str, field: str = "email"):
    """A decorator: the limit the setting names, for each email address given in the form's ``field``."""
    return limiter.limit(lambda: current_app.config[setting], methods=["POST"],
                         key_func=lambda: account_key(request.form.get(field, "")), scope=f"{setting}:account",
                         exempt_when=_off)


def per_view_argument(setting: str, argument: str):
    """A decorator: the limit the setting names, for each value of the URL's ``argument`` (a certificate id)."""
    return limiter.limit(lambda: current_app.config[setting],
                         key_func=lambda: str((request.view_args or {}).get(argument, "")),
                         scope=f"{setting}:{argument}", exempt_when=_off)


def account_key(email: str) -> str:
    # Hashed: the shared store holds no email addresses.
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]


def _store() -> Storage:
    return limiter.storage


@dataclass(frozen=True)
class Refusal:
    """Why a sign-in attempt is not even checked, and for how many seconds."""

    locked: bool  # True: locked for a while; False: slowed down
    retry_after: int


def sign_in_refusal(email: str) -> Refusal | None:
    """Whether the account behind ``email`` may try a password now."""
    if not enabled():
        return None
    key, now = account_key(email), time.time()
    store = _store()
    if store.get(f"kuza:locked:{key}"):
        return Refusal(True, max(1, math.ceil(store.get_expiry(f"kuza:locked:{key}") - now)))
    if store.get(f"kuza:wait:{key}"):
        return Refusal(False, max(1, math.ceil(store.get_expiry(f"kuza:wait:{key}") - now)))
    return None


def record_failed_sign_in(email: str) -> None:
    if not enabled():
        return
    config = current_app.config
    key, store = account_key(email), _store()
    failures = store.incr(f"kuza:failures:{key}", config["KUZA_LOCKOUT_WINDOW"])
    if failures >= config["KUZA_LOCKOUT_AFTER"]:
        store.incr(f"kuza:locked:{key}", config["KUZA_LOCKOUT_SECONDS"])
        store.clear(f"kuza:failures:{key}")
    elif failures >= config["KUZA_LOCKOUT_SLOW_AFTER"]:
        store.clear(f"kuza:wait:{key}")
        store.incr(f"kuza:wait:{key}", 2 ** (failures - config["KUZA_LOCKOUT_SLOW_AFTER"]))


def clear_failed_sign_ins(email: str) -> None:
    """After a successful sign-in or a password reset: no count, no wait, no lock."""
    if not enabled():
        return
    key, store = account_key(email), _store()
    for name in ("failures", "wait", "locked"):
        store.clear(f"kuza:{name}:{key}")
