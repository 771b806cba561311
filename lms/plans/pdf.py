"""A plan version as a PDF to print or share: the same content as the Markdown file, drawn with Kuza's fonts."""
from __future__ import annotations

from datetime import UTC

from flask_babel import format_datetime, get_locale, gettext

from lms.i18n import text_direction
from lms.plans.services import LearnerPlan, PlanVersion
from lms.printing import MAIN_FONT, new_document, set_direction

MARGIN = 20
BLACK, GREY = 0, 90


def render(plan: LearnerPlan, version: PlanVersion) -> bytes:
    """The version on A4 pages in the reader's language: title, facts, each prompt and answer, the feedback."""
    locale = str(get_locale())
    # The page's own words run in the locale's direction; the learner's and the course's
    # find theirs from their first letter, so an Arabic answer reads right in an English file.
    ui = text_direction(locale)
    align = "R" if ui == "rtl" else "L"
    submitted = version.plan.submitted_at.replace(tzinfo=version.plan.submitted_at.tzinfo or UTC)
    pdf = new_document(orientation="portrait", format="A4", unit="mm")
    # Dated from the submission, not the clock: the same version gives the same file.
    pdf.set_creation_date(submitted)
    pdf.set_title(plan.title)
    pdf.set_author(plan.learner.name)
    pdf.set_creator("Kuza")
    pdf.set_lang(locale.replace("_", "-"))
    pdf.set_margins(MARGIN, MARGIN)
    pdf.set_auto_page_break(True, margin=MARGIN)
    pdf.add_page()
    width = pdf.epw

    def paragraph(text: str, direction: str | None, size: float, style: str = "", grey: int = BLACK,
                  height: float = 6, after: float = 2) -> None:
        set_direction(pdf, direction)
        pdf.set_font(MAIN_FONT, style, size)
        pdf.set_text_color(grey)
        pdf.multi_cell(width, height, text, align=align, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(after)

    paragraph(plan.title, None, 20, "B", height=10, after=3)
    for fact in (
        gettext("Course: %(title)s", title=plan.course.published_version.title),
        gettext("Lesson: %(title)s", title=plan.unit_title or plan.title),
        gettext("Learner: %(name)s", name=plan.learner.name),
        gettext("Version %(number)d of %(count)d, submitted on %(date)s", number=version.plan.version,
                count=len(plan.versions), date=format_datetime(version.plan.submitted_at, "medium")),
    ):
        paragraph(fact, ui, 10, grey=GREY, height=5, after=0.5)
    pdf.ln(5)
    for prompt, answer in version.answers:
        paragraph(prompt, None, 13, "B", height=7, after=1)
        paragraph(answer or gettext("(no answer)"), None, 11, after=5)
    if version.reviewed:
        review = version.review
        pdf.ln(2)
        paragraph(gettext("Feedback from your trainer"), ui, 13, "B", height=7, after=1)
        paragraph(gettext("Reviewed by %(name)s on %(date)s.", name=review.reviewer.name,
                          date=format_datetime(review.reviewed_at, "medium")), ui, 10, grey=GREY, after=2)
        if review.feedback:
            paragraph(review.feedback, None, 11)
    return bytes(pdf.output())
