"""Tests for the `text` catalogues: where Open edX finds them, and that they are complete and compiled."""

import gettext
import re
from collections import Counter
from importlib import resources
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

TRANSLATIONS = resources.files("kuza_xblocks") / "translations"
SOURCE = Path(__file__).resolve().parents[1]
# Every catalogue shipped; English is the msgids themselves (its msgstrs stay empty).
LANGUAGES = sorted(
    entry.name for entry in TRANSLATIONS.iterdir() if (entry / "LC_MESSAGES" / "text.po").is_file()
)
TRANSLATED = [language for language in LANGUAGES if language != "en"]
# The languages Kuza offers; an Open edX site may ask for any of them.
REQUIRED = {"en", "fr", "pt", "ar"}
PLURAL_FORMS = {
    "pt": "nplurals=2; plural=(n != 1);",
    "ar": "nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5);",
}
# A printf conversion as Python's % operator reads it: %d, %(name)s, %%.
CONVERSION = re.compile(r"%(?:\((?P<name>[^)]*)\))?[#0\- +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?(?P<type>[diouxXeEfFgGcrsa%])")


def po_catalogue(language):
    with (TRANSLATIONS / language / "LC_MESSAGES" / "text.po").open("rb") as po:
        return read_po(po, locale=language)


def placeholders(text):
    return Counter((m["name"], m["type"]) for m in CONVERSION.finditer(text))


def extracted_msgids():
    with (SOURCE / "babel.cfg").open() as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    return {
        message
        for _, _, message, _, _ in extract_from_dir(str(SOURCE), method_map, options_map)
    }


def test_every_kuza_language_has_a_catalogue():
    assert REQUIRED <= set(LANGUAGES)


def test_the_template_lists_exactly_the_marked_strings():
    with (SOURCE / "kuza_xblocks" / "translations" / "text.pot").open("rb") as pot:
        in_template = {message.id for message in read_po(pot) if message.id}
    assert in_template == extracted_msgids(), "text.pot is stale: see the commands in babel.cfg"


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_loads_where_open_edx_looks_for_it(language):
    # Open edX (XBlockI18nService) loads <top-level package>/translations, domain "text".
    translation = gettext.translation("text", localedir=str(TRANSLATIONS), languages=[language])
    assert isinstance(translation, gettext.GNUTranslations)


def test_french_catalogue_translates():
    french = gettext.translation("text", localedir=str(TRANSLATIONS), languages=["fr"])
    assert french.gettext("Lesson") == "Leçon"
    assert french.gettext("This lesson has no content yet.") == "Cette leçon n'a pas encore de contenu."
    assert "%d" in french.gettext("Jump back to footnote %d in the text")


def test_portuguese_and_arabic_catalogues_translate():
    portuguese = gettext.translation("text", localedir=str(TRANSLATIONS), languages=["pt"])
    assert portuguese.gettext("Lesson") == "Lição"
    assert portuguese.gettext("This lesson has no content yet.") == "Esta lição ainda não tem conteúdo."
    arabic = gettext.translation("text", localedir=str(TRANSLATIONS), languages=["ar"])
    assert arabic.gettext("Lesson") == "درس"
    assert arabic.gettext("Jump back to footnote %d in the text") % 3 == "العودة إلى موضع الحاشية 3 في النص"
    # Regional tags, as Open edX passes them, fall back to the language's catalogue.
    assert gettext.translation("text", localedir=str(TRANSLATIONS), languages=["pt_MZ"]).gettext("Lesson") == "Lição"
    assert gettext.translation("text", localedir=str(TRANSLATIONS), languages=["ar_SD"]).gettext("Lesson") == "درس"


def test_every_marked_string_is_in_the_catalogues():
    marked = extracted_msgids()
    assert "Lesson" in marked and "This lesson has no content yet." in marked and "Scrollable table" in marked
    for language in LANGUAGES:
        in_catalogue = {message.id for message in po_catalogue(language) if message.id}
        assert marked == in_catalogue, language


@pytest.mark.parametrize("language", TRANSLATED)
def test_catalogue_is_complete_and_keeps_placeholders(language):
    catalogue = po_catalogue(language)
    assert not catalogue.fuzzy, "the header is fuzzy: pybabel compile would skip the whole catalogue"
    for message in catalogue:
        if not message.id:
            continue
        assert message.string, message.id
        assert not message.fuzzy, message.id
        assert placeholders(message.string) == placeholders(message.id), message.id
        assert message.string == message.string.strip(), message.id


@pytest.mark.parametrize("language", sorted(PLURAL_FORMS))
def test_catalogue_declares_its_plural_rule(language):
    assert po_catalogue(language).plural_forms == PLURAL_FORMS[language]


def test_arabic_catalogue_uses_arabic_punctuation():
    for message in po_catalogue("ar"):
        if message.id:
            assert not any(mark in message.string for mark in ",;?"), message.id


@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalogue_matches_its_po_file(language):
    # A .po edited without running `pybabel compile` would ship stale translations.
    with (TRANSLATIONS / language / "LC_MESSAGES" / "text.mo").open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    for message in po_catalogue(language):
        if message.id:
            assert compiled.gettext(message.id) == (message.string or message.id), message.id
    with (TRANSLATIONS / language / "LC_MESSAGES" / "text.mo").open("rb") as mo:
        headers = dict(read_mo(mo).mime_headers)
    assert headers.get("Plural-Forms") == po_catalogue(language).plural_forms
