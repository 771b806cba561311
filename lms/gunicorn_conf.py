"""gunicorn settings for Kuza (``gunicorn --config python:lms.gunicorn_conf wsgi:app``, as `make run` does)."""
from __future__ import annotations

import errno
import sys

from gunicorn import sock, util

# The app is built once, before the port is bound: a setting Kuza cannot start with stops
# gunicorn with its one-line message (gunicorn prints a RuntimeError as "Error: …"), instead
# of a traceback from every worker that tries to boot.
preload_app = True
# gunicorn's own start-up lines would bury the one line that says where Kuza is; warnings,
# errors and the access log still show.
loglevel = "warning"


def on_starting(server) -> None:
    """Bind the port here, once: gunicorn itself would retry a busy port five times, logging
    each attempt, before giving up."""
    if not all(isinstance(address, tuple) for address in server.cfg.address):
        return  # a Unix socket or an inherited descriptor: gunicorn's own binding applies
    listeners = []
    for address in server.cfg.address:
        kind = sock.TCP6Socket if util.is_ipv6(address[0]) else sock.TCPSocket
        try:
            listeners.append(kind(address, server.cfg, server.log))
        except OSError as error:
            for listener in listeners:
                listener.close()
            print(_cannot_bind(address, error), file=sys.stderr, flush=True)
            sys.exit(1)
    server.LISTENERS = listeners


def when_ready(server) -> None:
    """Say where Kuza serves once the port accepts connections, and let the embedded default's
    certificates name that address (production sets KUZA_BASE_URL, which comes first)."""
    url = str(server.LISTENERS[0])  # as gunicorn names a listener: http://host:port, or unix:path
    if url.startswith(("http://", "https://")):
        server.app.wsgi().config["KUZA_SERVED_URL"] = url
        url += "/"
    print(f"Kuza is serving at {url}  (stop with Ctrl-C)", flush=True)


def _cannot_bind(address: tuple, error: OSError) -> str:
    host, port = address[:2]
    if error.errno == errno.EADDRINUSE:
        return (f"Port {port} on {host} is already in use: stop what is using it, "
                f"or choose another port, e.g. `make run PORT={port + 1}`.")
    if error.errno == errno.EADDRNOTAVAIL:
        return f"Cannot serve on {host}: it is not an address of this machine; choose another with `make run HOST=…`."
    reason = error.strerror or str(error)
    return f"Cannot serve on {host} port {port}: {reason}; choose another with `make run HOST=… PORT=…`."
