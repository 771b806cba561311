"""The server's message catalogues: every marked text translated into every offered language, compiled, and shown."""
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
from markupsafe import escape

from lms.catalog import services as catalog_services
from lms.config import Config
from lms.i18n import text_direction
from lms.templating import LANGUAGE_NAMES
from tests.factories import csrf_token_from, make_course, make_user, sign_in

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "lms" / "translations"
TEMPLATE_POT = TRANSLATIONS / "messages.pot"
# English is the msgids themselves; every other offered language needs a full catalogue.
TRANSLATED = tuple(locale for locale in Config.KUZA_LOCALES if locale != Config.BABEL_DEFAULT_LOCALE)
# The gettext plural rule each catalogue must declare. Portuguese is the European and African
# rule (0 is plural), not Brazil's n > 1; Arabic has six forms.
PLURAL_FORMS = {
    "fr": "nplurals=2; plural=(n > 1);",
    "pt": "nplurals=2; plural=(n != 1);",
    "ar": "nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5);",
}
# The plural form each rule picks for a few counts, as gettext evaluates the compiled rule.
PLURAL_SAMPLES = {
    "fr": {0: 0, 1: 0, 2: 1, 11: 1, 100: 1},
    "pt": {0: 1, 1: 0, 2: 1, 11: 1, 100: 1},
    "ar": {0: 0, 1: 1, 2: 2, 3: 3, 10: 3, 11: 4, 99: 4, 100: 5, 102: 5, 103: 3, 111: 4, 1000: 5},
}
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


def po_path(locale: str) -> Path:
    return TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po"


def read_catalog(path: Path, locale: str | None = None) -> Catalog:
    with open(path, "rb") as handle:
        return read_po(handle, locale=locale)


@cache
def catalogue(locale: str) -> Catalog:
    return read_catalog(po_path(locale), locale)


def french() -> Catalog:
    return catalogue("fr")


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


def test_every_offered_language_but_english_has_a_catalogue():
    assert {"fr", "pt", "ar"} <= set(TRANSLATED)
    on_disk = {path.parent.parent.name for path in TRANSLATIONS.glob("*/LC_MESSAGES/messages.po")}
    assert on_disk == set(TRANSLATED), "a catalogue for a language KUZA_LOCALES does not offer, or the reverse"
    for locale in Config.KUZA_LOCALES:
        assert locale in LANGUAGE_NAMES, f"the language menu has no name for {locale!r}"


@pytest.mark.parametrize("locale", TRANSLATED)
def test_every_marked_text_is_translated(locale):
    catalog = catalogue(locale)
    assert str(catalog.locale) == locale and dict(catalog.mime_headers).get("Language") == locale
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
        f"The {locale} catalogue is behind the sources; see the commands at the top of the .po:\n" + "\n".join(problems)
    )


def test_the_template_lists_exactly_the_marked_texts():
    in_template = {msgid(m.id) for m in read_catalog(TEMPLATE_POT) if m.id}
    in_sources = {msgid(m) for m in extracted()}
    assert in_template == in_sources, (
        f"messages.pot is stale: new {sorted(in_sources - in_template)}, gone {sorted(in_template - in_sources)}"
    )


@pytest.mark.parametrize("locale", TRANSLATED)
def test_each_catalogue_declares_its_language_plural_rule(locale):
    assert locale in PLURAL_FORMS, f"add the gettext plural rule for {locale!r} to PLURAL_FORMS"
    assert catalogue(locale).plural_forms == PLURAL_FORMS[locale]


def test_the_makefile_extracts_what_babel_cfg_marks():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    command = next(line for line in makefile.splitlines() if "pybabel extract" in line)
    directory = ROOT / shlex.split(command)[-1]
    assert set(extracted(directory)) == set(extracted())


# The catalogues themselves.

@pytest.mark.parametrize("locale", TRANSLATED)
def test_the_compiled_catalogue_matches_the_po(locale):
    # Compared message by message rather than byte by byte: the bytes carry Babel's version.
    mo = po_path(locale).with_suffix(".mo")
    assert mo.exists(), f"no {mo.relative_to(ROOT)}: run `pybabel compile -d lms/translations`"
    with open(mo, "rb") as handle:
        compiled_catalog = read_mo(handle)
    # Plural entries have a tuple of ids and of strings; lists would not do as keys.
    def entries(messages):
        return {
            tuple(m.id) if isinstance(m.id, (list, tuple)) else m.id:
            tuple(m.string) if isinstance(m.string, (list, tuple)) else m.string
            for m in messages if m.id and not m.fuzzy
        }

    compiled = entries(compiled_catalog)
    source = entries(catalogue(locale))
    assert compiled == source, f"{locale}/LC_MESSAGES/messages.mo is stale: run `pybabel compile -d lms/translations`"
    assert dict(compiled_catalog.mime_headers).get("Plural-Forms") == catalogue(locale).plural_forms
    # And gettext reads it as the app will, plural rule included.
    with open(mo, "rb") as handle:
        translations = Translations(handle)
    assert translations.gettext("Courses") == catalogue(locale)["Courses"].string != "Courses"
    assert {n: translations.plural(n) for n in PLURAL_SAMPLES[locale]} == PLURAL_SAMPLES[locale]


@pytest.mark.parametrize("locale", TRANSLATED)
def test_translations_keep_the_placeholders_of_the_english(locale):
    problems = []
    for entry in catalogue(locale):
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
            if text != text.strip() or "  " in text:
                problems.append(f"{entry.id!r}: {text!r} has stray spaces")
    assert not problems, "\n".join(problems)


def test_arabic_uses_arabic_punctuation():
    # Latin , ; ? read wrongly in Arabic text; the full stop, colon and ! are shared.
    problems = [f"{entry.id!r}: {text!r}" for entry in catalogue("ar") if entry.id
                for text in translated_strings(entry) if any(mark in text for mark in ",;?")]
    assert not problems, "use ، ؛ ؟ in Arabic:\n" + "\n".join(problems)


def test_portuguese_is_the_european_and_african_variant():
    # Brazilian words that readers in Mozambique, Angola, Guinea-Bissau and Timor-Leste do not use.
    brazilian = re.compile(r"\b(senha|usuário|arquivo|tela|registrar|cadastr\w*|você|pular|baixar)\b", re.IGNORECASE)
    problems = [f"{entry.id!r}: {text!r}" for entry in catalogue("pt") if entry.id
                for text in translated_strings(entry) if brazilian.search(text)]
    assert not problems, "Brazilian wording in the pt catalogue:\n" + "\n".join(problems)


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
        assert gettext("Lesson %(position)s of %(total)s", position=2, total=5) == "Leçon 2 sur 5"
        assert ngettext("%(num)s unit", "%(num)s units", 1) == "1 unit"  # untranslated texts fall back to English


@pytest.mark.parametrize(("accept", "served"), [
    ("pt-MZ,pt;q=0.9", "pt"), ("pt-AO", "pt"), ("pt-BR", "pt"), ("ar-SD,ar;q=0.9,en;q=0.5", "ar"), ("ar", "ar"),
])
def test_browsers_get_their_regional_language(app, accept, served):
    with app.test_request_context(headers={"Accept-Language": accept}):
        from flask_babel import get_locale, gettext

        assert str(get_locale()) == served
        assert gettext("Sign in") == catalogue(served)["Sign in"].string


def test_the_arabic_plural_forms_reach_the_app(app):
    with app.test_request_context(headers={"Accept-Language": "ar"}):
        from flask_babel import get_translations

        assert [get_translations().plural(n) for n in (0, 1, 2, 7, 42, 300)] == [0, 1, 2, 3, 4, 5]


def choose_language(client, locale: str, next_page: str = "/sign-in") -> None:
    token = csrf_token_from(client.get(next_page).get_data(as_text=True))
    response = client.post("/language", data={"locale": locale, "next": next_page, "csrf_token": token})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]


def choose_french(client, next_page: str = "/sign-in") -> None:
    choose_language(client, "fr", next_page)


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


def signed_in_learner_of_a_course(client, db_session):
    """Sign the client in as a new learner enrolled in a new two-lesson course; the course."""
    user = make_user()
    course = make_course()
    catalog_services.enroll(user, course)
    db_session.commit()
    sign_in(client, user)
    return course


def test_the_progress_page_in_french(client, db_session):
    course = signed_in_learner_of_a_course(client, db_session)
    choose_french(client, "/my-learning")
    learning = client.get("/my-learning").get_data(as_text=True)
    assert 'Progression\u00a0: <bdi class="figure">0\u202f%</bdi>' in learning
    progress = client.get(f"/courses/{course.slug}/progress").get_data(as_text=True)
    assert f'<h1>Ma progression\u00a0: <span lang="en" dir="auto">Course {course.slug}</span></h1>' in progress
    # Each number isolated, the percentage with its sign, so a right-to-left page keeps their order.
    assert ('Leçons terminées\u00a0: <bdi class="figure">0</bdi> sur <bdi class="figure">2</bdi> '
            '(<bdi class="figure">0\u202f%</bdi>)') in progress


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


# Portuguese and Arabic pages.

SIGN_IN_TEXTS = ("Skip to content", "Courses", "Register", "Email address", "Password",
                 "Keep me signed in on this device", "Leave this unticked on a shared or public computer.",
                 "New to Kuza?", "Create an account", "Language", "Menu")


@pytest.mark.parametrize("locale", TRANSLATED)
def test_the_sign_in_page_has_no_english_left(client, locale):
    choose_language(client, locale)
    html = client.get("/sign-in").get_data(as_text=True)
    assert f'<html lang="{locale}" dir="{text_direction(locale)}">' in html
    sign_in_text = catalogue(locale)["Sign in"].string
    assert f"<title>{sign_in_text} · Kuza</title>" in html and f"<h1>{sign_in_text}</h1>" in html
    for text in SIGN_IN_TEXTS:
        assert escape(catalogue(locale)[text].string) in html, text
    for english in (">Courses<", ">Sign in<", ">Register<", "Password", "Skip to content", "New to Kuza"):
        assert english not in html, english


def test_the_sign_in_page_in_portuguese(client):
    choose_language(client, "pt")
    html = client.get("/sign-in").get_data(as_text=True)
    assert '<html lang="pt" dir="ltr">' in html
    assert "<title>Iniciar sessão · Kuza</title>" in html
    for text in ("Saltar para o conteúdo", ">Cursos</a>", ">Criar conta</a>", "Endereço de e-mail", "Palavra-passe",
                 "Manter a sessão iniciada neste dispositivo", "Primeira visita ao Kuza?", "Idioma"):
        assert text in html, text


def test_the_sign_in_page_in_arabic_is_right_to_left(client):
    choose_language(client, "ar")
    html = client.get("/sign-in").get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in html
    assert "<title>تسجيل الدخول · Kuza</title>" in html
    for text in ("الانتقال إلى المحتوى", ">الدورات</a>", ">إنشاء حساب</a>", "عنوان البريد الإلكتروني", "كلمة المرور",
                 "أول زيارة لك إلى Kuza؟", "اللغة"):
        assert text in html, text
    # A Latin address typed into the Arabic form takes its own direction.
    assert re.search(r'<input[^>]*dir="auto"[^>]*id="email"|<input[^>]*id="email"[^>]*dir="auto"', html)
    # The language menu names each language in itself.
    assert '<button type="submit" name="locale" value="pt" lang="pt">Português</button>' in html
    assert '<button type="submit" name="locale" value="ar" lang="ar" aria-current="true">العربية</button>' in html


def test_errors_in_arabic(client, db_session):
    choose_language(client, "ar")
    token = csrf_token_from(client.get("/sign-in").get_data(as_text=True))
    refused = client.post("/sign-in", data={"email": "nobody@example.org", "password": "wrong password",
                                            "csrf_token": token})
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert "<title>خطأ: تسجيل الدخول · Kuza</title>" in html
    assert "عنوان البريد الإلكتروني أو كلمة المرور غير صحيحة." in html
    assert "الصفحة غير موجودة" in client.get("/no-such-page").get_data(as_text=True)


def test_a_unit_in_arabic_mirrors_the_interface_but_not_the_english_course(client, db_session):
    course = signed_in_learner_of_a_course(client, db_session)
    choose_language(client, "ar", "/my-learning")
    html = client.get(f"/courses/{course.slug}/learn/unit-one").get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in html
    # The course is English: it keeps its language and reads left to right inside the Arabic page.
    assert '<article class="unit" lang="en" dir="auto">' in html
    assert "<bdi>Chapter one</bdi>" in html
    # Lesson navigation in Arabic, the numbers isolated; its arrows are decoration, turned by the stylesheet in
    # RTL pages, and the next lesson's title is shown in the course's language.
    assert '<nav class="unit-nav" aria-label="الدروس">' in html
    assert '<p class="position">الدرس <bdi class="figure">1</bdi> من <bdi class="figure">2</bdi></p>' in html
    assert ('التالي<span class="visually-hidden">:</span>&nbsp;<span class="arrow" aria-hidden="true">→</span></span> '
            '<span class="target" lang="en" dir="auto">Unit Two</span>') in html
    # The course menu, a disclosure, in Arabic around the course's own titles.
    assert '<summary><span class="menu-label">قائمة الدورة</span>' in html
    assert re.search(r"\[dir=rtl\] \.arrow\{[^}]*transform:scaleX\(-1\)",
                     (ROOT / "lms" / "static" / "kuza.css").read_text(encoding="utf-8"))
    second = client.get(f"/courses/{course.slug}/learn/unit-two").get_data(as_text=True)
    assert '<span class="arrow" aria-hidden="true">←</span>&nbsp;السابق' in second
    assert '<span class="target">عرض تقدّمي</span>' in second


def test_progress_in_arabic_and_portuguese(client, db_session):
    course = signed_in_learner_of_a_course(client, db_session)
    choose_language(client, "ar", "/my-learning")
    learning = client.get("/my-learning").get_data(as_text=True)
    assert 'نسبة الإنجاز: <bdi class="figure">0%</bdi>' in learning
    assert f'<h2 lang="en" dir="auto"><a href="/courses/{course.slug}/">Course {course.slug}</a></h2>' in learning
    progress = client.get(f"/courses/{course.slug}/progress").get_data(as_text=True)
    assert f'<h1>تقدّمي: <span lang="en" dir="auto">Course {course.slug}</span></h1>' in progress
    # "(0%)" whole inside its isolate: without it the Arabic paragraph would show "(%0)".
    assert ('الدروس المكتملة: <bdi class="figure">0</bdi> من <bdi class="figure">2</bdi> '
            '(<bdi class="figure">0%</bdi>)') in progress
    choose_language(client, "pt", "/my-learning")
    learning = client.get("/my-learning").get_data(as_text=True)
    assert 'Progresso: <bdi class="figure">0 %</bdi>' in learning
    outline = client.get(f"/courses/{course.slug}/learn/").get_data(as_text=True)
    assert "Começar o curso" in outline and "Estrutura do curso" in outline
