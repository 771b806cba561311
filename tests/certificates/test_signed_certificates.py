"""Signing at issuance: the stored credential, the issuer's published profile and keys, downloads."""
from __future__ import annotations

import json

from lms.catalog import services as catalog
from lms.certificates import services as certificates
from lms.certificates.credentials import verify_credential
from lms.certificates.keys import generate_key, load_public_keys, public_keys_from_jwks
from lms.extensions import db
from tests.certificates.records import work_through
from tests.factories import make_user, sign_in


def test_issuing_signs_an_open_badge_with_a_key_made_on_first_use(issued, key_folder):
    assert issued.credential and issued.credential.count(".") == 2
    keys = load_public_keys(key_folder)
    assert len(keys) == 1  # made by the first issuance
    result = verify_credential(issued.credential, keys)
    assert result.valid, result.reason
    credential = result.credential
    assert credential["id"] == f"http://127.0.0.1:8000/certificates/{issued.public_id}"
    assert credential["issuer"] == {"id": "http://127.0.0.1:8000/issuer", "type": ["Profile"], "name": "Kuza",
                                    "url": "http://127.0.0.1:8000"}
    subject = credential["credentialSubject"]
    assert subject["identifier"][0]["identityHash"] == "Amina Diallo"
    achievement = subject["achievement"]
    assert achievement["name"] == issued.version.title
    assert achievement["achievementType"] == "CertificateOfCompletion"
    assert achievement["criteria"]["narrative"].startswith("Completed every lesson and passed the course")
    assert credential["validFrom"].startswith(issued.issued_at.strftime("%Y-%m-%d"))
    assert "amina@example.org" not in json.dumps(credential)


def test_base_url_and_issuer_name_come_from_config(app, sample, key_folder):
    app.config.update(KUZA_BASE_URL="https://learn.example.org/", KUZA_ISSUER_NAME="Example School")
    try:
        learner = make_user()
        catalog.enroll(learner, sample)
        work_through(learner, sample, quiz_fraction=0.5, post_test_passed=False)
        certificate = certificates.issue_if_earned(learner, sample)
    finally:
        app.config.pop("KUZA_BASE_URL")
        app.config.pop("KUZA_ISSUER_NAME")
    credential = verify_credential(certificate.credential, load_public_keys(key_folder)).credential
    assert credential["id"] == f"https://learn.example.org/certificates/{certificate.public_id}"
    assert credential["issuer"]["name"] == "Example School"
    assert credential["issuer"]["id"] == "https://learn.example.org/issuer"
    assert credential["credentialSubject"]["achievement"]["achievementType"] == "Certificate"
    assert credential["credentialSubject"]["achievement"]["criteria"]["narrative"] == "Completed every lesson of the course."


def test_the_issuer_profile_is_public_json_ld(client):
    response = client.get("/issuer")
    assert response.status_code == 200 and response.mimetype == "application/ld+json"
    profile = response.get_json(force=True)
    assert profile["@context"][0] == "https://www.w3.org/ns/credentials/v2"
    assert profile["id"] == "http://127.0.0.1:8000/issuer" and profile["type"] == ["Profile"]
    assert profile["name"] == "Kuza"


def test_the_jwks_lists_a_rotated_out_key_and_old_credentials_still_verify(client, issued, key_folder):
    old_kid = next(iter(load_public_keys(key_folder)))
    new_kid = app_rotate(client)
    published = client.get("/issuer/keys.json")
    assert published.status_code == 200 and published.headers["Access-Control-Allow-Origin"] == "*"
    keys = public_keys_from_jwks(published.get_json(force=True))
    assert set(keys) == {old_kid, new_kid}
    assert verify_credential(issued.credential, keys).valid


def app_rotate(client) -> str:
    result = client.application.test_cli_runner().invoke(args=["keys", "generate"])
    assert result.exit_code == 0, result.output
    return result.stdout.strip()


def test_anyone_with_the_id_can_download_the_credential(client, issued, key_folder):
    response = client.get(f"/certificates/{issued.public_id}/credential.json")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    document = response.get_json(force=True)
    assert document["type"] == "EnvelopedVerifiableCredential"
    assert verify_credential(document, load_public_keys(key_folder)).valid
    assert client.get("/certificates/not-a-certificate/credential.json").status_code == 404


def test_the_progress_page_links_the_download(client, issued):
    sign_in(client, issued_learner(issued))
    page = client.get("/courses/public-service-innovation/progress").get_data(as_text=True)
    assert f"/certificates/{issued.public_id}/credential.json" in page
    assert "Download the signed credential (Open Badges 3.0)" in page


def issued_learner(certificate):
    from lms.accounts.models import User

    return db.session.get(User, certificate.user_id)


def test_a_key_folder_with_keys_is_used_as_it_is(sample, key_folder):
    kid = generate_key(key_folder)
    learner = make_user()
    catalog.enroll(learner, sample)
    work_through(learner, sample, quiz_fraction=0.5, post_test_passed=False)
    certificate = certificates.issue_if_earned(learner, sample)
    assert verify_credential(certificate.credential, load_public_keys(key_folder)).kid == kid
    assert set(load_public_keys(key_folder)) == {kid}


def test_an_issued_credential_verifies_independently_and_a_changed_name_does_not(issued, key_folder):
    from tests.certificates.test_credentials import _with_payload, independently_valid

    keys = load_public_keys(key_folder)
    assert independently_valid(issued.credential, keys)

    def rename(payload):
        payload["credentialSubject"]["identifier"][0]["identityHash"] = "Someone Else"

    forged = _with_payload(issued.credential, rename)
    assert not independently_valid(forged, keys)
    assert verify_credential(forged, keys).reason == "bad signature"
