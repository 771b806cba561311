"""make run: it says where Kuza serves only once the port is bound, says in one line when the port
is taken, and the embedded default's certificates name the address really served."""
from __future__ import annotations

import json
import os
import queue
import shutil
import signal
import socket
import subprocess
import threading
import time
import urllib.request

import pytest

from lms import create_app
from lms.certificates.services import keys_url
from lms.site import DEFAULT_BASE_URL, base_url
from tests.commands import GUNICORN, TIMEOUT, environment, free_port, make_run
from tests.environment import REPO, skip_or_fail


@pytest.fixture
def needs_make():
    if shutil.which("make") is None:
        skip_or_fail("make is not installed: make run cannot be tried")


def stop(process: subprocess.Popen) -> None:
    """Stop make and the gunicorn it started: both are in the process group the test created."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def lines_of(stream) -> queue.Queue:
    """Each line the stream prints, as it prints it (None once it closes)."""
    lines: queue.Queue = queue.Queue()

    def read() -> None:
        for line in stream:
            lines.put(line.rstrip("\n"))
        lines.put(None)

    threading.Thread(target=read, daemon=True).start()
    return lines


def accepts_connections(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=5):
            return True
    except OSError:
        return False


def test_a_busy_port_is_one_clear_line_and_a_failure(tmp_path, needs_make):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        process = make_run(tmp_path / "instance", port)
        try:
            _out, err = process.communicate(timeout=TIMEOUT)
        finally:
            stop(process)
    assert process.returncode != 0
    assert "Traceback" not in err
    # gunicorn's own retries ("Connection in use", "Retrying in 1 second") do not show.
    assert "[ERROR]" not in err and "Retrying" not in err
    about_the_port = [line for line in err.splitlines() if str(port) in line]
    assert about_the_port == [f"Port {port} on 127.0.0.1 is already in use: stop what is using it, "
                              f"or choose another port, e.g. `make run PORT={port + 1}`."]


def test_it_says_where_it_serves_once_the_port_accepts_and_certificates_name_that_address(tmp_path, needs_make):
    port = free_port()
    assert not accepts_connections(port)
    process = make_run(tmp_path / "instance", port)
    try:
        lines = lines_of(process.stdout)
        deadline = time.monotonic() + TIMEOUT
        printed = []
        while True:
            line = lines.get(timeout=max(deadline - time.monotonic(), 0.1))
            assert line is not None, f"make run ended: {printed}\n{process.stderr.read()}"
            printed.append(line)
            if "serving at" in line:
                # Tried the moment the line appears, with no retry: it must not come before the port is bound.
                assert accepts_connections(port), "the serving line came before the port accepted connections"
                break
        assert printed[-1] == f"Kuza is serving at http://127.0.0.1:{port}/  (stop with Ctrl-C)"
        assert any(line.startswith("Demo learner: ") for line in printed)

        with urllib.request.urlopen(f"http://127.0.0.1:{port}/issuer", timeout=30) as response:
            profile = json.loads(response.read())
        assert profile["id"] == f"http://127.0.0.1:{port}/issuer"
        assert profile["url"] == f"http://127.0.0.1:{port}"
    finally:
        stop(process)


def test_production_without_a_base_url_stops_gunicorn_in_one_line(tmp_path):
    done = subprocess.run(
        [str(GUNICORN), "--config", "python:lms.gunicorn_conf", "--bind", "127.0.0.1:0", "wsgi:app"],
        capture_output=True, text=True, timeout=TIMEOUT, cwd=REPO, check=False,
        env=environment(tmp_path, KUZA_CONFIG="production", SECRET_KEY="x" * 64))
    assert done.returncode != 0
    assert "Traceback" not in done.stderr
    assert [line for line in done.stderr.splitlines() if line.strip()] == [
        "Error: KUZA_BASE_URL is not set. Production writes the site's public address (such as "
        "https://learn.example.org) into every certificate: set the KUZA_BASE_URL environment variable."]
    assert "serving at" not in done.stdout


@pytest.mark.parametrize(("settings", "expected"), [
    ({}, DEFAULT_BASE_URL),
    ({"KUZA_SERVED_URL": "http://127.0.0.1:8123"}, "http://127.0.0.1:8123"),
    ({"KUZA_SERVED_URL": "http://127.0.0.1:8123", "KUZA_BASE_URL": "https://learn.example.org/"},
     "https://learn.example.org"),
], ids=["nothing-served", "served", "base-url-set"])
def test_the_base_url_is_kuza_base_url_else_the_address_served(settings, expected):
    app = create_app("testing", SQLALCHEMY_DATABASE_URI="sqlite://", **{"KUZA_BASE_URL": None, **settings})
    with app.app_context():
        assert base_url() == expected
        assert keys_url() == f"{expected}/issuer/keys.json"
