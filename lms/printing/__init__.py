"""What Kuza's printable files share: the bundled fonts and an fpdf2 document set up to draw every script Kuza offers.

Certificates and adaptation plans both print through ``new_document``, so an Arabic name
or answer is shaped and ordered the same way in each.
"""
from __future__ import annotations

from pathlib import Path

from fpdf import FPDF

FONTS = Path(__file__).parent / "fonts"
MAIN_FONT, FALLBACK_FONT = "NotoSans", "NotoNaskhArabic"
# Noto Sans draws Latin scripts; Noto Naskh Arabic takes over, glyph by glyph, where it has none.
FONT_FILES = {
    (MAIN_FONT, ""): "NotoSans-Regular.ttf",
    (MAIN_FONT, "B"): "NotoSans-Bold.ttf",
    (FALLBACK_FONT, ""): "NotoNaskhArabic-Regular.ttf",
    (FALLBACK_FONT, "B"): "NotoNaskhArabic-Bold.ttf",
}


class KuzaPDF(FPDF):
    """FPDF that tells the page its font as soon as it is chosen.

    fpdf2 2.8 sets the font of a line that starts in a fallback font inside that line's saved
    graphics state, then believes the page has it, so the next line is drawn with no font at
    all (py-pdf/fpdf2#1772): an Arabic name would blank the lines after it.
    """

    def set_font(self, family=None, style="", size=0):
        super().set_font(family, style, size)
        if self.page and not self.current_font_is_set_on_page:
            self._out(self._set_font_for_page(self.current_font, self.font_size_pt))


def new_document(**options) -> KuzaPDF:
    """An empty document (fpdf2's ``options``: orientation, format, unit) with Kuza's fonts and fallback."""
    pdf = KuzaPDF(**options)
    for (family, style), file in FONT_FILES.items():
        pdf.add_font(family, style, FONTS / file)
    pdf.set_fallback_fonts([FALLBACK_FONT])
    return pdf


def set_direction(pdf: FPDF, direction: str | None) -> None:
    """HarfBuzz shapes the next text (Arabic letters joined) and the bidi algorithm orders it,
    as a paragraph of ``direction``, or of its first strong letter's when None."""
    pdf.set_text_shaping(True, direction=direction)
