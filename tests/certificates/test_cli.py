"""The certificate commands: keys, offline verification, revocation."""
from __future__ import annotations

import base64
import json
from datetime import UTC, datetime

import pytest

from lms.certificates.credentials import envelope
from lms.certificates.keys import load_keyring, load_public_keys
from lms.extensions import db


def test_keys_generate_prints_the_kid_and_rotates(app, key_folder):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["keys", "generate"])
    assert first.exit_code == 0, first.output
    first_kid = first.stdout.strip()
    assert load_keyring(key_folder).active_kid == first_kid

    second = runner.invoke(args=["keys", "generate"])
    second_kid = second.stdout.strip()
    assert second_kid != first_kid and load_keyring(key_folder).active_kid == second_kid
    assert set(load_public_keys(key_folder)) == {first_kid, second_kid}

    listed = runner.invoke(args=["keys", "list"])
    assert listed.exit_code == 0
    assert f"{first_kid}  retired" in listed.output and f"{second_kid}  active" in listed.output


def test_keys_list_without_keys_says_what_to_do(app, key_folder):
    listed = app.test_cli_runner().invoke(args=["keys", "list"])
    assert listed.exit_code == 1 and "kuza keys generate" in listed.output


def test_the_key_folder_defaults_to_the_instance_folder(app):
    from lms.certificates.services import key_folder

    with app.app_context():
        assert str(key_folder()) == f"{app.instance_path}/keys"


# kuza verify-certificate

def _tampered(token: str, old: str, new: str) -> str:
    header, payload, signature = token.split(".")
    body = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    text = json.dumps(body, ensure_ascii=False).replace(old, new)
    assert text != json.dumps(body, ensure_ascii=False)
    forged = base64.urlsafe_b64encode(text.encode("utf-8")).rstrip(b"=").decode("ascii")
    return f"{header}.{forged}.{signature}"


def _verify(app, path):
    return app.test_cli_runner().invoke(args=["verify-certificate", str(path)])


def test_a_downloaded_credential_verifies_offline(app, client, issued, tmp_path):
    path = tmp_path / "credential.json"
    path.write_bytes(client.get(f"/certificates/{issued.public_id}/credential.json").get_data())
    result = _verify(app, path)
    assert result.exit_code == 0, result.output
    assert "VALID" in result.output and "Amina Diallo" in result.output
    assert issued.version.title in result.output
    assert issued.issued_at.strftime("%Y-%m-%d") in result.output
    assert "REVOKED" not in result.output


def test_a_bare_jwt_file_verifies_too(app, issued, tmp_path):
    path = tmp_path / "credential.jwt"
    path.write_text(issued.credential + "\n")
    assert _verify(app, path).exit_code == 0


@pytest.mark.parametrize("old, new", [("Amina Diallo", "Amina Diallo-Smith"), ("CertificateOfCompletion", "Certificate")])
def test_a_tampered_credential_fails(app, issued, tmp_path, old, new):
    path = tmp_path / "tampered.json"
    path.write_text(json.dumps(envelope(_tampered(issued.credential, old, new))))
    result = _verify(app, path)
    assert result.exit_code == 1
    assert "INVALID: bad signature" in result.output and "Amina" not in result.output


def test_a_tampered_date_or_id_fails(app, issued, tmp_path):
    for old, new in [(issued.issued_at.strftime("%Y-%m-%d"), "2020-01-01"), (issued.public_id, "x" * 22)]:
        path = tmp_path / "tampered.jwt"
        path.write_text(_tampered(issued.credential, old, new))
        assert _verify(app, path).exit_code == 1


def test_garbage_and_unknown_keys_are_invalid(app, issued, tmp_path, key_folder):
    garbage = tmp_path / "garbage.json"
    garbage.write_text("{not json")
    assert _verify(app, garbage).exit_code == 1
    for kid in load_public_keys(key_folder):
        (key_folder / f"{kid}.pub.pem").unlink()
    (key_folder / "active").unlink()
    path = tmp_path / "credential.jwt"
    path.write_text(issued.credential)
    result = _verify(app, path)
    assert result.exit_code == 1 and "INVALID: unknown key" in result.output


def test_old_credentials_still_verify_after_rotation(app, issued, tmp_path):
    path = tmp_path / "credential.jwt"
    path.write_text(issued.credential)
    assert app.test_cli_runner().invoke(args=["keys", "generate"]).exit_code == 0
    assert _verify(app, path).exit_code == 0


def test_a_revoked_certificate_is_reported_and_fails(app, issued, tmp_path):
    issued.revoked_at, issued.revoked_reason = datetime(2026, 11, 20, tzinfo=UTC), "Plagiarised adaptation plan"
    db.session.commit()
    path = tmp_path / "credential.jwt"
    path.write_text(issued.credential)
    result = _verify(app, path)
    assert result.exit_code == 1
    assert "REVOKED on 2026-11-20: Plagiarised adaptation plan" in result.output


def test_a_valid_credential_unknown_here_says_revocation_was_not_checked(app, db_session, key_folder, tmp_path):
    from lms.certificates.credentials import issue_credential
    from lms.certificates.keys import generate_key

    generate_key(key_folder)
    token = issue_credential(
        {"learner_name": "Nadia Haddad", "course_title": "Civic tech", "criteria": "Completed every lesson.",
         "issued_at": datetime(2026, 11, 1, tzinfo=UTC)},
        load_keyring(key_folder), "http://127.0.0.1:8000/certificates/elsewhere", {"id": "http://127.0.0.1:8000/issuer",
                                                                                   "name": "Kuza"})
    path = tmp_path / "credential.jwt"
    path.write_text(token)
    result = _verify(app, path)
    assert result.exit_code == 0, result.output
    assert "Nadia Haddad" in result.output and "2026-11-01" in result.output
    assert "revocation not checked" in result.output
