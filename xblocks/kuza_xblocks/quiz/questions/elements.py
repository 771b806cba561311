"""Reading and writing question elements in OLX: attributes, children, text, numbers and indentation."""

import math
import re
from decimal import Decimal

from lxml import etree

from kuza_xblocks.errors import OLXError
from kuza_xblocks.olx import read_text

# A number in OLX, written by an author: a point for decimals, no grouping, no exponent,
# so a file reads the same in every locale.
_OLX_NUMBER = re.compile(r"-?(?:[0-9]+(?:\.[0-9]+)?|\.[0-9]+)\Z")

_INDENT = "  "


def describe_element(element: etree._Element) -> str:
    """Name an OLX element as an author finds it in the file: <single_choice id="q1">."""
    identifier = element.get("id")
    return f'<{element.tag} id="{identifier}">' if identifier else f"<{element.tag}>"


def read_attributes(element: etree._Element, allowed: tuple[str, ...]) -> dict[str, str]:
    """Return the attributes of ``element``, refusing any it does not accept."""
    for name in element.attrib:
        if name not in allowed:
            raise OLXError(
                f'{describe_element(element)} has an unknown attribute "{name}"; it accepts {_list(allowed)}.',
                line=element.sourceline,
            )
    return dict(element.attrib)


def read_children(element: etree._Element, allowed: tuple[str, ...]) -> list[etree._Element]:
    """Return the child elements of ``element``, refusing unknown ones and text between them."""
    children = []
    if (element.text or "").strip():
        raise OLXError(
            f"{describe_element(element)} holds text outside its {_list(f'<{t}>' for t in allowed)}: "
            f"move the text into one of them.",
            line=element.sourceline,
        )
    for child in element:
        if (child.tail or "").strip():
            raise OLXError(
                f"{describe_element(element)} holds text after <{child.tag}>, outside any element of the question.",
                line=child.sourceline,
            )
        if not isinstance(child.tag, str):
            continue  # comments and processing instructions are not content
        if child.tag not in allowed:
            raise OLXError(
                f"{describe_element(element)} cannot contain <{child.tag}>; it holds {_list(f'<{t}>' for t in allowed)}.",
                line=child.sourceline,
            )
        children.append(child)
    return children


def _list(names) -> str:
    names = list(names)
    if not names:
        return "no attributes"
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def read_boolean(element: etree._Element, name: str, default: bool) -> bool:
    """Return the attribute ``name`` of ``element``, "true" or "false", or ``default`` if it is absent."""
    raw = element.get(name)
    if raw is None:
        return default
    if raw.strip().lower() not in ("true", "false"):
        raise OLXError(
            f'{describe_element(element)} attribute "{name}" must be "true" or "false", not "{raw}".',
            line=element.sourceline,
        )
    return raw.strip().lower() == "true"


def read_decimal(element: etree._Element, name: str, raw: str, *, hint: str = "") -> Decimal:
    """Read ``raw``, the attribute ``name`` of ``element``, as an OLX number (see _OLX_NUMBER)."""
    text = raw.strip()
    if not _OLX_NUMBER.match(text):
        comma = " OLX numbers use a decimal point, not a comma." if "," in text else ""
        raise OLXError(
            f'{describe_element(element)} attribute "{name}" is "{raw}", which is not a number{hint}.{comma}',
            line=element.sourceline,
        )
    return Decimal(text)


def require_finite(element: etree._Element, name: str, raw: str, value: float) -> float:
    """Return ``value``, read from ``raw``, refusing one too large for a float."""
    if not math.isfinite(value):
        raise OLXError(f'{describe_element(element)} attribute "{name}" is too large: "{raw}".',
                       line=element.sourceline)
    return value


def read_number(element: etree._Element, name: str, raw: str, *, hint: str = "") -> float:
    """Read ``raw``, the attribute ``name`` of ``element``, as an OLX number that fits a float."""
    return require_finite(element, name, raw, float(read_decimal(element, name, raw, hint=hint)))


def single_child(children: list[etree._Element], tag: str, parent: etree._Element) -> etree._Element | None:
    """Return the one element ``tag`` among ``children``, or None; refuse a second one."""
    found = [child for child in children if child.tag == tag]
    if len(found) > 1:
        raise OLXError(f"{describe_element(parent)} has more than one <{tag}>.", line=found[1].sourceline)
    return found[0] if found else None


def text_of(element: etree._Element | None) -> str:
    """The text of ``element`` as kuza_xblocks.olx reads it, or "" when there is no element."""
    return "" if element is None else read_text(element)


def _set_text(element: etree._Element, text: str, depth: int) -> None:
    # One line is written inline, <prompt>like this</prompt>; longer text flush left
    # between newlines, as kuza_xblocks.olx's text rule reads back exactly.
    if not text:
        element.text = None
    elif "\n" not in text:
        element.text = text
    else:
        element.text = f"\n{text}\n{_INDENT * depth}"


def indent_children(element: etree._Element, depth: int) -> None:
    """Put each child of ``element`` (at ``depth``) on its own line, indented one level deeper."""
    children = list(element)
    if not children:
        return
    element.text = "\n" + _INDENT * (depth + 1)
    for child in children:
        child.tail = "\n" + _INDENT * (depth + 1)
    children[-1].tail = "\n" + _INDENT * depth


def add_text_element(parent: etree._Element, tag: str, text: str, depth: int, **attributes) -> etree._Element:
    """Append an element ``tag`` holding ``text`` to ``parent``, leaving out attributes that are None."""
    element = etree.SubElement(parent, tag, {name: value for name, value in attributes.items() if value is not None})
    _set_text(element, text, depth)
    return element
