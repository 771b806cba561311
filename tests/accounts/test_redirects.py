"""safe_next: only paths on this site survive; everything a browser could read as elsewhere is refused."""
from __future__ import annotations

import pytest

from lms.accounts.redirects import safe_next

HOSTILE = [
    None,
    "",
    "//evil.example",
    "///evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "/\\/evil.example",
    "https://evil.example/",
    "http:evil.example",
    "HTTPS://evil.example",
    "javascript:alert(1)",
    " javascript:alert(1)",
    "evil.example",
    "courses/civic-tech",
    "/\t/evil.example",
    "/\n/evil.example",
    "/courses\r\nSet-Cookie: x=1",
    "/\x00/evil.example",
    "/\x7f",
    "/\x85evil",
    "/" + "a" * 3000,
]


@pytest.mark.parametrize("target", HOSTILE)
def test_refuses_anything_but_a_local_path(target):
    assert safe_next(target) is None


@pytest.mark.parametrize("target", ["/", "/courses/civic-tech/", "/courses/civic-tech/learn/unit-1?tab=notes",
                                    "/my-learning#done", "/courses/%2F%2Fevil.example"])
def test_keeps_a_local_path(target):
    assert safe_next(target) == target
