"""The PDF certificate: what it prints, its QR code, its fonts, the credential inside, and verifying it."""
from __future__ import annotations

import io
import json
import re
import unicodedata
from datetime import UTC, datetime

import pypdfium2 as pdfium
import pytest
import zxingcpp
from flask_babel import force_locale, gettext
from fontTools.ttLib import TTFont
from pypdf import PdfReader, PdfWriter

from lms.catalog import services as catalog
from lms.certificates import pdf
from lms.certificates import services as certificates
from lms.certificates.credentials import envelope, verify_credential
from lms.certificates.keys import load_public_keys
from lms.extensions import db
from lms.printing import FONT_FILES, FONTS, MAIN_FONT, new_document
from tests.certificates.records import work_through
from tests.certificates.test_cli import _tampered
from tests.factories import make_user, sign_in

ARABIC_NAME = "فاطمة الزهراء"
# Thai: in none of the certificate fonts, so every letter is drawn as the same empty box.
UNMAPPED_NAME = "กขคงจฉช ซฌญฎฏ"


@pytest.fixture
def issue_to(sample, key_folder):
    """Issue a certificate of completion in the sample course to a learner of the given name."""
    def issue(name: str):
        learner = make_user(name=name)
        catalog.enroll(learner, sample)
        work_through(learner, sample, quiz_fraction=0.9, post_test_passed=True)
        certificate = certificates.issue_if_earned(learner, sample)
        db.session.commit()
        return certificate

    return issue


def download(client, certificate, **headers) -> bytes:
    response = client.get(f"/certificates/{certificate.public_id}/certificate.pdf", headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return response.get_data()


def text_of(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def rendered(data: bytes):
    document = pdfium.PdfDocument(data)
    try:
        return document[0].render(scale=2).to_pil()
    finally:
        document.close()


def embedded_fonts(data: bytes) -> dict[str, TTFont]:
    """The font programs the PDF embeds (fpdf2's subsets), by base font name."""
    fonts = {}
    for font in PdfReader(io.BytesIO(data)).pages[0]["/Resources"]["/Font"].values():
        font = font.get_object()
        descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
        fonts[str(font["/BaseFont"])] = TTFont(io.BytesIO(descriptor["/FontFile2"].get_object().get_data()))
    return fonts


def drawn_glyphs(data: bytes, text: str) -> dict[str, str]:
    """Each letter of ``text`` that an embedded font has a real glyph for (not .notdef, not empty).

    Shaped Arabic is drawn with the letters' joined forms, which the subset maps from their
    presentation-form code points; NFKC takes those back to the letters themselves.
    """
    drawn = {}
    for font in embedded_fonts(data).values():
        for code_point, glyph in font.getBestCmap().items():
            if glyph != ".notdef" and font["glyf"][glyph].numberOfContours:
                drawn[unicodedata.normalize("NFKC", chr(code_point))] = glyph
    return {letter: drawn[letter] for letter in set(text) if letter in drawn}


def verify_file(app, path):
    return app.test_cli_runner().invoke(args=["verify-certificate", str(path)])


# What the PDF says


def test_the_pdf_prints_the_certificate(client, issued):
    data = download(client, issued)
    text = text_of(data)
    for fact in ("Amina Diallo", issued.public_id, issued.version.title, "Certificate of completion", "Kuza",
                 issued.issued_at.strftime("%B %-d, %Y"), certificates.verification_url(issued.public_id)):
        assert fact in text, fact
    # The sample course sets certificate_hours: 3.5.
    assert re.search(r"Learning hours\s*3\.5\b", text), text
    assert "REVOKED" not in text
    assert data.startswith(b"%PDF") and len(data) < 100_000


def test_the_qr_code_is_the_verification_url(client, issued):
    found = zxingcpp.read_barcodes(rendered(download(client, issued)))
    assert [code.text for code in found] == [certificates.verification_url(issued.public_id)]
    assert found[0].format == zxingcpp.BarcodeFormat.QRCode


def test_hours_are_printed_only_when_the_course_sets_them(client, issued):
    issued.version.policy = {key: value for key, value in issued.version.policy.items() if key != "certificate_hours"}
    db.session.commit()
    assert "Learning hours" not in text_of(download(client, issued))


def test_the_pdf_is_in_the_readers_language(client, issued):
    text = text_of(download(client, issued, **{"Accept-Language": "fr"}))
    with force_locale("fr"):
        kind = gettext("Certificate of completion")
    assert kind != "Certificate of completion" and kind in text
    assert "Amina Diallo" in text and issued.public_id in text


def test_a_revoked_certificate_still_downloads_marked_revoked(client, issued):
    issued.revoked_at, issued.revoked_reason = datetime(2026, 11, 20, tzinfo=UTC), "Plagiarised adaptation plan"
    db.session.commit()
    text = text_of(download(client, issued))
    assert "REVOKED" in text and "November 20, 2026" in text
    # The reason is for the verification page and the command, not printed for anyone who finds the file.
    assert "Plagiarised" not in text


# Names in any script the learners write


@pytest.mark.parametrize("name", [ARABIC_NAME, "João Gonçalves", "Hélène Côté", "Adébáyọ̀ Ọlá"])
def test_names_are_drawn_with_real_glyphs(client, issue_to, name):
    data = download(client, issue_to(name))
    # pypdf gives Arabic words in the order they are drawn, right to left; each word is whole.
    assert all(word in text_of(data) for word in name.split())
    missing = set(name) - {" "} - set(drawn_glyphs(data, name))
    assert not missing, f"no glyph for {sorted(missing)}"


def test_arabic_letters_are_joined_right_to_left(client, issue_to):
    data = download(client, issue_to(ARABIC_NAME))
    arabic = next(font for name, font in embedded_fonts(data).items() if "NotoNaskhArabic" in name)
    # Shaped Arabic uses the letters' joined (initial, medial, final) forms, which an unshaped
    # string never does: U+FE70 to U+FEFF are those forms' code points.
    forms = [glyph for glyph in arabic.getGlyphOrder() if glyph.startswith("uniFE") and "uniFE70" <= glyph <= "uniFEFF"]
    assert len(forms) >= 5, arabic.getGlyphOrder()


def test_an_arabic_name_does_not_look_like_missing_glyphs(client, issue_to):
    """The same page with a name no font has (a row of empty boxes) looks different."""
    arabic, unmapped = rendered(download(client, issue_to(ARABIC_NAME))), rendered(download(client, issue_to(UNMAPPED_NAME)))
    name_band = (0, int(arabic.height * 0.30), arabic.width, int(arabic.height * 0.42))
    assert arabic.crop(name_band).tobytes() != unmapped.crop(name_band).tobytes()
    assert not drawn_glyphs(download(client, issue_to(UNMAPPED_NAME)), UNMAPPED_NAME)


def test_the_fonts_ship_with_their_licence():
    files = {path.name for path in FONTS.iterdir()}
    assert set(FONT_FILES.values()) <= files and "OFL.txt" in files


# The credential inside


def test_the_attachment_is_the_signed_credential(app, client, issued, key_folder):
    data = download(client, issued)
    attachments = PdfReader(io.BytesIO(data)).attachments
    assert list(attachments) == [f"kuza-certificate-{issued.public_id}.json"]
    document = json.loads(pdf.attached_credential(data))
    assert document == envelope(issued.credential)
    result = verify_credential(document, load_public_keys(key_folder))
    assert result.valid, result.reason
    assert result.credential["id"] == certificates.verification_url(issued.public_id)


def test_verify_certificate_reads_the_pdf(app, client, issued, tmp_path):
    path = tmp_path / "certificate.pdf"
    path.write_bytes(download(client, issued))
    result = verify_file(app, path)
    assert result.exit_code == 0, result.output
    assert "VALID" in result.output and "Name:        Amina Diallo" in result.output
    assert "not its printed text" in result.output


def test_edited_printed_text_is_not_what_is_verified(app, issued, tmp_path):
    """A PDF printing another name over Amina's credential verifies as Amina's: the command
    shows the verified name for the reader to compare."""
    issued.user.name = "Someone Else"
    with app.test_request_context():
        data = pdf.render(issued)
    db.session.rollback()
    assert "Someone Else" in text_of(data)
    path = tmp_path / "edited.pdf"
    path.write_bytes(data)
    result = verify_file(app, path)
    assert result.exit_code == 0 and "Name:        Amina Diallo" in result.output
    assert "Someone Else" not in result.output


def _rewritten(data: bytes, attachment: bytes | None, name: str) -> bytes:
    writer = PdfWriter(clone_from=io.BytesIO(data))
    del writer.root_object["/Names"]
    if attachment is not None:
        writer.add_attachment(name, attachment)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_a_pdf_without_its_credential_is_invalid(app, client, issued, tmp_path):
    path = tmp_path / "stripped.pdf"
    path.write_bytes(_rewritten(download(client, issued), None, ""))
    assert not PdfReader(path).attachments
    result = verify_file(app, path)
    assert result.exit_code == 1
    assert "INVALID: no credential attached to this PDF" in result.output and "Amina" not in result.output


def test_a_pdf_with_an_altered_credential_is_invalid(app, client, issued, tmp_path):
    forged = json.dumps(envelope(_tampered(issued.credential, "Amina Diallo", "Amina Diallo-Smith"))).encode()
    path = tmp_path / "forged.pdf"
    path.write_bytes(_rewritten(download(client, issued), forged, pdf.attachment_name(issued.public_id)))
    result = verify_file(app, path)
    assert result.exit_code == 1 and "INVALID: bad signature" in result.output


def test_a_broken_pdf_is_invalid(app, db_session, key_folder, tmp_path):
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.4\nnot really a PDF\n")
    result = verify_file(app, path)
    assert result.exit_code == 1 and "INVALID" in result.output


def test_a_revoked_certificates_pdf_reports_revoked(app, client, issued, tmp_path):
    issued.revoked_at, issued.revoked_reason = datetime(2026, 11, 20, tzinfo=UTC), "Plagiarised adaptation plan"
    db.session.commit()
    path = tmp_path / "revoked.pdf"
    path.write_bytes(download(client, issued))
    result = verify_file(app, path)
    assert result.exit_code == 1
    assert "REVOKED on 2026-11-20: Plagiarised adaptation plan" in result.output


# The route and the links to it


def test_the_download_is_a_pdf_attachment(client, issued):
    response = client.get(f"/certificates/{issued.public_id}/certificate.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == f'attachment; filename="kuza-certificate-{issued.public_id}.pdf"'
    assert {"private", "no-cache"} <= {part.strip() for part in response.headers["Cache-Control"].split(",")}
    assert "Accept-Language" in response.headers["Vary"]
    again = client.get(f"/certificates/{issued.public_id}/certificate.pdf",
                       headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304 and not again.get_data()


def test_unknown_ids_are_404(client, db_session):
    assert client.get("/certificates/nosuchcertificate/certificate.pdf").status_code == 404


def test_pages_link_to_the_pdf(client, issued):
    link = f'href="/certificates/{issued.public_id}/certificate.pdf"'
    assert link in client.get(f"/certificates/{issued.public_id}").get_data(as_text=True)
    sign_in(client, issued.user)
    assert link in client.get("/my-learning").get_data(as_text=True)
    assert link in client.get(f"/courses/{issued.course.slug}/progress").get_data(as_text=True)


def test_an_arabic_page_keeps_every_line(client, issued):
    text = text_of(download(client, issued, **{"Accept-Language": "ar"}))
    with force_locale("ar"):
        kind, awarded = gettext("Certificate of completion"), gettext("Awarded to")
    for fact in (*kind.split(), *awarded.split(), "Amina Diallo", issued.public_id,
                 certificates.verification_url(issued.public_id)):
        assert fact in text, fact


def test_a_line_after_an_arabic_line_in_the_same_font_is_drawn():
    """fpdf2 loses the font after a line that starts in the fallback font (py-pdf/fpdf2#1772);
    the page class Kuza prints with must not."""
    page = new_document()
    page.set_text_shaping(True)
    page.add_page()
    page.set_font(MAIN_FONT, "", 14)
    page.cell(0, 10, ARABIC_NAME, new_x="LMARGIN", new_y="NEXT")
    page.cell(0, 10, "Hélène Côté", new_x="LMARGIN", new_y="NEXT")
    assert "Hélène Côté" in text_of(bytes(page.output()))
