"""Scaffolding for race tests: tabs signed in as one learner, and calls released from threads at the same moment."""
from __future__ import annotations

import threading
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from tests.factories import sign_in


def signed_in_tabs(app: Flask, email: str, count: int = 2) -> list[FlaskClient]:
    """Return ``count`` test clients of ``app``, each with its own session signed in as ``email``."""
    tabs = []
    for _ in range(count):
        tab = app.test_client()
        # sign_in reads only the email, and the learner's row belongs to an app context that has closed.
        sign_in(tab, SimpleNamespace(email=email))
        tabs.append(tab)
    return tabs


def at_once(*calls: Callable[[], Any]) -> list:
    """Run ``calls`` in threads released together; return their results in the order of ``calls``.

    Once every thread has finished, the first exception a call raised is raised here, so a
    failure inside a thread fails the test instead of ending silently with its thread.
    """
    start = threading.Barrier(len(calls))
    results: list = [None] * len(calls)
    errors: list[BaseException] = []

    def run(index: int, call: Callable[[], Any]) -> None:
        start.wait()
        try:
            results[index] = call()
        except BaseException as error:  # noqa: BLE001 - raised again in the test's thread
            errors.append(error)

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return results
