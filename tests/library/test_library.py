"""The practice library: every case study of the published courses, its filters, its search, and a case page for anyone."""
from __future__ import annotations

import re

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
    """Two published English courses and a French one, with six cases in all, and an unpublished
    course whose case must not show."""
    make_course("innovation", units={
        "one-stop-shops": [("kuza_markdown", {"display_name": "Intro", "markdown": "Read on."}),
                           case("Citizen service halls", "SN", "african", "local", [3, 5], INCLUSIVE,
                                institution="Ville de Dakar")],
        "land-records": [case("Land records online", "BD", "asia_pacific", "national", [16], ACCOUNTABLE,
                              institution="Ministry of Land")],
        "gender-desks": [case("One-stop centre for survivors", "RW", "african", "national", [5, 16], GENDER,
                              institution="Rwanda National Police")],
    })
    make_course("cities", units={
        "peace-centres": [case("Community peace centres", "BR", "latin_american_caribbean", "local", [11], INCLUSIVE,
                               institution="Prefeitura do Recife")],
        "open-participation": [case("Open-source participation", "ES", "western_european_others", "local",
                                    [16, 17], ACCOUNTABLE, institution="Ayuntamiento de Madrid")],
    })
    french = make_course("innovation-fr", units={
        "guichets": [case("Maisons du citoyen", "SEN", "african", "local", [3, 5], INCLUSIVE,
                          institution="Ville de Dakar", innovation="Un guichet unique au Sénégal.")],
    })
    french.published_version.language = "fr"
    hidden = make_course("draft", units={
        "secret": [case("Not yet published", "KE", "african", "national", [9], INCLUSIVE)]})
    hidden.published_version = None
    db.session.commit()


def titles(filters: dict) -> set[str]:
    found, _ = library.search(library.Filters.from_query(filters))
    return {case.title for case in found}


def test_the_library_lists_every_case_of_every_published_course(cases_library):
    assert titles({}) == {"Citizen service halls", "Land records online", "One-stop centre for survivors",
                          "Community peace centres", "Open-source participation", "Maisons du citoyen"}


@pytest.mark.parametrize(("filters", "expected"), [
    ({"country": "SN"}, {"Citizen service halls", "Maisons du citoyen"}),
    ({"country": "bd"}, {"Land records online"}),
    ({"region": "african"}, {"Citizen service halls", "One-stop centre for survivors", "Maisons du citoyen"}),
    ({"category": ACCOUNTABLE}, {"Land records online", "Open-source participation"}),
    ({"level": "national"}, {"Land records online", "One-stop centre for survivors"}),
    ({"sdg": "16"}, {"Land records online", "One-stop centre for survivors", "Open-source participation"}),
    ({"language": "fr"}, {"Maisons du citoyen"}),
    ({"region": "african", "level": "local"}, {"Citizen service halls", "Maisons du citoyen"}),
    ({"sdg": "5", "language": "en"}, {"Citizen service halls", "One-stop centre for survivors"}),
    ({"category": GENDER, "country": "BD"}, set()),
])
def test_each_filter_narrows_the_library(cases_library, filters, expected):
    assert titles(filters) == expected


@pytest.mark.parametrize(("query", "expected"), [
    ("land", {"Land records online"}),
    ("DAKAR", {"Citizen service halls", "Maisons du citoyen"}),
    ("senegal", {"Citizen service halls", "Maisons du citoyen"}),  # the country's name, accents ignored
    ("sénégal guichet", {"Maisons du citoyen"}),  # every word must be found
    ("brazil", {"Community peace centres"}),
    ("madrid participation", {"Open-source participation"}),
    ("nothing like this", set()),
])
def test_the_search_looks_in_titles_institutions_countries_and_summaries(cases_library, query, expected):
    assert titles({"q": query}) == expected


def test_values_that_cannot_be_filters_are_ignored(cases_library):
    assert len(titles({"sdg": "99"})) == len(titles({"sdg": "x"})) == 6


def test_facets_count_the_whole_library(cases_library):
    _, facets = library.search(library.Filters())
    assert facets.countries == {"SN": 2, "BD": 1, "RW": 1, "BR": 1, "ES": 1}
    assert facets.regions["african"] == 3 and facets.sdgs[16] == 3 and facets.languages == {"en": 5, "fr": 1}


def test_the_page_filters_with_a_plain_get_form(client, cases_library):
    page = client.get("/library?region=african&level=national").get_data(as_text=True)
    assert re.search(r'<form method="get" action="/library"', page)
    assert "One-stop centre for survivors" in page and "Citizen service halls" not in page
    assert '<option value="african" selected>' in page
    # Each entry links to its case page.
    assert 'href="/library/innovation/gender-desks-0"' in page


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
