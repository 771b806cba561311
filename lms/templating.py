"""Template set-up every page needs: the locale, its direction, cache-busting static URLs, and escaping of lazy translations."""
from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from babel import Locale, UnknownLocaleError
from flask import Flask, current_app, url_for
from flask_babel import format_decimal, get_locale
from flask_babel.speaklater import LazyString

from lms.i18n import supported_locales, text_direction

LANGUAGE_NAMES = {"en": "English", "fr": "Français", "pt": "Português", "ar": "العربية"}


def init_templating(app: Flask) -> None:
    app.jinja_env.finalize = plain_lazy_text
    app.jinja_env.globals["static_url"] = static_url
    app.jinja_env.filters["language_name"] = language_name
    app.jinja_env.filters["number"] = format_decimal

    @app.context_processor
    def locale_globals():
        locale = str(get_locale() or app.config["BABEL_DEFAULT_LOCALE"])
        return {
            "current_locale": locale,
            "text_direction": text_direction(locale),
            "language_choices": [(code, LANGUAGE_NAMES.get(code, code)) for code in supported_locales()],
        }


def plain_lazy_text(value):
    """A lazy translation as the plain text it is, so that autoescaping escapes it.

    Flask-Babel's LazyString claims to be HTML already (``__html__`` returns it as is), so a
    service's message carrying a person's name, "%(name)s is already on this course's staff",
    would otherwise reach the page unescaped.
    """
    return str(value) if isinstance(value, LazyString) else value


def language_name(code: str) -> str:
    """A language's name in the reader's language ("French", "français", "الفرنسية"), for course languages."""
    try:
        return Locale.parse(code.replace("-", "_")).get_display_name(get_locale()) or code
    except (ValueError, UnknownLocaleError):
        return code


def static_url(filename: str) -> str:
    """A static file's URL with its content digest, so browsers may cache it for a year."""
    return url_for("static", filename=filename, v=_digest(Path(current_app.static_folder) / filename))


@cache
def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]
