"""Course cover images for the catalogue: the course's own image, cropped, resized and recompressed for phones."""
from __future__ import annotations

import io
from functools import lru_cache

from PIL import Image, ImageOps

# One size for every screen: sharp on a phone's card, and about 10 KB, so a catalogue page
# with its image stays within the 30 KB budget on a slow connection.
WIDTH, HEIGHT = 480, 270
# WebP for today's browsers; JPEG for those without it (older KaiOS and feature phones).
FORMATS = {"webp": ("WEBP", "image/webp"), "jpg": ("JPEG", "image/jpeg")}
QUALITY = 70
# Decompression bombs: a cover larger than this many pixels is refused rather than decoded.
MAX_PIXELS = 40_000_000


class NotAnImage(ValueError):
    """The course's declared image is not a picture Pillow can read."""


def image_path(course_image: str) -> str | None:
    """The path under static/ of an OLX course_image value ("images/cover.jpg" or "/static/images/cover.jpg")."""
    path = course_image.strip().removeprefix("/static/").lstrip("/")
    return path or None


def variant(sha256: str, data: bytes, extension: str) -> bytes:
    """The cover in a format for browsers; computed once per process for each image and format."""
    return _variant(sha256, extension, data)


# Keyed by digest, not by the bytes: the data argument only feeds a miss. Versions never
# change, so a process may keep covers as long as it lives; 64 are well under a megabyte.
@lru_cache(maxsize=64)
def _variant(_sha256: str, extension: str, data: bytes) -> bytes:
    pillow_format, _mime = FORMATS[extension]
    try:
        with Image.open(io.BytesIO(data)) as source:
            if source.width * source.height > MAX_PIXELS:
                raise NotAnImage(f"{source.width}×{source.height} is too large for a cover")
            picture = ImageOps.fit(ImageOps.exif_transpose(source).convert("RGB"), (WIDTH, HEIGHT),
                                   Image.Resampling.LANCZOS)
    except (OSError, Image.DecompressionBombError) as error:
        raise NotAnImage(str(error)) from error
    out = io.BytesIO()
    options = {"method": 6} if pillow_format == "WEBP" else {"optimize": True, "progressive": True}
    picture.save(out, pillow_format, quality=QUALITY, **options)
    return out.getvalue()
