"""Reads and writes a case study's OLX: facts as attributes, the story as Markdown elements, award and sources.

The form (docs/authoring.md, "Case studies", has the full reference)::

    <kuza_case_study url_name="bd-e-mutation" display_name="e-Mutation" institution="Ministry of Land"
                     country="BD" region="asia_pacific" level="national" year="2017" sdgs="16">
      <award name="UN Public Service Awards" category="..." year="2020"/>
      <problem>Markdown</problem>
      <innovation>
    Longer Markdown, flush left.
    </innovation>
      <sources>
        <source title="..." publisher="..." year="2021" url="https://..."/>
      </sources>
    </kuza_case_study>

Story elements hold text under kuza_xblocks.olx's text rule. Everything is checked on
reading (kuza_xblocks.case_study.validation), so a case that loads is one learners can rely
on: every problem is an OLXError with the line of the element at fault.
"""

from lxml import etree

from kuza_xblocks import olx
from kuza_xblocks.case_study import validation
from kuza_xblocks.case_study.vocabulary import SECTIONS
from kuza_xblocks.errors import OLXError

# The case's own attributes, in the order they are written.
FACTS = ("display_name", "institution", "country", "region", "level", "year", "sdgs")
# Fields held by child elements rather than attributes.
AWARD_FIELDS = {"name": "award", "category": "award_category", "year": "award_year"}
ELEMENT_FIELDS = frozenset({*SECTIONS, *AWARD_FIELDS.values(), "sources"})
SOURCE_ATTRIBUTES = ("title", "publisher", "year", "url")
CHILDREN = ("award", *SECTIONS, "sources")

_INDENT = "  "


def read_case(block_class, node: etree._Element) -> dict:
    """Return ``{field name: value}`` for the case study element ``node``, refusing anything wrong.

    Settings fields that the host mixes into ``block_class`` (Open edX's
    ``visible_to_staff_only``, …) are accepted as attributes and read by their fields.
    """
    values = _read_attributes(block_class, node)
    if (node.text or "").strip():
        raise OLXError(
            f"<{node.tag}> holds text outside its elements: move it into one of {_names(CHILDREN)}.",
            line=node.sourceline,
        )
    seen: dict[str, etree._Element] = {}
    for child in node:
        if (child.tail or "").strip():
            raise OLXError(f"<{node.tag}> holds text after <{child.tag}>, outside its elements.", line=child.sourceline)
        if not isinstance(child.tag, str):
            continue  # comments and processing instructions are not content
        if child.tag not in CHILDREN:
            raise OLXError(
                f"<{node.tag}> cannot contain <{child.tag}>; it holds {_names(CHILDREN)}.", line=child.sourceline
            )
        if child.tag in seen:
            raise OLXError(
                f"<{node.tag}> has more than one <{child.tag}>; the first is on line {seen[child.tag].sourceline}.",
                line=child.sourceline,
            )
        seen[child.tag] = child
        if child.tag == "award":
            values.update(_read_award(child, values.get("year")))
        elif child.tag == "sources":
            values["sources"] = _read_sources(child)
        else:
            text = olx.read_text(child)
            if text:
                values[child.tag] = text
    if "sources" not in seen:
        raise OLXError(f"{validation.sources_problem([])}.", line=node.sourceline)
    return values


def _read_attributes(block_class, node: etree._Element) -> dict:
    values = {}
    for name, raw in node.attrib.items():
        if name in olx.IGNORED_ATTRIBUTES:
            continue
        try:
            if name in ("display_name", "institution"):
                values[name] = raw
            elif name == "country":
                problem = validation.country_problem(raw)
                if problem:
                    raise ValueError(problem)
                values[name] = raw.strip().upper()
            elif name == "region":
                values[name] = _checked(raw, validation.region_problem)
            elif name == "level":
                values[name] = _checked(raw, validation.level_problem)
            elif name == "year":
                values[name] = validation.parse_year(raw)
            elif name == "sdgs":
                values[name] = validation.parse_sdgs(raw)
            elif name in _accepted_attributes(block_class):
                values[name] = olx.field_value(block_class, node, name, raw, not_attribute="", line=node.sourceline)
            else:
                held = f" It is written as the element <{name}>." if name in CHILDREN else ""
                raise ValueError(
                    f'<{node.tag}> has an unknown attribute "{name}"; it accepts '
                    f"{', '.join(_accepted_attributes(block_class))}, url_name and xblock-family.{held}"
                )
        except ValueError as error:
            if isinstance(error, OLXError):
                raise
            raise OLXError(_sentence(str(error)), line=node.sourceline) from error
    for problem in (
        validation.title_problem(values.get("display_name")),
        validation.country_problem(values.get("country")),
    ):
        if problem:
            raise OLXError(_sentence(problem), line=node.sourceline)
    return values


def _accepted_attributes(block_class) -> list[str]:
    return sorted(
        name for name, field in block_class.fields.items()
        if name not in ELEMENT_FIELDS and olx.is_attribute_field(name, field, not_attribute="")
    )


def _read_award(element: etree._Element, year: int | None) -> dict:
    attributes = _leaf_attributes(element, ("name", "category", "year"))
    values = {"award": attributes.get("name", ""), "award_category": attributes.get("category", "")}
    if "year" in attributes:
        values["award_year"] = _element_check(element, lambda: validation.parse_year(attributes["year"]))
    for problem in (
        validation.award_problem(values["award"], values["award_category"], values.get("award_year")),
        validation.award_year_problem(values.get("award_year"), year),
    ):
        if problem:
            raise OLXError(_sentence(problem), line=element.sourceline)
    return {name: value for name, value in values.items() if value not in ("", None)}


def _read_sources(element: etree._Element) -> list[dict]:
    if (element.text or "").strip() or element.attrib:
        raise OLXError(
            "<sources> holds only <source/> elements, with no attributes or text of its own.", line=element.sourceline
        )
    sources = []
    for child in element:
        if (child.tail or "").strip():
            raise OLXError("<sources> holds text between its <source/> elements.", line=child.sourceline)
        if not isinstance(child.tag, str):
            continue
        if child.tag != "source":
            raise OLXError(
                f"<sources> cannot contain <{child.tag}>; it holds <source/> elements.", line=child.sourceline
            )
        attributes = _leaf_attributes(child, SOURCE_ATTRIBUTES)
        source = {
            "title": attributes.get("title", ""),
            "publisher": attributes.get("publisher", ""),
            "year": None,
            "url": attributes.get("url", ""),
        }
        if "year" in attributes:
            source["year"] = _element_check(child, lambda raw=attributes["year"]: validation.parse_year(raw))
        problem = validation.source_problem(source)
        if problem:
            raise OLXError(_sentence(problem), line=child.sourceline)
        sources.append(source)
    if not sources:
        raise OLXError(
            '<sources> holds no <source/>: add at least one <source title="..." url="..."/>.', line=element.sourceline
        )
    return sources


def _leaf_attributes(element: etree._Element, allowed: tuple[str, ...]) -> dict[str, str]:
    """The attributes of an element that holds nothing else."""
    for name in element.attrib:
        if name not in allowed:
            raise OLXError(
                f'<{element.tag}> has an unknown attribute "{name}"; it accepts {", ".join(allowed)}.',
                line=element.sourceline,
            )
    if (element.text or "").strip() or any(isinstance(child.tag, str) for child in element):
        raise OLXError(
            f"<{element.tag}/> holds only attributes: move its content into them.", line=element.sourceline
        )
    return dict(element.attrib)


def _element_check(element: etree._Element, read):
    try:
        return read()
    except ValueError as error:
        raise OLXError(_sentence(f"<{element.tag}> {error}"), line=element.sourceline) from error


def _checked(raw: str, check) -> str:
    problem = check(raw)
    if problem:
        raise ValueError(problem)
    return raw


def _sentence(message: str) -> str:
    return message if message.endswith(".") else f"{message}."


def _names(tags) -> str:
    names = [f"<{tag}>" for tag in tags]
    return f"{', '.join(names[:-1])} and {names[-1]}"


# Writing


def write_case(node: etree._Element, attributes: dict[str, str], values: dict) -> None:
    """Write the case into ``node``: ``attributes`` (strings, in order) and the element fields in ``values``."""
    for name, text in attributes.items():
        node.set(name, text)
    children = []
    award = {attribute: values.get(field) for attribute, field in AWARD_FIELDS.items()}
    if any(value not in ("", None) for value in award.values()):
        children.append(etree.Element("award", _present(award)))
    for name in SECTIONS:
        text = values.get(name) or ""
        if text:
            element = etree.Element(name)
            element.text = text if "\n" not in text else f"\n{text}\n{_INDENT}"
            children.append(element)
    sources = values.get("sources") or []
    if sources:
        holder = etree.Element("sources")
        for source in sources:
            etree.SubElement(holder, "source", _present({name: source.get(name) for name in SOURCE_ATTRIBUTES}))
        _indent(holder, 1)
        children.append(holder)
    for child in children:
        node.append(child)
    _indent(node, 0)


def _present(attributes: dict) -> dict[str, str]:
    return {name: str(value) for name, value in attributes.items() if value not in ("", None)}


def _indent(element: etree._Element, depth: int) -> None:
    children = list(element)
    if not children:
        return
    element.text = "\n" + _INDENT * (depth + 1)
    for child in children:
        child.tail = "\n" + _INDENT * (depth + 1)
    children[-1].tail = "\n" + _INDENT * depth
