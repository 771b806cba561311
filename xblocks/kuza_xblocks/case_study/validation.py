"""Checks of a case study's facts and sources, shared by the OLX reader and the Studio editor.

Each check is a pure function of the values; messages are sentences in English addressed
to the author, as the quiz's are, naming the attribute or element as it is written in OLX.
"""

import re
from collections.abc import Mapping
from urllib.parse import urlsplit

from kuza_xblocks.case_study import countries
from kuza_xblocks.case_study.vocabulary import FIRST_YEAR, LAST_YEAR, LEVELS, REGIONS, SDGS

_YEAR = re.compile(r"[0-9]{4}\Z")
# What a browser would drop or mangle inside a link; such an address is a typing mistake.
_URL_BREAKING = re.compile(r"[\s\x00-\x1f\x7f]")
URL_SCHEMES = ("http", "https")


def title_problem(title) -> str | None:
    if not isinstance(title, str) or not title.strip():
        return 'it has no title: give the case its title in display_name="..."'
    return None


def country_problem(code) -> str | None:
    if not isinstance(code, str) or not code.strip():
        return 'it has no country: give its ISO 3166-1 code, such as country="SN" or country="SEN"'
    if countries.find(code) is None:
        return (
            f'country "{code}" is not an ISO 3166-1 country code; write the two-letter (SN) or'
            " three-letter (SEN) code of the country"
        )
    return None


def region_problem(region) -> str | None:
    if region and region not in REGIONS:
        return f'region "{region}" is not a UN regional group; use one of {", ".join(REGIONS)}'
    return None


def level_problem(level) -> str | None:
    if level and level not in LEVELS:
        return f'level "{level}" is not a level of government; use one of {", ".join(LEVELS)}'
    return None


def parse_year(raw: str, what: str = "year") -> int:
    """Read ``raw``, an OLX year attribute named ``what``; raise ValueError naming the mistake."""
    text = raw.strip()
    if not _YEAR.match(text):
        raise ValueError(f'{what} "{raw}" is not a year: write it in four digits, such as {what}="2014"')
    year = int(text)
    problem = year_problem(year, what)
    if problem:
        raise ValueError(problem)
    return year


def year_problem(year, what: str = "year") -> str | None:
    """A year given as a number (None: not given)."""
    if year is None:
        return None
    if isinstance(year, bool) or not isinstance(year, int):
        return f"{what} must be a year in four digits, not {year!r}"
    if not FIRST_YEAR <= year <= LAST_YEAR:
        return f"{what} {year} is out of range: give a year from {FIRST_YEAR} to {LAST_YEAR}"
    return None


def award_year_problem(award_year, year) -> str | None:
    """An award cannot come before the practice it rewards."""
    if isinstance(award_year, int) and isinstance(year, int) and award_year < year:
        return f"the award's year {award_year} is before the case's year {year}"
    return None


def parse_sdgs(raw: str) -> list[int]:
    """Read ``raw``, the sdgs attribute (numbers separated by spaces); raise ValueError naming the mistake."""
    goals = []
    for word in raw.split():
        if not word.isascii() or not word.isdigit():
            raise ValueError(f'sdgs "{word}" is not a Sustainable Development Goal; the goals are numbered 1 to 17')
        goals.append(int(word))
    problem = sdgs_problem(goals)
    if problem:
        raise ValueError(problem)
    return goals


def sdgs_problem(goals) -> str | None:
    if not isinstance(goals, list):
        return "sdgs must be a list of goal numbers from 1 to 17"
    seen = set()
    for goal in goals:
        if isinstance(goal, bool) or not isinstance(goal, int) or goal not in SDGS:
            return f'sdgs "{goal}" is not a Sustainable Development Goal; the goals are numbered 1 to 17'
        if goal in seen:
            return f"sdgs lists {goal} twice"
        seen.add(goal)
    return None


def award_problem(name, category, award_year) -> str | None:
    """An award is named if it is given at all."""
    if ((category or "").strip() or award_year is not None) and not (name or "").strip():
        return '<award> has no name: name the award, such as name="UN Public Service Awards"'
    return None


def url_problem(url) -> str | None:
    if not isinstance(url, str) or not url.strip():
        return '<source> has no url: give the address where readers can check it, url="https://..."'
    if _URL_BREAKING.search(url.strip()):
        return f'<source> url "{url}" holds spaces or control characters; write the address without them'
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in URL_SCHEMES or not parts.hostname:
        return f'<source> url "{url}" is not a web address: use an http:// or https:// address'
    return None


def source_problem(source) -> str | None:
    """The first problem of one source, a dict with title, url and optionally publisher and year."""
    if not isinstance(source, Mapping):
        return "a source must be an object with title, publisher, year and url"
    unknown = sorted(set(source) - {"title", "publisher", "year", "url"})
    if unknown:
        return f'a source has an unknown key "{unknown[0]}"; a source has title, publisher, year and url'
    if not isinstance(source.get("title"), str) or not source["title"].strip():
        return '<source> has no title: give the title of the document or page, title="..."'
    if not isinstance(source.get("publisher", ""), str):
        return "a source's publisher must be text"
    return url_problem(source.get("url")) or year_problem(source.get("year"), "<source> year")


def sources_problem(sources) -> str | None:
    if not isinstance(sources, list) or not sources:
        return 'it has no sources: add <sources> with at least one <source title="..." url="..."/>'
    for number, source in enumerate(sources, start=1):
        problem = source_problem(source)
        if problem:
            return f"source {number}: {problem}"
    return None


def case_problems(values: Mapping) -> list[str]:
    """Every problem of a whole case, given its field values (the Studio editor's check)."""
    problems = [
        title_problem(values.get("display_name")),
        country_problem(values.get("country")),
        region_problem(values.get("region")),
        level_problem(values.get("level")),
        year_problem(values.get("year")),
        sdgs_problem(values.get("sdgs")),
        award_problem(values.get("award"), values.get("award_category"), values.get("award_year")),
        year_problem(values.get("award_year"), "<award> year"),
        award_year_problem(values.get("award_year"), values.get("year")),
        sources_problem(values.get("sources")),
    ]
    return [problem for problem in problems if problem]
