"""Where the tests find the repository, and how they treat a missing dependency."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SAMPLE_COURSE = REPO / "courses" / "public-service-innovation"
IN_CI = os.environ.get("CI", "").lower() == "true"


def skip_or_fail(reason: str) -> None:
    """Skip a test whose dependency is missing here; in CI a missing dependency is a failure."""
    if IN_CI:
        pytest.fail(f"{reason} (CI must run every suite)")
    pytest.skip(reason)
