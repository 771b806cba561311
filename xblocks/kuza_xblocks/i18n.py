"""Marks block strings for translation where no i18n service is at hand yet."""


def N_(message: str) -> str:  # noqa: N802 - the name Babel extracts by default
    """Return ``message`` unchanged; Babel extracts it into the ``text`` catalogue.

    Field declarations run at import time, before any runtime exists, so they can only
    mark their strings; the i18n service translates them when they are shown.
    """
    return message
