"""Where a ``next`` value may send the browser after a form: only to a path on this site."""
from __future__ import annotations

from urllib.parse import urlsplit

MAX_NEXT_LENGTH = 2000


def safe_next(target: str | None) -> str | None:
    """``target`` if it is a plain path on this site ("/courses?x=1"), else None.

    Browsers read "//host" and "/\\host" as another site and silently drop tabs and
    newlines, so anything but a single leading slash, and any backslash or control
    character anywhere, is refused rather than cleaned up.
    """
    if not target or len(target) > MAX_NEXT_LENGTH:
        return None
    if "\\" in target or any(ord(char) < 0x20 or 0x7F <= ord(char) <= 0x9F for char in target):
        return None
    if not target.startswith("/") or target.startswith("//"):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target
