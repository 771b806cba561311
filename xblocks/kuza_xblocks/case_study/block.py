"""The kuza_case_study XBlock: its fields, its learner and Studio views, and its OLX form."""

import hashlib
from functools import cache
from importlib import resources

from web_fragments.fragment import Fragment
from xblock.completable import XBlockCompletionMode
from xblock.core import XBlock
from xblock.fields import Integer, List, Scope, String
from xblock.utils.studio_editable import StudioEditableXBlockMixin
from xblock.validation import ValidationMessage

from kuza_xblocks import olx
from kuza_xblocks.case_study import case_olx, scenarios, validation, view
from kuza_xblocks.case_study.facts import case_facts
from kuza_xblocks.case_study.vocabulary import LEVELS, REGIONS, SDGS, SECTIONS
from kuza_xblocks.i18n import N_
from kuza_xblocks.markdown import block as markdown_block
from kuza_xblocks.markdown.rendering import plain_text
from kuza_xblocks.templating import render_template

_PACKAGE = "kuza_xblocks.case_study"

# Everything the case holds, in the order of the Studio editor.
FIELDS = (
    *case_olx.FACTS, "award", "award_category", "award_year", *SECTIONS, "sources",
)


@cache
def stylesheet() -> str:
    """The block's CSS, which every student_view fragment carries inline."""
    return resources.files(_PACKAGE).joinpath("public/case_study.css").read_text(encoding="utf-8")


def _choices(names: dict[str, str]):
    # A values_provider, so the Studio editor shows the names in the author's language;
    # the empty value is "not given".
    def provide(block):
        return [{"display_name": block.ugettext(N_("Not given")), "value": ""}] + [
            {"display_name": block.ugettext(name), "value": value} for value, name in names.items()
        ]

    return provide


def _goals(block):
    label = block.ugettext(N_("SDG %(number)d: %(name)s"))
    return [
        {"display_name": label % {"number": goal, "name": block.ugettext(name)}, "value": goal}
        for goal, name in SDGS.items()
    ]


def _story(name: str, help_text: str) -> String:
    return String(display_name=SECTIONS[name], help=help_text, scope=Scope.content, default="", multiline_editor=True)


@XBlock.needs("i18n")
# Plain HTML without JavaScript also renders in the Open edX mobile apps.
@XBlock.supports("multi_device")
class CaseStudyBlock(StudioEditableXBlockMixin, XBlock):
    """An innovative public-service practice: its facts, its story in Markdown, its sources."""

    display_name = String(
        display_name=N_("Title"),
        help=N_("The case's title, as learners see it: name the practice."),
        scope=Scope.settings,
        default=N_("Case study"),
    )
    institution = String(
        display_name=N_("Institution"),
        help=N_("The public institution that runs the practice."),
        scope=Scope.content,
        default="",
    )
    country = String(
        display_name=N_("Country"),
        help=N_("The country's ISO 3166-1 code, two letters (SN) or three (SEN)."),
        scope=Scope.content,
        default="",
    )
    region = String(
        display_name=N_("Region"),
        help=N_("The country's UN regional group."),
        scope=Scope.content,
        default="",
        values_provider=_choices(REGIONS),
    )
    level = String(
        display_name=N_("Level of government"),
        help=N_("The level of government that runs the practice."),
        scope=Scope.content,
        default="",
        values_provider=_choices(LEVELS),
    )
    year = Integer(
        display_name=N_("Year"),
        help=N_("The year the practice started, in four digits."),
        scope=Scope.content,
        default=None,
    )
    sdgs = List(
        display_name=N_("Sustainable Development Goals"),
        help=N_("The goals the practice serves."),
        scope=Scope.content,
        default=[],
        list_style="set",
        list_values_provider=_goals,
    )
    award = String(
        display_name=N_("Award"),
        help=N_("The award that recognised the practice, such as the UN Public Service Awards."),
        scope=Scope.content,
        default="",
    )
    award_category = String(
        display_name=N_("Award category"),
        help=N_("The award's category, as the award published it."),
        scope=Scope.content,
        default="",
    )
    award_year = Integer(
        display_name=N_("Award year"),
        help=N_("The year of the award, in four digits."),
        scope=Scope.content,
        default=None,
    )
    problem = _story("problem", N_("Markdown: what was wrong, for whom, with figures and their sources."))
    innovation = _story("innovation", N_("Markdown: what the institution did differently, and when."))
    beneficiaries = _story(
        "beneficiaries",
        N_("Markdown: who gains, and what the sources say about women and groups often left out."),
    )
    results = _story(
        "results", N_("Markdown: what changed, each figure with its source number, and whose figures they are.")
    )
    partners = _story("partners", N_("Markdown: who worked with the institution."))
    success_factors = _story("success_factors", N_("Markdown: the conditions and choices credited for the result."))
    transfer_conditions = _story(
        "transfer_conditions", N_("Markdown: what another country would need, and adapt, to try it.")
    )
    sources = List(
        display_name=N_("Sources"),
        help=N_(
            'The sources as JSON: a list of objects with "title", "publisher", "year" and "url" '
            "(http or https); at least one. Cite them in the text by number, [1]."
        ),
        scope=Scope.content,
        default=[],
    )

    editable_fields = FIELDS

    # Reading a case is all there is to it: no score, and the host marks it complete when
    # the learner has seen it (Open edX: completion on view), as for a lesson.
    has_score = False
    completion_mode = XBlockCompletionMode.COMPLETABLE
    has_custom_completion = False
    icon_class = "other"

    def student_view(self, context=None):  # noqa: ARG002 - the XBlock view signature
        """The case as HTML, with its CSS inline and no JavaScript."""
        i18n = self.runtime.service(self, "i18n")
        values = self._values()
        if not self.fields["display_name"].is_set_on(self):
            values["display_name"] = i18n.gettext(self.display_name)
        page = view.context(
            values, gettext=i18n.gettext, language=view.reader_language(i18n), id_prefix=self._id_prefix()
        )
        fragment = Fragment(render_template(_PACKAGE, "case_study.html", **page))
        # Inline rather than URLs: one request fewer on a learner page limited to four. The
        # lesson's CSS styles the Markdown sections (tables, code, quotations) as in a lesson.
        fragment.add_css(markdown_block.stylesheet())
        fragment.add_css(stylesheet())
        return fragment

    # A case holds no learner state, so visitors of a public course may read it too.
    public_view = student_view

    def facts(self) -> dict:
        """The case's facts as a plain dict (see kuza_xblocks.case_study.facts)."""
        return case_facts(self._values())

    def index_dictionary(self):
        """What Open edX's course search indexes for this block: its name and its words."""
        words = [self.institution, *(plain_text(getattr(self, name)) for name in SECTIONS)]
        return {
            "content": {"display_name": self.display_name, "text": " ".join(word for word in words if word)},
            "content_type": "Text",
        }

    def validate_field_data(self, validation_result, data):
        """Refuse a case without title, country or sources, or with codes and years that do not exist."""
        values = {name: getattr(data, name) for name in FIELDS}
        for problem in validation.case_problems(values):
            validation_result.add(ValidationMessage(ValidationMessage.ERROR, problem))

    @classmethod
    def parse_xml(cls, node, runtime, keys):
        """Build a case from its OLX element (see kuza_xblocks.case_study.case_olx for the form).

        Raises kuza_xblocks.errors.OLXError, with the line of the element at fault, for
        anything learners could not rely on: no title, country or source, an unknown code
        or goal, a bad year or address, an unknown attribute or element.
        """
        values = case_olx.read_case(cls, node)
        block = runtime.construct_xblock_from_class(cls, keys)
        for name, value in values.items():
            setattr(block, name, value)
        return block

    def add_xml_to_node(self, node):
        """Write this case into the OLX element ``node``; the host adds url_name."""
        node.tag = self.xml_element_name()
        attributes = {}
        others = sorted(name for name in self.fields if name not in case_olx.FACTS)
        for name in (*case_olx.FACTS, *others):
            field = self.fields[name]
            if name in case_olx.ELEMENT_FIELDS or not olx.is_attribute_field(name, field, ""):
                continue
            value = field.read_from(self)
            # The title is always written: a case without one is refused on reading.
            if name != "display_name" and not (field.is_set_on(self) or field.force_export):
                continue
            if value in (None, "", []):
                continue
            attributes[name] = " ".join(str(goal) for goal in value) if name == "sdgs" else field.to_string(value)
        case_olx.write_case(node, attributes, self._values())
        node.set("xblock-family", self.entry_point)

    @staticmethod
    def workbench_scenarios():
        """Cases to try in xblock-sdk's workbench: (title, OLX) pairs."""
        return scenarios.WORKBENCH_SCENARIOS

    def _values(self) -> dict:
        return {name: getattr(self, name) for name in FIELDS}

    def _id_prefix(self) -> str:
        # From the usage id: unique per block on a page, the same on every render, and short,
        # because every id and in-page link of the case carries it.
        digest = hashlib.sha256(str(self.scope_ids.usage_id).encode("utf-8")).hexdigest()
        return f"kc{digest[:8]}-"
