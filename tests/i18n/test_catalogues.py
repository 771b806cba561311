"""The server's message catalogues: every marked text translated into French, compiled, and shown."""
from __future__ import annotations

import re
import shlex
from collections import Counter
from functools import cache
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from babel.support import Translations

from lms.catalog import services as catalog_services
from tests.factories import csrf_token_from, make_course, make_user, sign_in

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "lms" / "translations"
FRENCH_PO = TRANSLATIONS / "fr" / "LC_MESSAGES" / "messages.po"
FRENCH_MO = FRENCH_PO.with_suffix(".mo")
TEMPLATE_POT = TRANSLATIONS / "messages.pot"
# The Makefile's keywords: Babel's defaults (_, gettext, ngettext, …) plus Flask-Babel's lazy ones.
KEYWORDS = {**DEFAULT_KEYWORDS, "lazy_gettext": None, "lazy_ngettext": (1, 2)}

NBSP = "\u00a0"  # before a colon
NNBSP = "\u202f"  # before ; ! ? % and inside « »
NO_BREAK = NBSP + NNBSP

# A printf conversion as Python's % operator reads it: %(name)s, %d, %%.
CONVERSION = re.compile(r"%(?:\((?P<name>[^)]*)\))?[#0\- +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?(?P<type>[diouxXeEfFgGcrsa%])")


@cache
def extracted(directory: Path = ROOT) -> dict[str | tuple[str, ...], list[str]]:
    """The messages marked in the sources, as `pybabel extract -F babel.cfg` finds them from ``directory``."""
    with open(ROOT / "babel.cfg", encoding="utf-8") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    found: dict[str | tuple[str, ...], list[str]] = {}
    for filename, lineno, message, _comments, context in extract_from_dir(
        str(directory), method_map, options_map, keywords=KEYWORDS
    ):
        assert context is None, f"{filename}:{lineno}: message contexts are not used in Kuza"
        found.setdefault(message, []).append(f"{Path(directory, filename).relative_to(ROOT)}:{lineno}")
    return found


def read_catalog(path: Path) -> Catalog:
    with open(path, "rb") as handle:
        return read_po(handle, locale="fr" if path.suffix == ".po" else None)


@cache
def french() -> Catalog:
    return read_catalog(FRENCH_PO)


def msgid(message: str | tuple[str, ...]) -> str:
    """The key a catalogue files a message under: the singular of a plural message."""
    return message[0] if isinstance(message, tuple) else message


def translated_strings(message) -> list[str]:
    return list(message.string) if isinstance(message.string, (tuple, list)) else [message.string]


def placeholders(text: str) -> Counter:
    return Counter((m["name"], m["type"]) for m in CONVERSION.finditer(text) if m["type"] != "%")


def without_conversions(text: str) -> str:
    return CONVERSION.sub("", text)


# The catalogues against the sources.

def test_the_sources_mark_texts_for_translation():
    # Guards the checks below: a babel.cfg that matched no file would make them pass vacuously.
    files = {place.split(":")[0] for places in extracted().values() for place in places}
    assert any(name.endswith(".py") for name in files) and any(name.endswith(".html") for name in files)
    assert "Sign in" in extracted() and "Please sign in to open this page." in extracted()


def test_every_marked_text_has_a_french_translation():
    catalog = french()
    assert not catalog.fuzzy, "the .po header is marked fuzzy: pybabel compile would skip the whole catalogue"
    problems = []
    for message, places in extracted().items():
        entry = catalog.get(msgid(message))
        where = ", ".join(places)
        if entry is None:
            problems.append(f"missing: {message!r} ({where})")
        elif entry.fuzzy:
            problems.append(f"fuzzy: {message!r} ({where})")
        elif isinstance(message, tuple) != entry.pluralizable:
            problems.append(f"singular/plural mismatch: {message!r} ({where})")
        elif not all(s.strip() for s in translated_strings(entry)):
            problems.append(f"untranslated: {message!r} ({where})")
        elif entry.pluralizable and len(entry.string) != catalog.num_plurals:
            problems.append(f"needs {catalog.num_plurals} plural forms: {message!r} ({where})")
    assert not problems, (
        "The French catalogue is behind the sources; see the commands at the top of the .po:\n" + "\n".join(problems)
    )


def test_the_template_lists_exactly_the_marked_texts():
    in_template = {msgid(m.id) for m in read_catalog(TEMPLATE_POT) if m.id}
    in_sources = {msgid(m) for m in extracted()}
    assert in_template == in_sources, (
        f"messages.pot is stale: new {sorted(in_sources - in_template)}, gone {sorted(in_template - in_sources)}"
    )


def test_french_uses_the_french_plural_rule():
    assert french().plural_forms == "nplurals=2; plural=(n > 1);"


def test_the_makefile_extracts_what_babel_cfg_marks():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    command = next(line for line in makefile.splitlines() if "pybabel extract" in line)
    directory = ROOT / shlex.split(command)[-1]
    assert set(extracted(directory)) == set(extracted())


# The catalogue itself.

def test_the_compiled_catalogue_matches_the_po():
    # Compared message by message rather than byte by byte: the bytes carry Babel's version.
    with open(FRENCH_MO, "rb") as handle:
        compiled_catalog = read_mo(handle)
    compiled = {m.id: m.string for m in compiled_catalog if m.id}
    source = {m.id: m.string for m in french() if m.id and not m.fuzzy}
    assert compiled == source, "messages.mo is stale: run `pybabel compile -d lms/translations`"
    assert dict(compiled_catalog.mime_headers).get("Plural-Forms") == french().plural_forms
    # And gettext reads it as the app will.
    with open(FRENCH_MO, "rb") as handle:
        assert Translations(handle).gettext("Courses") == "Cours"


def test_translations_keep_the_placeholders_of_the_english():
    problems = []
    for entry in french():
        if not entry.id:
            continue
        expected = placeholders(msgid(entry.id) if not entry.pluralizable else entry.id[-1])
        for text in translated_strings(entry):
            if placeholders(text) != expected:
                problems.append(f"{entry.id!r}: {text!r} has {dict(placeholders(text))}, wants {dict(expected)}")
            # Templates always format their texts (Jinja's new-style gettext): a lone % is an error.
            if "%" in without_conversions(text):
                problems.append(f"{entry.id!r}: {text!r} has a % that is not a placeholder; write %%")
            if "%%" in entry.id and "%%" not in text:
                problems.append(f"{entry.id!r}: {text!r} dropped the literal percent sign")
    assert not problems, "\n".join(problems)


def test_translations_follow_french_typography():
    problems = []
    for entry in french():
        if not entry.id:
            continue
        for text in translated_strings(entry):
            # A literal percent sign (%%) stands as "%" once the placeholders are taken out.
            plain = without_conversions(text.replace("%%", "\x00")).replace("\x00", "%")
            for index, char in enumerate(plain):
                before = plain[index - 1] if index else ""
                after = plain[index + 1] if index + 1 < len(plain) else ""
                if char in ":;!?%»" and index and before not in NO_BREAK:
                    problems.append(f"{text!r}: no no-break space before {char!r}")
                if char == "«" and after not in NO_BREAK:
                    problems.append(f"{text!r}: no no-break space after «")
            if '"' in text or "'" in text:
                problems.append(f"{text!r}: use « » and ’ rather than straight quotes")
            if text.startswith(" ") or text.endswith(" ") or "  " in text:
                problems.append(f"{text!r}: stray spaces")
    assert not problems, "\n".join(problems)


# The catalogue as the app loads it.

def test_flask_babel_finds_the_catalogue(app):
    with app.test_request_context(headers={"Accept-Language": "fr"}):
        from flask_babel import get_locale, gettext, ngettext

        assert str(get_locale()) == "fr"
        assert gettext("Sign in") == "Se connecter"
        assert gettext("Unit %(position)s of %(total)s", position=2, total=5) == "Unité 2 sur 5"
        assert ngettext("%(num)s unit", "%(num)s units", 1) == "1 unit"  # untranslated texts fall back to English


def choose_french(client, next_page: str = "/sign-in") -> None:
    token = csrf_token_from(client.get(next_page).get_data(as_text=True))
    response = client.post("/language", data={"locale": "fr", "next": next_page, "csrf_token": token})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]


def test_english_pages_show_the_english_texts_without_a_catalogue(client):
    html = client.get("/sign-in").get_data(as_text=True)
    assert '<html lang="en"' in html
    assert "<title>Sign in · Kuza</title>" in html
    assert ">Courses</a>" in html


def test_the_sign_in_page_in_french(client):
    choose_french(client)
    html = client.get("/sign-in").get_data(as_text=True)
    assert '<html lang="fr" dir="ltr">' in html
    assert "<title>Se connecter · Kuza</title>" in html
    assert "<h1>Se connecter</h1>" in html
    for text in ("Aller au contenu", ">Cours</a>", ">Créer un compte</a>", "Adresse e-mail", "Mot de passe",
                 "Garder ma session ouverte sur cet appareil", "Première visite sur Kuza\u202f?", "Langue"):
        assert text in html, text
    for english in (">Courses<", ">Sign in<", ">Register<", "Password", "Skip to content"):
        assert english not in html, english


def test_messages_from_python_are_french_too(client, db_session):
    choose_french(client)
    # Flask-Login's lazy message, evaluated when the page shows it.
    redirected = client.get("/my-learning", follow_redirects=True).get_data(as_text=True)
    assert "Veuillez vous connecter pour ouvrir cette page." in redirected
    # A form error added in the view, and the title's error prefix from the template.
    token = csrf_token_from(client.get("/sign-in").get_data(as_text=True))
    refused = client.post("/sign-in", data={"email": "nobody@example.org", "password": "wrong password",
                                            "csrf_token": token})
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert "<title>Erreur\u00a0: Se connecter · Kuza</title>" in html
    assert "L’adresse e-mail ou le mot de passe est incorrect." in html
    assert "Il y a un problème" in html


def test_the_progress_page_in_french(client, db_session):
    user = make_user()
    course = make_course()
    catalog_services.enroll(user, course)
    db_session.commit()
    sign_in(client, user)
    choose_french(client, "/my-learning")
    learning = client.get("/my-learning").get_data(as_text=True)
    assert "Progression\u00a0: 0\u202f%" in learning
    progress = client.get(f"/courses/{course.slug}/progress").get_data(as_text=True)
    assert f'<h1>Ma progression\u00a0: <span lang="en">Course {course.slug}</span></h1>' in progress
    assert "Leçons terminées\u00a0: 0 sur 2 (0\u202f%)" in progress


def test_error_pages_in_french(client):
    choose_french(client)
    refused = client.post("/sign-out", data={})  # no CSRF token
    html = refused.get_data(as_text=True)
    assert refused.status_code == 400
    assert "<title>Erreur 400 · Kuza</title>" in html
    assert "Votre demande n’a pas pu être traitée" in html
    assert "Le formulaire n’est peut-être plus à jour." in html
    assert "The CSRF token is missing." not in html  # Flask-WTF's English explanation stays out
    assert "Page introuvable" in client.get("/no-such-page").get_data(as_text=True)
