"""Certificates as PDF files to print or keep: the public page's facts, a QR code to it, the signed credential attached.

The page is for people; the attached credential is for verifiers. `kuza verify-certificate`
checks only the attachment, never the printed text, which anyone can edit: whoever checks a
PDF compares the name it prints with the verified name the command shows.
"""
from __future__ import annotations

import io
import json
from datetime import UTC
import segno
from flask_babel import format_date, format_decimal, get_locale, gettext
from fpdf import FPDF
from pypdf import PdfReader
from pypdf.errors import PyPdfError

from lms.certificates import services
from lms.certificates.credentials import envelope
from lms.certificates.models import COMPLETION, Certificate
from lms.courseware.olx import CERTIFICATE_HOURS
from lms.i18n import text_direction
from lms.printing import MAIN_FONT, new_document, set_direction

ATTACHMENT_PREFIX = "kuza-certificate-"
ATTACHMENT_TYPE = "application/json"

# Landscape A4, in millimetres.
PAGE_WIDTH, PAGE_HEIGHT = 297, 210
MARGIN = 20
TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN
QR_SIZE = 36
LABEL_WIDTH = 48
BLACK, GREY = 0, 90


def attachment_name(public_id: str) -> str:
    return f"{ATTACHMENT_PREFIX}{public_id}.json"


def pdf_name(public_id: str) -> str:
    return f"{ATTACHMENT_PREFIX}{public_id}.pdf"


def render(certificate: Certificate) -> bytes:
    """The certificate as a one-page PDF in the current locale, its signed credential attached.

    Only what the public verification page shows: name, course, kind, date, hours, issuer, id.
    A revoked certificate still renders, marked REVOKED with its date.
    """
    version = certificate.version
    issuer = services.issuer_profile()["name"]
    url = services.verification_url(certificate.public_id)
    kind = gettext("Certificate of completion") if certificate.kind == COMPLETION \
        else gettext("Certificate of participation")
    locale = str(get_locale())
    # The page's own words run in the locale's direction; names and titles find their own
    # from their first letter, so an Arabic name reads right on a French page and back.
    ui = text_direction(locale)

    # SQLite gives back naive datetimes; every stored one is UTC.
    issued_at = certificate.issued_at.replace(tzinfo=certificate.issued_at.tzinfo or UTC)
    pdf = new_document(orientation="landscape", format="A4", unit="mm")
    # Dated from the certificate, not the clock, so the same certificate gives the same bytes.
    pdf.set_creation_date(issued_at)
    pdf.set_title(f"{kind}: {version.title}")
    pdf.set_author(issuer)
    pdf.set_creator("Kuza")
    pdf.set_lang(locale.replace("_", "-"))
    pdf.set_auto_page_break(False)
    pdf.set_margins(MARGIN, MARGIN)
    pdf.add_page()
    pdf.set_draw_color(BLACK)
    pdf.set_line_width(0.8)
    pdf.rect(10, 10, PAGE_WIDTH - 20, PAGE_HEIGHT - 20)
    pdf.set_line_width(0.25)
    pdf.rect(13, 13, PAGE_WIDTH - 26, PAGE_HEIGHT - 26)

    if certificate.revoked:
        _revoked_mark(pdf, format_date(certificate.revoked_at, "long"), ui)
    pdf.set_y(40 if certificate.revoked else 36)
    _centred(pdf, issuer, None, 13, "", GREY, height=8)
    _centred(pdf, kind, ui, 30, "B", BLACK, height=17)
    pdf.ln(4)
    _centred(pdf, gettext("Awarded to"), ui, 12, "", GREY, height=7)
    _centred(pdf, certificate.user.name, None, 28, "B", BLACK, height=15)
    pdf.ln(3)
    _centred(pdf, gettext("Course"), ui, 12, "", GREY, height=7)
    _centred(pdf, version.title, None, 20, "B", BLACK, height=10, lines=2)

    facts = [(gettext("Issued on"), format_date(certificate.issued_at, "long"), ui)]
    hours = (version.policy or {}).get(CERTIFICATE_HOURS)
    if hours:
        facts.append((gettext("Learning hours"), format_decimal(hours), ui))
    facts += [(gettext("Issued by"), issuer, None), (gettext("Certificate ID"), certificate.public_id, "ltr")]
    _facts_and_link(pdf, facts, url, ui)
    _qr_code(pdf, url, x=MARGIN if ui == "rtl" else PAGE_WIDTH - MARGIN - QR_SIZE,
             y=PAGE_HEIGHT - MARGIN - QR_SIZE - 4)

    if certificate.credential:
        pdf.embed_file(
            bytes=json.dumps(envelope(certificate.credential), ensure_ascii=False, indent=2).encode("utf-8"),
            basename=attachment_name(certificate.public_id),
            mime_type=ATTACHMENT_TYPE,
            desc="Signed Open Badges 3.0 credential (VC-JWT): check it with kuza verify-certificate",
            modification_date=issued_at,
            compress=True,
        )
    return bytes(pdf.output())


def _centred(pdf: FPDF, text: str, direction: str | None, size: float, style: str, grey: int, *,
             height: float, lines: int = 1) -> None:
    """A centred line, made smaller until it fits (down to 60 %), wrapping to ``lines`` lines after that."""
    set_direction(pdf, direction)
    pdf.set_text_color(grey)
    smallest = size * 0.6
    pdf.set_font(MAIN_FONT, style, size)
    while size > smallest and pdf.get_string_width(text) > TEXT_WIDTH * lines:
        size -= 1
        pdf.set_font(MAIN_FONT, style, size)
    pdf.multi_cell(TEXT_WIDTH, height, text, align="C", new_x="LMARGIN", new_y="NEXT")


def _facts_and_link(pdf: FPDF, facts: list[tuple[str, str, str | None]], url: str, ui: str) -> None:
    """Label and value rows at the foot of the page, then the verification address; mirrored in RTL locales."""
    rtl = ui == "rtl"
    column = TEXT_WIDTH - QR_SIZE - 8
    start = PAGE_WIDTH - MARGIN - column if rtl else MARGIN
    align = "R" if rtl else "L"
    y = PAGE_HEIGHT - MARGIN - 14 - 7 * len(facts)
    for label, value, direction in facts:
        set_direction(pdf, ui)
        pdf.set_font(MAIN_FONT, "", 10)
        pdf.set_text_color(GREY)
        pdf.set_xy(start + column - LABEL_WIDTH if rtl else start, y)
        pdf.cell(LABEL_WIDTH, 7, label, align=align)
        set_direction(pdf, direction)
        pdf.set_font(MAIN_FONT, "B", 11)
        pdf.set_text_color(BLACK)
        pdf.set_xy(start if rtl else start + LABEL_WIDTH, y)
        pdf.cell(column - LABEL_WIDTH, 7, value, align=align)
        y += 7
    set_direction(pdf, ui)
    pdf.set_font(MAIN_FONT, "", 9)
    pdf.set_text_color(GREY)
    pdf.set_xy(start, y + 2)
    pdf.cell(column, 5, gettext("Scan the code or open this address to check the certificate:"), align=align)
    set_direction(pdf, "ltr")
    pdf.set_font(MAIN_FONT, "", 10)
    pdf.set_text_color(BLACK)
    pdf.set_xy(start, y + 7)
    pdf.cell(column, 5, url, align=align, link=url)


def _qr_code(pdf: FPDF, url: str, x: float, y: float) -> None:
    """The QR code of ``url`` as filled rectangles, one per run of dark modules: sharp at any
    zoom or printer, and a few hundred bytes. The page around it is blank, its quiet zone."""
    code = segno.make(url, error="m", micro=False)
    rows = [list(row) for row in code.matrix_iter(scale=1, border=0)]
    module = QR_SIZE / len(rows)
    pdf.set_fill_color(BLACK)
    for r, row in enumerate(rows):
        c = 0
        while c < len(row):
            if not row[c]:
                c += 1
                continue
            end = c
            while end < len(row) and row[end]:
                end += 1
            # A hair taller and wider than the run, so no white seam shows between neighbours.
            pdf.rect(x + c * module, y + r * module, (end - c) * module + 0.02, module + 0.02, style="F")
            c = end


def _revoked_mark(pdf: FPDF, revoked_on: str, ui: str) -> None:
    """A black band across the top saying REVOKED and when, and the word across the page in light grey,
    so neither cropping nor a faint printer hides it."""
    pdf.set_fill_color(BLACK)
    pdf.rect(13, 13, PAGE_WIDTH - 26, 14, style="F")
    set_direction(pdf, ui)
    pdf.set_text_color(255)
    pdf.set_font(MAIN_FONT, "B", 14)
    pdf.set_xy(MARGIN, 14)
    pdf.cell(TEXT_WIDTH, 12, f"{gettext('REVOKED')} · "
                             f"{gettext('This certificate was revoked on %(date)s.', date=revoked_on)}", align="C")
    pdf.set_text_color(225)
    pdf.set_font(MAIN_FONT, "B", 90)
    with pdf.rotation(20, PAGE_WIDTH / 2, PAGE_HEIGHT / 2):
        pdf.set_xy(0, PAGE_HEIGHT / 2 - 20)
        pdf.cell(PAGE_WIDTH, 40, gettext("REVOKED"), align="C")


def attached_credential(data: bytes) -> str | None:
    """The credential attached to a certificate PDF, as text, or None when there is none.

    Raises ValueError for a file that is not a readable PDF.
    """
    try:
        attachments = PdfReader(io.BytesIO(data)).attachments
        for name in attachments:
            if name.startswith(ATTACHMENT_PREFIX) and name.endswith(".json"):
                return attachments[name][0].decode("utf-8", errors="replace")
    except (PyPdfError, KeyError, TypeError) as error:
        raise ValueError(f"not a readable PDF ({error})") from error
    return None
