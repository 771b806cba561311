"""The site's public address, for links that leave a request behind: in certificates and in mail."""
from __future__ import annotations

from flask import current_app

# The embedded default's address when nothing says otherwise: `make run`'s host and port.
DEFAULT_BASE_URL = "http://127.0.0.1:8000"


def base_url() -> str:
    """KUZA_BASE_URL, else (the embedded default) the address gunicorn serves at, else the default.

    Never the request's Host header: a link mailed to a learner must not point wherever the
    request that asked for it claimed to come from.
    """
    config = current_app.config
    return str(config.get("KUZA_BASE_URL") or config.get("KUZA_SERVED_URL") or DEFAULT_BASE_URL).rstrip("/")
