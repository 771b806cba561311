"""Answers survive SIGKILL: 20 cycles of learners submitting while every server process is killed at once.

The full drill (200 cycles) is bench/fault_injection.py.
"""
from __future__ import annotations

import os
from contextlib import ExitStack

import pytest

from tests import durability
from tests.conftest import build_app, scratch_postgres

CYCLES = 20


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database(request, tmp_path):
    with ExitStack() as stack:
        if request.param == "sqlite":
            url = f"sqlite:///{tmp_path / 'drill.sqlite3'}"
        else:
            server = os.environ.get("TEST_DATABASE_URL")
            if not server:
                from tests.environment import skip_or_fail

                skip_or_fail("TEST_DATABASE_URL is not set: the drill is not run on PostgreSQL")
            url = stack.enter_context(scratch_postgres(server))
        yield url


def test_every_acknowledged_answer_is_stored_once_after_sigkills(database, tmp_path):
    app = build_app(database, tmp_path / "instance")
    durability.prepare(app)
    report = durability.run(app, database, tmp_path, cycles=CYCLES, seed=20261208)
    assert report.cycles == CYCLES
    assert len(report.acknowledged) >= 10, "too few answers got through for the drill to test anything"
    assert report.lost == set()
    assert report.duplicated == set()
    assert report.integrity == "ok"
