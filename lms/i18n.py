"""The learner's language: which locale a request is served in, and its text direction."""
from __future__ import annotations

from flask import current_app, has_request_context, request, session
from flask_login import current_user

RTL_LOCALES = frozenset({"ar", "fa", "he", "ur"})


def supported_locales() -> tuple[str, ...]:
    return tuple(current_app.config["KUZA_LOCALES"])


def select_locale() -> str:
    """The signed-in learner's choice, else this browser's choice, else Accept-Language."""
    if not has_request_context():
        # Commands (kuza create-user, …) speak the default language.
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    locales = supported_locales()
    chosen = getattr(current_user, "locale", None) if current_user else None
    chosen = chosen or session.get("locale")
    if chosen in locales:
        return chosen
    return request.accept_languages.best_match(locales) or current_app.config["BABEL_DEFAULT_LOCALE"]


def text_direction(locale: str) -> str:
    return "rtl" if locale.split("_")[0] in RTL_LOCALES else "ltr"
