"""Tests for the `text` catalogues: where Open edX finds them, and that they are complete and compiled."""

import gettext
from importlib import resources
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

TRANSLATIONS = resources.files("kuza_xblocks") / "translations"
SOURCE = Path(__file__).resolve().parents[1]
LANGUAGES = ["en", "fr"]


def po_catalogue(language):
    with (TRANSLATIONS / language / "LC_MESSAGES" / "text.po").open("rb") as po:
        return read_po(po, locale=language)


def extracted_msgids():
    with (SOURCE / "babel.cfg").open() as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    return {
        message
        for _, _, message, _, _ in extract_from_dir(str(SOURCE), method_map, options_map)
    }


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


def test_every_marked_string_is_in_the_catalogues():
    marked = extracted_msgids()
    assert "Lesson" in marked and "This lesson has no content yet." in marked and "Scrollable table" in marked
    for language in LANGUAGES:
        in_catalogue = {message.id for message in po_catalogue(language) if message.id}
        assert marked == in_catalogue, language


def test_french_catalogue_is_complete_and_keeps_placeholders():
    for message in po_catalogue("fr"):
        if not message.id:
            continue
        assert message.string, message.id
        assert not message.fuzzy, message.id
        assert message.id.count("%d") == message.string.count("%d"), message.id


@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalogue_matches_its_po_file(language):
    # A .po edited without running `pybabel compile` would ship stale translations.
    with (TRANSLATIONS / language / "LC_MESSAGES" / "text.mo").open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    for message in po_catalogue(language):
        if message.id:
            assert compiled.gettext(message.id) == (message.string or message.id), message.id
