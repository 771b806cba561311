"""The kuza_markdown XBlock: its fields, its learner and Studio views, and its OLX form."""

import hashlib
from functools import cache
from importlib import resources

from markupsafe import Markup
from web_fragments.fragment import Fragment
from xblock.completable import XBlockCompletionMode
from xblock.core import XBlock
from xblock.fields import Scope, String
from xblock.utils.studio_editable import StudioEditableXBlockMixin

from kuza_xblocks import olx
from kuza_xblocks.i18n import N_
from kuza_xblocks.markdown import scenarios
from kuza_xblocks.markdown.rendering import plain_text, render_markdown
from kuza_xblocks.templating import render_template

_PACKAGE = "kuza_xblocks.markdown"
_TEXT_FIELD = "markdown"


@cache
def stylesheet() -> str:
    """The block's CSS, which every student_view fragment carries inline."""
    return resources.files(_PACKAGE).joinpath("public/markdown.css").read_text(encoding="utf-8")


@XBlock.needs("i18n")
# Plain HTML without JavaScript also renders in the Open edX mobile apps.
@XBlock.supports("multi_device")
class MarkdownBlock(StudioEditableXBlockMixin, XBlock):
    """A lesson written in Markdown, shown to learners as sanitised HTML."""

    display_name = String(
        display_name=N_("Display name"),
        help=N_("The lesson's name, as learners see it in the course outline."),
        scope=Scope.settings,
        default=N_("Lesson"),
    )
    markdown = String(
        display_name=N_("Markdown"),
        help=N_(
            "The lesson, written in Markdown: headings, lists, links, images from the "
            "course's files (/static/…), tables, footnotes and code blocks."
        ),
        scope=Scope.content,
        default="",
        multiline_editor=True,
    )

    editable_fields = ("display_name", "markdown")

    # Reading a lesson is all there is to it: no score, and the host marks it complete
    # when the learner has seen it (Open edX: completion on view).
    has_score = False
    completion_mode = XBlockCompletionMode.COMPLETABLE
    has_custom_completion = False
    icon_class = "other"

    def student_view(self, context=None):  # noqa: ARG002 - the XBlock view signature
        """The lesson as HTML, with its CSS inline and no JavaScript."""
        gettext = self.runtime.service(self, "i18n").gettext
        text = self.markdown or ""
        html = render_markdown(text, id_prefix=self._id_prefix(), gettext=gettext) if text.strip() else ""
        fragment = Fragment(
            render_template(
                _PACKAGE,
                "markdown.html",
                # Markup: render_markdown's output is sanitised, so it is not escaped again.
                html=Markup(html),  # noqa: S704
                _=gettext,
            )
        )
        # Inline rather than a URL: one request fewer on a learner page limited to four.
        fragment.add_css(stylesheet())
        return fragment

    # A lesson holds no learner state, so visitors of a public course may read it too.
    public_view = student_view

    def index_dictionary(self):
        """What Open edX's course search indexes for this block: its name and its words."""
        return {
            "content": {"display_name": self.display_name, "text": plain_text(self.markdown)},
            "content_type": "Text",
        }

    @classmethod
    def parse_xml(cls, node, runtime, keys):
        """Build a block from its OLX element (see kuza_xblocks.olx for the form).

        Raises kuza_xblocks.errors.OLXError, whose message names the problem, for an
        attribute that is not a field of this block or for an element inside the text.
        """
        values = olx.attribute_fields(cls, node, text_field=_TEXT_FIELD)
        text = olx.read_text(node)
        block = runtime.construct_xblock_from_class(cls, keys)
        for name, value in values.items():
            setattr(block, name, value)
        if text:
            block.markdown = text
        return block

    def add_xml_to_node(self, node):
        """Write this block into the OLX element ``node``; the host adds url_name."""
        node.tag = self.xml_element_name()
        olx.write_attribute_fields(self, node, text_field=_TEXT_FIELD)
        node.set("xblock-family", self.entry_point)
        olx.write_text(node, self.markdown)

    @staticmethod
    def workbench_scenarios():
        """Lessons to try in xblock-sdk's workbench: (title, OLX) pairs."""
        return scenarios.WORKBENCH_SCENARIOS

    def _id_prefix(self) -> str:
        # Derived from the usage id, so two lessons on one page never share an id, and
        # short, because every id and in-page link in the page carries it.
        digest = hashlib.sha256(str(self.scope_ids.usage_id).encode("utf-8")).hexdigest()
        return f"kz{digest[:8]}-"
