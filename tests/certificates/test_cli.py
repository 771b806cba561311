"""The certificate commands: keys, offline verification, revocation."""
from __future__ import annotations

from lms.certificates.keys import load_keyring, load_public_keys


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
