"""The catalogue by language: each course's language named in the reader's, a filter of plain links with
counts, every card and course page linking to the course's other-language versions; on the flagship course."""
from __future__ import annotations

import lxml.html
import pytest

from lms.catalog import services as catalog
from lms.courseware.packages import import_package
from lms.extensions import db
from tests.environment import REPO, SAMPLE_COURSE
from tests.factories import make_course, make_user, sign_in

ENGLISH = SAMPLE_COURSE.name
FRENCH = f"{ENGLISH}-fr"
ENGLISH_TITLE = "Transferring and adapting innovative practices in public service delivery"
FRENCH_TITLE = "Transférer et adapter des pratiques innovantes de prestation de services publics"


@pytest.fixture
def flagship(db_session):
    """The flagship course in English and in French, and a third course in English only."""
    for package in (SAMPLE_COURSE, REPO / "courses" / FRENCH):
        import_package(package)
    make_course("open-data")
    db.session.flush()


def page_of(client, path: str, language: str = "en"):
    response = client.get(path, headers={"Accept-Language": language})
    assert response.status_code == 200, path
    return lxml.html.fromstring(response.get_data(as_text=True))


def filter_links(page) -> list[tuple[str, str, bool]]:
    """The language filter's links: address, text, and whether it is the one chosen."""
    return [(link.get("href"), link.text_content(), link.get("aria-current") == "page")
            for link in page.xpath("//nav[@class='language-filter']//a")]


def cards(page) -> list[str]:
    return [heading.text_content() for heading in page.xpath("//li[@class='course-card']//h2")]


def test_the_filter_offers_every_language_with_its_number_of_courses(client, flagship):
    page = page_of(client, "/")
    assert filter_links(page) == [("/", "All languages (3)", True), ("/?language=en", "English (2)", False),
                                  ("/?language=fr", "French (1)", False)]
    assert [link.get("hreflang") for link in page.xpath("//nav[@class='language-filter']//a")] == [None, "en", "fr"]
    # Each language version is a course of its own, so each has its card.
    assert sorted(cards(page)) == sorted([ENGLISH_TITLE, FRENCH_TITLE, "Course open-data"])


@pytest.mark.parametrize(("language", "shown"), [
    ("fr", [FRENCH_TITLE]),
    ("en", ["Course open-data", ENGLISH_TITLE]),
    ("sw", None),  # no course is in Swahili: the whole catalogue, rather than an empty page
    ("", None),
])
def test_a_language_link_narrows_the_catalogue_to_that_language(client, flagship, language, shown):
    page = page_of(client, f"/?language={language}")
    if shown is None:
        assert len(cards(page)) == 3 and filter_links(page)[0][2]
    else:
        assert sorted(cards(page)) == sorted(shown)
        assert [text for _, text, chosen in filter_links(page) if chosen][0].startswith(
            {"fr": "French", "en": "English"}[language])


def test_languages_are_named_in_the_readers_language(client, flagship):
    page = page_of(client, "/", "fr")
    assert [text for _, text, _ in filter_links(page)] == ["Toutes les langues (3)", "Anglais (2)", "Français (1)"]
    facts = page.xpath(f"//li[@class='course-card'][.//h2/a[@href='/courses/{FRENCH}/']]//ul[@class='meta']/li")
    assert facts[0].text_content() == "En français"
    arabic = page_of(client, "/", "ar")
    assert [text for _, text, _ in filter_links(arabic)][1:] == ["الإنجليزية (2)", "الفرنسية (1)"]


def test_the_readers_language_comes_first(client, flagship):
    assert cards(page_of(client, "/", "fr"))[0] == FRENCH_TITLE
    assert cards(page_of(client, "/", "en"))[:2] == ["Course open-data", ENGLISH_TITLE]
    # Nobody reads Portuguese here: the courses stay in their order.
    assert cards(page_of(client, "/", "pt")) == ["Course open-data", ENGLISH_TITLE, FRENCH_TITLE]


def also_in(element) -> list[tuple[str, str, str, str]]:
    """Each link to another language version: address, hreflang, lang, and the name it shows."""
    return [(link.get("href"), link.get("hreflang"), link.get("lang"), link.text)
            for link in element.xpath(".//p[@class='also-in']/a")]


def test_each_card_links_to_the_course_in_its_other_languages(client, flagship):
    page = page_of(client, "/")
    by_slug = {card.xpath(".//h2/a/@href")[0]: card for card in page.xpath("//li[@class='course-card']")}
    assert also_in(by_slug[f"/courses/{ENGLISH}/"]) == [(f"/courses/{FRENCH}/", "fr", "fr", "Français")]
    assert also_in(by_slug[f"/courses/{FRENCH}/"]) == [(f"/courses/{ENGLISH}/", "en", "en", "English")]
    assert also_in(by_slug["/courses/open-data/"]) == []
    # Out of context, the link still says which course it leads to.
    link = by_slug[f"/courses/{ENGLISH}/"].xpath(".//p[@class='also-in']/a")[0]
    assert link.text_content() == f"Français: {FRENCH_TITLE}"


def test_the_course_page_links_to_its_other_language_versions(client, flagship):
    page = page_of(client, f"/courses/{ENGLISH}/")
    (intro,) = page.xpath("//div[@class='course-intro']")
    assert also_in(intro) == [(f"/courses/{FRENCH}/", "fr", "fr", "Français")]
    assert intro.xpath(".//p[@class='also-in']")[0].text.strip() == "Also in:"
    alternates = page.xpath("//head/link[@rel='alternate']")
    assert [(link.get("hreflang"), link.get("href")) for link in alternates] == [
        ("fr", f"http://localhost/courses/{FRENCH}/")]
    french = page_of(client, f"/courses/{FRENCH}/", "fr")
    assert also_in(french) == [(f"/courses/{ENGLISH}/", "en", "en", "English")]
    assert french.xpath("//p[@class='also-in']")[0].text.strip() == "Existe aussi en\u00a0:"
    assert not page_of(client, "/courses/open-data/").xpath("//p[@class='also-in']")


def test_a_catalogue_in_one_language_has_no_language_filter(client, db_session):
    make_course("open-data")
    make_course("budgets")
    page = page_of(client, "/")
    assert not page.xpath("//nav[@class='language-filter']") and len(cards(page)) == 2


def test_an_enrolled_learner_sees_progress_on_the_filtered_card(client, flagship):
    learner = make_user()
    catalog.enroll(learner, catalog.get_course(FRENCH))
    db.session.flush()
    sign_in(client, learner)
    page = page_of(client, "/?language=fr")
    (card,) = page.xpath("//li[@class='course-card']")
    assert card.xpath(".//progress/@value") == ["0"]
    assert card.xpath(".//p[@class='actions']/a/@href") == [f"/courses/{FRENCH}/resume"]
