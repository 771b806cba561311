"""Practice library services: the case studies of published courses, their facets, filters and search.

Cases are read from each published version's block tree through the case study block's own
``case_facts`` (a pure function of the stored fields), never by rendering a block. Versions
never change, so each version's cases are worked out once per process.

A course's language versions hold the same cases under the same block ids, so a case of the
English course and the same block of its French version are one case in two languages: the
library shows it once, in the reader's language where it has it, unless asked for every
language or for one.
"""
from __future__ import annotations

import threading
import unicodedata
from collections import Counter, OrderedDict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

from kuza_xblocks.case_study.countries import country_name
from kuza_xblocks.case_study.facts import case_facts
from kuza_xblocks.case_study.vocabulary import LEVELS, REGIONS, SDGS

from lms.catalog import services as catalog
from lms.catalog.models import Course
from lms.courseware import services as courseware
from lms.courseware.runtime import block_catalogue

CASE_BLOCK = "kuza_case_study"
# The language filter's value for every language version of every case; no value means each case once.
EVERY_LANGUAGE = "all"


class CaseNotFound(LookupError):
    """No case study of that id in that course's published version."""


@dataclass(frozen=True)
class Case:
    """One case study where it lives: its course, the unit that holds it, and its facts."""

    course_slug: str
    course_title: str
    language: str
    usage_id: str
    unit_id: str | None
    unit_title: str
    facts: Mapping

    @property
    def title(self) -> str:
        return self.facts["title"]

    @property
    def key(self) -> tuple[str, str]:
        return (self.course_slug, self.usage_id)

    def words(self) -> str:
        """What a search looks in: the case's title, institution, country (by its English name
        and code), award, category, summary and course, folded for comparison."""
        parts = [self.title, self.facts["institution"], self.facts["country"], country_name(self.facts["country"], "en"),
                 self.facts["award"], self.facts["category"], self.facts["summary"], self.course_title]
        return fold(" ".join(part for part in parts if part))


def fold(text: str) -> str:
    """Text as a search compares it: case and accents ignored ("Sénégal" finds "senegal")."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


@dataclass(frozen=True)
class Filters:
    """What a reader asked the library for; an empty value does not filter."""

    q: str = ""
    country: str = ""
    region: str = ""
    category: str = ""
    level: str = ""
    sdg: int | None = None
    language: str = ""

    @classmethod
    def from_query(cls, args: Mapping[str, str]) -> Filters:
        """From a page's query string. Values that cannot be a filter (a goal that is not a
        number from 1 to 17) are dropped, so a hand-edited link still shows a library."""
        sdg = args.get("sdg", "").strip()
        return cls(
            q=" ".join(args.get("q", "").split())[:200],
            country=args.get("country", "").strip().upper()[:3],
            region=args.get("region", "").strip()[:40],
            category=args.get("category", "").strip()[:300],
            level=args.get("level", "").strip()[:40],
            sdg=int(sdg) if sdg.isdigit() and 1 <= int(sdg) <= 17 else None,
            language=args.get("language", "").strip()[:12],
        )

    def active(self) -> bool:
        return any((self.q, self.country, self.region, self.category, self.level, self.sdg, self.language))

    def admits(self, case: Case) -> bool:
        """Whether the case passes every filter but the language, which chooses among versions (in_language)."""
        facts = case.facts
        return ((not self.country or facts["country"] == self.country)
                and (not self.region or facts["region"] == self.region)
                and (not self.category or facts["category"] == self.category)
                and (not self.level or facts["level"] == self.level)
                and (self.sdg is None or self.sdg in facts["sdgs"])
                and all(word in case.words() for word in fold(self.q).split()))


@dataclass(frozen=True)
class Facets:
    """The values the library's cases take, each with its number of cases, for the filters."""

    countries: Counter = field(default_factory=Counter)
    regions: Counter = field(default_factory=Counter)
    categories: Counter = field(default_factory=Counter)
    levels: Counter = field(default_factory=Counter)
    sdgs: Counter = field(default_factory=Counter)
    languages: Counter = field(default_factory=Counter)


def facets(cases: Iterable[Case]) -> Facets:
    found = Facets()
    for case in cases:
        facts = case.facts
        for counter, value in ((found.countries, facts["country"]), (found.regions, facts["region"]),
                               (found.categories, facts["category"]), (found.levels, facts["level"]),
                               (found.languages, case.language)):
            if value:
                counter[value] += 1
        found.sdgs.update(facts["sdgs"])
    return found


def vocabulary(locale: str) -> dict[str, dict]:
    """The names of regions, levels of government and goals in the reader's language, from the
    case study block's own vocabulary and catalogue (they are the block's words)."""
    translate = block_catalogue("kuza_xblocks", locale).gettext
    return {"regions": {code: translate(name) for code, name in REGIONS.items()},
            "levels": {code: translate(name) for code, name in LEVELS.items()},
            "sdgs": {number: translate(name) for number, name in SDGS.items()}}


@dataclass(frozen=True)
class Results:
    """What the library shows for some filters."""

    cases: list[Case]
    # The values the cases take in the chosen language (each case once, by default), so a value's
    # count is what choosing it alone shows; languages count every version of every case.
    facets: Facets
    # How many cases there are once each, and how many versions in every language.
    distinct: int
    every: int
    # Each case's versions in other languages, by Case.key.
    translations: dict[tuple[str, str], list[Case]]


def search(filters: Filters, preferred: tuple[str, ...] = ()) -> Results:
    """The cases the filters admit. Without a language filter each case comes once, in the first of
    the ``preferred`` languages (the reader's, then the site's) that it has."""
    shelf = _shelf()
    chosen = in_language(shelf, filters.language, preferred)
    languages = Counter(case.language for case in shelf.cases)
    return Results(cases=[case for case in chosen if filters.admits(case)],
                   facets=replace(facets(chosen), languages=languages), distinct=len(shelf.versions),
                   every=len(shelf.cases), translations=shelf.translations())


def versions_of(case: Case) -> list[Case]:
    """The case in the other languages its course is published in."""
    return _shelf().translations()[case.key]


@dataclass(frozen=True)
class Shelf:
    """Every case of the published courses, course by course in reading order, and each case's versions together."""

    cases: list[Case]
    # Each group of versions of one case, by (course family, block id), in reading order.
    versions: dict[tuple[str, str], list[Case]]

    def translations(self) -> dict[tuple[str, str], list[Case]]:
        return {case.key: sorted((other for other in group if other is not case), key=lambda other: other.language)
                for group in self.versions.values() for case in group}


def _shelf() -> Shelf:
    courses = catalog.published_courses()
    family = catalog.translation_families(courses)
    cases = [case for course in courses for case in _cases_of(course)]
    versions: dict[tuple[str, str], list[Case]] = {}
    for case in cases:
        versions.setdefault((family[case.course_slug], case.usage_id), []).append(case)
    return Shelf(cases=cases, versions=versions)


def in_language(shelf: Shelf, language: str, preferred: tuple[str, ...]) -> list[Case]:
    """The versions a language filter chooses: those in ``language``, every one for EVERY_LANGUAGE, or,
    with no language, one of each case: in the first preferred language it has, else its first version."""
    if language == EVERY_LANGUAGE:
        return shelf.cases
    if language:
        return [case for case in shelf.cases if case.language == language]

    def rank(case: Case) -> int:
        return next((index for index, code in enumerate(preferred) if catalog.same_language(case.language, code)),
                    len(preferred))

    # min() keeps the first of equal rank: the version met first in reading order.
    chosen = {id(min(group, key=rank)) for group in shelf.versions.values()}
    return [case for case in shelf.cases if id(case) in chosen]


def find_case(slug: str, usage_id: str) -> tuple[Course, Case]:
    """A case of a published course, by the course's slug and the block's id."""
    course = catalog.get_course(slug)
    for case in _cases_of(course):
        if case.usage_id == usage_id:
            return course, case
    raise CaseNotFound(usage_id)


# Published versions never change, so their cases are kept, keyed by version id and publication
# time, as courseware keeps their trees; the oldest are let go past VERSIONS_KEPT.
VERSIONS_KEPT = 512
_kept: OrderedDict[tuple, tuple[Case, ...]] = OrderedDict()
_keeping = threading.Lock()


def _cases_of(course: Course) -> tuple[Case, ...]:
    version = course.published_version
    key = (version.id, version.published_at)
    with _keeping:
        if key in _kept:
            _kept.move_to_end(key)
            return _kept[key]
    tree = courseware.load_tree(version)
    cases = tuple(
        Case(course_slug=course.slug, course_title=version.title, language=version.language, usage_id=usage_id,
             unit_id=(unit := courseware.unit_of(tree, usage_id)), unit_title=tree.nodes[unit].title if unit else "",
             facts=case_facts(tree.nodes[usage_id].fields))
        for usage_id in tree.leaves if tree.nodes[usage_id].block_type == CASE_BLOCK
    )
    with _keeping:
        _kept[key] = cases
        while len(_kept) > VERSIONS_KEPT:
            _kept.popitem(last=False)
    return cases
