"""Configuration: the embedded default keeps its own key; production insists on one; operators set the rest in the environment."""
from __future__ import annotations

import json
import os
import stat
import subprocess
import sys

import pytest

from lms import create_app
from lms.config import normalise_database_url


def test_embedded_default_generates_and_keeps_a_private_secret_key(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setattr("lms.config.Config.SECRET_KEY", None)
    monkeypatch.setattr("lms.config.Config.SQLALCHEMY_DATABASE_URI", None)
    monkeypatch.setenv("KUZA_INSTANCE_PATH", str(tmp_path))

    first = create_app("default")
    second = create_app("default")

    key_file = tmp_path / "secret_key"
    assert len(first.config["SECRET_KEY"]) == 64
    assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"] == key_file.read_text()
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert first.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'kuza.sqlite3'}"


def test_production_refuses_to_start_without_secret_key(monkeypatch):
    monkeypatch.setattr("lms.config.Config.SECRET_KEY", None)
    with pytest.raises(RuntimeError, match="SECRET_KEY is not set"):
        create_app("production")


def test_production_cookies_are_secure(monkeypatch, tmp_path):
    monkeypatch.setattr("lms.config.Config.SECRET_KEY", "from-the-environment")
    app = create_app("production", SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'p.sqlite3'}",
                     KUZA_BASE_URL="https://learn.example.org")
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_SECURE"]
    assert app.config["SESSION_COOKIE_HTTPONLY"] and app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_unknown_config_name_is_a_clear_error():
    with pytest.raises(RuntimeError, match="Unknown KUZA_CONFIG 'staging'"):
        create_app("staging")


@pytest.mark.parametrize(("given", "expected"), [
    ("postgres://u@h/db", "postgresql+psycopg://u@h/db"),
    ("postgresql://u@h/db", "postgresql+psycopg://u@h/db"),
    ("postgresql+psycopg://u@h/db", "postgresql+psycopg://u@h/db"),
    ("sqlite:////tmp/x.sqlite3", "sqlite:////tmp/x.sqlite3"),
])
def test_database_urls_use_psycopg_3(given, expected):
    assert normalise_database_url(given) == expected


def _config_in_a_fresh_process(tmp_path, **environment) -> dict:
    """The settings create_app reads, in a new interpreter: Config reads the environment once, at import."""
    script = ("import json; from lms import create_app; app = create_app('default'); "
              "print(json.dumps({k: app.config[k] for k in ('KUZA_BASE_URL', 'KUZA_ISSUER_NAME', 'KUZA_KEYS_DIR', "
              "'KUZA_EXTRA_XBLOCKS', 'XBLOCK_SETTINGS', 'KUZA_IMPORT_MAX_BYTES', 'KUZA_IMPORT_MAX_FILES')}))")
    env = {**os.environ, "KUZA_INSTANCE_PATH": str(tmp_path), **environment}
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=False)
    return {"returncode": done.returncode, "stderr": done.stderr,
            "config": json.loads(done.stdout) if done.returncode == 0 else None}


def test_operators_set_certificate_and_block_settings_in_the_environment(tmp_path):
    run = _config_in_a_fresh_process(
        tmp_path, KUZA_BASE_URL="https://learn.example.org", KUZA_ISSUER_NAME="Example School",
        KUZA_KEYS_DIR="/srv/kuza/keys", KUZA_EXTRA_XBLOCKS="done, drag-and-drop-v2",
        XBLOCK_SETTINGS='{"DoneXBlock": {"colour": "green"}}', KUZA_IMPORT_MAX_FILES="9000")
    assert run["returncode"] == 0, run["stderr"]
    assert run["config"] == {
        "KUZA_BASE_URL": "https://learn.example.org", "KUZA_ISSUER_NAME": "Example School",
        "KUZA_KEYS_DIR": "/srv/kuza/keys", "KUZA_EXTRA_XBLOCKS": ["done", "drag-and-drop-v2"],
        "XBLOCK_SETTINGS": {"DoneXBlock": {"colour": "green"}}, "KUZA_IMPORT_MAX_BYTES": 200 * 1024 * 1024,
        "KUZA_IMPORT_MAX_FILES": 9000}


@pytest.mark.parametrize(("name", "value"), [("KUZA_IMPORT_MAX_FILES", "many"), ("XBLOCK_SETTINGS", "{not json")])
def test_a_setting_that_cannot_be_read_stops_start_up_with_its_name(tmp_path, name, value):
    run = _config_in_a_fresh_process(tmp_path, **{name: value})
    assert run["returncode"] != 0
    assert f"The environment variable {name} is not valid" in run["stderr"]
