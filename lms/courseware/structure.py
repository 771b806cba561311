"""The structure blocks course, chapter, sequential and vertical, as in Open edX's OLX.

They are registered with Kuza's runtime only, never as ``xblock.v1`` entry points: Open
edX has its own blocks for these tags, and a Kuza course exported as OLX uses those.
"""
from __future__ import annotations

from web_fragments.fragment import Fragment
from xblock.completable import XBlockCompletionMode
from xblock.core import XBlock
from xblock.fields import Boolean, Scope, String


class StructureBlock(XBlock):
    """Common ground of the four structure blocks: a display name and ordered children."""

    has_children = True
    # As in Open edX: a structure block is complete when its leaves are, never by being viewed.
    completion_mode = XBlockCompletionMode.AGGREGATOR
    # Which OLX tags may appear as children, so the importer can reject a misplaced block.
    child_tags: tuple[str, ...] = ()

    display_name = String(scope=Scope.settings, default="")

    def student_view(self, context=None):
        """Render the children in order; the pages put navigation around them."""
        fragment = Fragment()
        for child_id in self.children:
            child_fragment = self.runtime.get_block(child_id).render("student_view", context)
            fragment.add_fragment_resources(child_fragment)
            fragment.add_content(child_fragment.body_html())
        return fragment


class CourseBlock(StructureBlock):
    child_tags = ("chapter",)
    display_name = String(scope=Scope.settings, default="Course")
    language = String(scope=Scope.settings, default="en")
    # Dates stay ISO 8601 text, as in OLX; Kuza courses are self-paced.
    start = String(scope=Scope.settings, default="")
    end = String(scope=Scope.settings, default="")
    self_paced = Boolean(scope=Scope.settings, default=True)
    # A file in static/, shown by Open edX in its course catalogue.
    course_image = String(scope=Scope.settings, default="")


class ChapterBlock(StructureBlock):
    child_tags = ("sequential",)
    display_name = String(scope=Scope.settings, default="Chapter")


class SequentialBlock(StructureBlock):
    child_tags = ("vertical",)
    display_name = String(scope=Scope.settings, default="Lesson")
    graded = Boolean(scope=Scope.settings, default=False)
    format = String(scope=Scope.settings, default="")


class VerticalBlock(StructureBlock):
    """A unit: the page a learner reads, holding leaf blocks one after another."""

    child_tags = ()  # any leaf block
    display_name = String(scope=Scope.settings, default="Unit")



STRUCTURE_BLOCKS: dict[str, type[StructureBlock]] = {
    "course": CourseBlock,
    "chapter": ChapterBlock,
    "sequential": SequentialBlock,
    "vertical": VerticalBlock,
}

