"""Course languages by name, as labels on their own: in the reader's language ("French", "Français"), or in their own."""
from __future__ import annotations

from babel import Locale, UnknownLocaleError


def label(code: str, locale: str) -> str:
    """The language's name in ``locale``, as a label starts: "Anglais", not "anglais" as in a sentence."""
    name = _display_name(code, locale)
    return _capitalised(name) if name else code


def endonym(code: str) -> str:
    """The language's name in itself ("Français", "العربية"): how a link to a version in that language is
    named, so that a reader of that language, and only of it, finds it."""
    name = _display_name(code, code)
    return _capitalised(name) if name else code


def _display_name(code: str, locale: str) -> str | None:
    try:
        return Locale.parse(code.replace("-", "_")).get_display_name(Locale.parse(locale.replace("-", "_")))
    except (ValueError, TypeError, UnknownLocaleError):
        return None


def _capitalised(name: str) -> str:
    # CLDR writes language names in lower case where a sentence needs it (French, Portuguese);
    # a label begins with a capital. Scripts without case are left as they are.
    return name[:1].upper() + name[1:]
