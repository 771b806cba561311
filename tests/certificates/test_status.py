"""Revocation in the credential's status: Bitstring Status List entries, the published lists, offline checks."""
from __future__ import annotations

import base64
import gzip
import json
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lms.catalog import services as catalog
from lms.certificates import services as certificates
from lms.certificates import status
from lms.certificates.credentials import STATUS_LIST, sign, verify_credential
from lms.certificates.keys import generate_key, load_keyring, load_public_keys
from lms.certificates.models import Certificate
from lms.extensions import db
from tests.certificates.test_credentials import _payload, independently_valid
from tests.certificates.records import work_through
from tests.factories import make_user

# The example list of Bitstring Status List v1.0 (W3C Recommendation), section 2.2: 16 KB of zeros.
SPEC_EXAMPLE = "uH4sIAAAAAAAAA-3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC3AYbSVKsAQAAA"


def _bits(encoded: str) -> set[int]:
    bitstring = status.decode(encoded)
    return {index for index in range(len(bitstring) * 8) if bitstring[index // 8] & (0x80 >> (index % 8))}


def test_the_specification_example_decodes_to_an_empty_list_of_16_kb():
    assert status.decode(SPEC_EXAMPLE) == bytes(status.LIST_SIZE // 8)


def test_bit_zero_is_the_left_most_bit_of_the_first_byte():
    raw = gzip.decompress(base64.urlsafe_b64decode(status.encode([0, 9])[1:] + "=="))
    assert raw[0] == 0b1000_0000 and raw[1] == 0b0100_0000 and not any(raw[2:])


@given(st.sets(st.integers(0, status.LIST_SIZE - 1), max_size=50))
def test_encoding_round_trips(bits):
    encoded = status.encode(bits)
    assert encoded.startswith("u") and "=" not in encoded
    assert _bits(encoded) == bits


def test_hostile_lists_are_refused_not_inflated():
    bomb = "u" + base64.urlsafe_b64encode(gzip.compress(bytes(64 * 1024 * 1024))).decode().rstrip("=")
    with pytest.raises(status.StatusError, match="larger"):
        status.decode(bomb)
    short = "u" + base64.urlsafe_b64encode(gzip.compress(bytes(100))).decode().rstrip("=")
    with pytest.raises(status.StatusError, match="shorter"):
        status.decode(short)
    for garbage in ("zABC", "u!!!", "uAAAA", None):
        with pytest.raises(status.StatusError):
            status.decode(garbage)


def test_every_credential_names_its_own_bit_in_a_published_list(issued, key_folder):
    credential = verify_credential(issued.credential, load_public_keys(key_folder)).credential
    number, bit = status.locate(issued.status_index)
    list_url = f"http://127.0.0.1:8000/issuer/status/{number}"
    assert credential["credentialStatus"] == {
        "id": f"{list_url}#{bit}", "type": "BitstringStatusListEntry", "statusPurpose": "revocation",
        "statusListIndex": str(bit), "statusListCredential": list_url}


def test_status_bits_are_unique_and_scattered(sample, key_folder):
    indexes = []
    for serial in range(12):
        learner = make_user(email=f"learner{serial}@example.org")
        catalog.enroll(learner, sample)
        work_through(learner, sample, quiz_fraction=0.9, post_test_passed=True)
        indexes.append(certificates.issue_if_earned(learner, sample).status_index)
    assert len(set(indexes)) == len(indexes)
    # Random, not issue order: sequential bits would tell who was certified at the same time.
    assert indexes != sorted(indexes)


def test_a_taken_bit_is_drawn_again(issued, monkeypatch):
    learner = make_user(email="second@example.org")
    catalog.enroll(learner, issued.course)
    work_through(learner, issued.course, quiz_fraction=0.9, post_test_passed=True)
    draws = iter([issued.status_index, issued.status_index, 4242])
    monkeypatch.setattr(certificates, "new_status_index", lambda: next(draws))
    second = certificates.issue_if_earned(learner, issued.course)
    assert second.status_index == 4242 and second.id != issued.id
    assert db.session.get(Certificate, issued.id).status_index == issued.status_index


def _published_list(client, number=0):
    response = client.get(f"/issuer/status/{number}")
    assert response.status_code == 200
    return response


def test_the_published_list_is_a_signed_status_list_credential(client, issued, key_folder):
    response = _published_list(client)
    assert response.mimetype == "application/vc+jwt"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "max-age=300" in response.headers["Cache-Control"]
    token = response.get_data(as_text=True)
    keys = load_public_keys(key_folder)
    assert independently_valid(token, keys)
    result = verify_credential(token, keys, kind=STATUS_LIST)
    assert result.valid, result.reason
    listed = result.credential
    assert listed["id"] == "http://127.0.0.1:8000/issuer/status/0"
    assert listed["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert listed["issuer"] == "http://127.0.0.1:8000/issuer"
    assert listed["credentialSubject"]["statusPurpose"] == "revocation"
    assert _bits(listed["credentialSubject"]["encodedList"]) == set()
    # A certificate's credential is not a status list, and a status list is not a certificate.
    assert not verify_credential(token, keys).valid
    assert not verify_credential(issued.credential, keys, kind=STATUS_LIST).valid


def test_revoking_sets_the_certificate_bit_and_only_that_one(client, issued, key_folder):
    certificates.revoke(make_user(role="admin", email="admin@example.org"), issued, "Identity fraud")
    db.session.commit()
    listed = _payload(_published_list(client).get_data(as_text=True))
    assert _bits(listed["credentialSubject"]["encodedList"]) == {status.locate(issued.status_index)[1]}
    credential = verify_credential(issued.credential, load_public_keys(key_folder)).credential
    assert status.is_revoked(credential, listed)


def test_lists_beyond_those_in_use_are_404(client, issued):
    assert client.get("/issuer/status/1").status_code == 404
    assert client.get("/issuer/status/-1").status_code == 404


def _offline_credential(app, key_folder, *, index: int, revoked: bool, tmp_path):
    """A credential for a certificate this database has never seen, and a copy of its list,
    as a verifier on another machine would hold them."""
    with app.test_request_context():
        sample = catalog.get_course("public-service-innovation")
        token = certificates.sign_certificate(
            public_id="from-another-server", learner_name="Kofi Mensah", course=sample,
            version=sample.published_version, kind="completion", rule={"state": "passed"},
            issued_at=datetime(2026, 11, 2, tzinfo=UTC), status_index=index)
        listed = status.list_credential(certificates.status_list_url(0), certificates.issuer_profile()["id"],
                                        [index] if revoked else [], datetime(2026, 11, 27, 12, tzinfo=UTC))
        list_token = sign(listed, load_keyring(key_folder), keys_url=certificates.keys_url())
    (tmp_path / "credential.jwt").write_text(token)
    (tmp_path / "status.jwt").write_text(list_token)
    return tmp_path / "credential.jwt", tmp_path / "status.jwt"


@pytest.mark.parametrize("revoked", [False, True])
def test_verify_certificate_reads_a_downloaded_list_offline(app, sample, key_folder, tmp_path, revoked):
    credential, listed = _offline_credential(app, key_folder, index=77, revoked=revoked, tmp_path=tmp_path)
    runner = app.test_cli_runner()
    without = runner.invoke(args=["verify-certificate", str(credential)])
    assert without.exit_code == 0 and "revocation not checked" in without.output
    assert "http://127.0.0.1:8000/issuer/status/0" in without.output

    result = runner.invoke(args=["verify-certificate", str(credential), "--status-list", str(listed)])
    if revoked:
        assert result.exit_code == 1 and "REVOKED according to the revocation list of 2026-11-27" in result.output
    else:
        assert result.exit_code == 0 and "Not revoked according to the revocation list of 2026-11-27" in result.output


def test_a_forged_or_foreign_list_is_never_taken_as_not_revoked(app, sample, key_folder, tmp_path):
    credential, listed = _offline_credential(app, key_folder, index=77, revoked=True, tmp_path=tmp_path)
    runner = app.test_cli_runner()
    payload = _payload(listed.read_text())
    payload["credentialSubject"]["encodedList"] = status.encode([])
    header, _body, signature = listed.read_text().split(".")
    forged = base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")
    listed.write_text(f"{header}.{forged}.{signature}")
    result = runner.invoke(args=["verify-certificate", str(credential), "--status-list", str(listed)])
    assert result.exit_code == 1 and "revocation list is not valid: bad signature" in result.output

    # A list signed by a key this issuer does not publish.
    stranger = tmp_path / "stranger"
    generate_key(stranger)
    with app.test_request_context():
        def signed_list(number, keyring):
            document = status.list_credential(certificates.status_list_url(number), certificates.issuer_profile()["id"],
                                              [], datetime.now(UTC))
            return sign(document, keyring, keys_url=certificates.keys_url())

        foreign = signed_list(0, load_keyring(stranger))
        other_list = signed_list(3, load_keyring(key_folder))
    listed.write_text(foreign)
    result = runner.invoke(args=["verify-certificate", str(credential), "--status-list", str(listed)])
    assert result.exit_code == 1 and "unknown key" in result.output

    listed.write_text(other_list)
    result = runner.invoke(args=["verify-certificate", str(credential), "--status-list", str(listed)])
    assert result.exit_code == 1 and "not the status list the credential names" in result.output
