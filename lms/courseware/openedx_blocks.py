"""Leaf blocks that courses imported from Open edX hold: its html lessons, and a notice for what Kuza cannot run.

Like the structure blocks they are registered with Kuza's runtime only, never as ``xblock.v1``
entry points: Open edX has its own ``html`` block, and ``unavailable`` exists only in Kuza.
"""
from __future__ import annotations

import hashlib

from flask_babel import gettext as _
from lxml import etree
from markupsafe import Markup
from web_fragments.fragment import Fragment
from xblock.completable import XBlockCompletionMode
from xblock.core import XBlock
from xblock.fields import Scope, String

from kuza_xblocks.errors import OLXError
from kuza_xblocks.markdown.rendering import sanitise


class HtmlBlock(XBlock):
    """An Open edX html lesson, shown through the Markdown lessons' allow-list.

    Its OLX is Open edX's inline form, ``<html display_name="…"><![CDATA[…]]></html>``, which
    Open edX Studio imports too; the import from Open edX writes an exported html file that way.
    """

    display_name = String(scope=Scope.settings, default="Text")
    data = String(scope=Scope.content, default="")

    # As in Open edX: reading it is all there is, and the host marks it complete when seen.
    has_score = False
    completion_mode = XBlockCompletionMode.COMPLETABLE
    has_custom_completion = False

    def student_view(self, context=None):  # noqa: ARG002 - the XBlock view signature
        # Ids get a prefix of their own per block, so two lessons on one page never share one.
        prefix = "oe" + hashlib.sha256(str(self.scope_ids.usage_id).encode("utf-8")).hexdigest()[:8] + "-"
        # Markup: sanitise() keeps only the allow-list, so the result is not escaped again.
        return Fragment(Markup('<div class="kuza-html">{}</div>').format(Markup(sanitise(self.data, id_prefix=prefix))))

    public_view = student_view

    @classmethod
    def parse_xml(cls, node, runtime, keys):
        if "filename" in node.attrib:
            # Studio's own export form; the import from Open edX reads that file and writes it inline.
            raise OLXError(f'keeps its HTML in html/{node.get("filename")}.html, as Open edX exports do: '
                           "a Kuza package holds it inside <html>; import an Open edX export with "
                           "kuza import-course --from-openedx", line=node.sourceline)
        block = runtime.construct_xblock_from_class(cls, keys)
        if "display_name" in node.attrib:
            block.display_name = node.get("display_name")
        # Inline HTML comes as CDATA text or as child elements; both are the lesson.
        block.data = (node.text or "") + "".join(etree.tostring(child, encoding="unicode") for child in node)
        return block

    def add_xml_to_node(self, node):
        node.tag = "html"
        node.set("display_name", self.display_name)
        node.text = etree.CDATA(self.data) if self.data else None


class UnavailableBlock(XBlock):
    """A block of a type Kuza cannot run (a video, an LTI tool, a custom problem…), kept by name.

    The learner sees which block it was and that it is not available here; it counts as seen,
    so a course is not left impossible to complete by what it could not bring.
    """

    display_name = String(scope=Scope.settings, default="")
    block_type = String(scope=Scope.settings, default="")  # the Open edX tag, e.g. "video"
    source = String(scope=Scope.settings, default="")  # the export's file, e.g. "video/ab12.xml"

    has_score = False
    completion_mode = XBlockCompletionMode.COMPLETABLE
    has_custom_completion = False

    def student_view(self, context=None):  # noqa: ARG002 - the XBlock view signature
        # The server's own catalogue: this block is part of Kuza, not of the kuza_xblocks package.
        notice = _("“%(name)s” is not available here.", name=self.display_name or self.block_type)
        return Fragment(Markup('<p class="kuza-unavailable">{}</p>').format(notice))

    public_view = student_view

    @classmethod
    def parse_xml(cls, node, runtime, keys):
        block = runtime.construct_xblock_from_class(cls, keys)
        for name in ("display_name", "block_type", "source"):
            if name in node.attrib:
                setattr(block, name, node.get(name))
        return block

    def add_xml_to_node(self, node):
        node.tag = "unavailable"
        for name in ("display_name", "block_type", "source"):
            if value := getattr(self, name):
                node.set(name, value)


OPEN_EDX_BLOCKS: dict[str, type[XBlock]] = {"html": HtmlBlock, "unavailable": UnavailableBlock}
