"""The public verification page: valid or revoked, the certificate's facts, nothing more about the learner."""
from __future__ import annotations

from datetime import UTC, datetime

from lms.extensions import db


def test_anyone_sees_a_valid_certificate_without_signing_in(client, issued):
    response = client.get(f"/certificates/{issued.public_id}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "This certificate is valid." in page
    assert "Amina Diallo" in page and issued.version.title in page
    assert "Certificate of completion" in page
    assert issued.issued_at.strftime("%Y") in page
    assert f"/certificates/{issued.public_id}/credential.json" in page
    assert '<meta name="robots" content="noindex">' in page


def test_the_page_says_nothing_more_about_the_learner(client, issued):
    page = client.get(f"/certificates/{issued.public_id}").get_data(as_text=True)
    assert "amina@example.org" not in page and "@example.org" not in page
    # No scores: neither the course score (90 %) nor the pass mark (70 %) of the rule met.
    main = page.split("<main", 1)[1].split("</main>", 1)[0].replace(issued.public_id, "")
    assert "%" not in main and "90" not in main and "70" not in main


def test_a_revoked_certificate_shows_as_revoked_with_its_date(client, issued):
    issued.revoked_at, issued.revoked_reason = datetime(2026, 11, 20, tzinfo=UTC), "Plagiarised adaptation plan"
    db.session.commit()
    page = client.get(f"/certificates/{issued.public_id}").get_data(as_text=True)
    assert "This certificate was revoked on November 20, 2026." in page
    assert "This certificate is valid." not in page
    # The reason is for the issuer's records and the offline tool, not the public.
    assert "Plagiarised" not in page


def test_unknown_ids_are_404(client, db_session):
    assert client.get("/certificates/no-such-certificate").status_code == 404


def test_the_page_is_translated(client, issued):
    client.set_cookie("locale", "fr")
    page = client.get(f"/certificates/{issued.public_id}", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert 'lang="fr"' in page and "This certificate is valid." not in page
