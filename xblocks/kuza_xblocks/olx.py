"""Reads and writes the OLX of leaf blocks whose content is text: settings as attributes, content as the element's text.

The form, as Open edX writes custom blocks inline in a vertical::

    <kuza_markdown url_name="intro-why" display_name="Why innovate?" xblock-family="xblock.v1">
    # Heading

    Text with **bold**.
    </kuza_markdown>

Text rule, so that a file written by hand reads naturally and a round trip is exact:
on reading, one newline right after the opening tag is dropped, and so is the last
newline together with any spaces or tabs after it (the indentation of the closing tag).
Nothing else is touched: the text is not dedented, so write it flush left. On writing,
the text is put between one newline after the opening tag and one before the closing
tag, which the reading rule removes again for every possible text.
"""

import re

from lxml import etree
from xblock.fields import Scope

from kuza_xblocks.errors import OLXError

# url_name identifies the block (the host turns it into the usage id it passes as keys);
# xblock-family names the plugin group. Neither is a field of the block.
IGNORED_ATTRIBUTES = frozenset({"url_name", "xblock-family"})

# Fields that are structure, not settings of this block.
_STRUCTURE_FIELDS = frozenset({"children", "parent"})

_CLOSING_INDENT = re.compile(r"\n[ \t]*\Z")


def read_text(node: etree._Element) -> str:
    """Return the text content of ``node`` under the text rule ("" if it has none).

    Raises OLXError if ``node`` contains an element: the content of a text block is text,
    and markup meant for the text must be escaped (``&lt;`` for ``<``).
    """
    parts = [node.text or ""]
    for child in node:
        if isinstance(child.tag, str):
            raise OLXError(
                f"<{node.tag}> must contain only text, but it contains the element <{child.tag}>."
                f' To show markup in the text, escape it: write "&lt;" for "<" and "&amp;" for "&".',
                line=child.sourceline,
            )
        # Comments and processing instructions are not content; the text after them is.
        parts.append(child.tail or "")
    text = "".join(parts)
    if text.startswith("\n"):
        text = text[1:]
    return _CLOSING_INDENT.sub("", text, count=1)


def write_text(node: etree._Element, text: str) -> None:
    """Set ``text`` as the content of ``node`` so that read_text gives it back exactly."""
    node.text = f"\n{text}\n" if text else None


def attribute_fields(block_class, node: etree._Element, *, text_field: str) -> dict:
    """Return ``{field name: value}`` for the attributes of ``node``.

    Every attribute must name a settings or content field of ``block_class`` (as the runtime
    mixed it, so Open edX's own settings such as ``visible_to_staff_only`` are accepted
    there); anything else is an authoring mistake that would otherwise be lost silently.
    """
    values = {}
    for name, raw in node.attrib.items():
        if name in IGNORED_ATTRIBUTES:
            continue
        if name == text_field:
            raise OLXError(
                f'<{node.tag}> has a "{text_field}" attribute, but its {text_field} is the'
                f" element's text: move it between <{node.tag}> and </{node.tag}>."
            )
        values[name] = field_value(block_class, node, name, raw, not_attribute=text_field)
    return values


def field_value(block_class, node: etree._Element, name: str, raw: str, *, not_attribute: str, line=None):
    """Return the value of the attribute ``name="raw"`` of ``node``, read by its field of ``block_class``.

    Raises OLXError, with ``line``, if ``name`` is not a settings or content field that is
    written as an attribute (``not_attribute`` is the one field the element holds otherwise),
    or if the field cannot read ``raw``.
    """
    fields = block_class.fields
    field = fields.get(name)
    if field is None or not is_attribute_field(name, field, not_attribute):
        allowed = sorted(other for other, each in fields.items() if is_attribute_field(other, each, not_attribute))
        raise OLXError(
            f'<{node.tag}> has an unknown attribute "{name}"; '
            f"it accepts {', '.join(allowed)}, url_name and xblock-family.",
            line=line,
        )
    try:
        return field.from_string(raw)
    except Exception as error:
        # Field types come from the host's mixins too, so any failure is the author's value.
        raise OLXError(f'<{node.tag}> attribute "{name}" has an invalid value {raw!r}: {error}', line=line) from error


def write_attribute_fields(block, node: etree._Element, *, text_field: str) -> None:
    """Write the settings and content fields set on ``block`` as attributes of ``node``.

    Fields left at their default are not written, so a default can change in a later
    release. A field set to None is not written either: reading it back gives its default.
    """
    for name, field in block.fields.items():
        if not is_attribute_field(name, field, text_field):
            continue
        if not (field.is_set_on(block) or field.force_export):
            continue
        value = field.read_from(block)
        if value is None:
            continue
        node.set(name, field.to_string(value))


def is_attribute_field(name: str, field, not_attribute: str) -> bool:
    """Whether the field ``name`` of a block is written as an attribute of its OLX element."""
    return (
        name != not_attribute
        and name not in _STRUCTURE_FIELDS
        and field.scope in (Scope.settings, Scope.content)
    )
