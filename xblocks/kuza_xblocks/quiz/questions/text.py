"""Short-text answers as they are compared: Unicode, case and accents normalised."""

import unicodedata


def normalise_text(text: str, *, case_sensitive: bool = False, accent_sensitive: bool = False) -> str:
    """Return ``text`` as short-text answers are compared.

    Compatibility forms are unified (a no-break space is a space, "ﬁ" is "fi"), case is
    folded unless ``case_sensitive``, accents and other combining marks (also Arabic
    short-vowel marks) are removed unless ``accent_sensitive``, and whitespace is
    stripped around and collapsed to one space inside.
    """
    text = unicodedata.normalize("NFKD", text)
    if not case_sensitive:
        # Twice, as Unicode's compatibility caseless match does: folding the case can
        # produce characters that decompose further, and those can fold again.
        text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", text.casefold()).casefold())
    if not accent_sensitive:
        text = "".join(c for c in text if unicodedata.category(c) != "Mn")
    return " ".join(unicodedata.normalize("NFC", text).split())
