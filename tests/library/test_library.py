"""The practice library: every case study of the published courses, its filters, its search, and a case page for anyone."""
from __future__ import annotations

import re

import lxml.html
import pytest
from sqlalchemy import func, select

from lms.courseware.models import Completion, LearnerState
from lms.extensions import db
from lms.library import services as library
from tests.factories import make_course, make_user, sign_in

AWARDS = "UN Public Service Awards"
INCLUSIVE = "Delivering inclusive and equitable services"
ACCOUNTABLE = "Developing transparent and accountable public institutions"
GENDER = "Promoting gender-responsive public services"


def case(title: str, country: str, region: str, level: str, sdgs: list[int], category: str,
         institution: str = "", innovation: str = "") -> tuple[str, dict]:
    return ("kuza_case_study", {
        "display_name": title, "institution": institution, "country": country, "region": region, "level": level,
        "year": 2015, "sdgs": sdgs, "award": AWARDS, "award_category": category, "award_year": 2018,
        "innovation": innovation or f"{title} changed how people are served.",
        "sources": [{"title": f"About {title}", "publisher": "UN DESA", "year": 2018,
                     "url": "https://publicadministration.un.org/unpsa/"}],
    })


@pytest.fixture
def cases_library(db_session):
    """Two published English courses and the French version of one, with eight cases in all: two of
    them the same cases in French, one only in French; and an unpublished course whose case must not show.

    Read once each, the library holds six cases.
    """
    english = make_course("innovation", units={
        "one-stop-shops": [("kuza_markdown", {"display_name": "Intro", "markdown": "Read on."}),
                           case("Citizen service halls", "SN", "african", "local", [3, 5], INCLUSIVE,
                                institution="Ville de Dakar")],
        "land-records": [case("Land records online", "BD", "asia_pacific", "national", [16], ACCOUNTABLE,
                              institution="Ministry of Land")],
        "gender-desks": [case("One-stop centre for survivors", "RW", "african", "national", [5, 16], GENDER,
                              institution="Rwanda National Police")],
    })
    english.published_version.policy = {"translations": {"fr": "innovation-fr"}}
    make_course("cities", units={
        "peace-centres": [case("Community peace centres", "BR", "latin_american_caribbean", "local", [11], INCLUSIVE,
                               institution="Prefeitura do Recife")],
        "open-participation": [case("Open-source participation", "ES", "western_european_others", "local",
                                    [16, 17], ACCOUNTABLE, institution="Ayuntamiento de Madrid")],
    })
    # The French version keeps the English block ids, as a translated course package does.
    french = make_course("innovation-fr", units={
        "one-stop-shops": [("kuza_markdown", {"display_name": "Intro", "markdown": "Lisez la suite."}),
                           case("Maisons du citoyen", "SEN", "african", "local", [3, 5], INCLUSIVE,
                                institution="Ville de Dakar", innovation="Un guichet unique au Sénégal.")],
        "land-records": [case("Registres fonciers en ligne", "BD", "asia_pacific", "national", [16], ACCOUNTABLE,
                              institution="Ministère des Terres")],
        "rural-counters": [case("Guichets ruraux", "ML", "african", "local", [16], INCLUSIVE,
                                institution="Commune de Ségou")],
    })
    french.published_version.language = "fr"
    french.published_version.policy = {"translations": {"en": "innovation"}}
    hidden = make_course("draft", units={
        "secret": [case("Not yet published", "KE", "african", "national", [9], INCLUSIVE)]})
    hidden.published_version = None
    db.session.commit()


ENGLISH_FIRST = ("en",)
FRENCH_FIRST = ("fr", "en")
ONCE_IN_ENGLISH = {"Citizen service halls", "Land records online", "One-stop centre for survivors",
                   "Community peace centres", "Open-source participation", "Guichets ruraux"}


def titles(filters: dict, preferred: tuple[str, ...] = ENGLISH_FIRST) -> set[str]:
    found = library.search(library.Filters.from_query(filters), preferred).cases
    return {case.title for case in found}


def test_the_library_shows_each_case_of_every_published_course_once(cases_library):
    assert titles({}) == ONCE_IN_ENGLISH
    # In the reader's language where the case has it; a case only in French still shows.
    assert titles({}, FRENCH_FIRST) == {"Maisons du citoyen", "Registres fonciers en ligne",
                                        "One-stop centre for survivors", "Community peace centres",
                                        "Open-source participation", "Guichets ruraux"}
    # A reader whose language no course is in gets the site's default language.
    assert titles({}, ("ar", "en")) == ONCE_IN_ENGLISH


def test_every_language_shows_every_version_and_a_language_its_own(cases_library):
    assert titles({"language": "all"}) == ONCE_IN_ENGLISH | {"Maisons du citoyen", "Registres fonciers en ligne"}
    assert titles({"language": "fr"}) == {"Maisons du citoyen", "Registres fonciers en ligne", "Guichets ruraux"}
    assert titles({"language": "en"}, FRENCH_FIRST) == ONCE_IN_ENGLISH - {"Guichets ruraux"}
    assert titles({"language": "sw"}) == set()


@pytest.mark.parametrize(("filters", "expected"), [
    ({"country": "SN"}, {"Citizen service halls"}),
    ({"country": "SN", "language": "all"}, {"Citizen service halls", "Maisons du citoyen"}),
    ({"country": "bd"}, {"Land records online"}),
    ({"region": "african"}, {"Citizen service halls", "One-stop centre for survivors", "Guichets ruraux"}),
    ({"category": ACCOUNTABLE}, {"Land records online", "Open-source participation"}),
    ({"level": "national"}, {"Land records online", "One-stop centre for survivors"}),
    ({"sdg": "16"}, {"Land records online", "One-stop centre for survivors", "Open-source participation",
                     "Guichets ruraux"}),
    ({"region": "african", "level": "local"}, {"Citizen service halls", "Guichets ruraux"}),
    ({"region": "african", "language": "fr"}, {"Maisons du citoyen", "Guichets ruraux"}),
    ({"sdg": "5", "language": "en"}, {"Citizen service halls", "One-stop centre for survivors"}),
    ({"category": GENDER, "country": "BD"}, set()),
])
def test_each_filter_narrows_the_library(cases_library, filters, expected):
    assert titles(filters) == expected


@pytest.mark.parametrize(("query", "expected"), [
    ("land", {"Land records online"}),
    ("DAKAR", {"Citizen service halls"}),
    ("senegal", {"Citizen service halls"}),  # the country's name
    ("mali segou", {"Guichets ruraux"}),  # every word must be found, accents ignored
    ("brazil", {"Community peace centres"}),
    ("madrid participation", {"Open-source participation"}),
    ("nothing like this", set()),
])
def test_the_search_looks_in_titles_institutions_countries_and_summaries(cases_library, query, expected):
    assert titles({"q": query}) == expected


def test_the_search_looks_in_the_versions_shown(cases_library):
    # The French words are those of the French version, which an English reader sees when asking for it.
    assert titles({"q": "sénégal guichet"}) == set()
    assert titles({"q": "sénégal guichet"}, FRENCH_FIRST) == {"Maisons du citoyen"}
    assert titles({"q": "Dakar", "language": "all"}) == {"Citizen service halls", "Maisons du citoyen"}


def test_values_that_cannot_be_filters_are_ignored(cases_library):
    assert titles({"sdg": "99"}) == titles({"sdg": "x"}) == ONCE_IN_ENGLISH


def test_facets_count_the_library_in_the_chosen_language(cases_library):
    results = library.search(library.Filters(), ENGLISH_FIRST)
    assert results.facets.countries == {"SN": 1, "BD": 1, "RW": 1, "BR": 1, "ES": 1, "ML": 1}
    assert results.facets.regions["african"] == 3 and results.facets.sdgs[16] == 4
    # Languages count every version, whatever is chosen; once and in every language, the totals.
    assert results.facets.languages == {"en": 5, "fr": 3}
    assert (results.distinct, results.every) == (6, 8)
    every = library.search(library.Filters(language="all"), ENGLISH_FIRST)
    assert every.facets.countries["SN"] == every.facets.countries["BD"] == 2
    assert every.facets.languages == {"en": 5, "fr": 3}


def test_each_case_knows_its_versions_in_other_languages(cases_library):
    results = library.search(library.Filters(language="all"), ENGLISH_FIRST)
    versions = {case.title: [other.title for other in results.translations[case.key]] for case in results.cases}
    assert versions["Citizen service halls"] == ["Maisons du citoyen"]
    assert versions["Maisons du citoyen"] == ["Citizen service halls"]
    assert versions["Registres fonciers en ligne"] == ["Land records online"]
    assert versions["Guichets ruraux"] == versions["Community peace centres"] == []


def test_the_page_filters_with_a_plain_get_form(client, cases_library):
    page = client.get("/library?region=african&level=national").get_data(as_text=True)
    assert re.search(r'<form method="get" action="/library"', page)
    assert "One-stop centre for survivors" in page and "Citizen service halls" not in page
    assert '<option value="african" selected>' in page
    # Each entry links to its case page.
    assert 'href="/library/innovation/gender-desks-0"' in page


def page_of(client, path: str, language: str = "en"):
    response = client.get(path, headers={"Accept-Language": language})
    assert response.status_code == 200
    return lxml.html.fromstring(response.get_data(as_text=True))


def card_titles(page) -> list[str]:
    return [title.text_content() for title in page.xpath("//li[contains(@class, 'case-card')]/h3")]


def test_the_page_shows_each_case_once_in_the_readers_language(client, cases_library):
    english = page_of(client, "/library")
    assert set(card_titles(english)) == ONCE_IN_ENGLISH and len(card_titles(english)) == 6
    assert english.get_element_by_id("results").text_content() == "6 case studies"
    french = page_of(client, "/library", "fr")
    assert "Maisons du citoyen" in card_titles(french) and "Citizen service halls" not in card_titles(french)
    assert len(card_titles(french)) == 6


def test_the_language_filter_offers_each_case_once_every_language_or_one(client, cases_library):
    options = page_of(client, "/library").xpath("//select[@id='language']/option")
    assert [(option.get("value"), option.text_content()) for option in options] == [
        ("", "Each case once (6)"), ("all", "All languages (8)"), ("en", "English (5)"), ("fr", "French (3)")]
    # Each case once is the default: nothing else is chosen.
    assert not [option for option in options if option.get("selected") is not None]
    # Named in the reader's language.
    french = page_of(client, "/library?language=all", "fr").xpath("//select[@id='language']/option")
    assert [option.text_content() for option in french] == [
        "Chaque cas une seule fois (6)", "Toutes les langues (8)", "Anglais (5)", "Français (3)"]
    assert french[1].get("selected") is not None
    every = page_of(client, "/library?language=all")
    assert len(card_titles(every)) == 8 and every.get_element_by_id("results").text_content() == "8 case studies match"
    assert len(card_titles(page_of(client, "/library?language=fr"))) == 3


def test_a_card_links_to_the_case_in_its_other_languages(client, cases_library):
    page = page_of(client, "/library")
    card = page.xpath("//li[contains(@class, 'case-card')][h3/a[text()='Citizen service halls']]")[0]
    (link,) = card.xpath(".//p[@class='also-in']/a")
    assert link.get("href") == "/library/innovation-fr/one-stop-shops-1"
    assert (link.get("hreflang"), link.get("lang")) == ("fr", "fr")
    assert link.text == "Français"
    assert not page.xpath("//li[contains(@class, 'case-card')][h3/a[text()='Community peace centres']]"
                          "//p[@class='also-in']")


def test_a_library_without_translations_offers_no_choice_of_versions(client, db_session):
    make_course("innovation", units={"halls": [case("Citizen service halls", "SN", "african", "local", [3],
                                                    INCLUSIVE)]})
    options = page_of(client, "/library").xpath("//select[@id='language']/option")
    assert [(option.get("value"), option.text_content()) for option in options] == [
        ("", "All languages"), ("en", "English (1)")]


def test_a_case_page_links_to_its_versions_in_other_languages(client, cases_library):
    page = page_of(client, "/library/innovation-fr/one-stop-shops-1")
    (alternate,) = page.xpath("//head/link[@rel='alternate']")
    assert (alternate.get("hreflang"), alternate.get("href")) == (
        "en", "http://localhost/library/innovation/one-stop-shops-1")
    (link,) = page.xpath("//aside//p[@class='also-in']/a")
    assert (link.get("href"), link.get("hreflang"), link.get("lang"), link.text) == (
        "/library/innovation/one-stop-shops-1", "en", "en", "English")
    assert not page_of(client, "/library/innovation-fr/rural-counters-0").xpath("//p[@class='also-in']")


def test_the_page_names_countries_and_goals_in_the_readers_language(client, cases_library):
    page = client.get("/library", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert "Bangladesh" in page and "Brésil" in page
    assert "Égalité entre les sexes" in page or "Égalité entre les femmes et les hommes" in page


def test_a_case_page_shows_the_case_to_anyone_and_stores_nothing(client, cases_library):
    response = client.get("/library/innovation/land-records-0")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Land records online" in page and "Ministry of Land" in page
    assert 'href="https://publicadministration.un.org/unpsa/"' in page
    assert 'href="/courses/innovation/"' in page
    assert db.session.scalar(select(func.count()).select_from(LearnerState)) == 0
    assert db.session.scalar(select(func.count()).select_from(Completion)) == 0


def test_an_enrolled_learner_is_offered_the_unit(client, cases_library):
    from lms.catalog import services as catalog
    learner = make_user(email="reader@example.org")
    catalog.enroll(learner, catalog.get_course("innovation"))
    db.session.commit()
    sign_in(client, learner)
    page = client.get("/library/innovation/land-records-0").get_data(as_text=True)
    assert 'href="/courses/innovation/learn/land-records"' in page
    # Reading it here is not taking the lesson: the unit stays to be done.
    assert db.session.scalar(select(func.count()).select_from(Completion)) == 0


@pytest.mark.parametrize("path", ["/library/innovation/one-stop-shops-0", "/library/innovation/nowhere",
                                  "/library/draft/secret-0", "/library/no-such-course/x"])
def test_only_case_studies_of_published_courses_have_a_page(client, cases_library, path):
    assert client.get(path).status_code == 404
