"""Builds what the case study template shows: the header, the facts, the story rendered from Markdown, the sources.

Text fields go through kuza_markdown's renderer, so a case is sanitised exactly as a lesson
is; course text is marked dir="auto" by the template, labels follow the page's direction.
"""

from collections.abc import Callable, Mapping
from urllib.parse import urlsplit

from markupsafe import Markup

from kuza_xblocks.case_study import countries
from kuza_xblocks.case_study.vocabulary import LEVELS, REGIONS, SDGS, SECTIONS
from kuza_xblocks.markdown.rendering import LINK_REL, render_markdown


def reader_language(i18n) -> str:
    """The language of the block's catalogue that the host's i18n service reads, as a gettext locale.

    Hosts hand a block its own ``text`` catalogue (Kuza, Open edX, the tests), whose header
    names its language; Open edX without a catalogue falls back to Django's translation,
    which knows the active language. Anything else reads English.
    """
    try:
        language = i18n.info().get("language")
    except AttributeError:
        language = None
    if not language:
        get_language = getattr(i18n, "get_language", None)
        language = get_language() if callable(get_language) else None
    return (language or "en").replace("-", "_")


def context(values: Mapping, *, gettext: Callable[[str], str], language: str, id_prefix: str) -> dict:
    """The template context for the case whose field values are ``values``."""
    _ = gettext
    year = values.get("year")
    award = (values.get("award") or "").strip()
    return {
        "_": _,
        "id": id_prefix,
        # The reader's language as an HTML lang tag (pt_BR is pt-BR), for the block's own words.
        "lang": language.replace("_", "-"),
        "title": values.get("display_name") or "",
        "institution": (values.get("institution") or "").strip(),
        "country": countries.country_name(values.get("country") or "", language) if values.get("country") else "",
        "since": _("Since %(year)d") % {"year": year} if isinstance(year, int) else "",
        "award": {"name": award, "year": values.get("award_year")} if award else None,
        "facts": _facts(values, _),
        "sections": [
            {
                "id": f"{id_prefix}{name}",
                "heading": _(heading),
                # Markup: render_markdown's output is sanitised, so it is not escaped again.
                "html": Markup(  # noqa: S704
                    render_markdown(values[name], id_prefix=f"{id_prefix}{name}-", gettext=gettext)
                ),
            }
            for name, heading in SECTIONS.items()
            if (values.get(name) or "").strip()
        ],
        "sources": [_source(number, source) for number, source in enumerate(values.get("sources") or [], start=1)],
        "rel": LINK_REL,
    }


def _facts(values: Mapping, _) -> list[dict]:
    """The facts below the header, as (label, values) pairs; values are course text unless translated."""
    facts = []
    if values.get("region") in REGIONS:
        facts.append({"label": _("Region"), "values": [_(REGIONS[values["region"]])], "course_text": False})
    if values.get("level") in LEVELS:
        facts.append({"label": _("Level of government"), "values": [_(LEVELS[values["level"]])], "course_text": False})
    category = (values.get("award_category") or "").strip()
    if category:
        facts.append({"label": _("Award category"), "values": [category], "course_text": True})
    goals = [goal for goal in values.get("sdgs") or [] if goal in SDGS]
    if goals:
        facts.append({
            "label": _("Sustainable Development Goals"),
            "values": [_("SDG %(number)d: %(name)s") % {"number": goal, "name": _(SDGS[goal])} for goal in goals],
            "course_text": False,
        })
    return facts


def _source(number: int, source: Mapping) -> dict:
    url = source.get("url") or ""
    host = (urlsplit(url).hostname or "").removeprefix("www.")
    return {
        "number": number,
        "title": source.get("title") or url,
        "publisher": source.get("publisher") or "",
        "year": source.get("year"),
        "url": url,
        "host": host,
    }
