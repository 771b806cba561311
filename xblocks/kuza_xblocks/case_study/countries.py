"""Countries by ISO 3166-1 code, named in the reader's language with pycountry's bundled iso-codes catalogues."""

import gettext
from functools import cache

import pycountry


def find(code: str):
    """The pycountry country for a two- or three-letter code in any case, or None."""
    text = (code or "").strip()
    if not text.isascii() or not text.isalpha() or len(text) not in (2, 3):
        return None
    return pycountry.countries.get(**{"alpha_2" if len(text) == 2 else "alpha_3": text.upper()})


def alpha_2(code: str) -> str:
    """The two-letter code of the country ``code`` names, or "" if it names none."""
    country = find(code)
    return country.alpha_2 if country else ""


def country_name(code: str, language: str) -> str:
    """The country's name as people say it (Tanzania, not "Tanzania, United Republic of") in ``language``.

    ``language`` is a gettext locale (fr, pt_BR, ar_SD); a locale without a catalogue gives
    the English name. The common name is used where iso-codes translates it, else the
    official short name, which the catalogues translate for every country.
    """
    country = find(code)
    if country is None:
        return code
    translations = _catalogue(language or "en")
    common = getattr(country, "common_name", None)
    if common and translations.gettext(common) != common:
        return translations.gettext(common)
    name = translations.gettext(country.name)
    if name == country.name and common:
        return common  # no translation at all: English, in its everyday form
    return name


@cache
def _catalogue(language: str) -> gettext.NullTranslations:
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language], fallback=True)
