"""Kuza's real entry points (the kuza command, gunicorn, make run) in a subprocess, with an instance folder and settings of the test's own."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

from tests.environment import REPO

BIN = Path(sys.executable).parent
KUZA = BIN / "kuza"
GUNICORN = BIN / "gunicorn"
# Settings a developer's shell may hold; a test process starts without them unless it gives its own.
SETTINGS = ("KUZA_CONFIG", "SECRET_KEY", "DATABASE_URL", "KUZA_BASE_URL", "KUZA_ISSUER_NAME", "KUZA_KEYS_DIR",
            "KUZA_EXTRA_XBLOCKS", "XBLOCK_SETTINGS", "KUZA_IMPORT_MAX_BYTES", "KUZA_IMPORT_MAX_FILES",
            "REDIS_URL", "KUZA_RATE_LIMITS", "KUZA_PROXY_COUNT", "MAIL_SERVER", "MAIL_PORT", "MAIL_USE_TLS",
            "MAIL_USE_SSL", "MAIL_USERNAME", "MAIL_PASSWORD", "MAIL_DEFAULT_SENDER")
TIMEOUT = 120


def free_port() -> int:
    """A port on 127.0.0.1 where nothing listens: the system just handed it out, and it was closed."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def environment(instance: Path, **settings: str) -> dict[str, str]:
    """This process's environment without Kuza's settings, with the instance folder and ``settings``."""
    env = {name: value for name, value in os.environ.items() if name not in SETTINGS}
    return {**env, "KUZA_INSTANCE_PATH": str(instance), **settings}


def kuza(instance: Path, *args: str, stdin: str = "", **settings: str) -> subprocess.CompletedProcess[str]:
    """Run ``kuza ARGS`` as an operator would, and wait for it."""
    return subprocess.run([str(KUZA), *args], input=stdin, capture_output=True, text=True, timeout=TIMEOUT,
                          env=environment(instance, **settings), cwd=REPO, check=False)


def make_run(instance: Path, port: int, **settings: str) -> subprocess.Popen[str]:
    """Start ``make run`` on 127.0.0.1:``port`` with this test's virtual environment, in a process
    group of its own (the caller stops it). ``-o`` keeps make from reinstalling that environment."""
    installed = BIN / ".installed"
    return subprocess.Popen(
        ["make", "--no-print-directory", "-C", str(REPO), "-o", str(installed), "run", f"BIN={BIN}",
         "HOST=127.0.0.1", f"PORT={port}", "WORKERS=1"],
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env=environment(instance, **settings), start_new_session=True)
