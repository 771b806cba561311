"""Every kuza command reports a setting it cannot start with, a database it cannot reach and a
database left behind as one line on stderr, naming the setting or address, never a traceback."""
from __future__ import annotations

import os
import sqlite3
import uuid

import pytest
from sqlalchemy.engine import make_url

from tests.commands import free_port, kuza
from tests.environment import skip_or_fail

PASSWORD = "s3cret-Pa55word"
ANY_COMMAND = ("create-user", "someone@example.org", "--name", "Someone")


def one_error_line(done) -> str:
    """The single line a refused command prints on stderr; it fails with status 1."""
    assert done.returncode == 1, (done.returncode, done.stdout, done.stderr)
    assert "Traceback" not in done.stdout + done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    return lines[0]


def sqlite_url(path) -> str:
    return f"sqlite:///{path}"


@pytest.mark.parametrize(("settings", "named"), [
    ({"KUZA_CONFIG": "production", "KUZA_BASE_URL": "https://learn.example.org"}, "SECRET_KEY is not set"),
    ({"KUZA_CONFIG": "production", "SECRET_KEY": "x" * 64}, "KUZA_BASE_URL is not set"),
    ({"KUZA_CONFIG": "staging"}, "Unknown KUZA_CONFIG 'staging'"),
    ({"KUZA_IMPORT_MAX_FILES": "many"}, "The environment variable KUZA_IMPORT_MAX_FILES is not valid"),
    ({"XBLOCK_SETTINGS": "{not json"}, "The environment variable XBLOCK_SETTINGS is not valid"),
], ids=["production-secret-key", "production-base-url", "unknown-config", "not-a-number", "not-json"])
def test_a_setting_kuza_cannot_start_with_is_named_in_one_line(tmp_path, settings, named):
    line = one_error_line(kuza(tmp_path, *ANY_COMMAND, DATABASE_URL=sqlite_url(tmp_path / "kuza.sqlite3"), **settings))
    assert line.startswith(f"Error: {named}")


def test_production_with_every_setting_given_is_not_refused(tmp_path):
    done = kuza(tmp_path, "db", "upgrade", KUZA_CONFIG="production", SECRET_KEY="x" * 64,
                KUZA_BASE_URL="https://learn.example.org", DATABASE_URL=sqlite_url(tmp_path / "kuza.sqlite3"))
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize("command", [ANY_COMMAND, ("db", "upgrade")], ids=["create-user", "db-upgrade"])
def test_a_port_where_no_database_listens_is_named(tmp_path, command):
    port = free_port()
    done = kuza(tmp_path, *command, DATABASE_URL=f"postgresql://kuza:{PASSWORD}@127.0.0.1:{port}/kuza")
    line = one_error_line(done)
    assert line.startswith(f"Error: Cannot connect to the database at postgresql://kuza:***@127.0.0.1:{port}/kuza")
    assert "DATABASE_URL" in line and "Connection refused" in line
    assert PASSWORD not in done.stdout + done.stderr


def test_a_host_that_does_not_exist_is_named(tmp_path):
    done = kuza(tmp_path, *ANY_COMMAND, DATABASE_URL=f"postgresql://kuza:{PASSWORD}@no-such-host.invalid/kuza")
    line = one_error_line(done)
    assert line.startswith("Error: Cannot connect to the database at postgresql://kuza:***@no-such-host.invalid/kuza")
    assert PASSWORD not in done.stderr


@pytest.mark.postgres
def test_a_database_name_the_server_does_not_have_is_named(tmp_path):
    server = os.environ.get("TEST_DATABASE_URL")
    if not server:
        skip_or_fail("TEST_DATABASE_URL is not set: no PostgreSQL server to ask for a missing database")
    missing = f"kuza_missing_{uuid.uuid4().hex[:10]}"
    url = make_url(server).set(database=missing)
    line = one_error_line(kuza(tmp_path, *ANY_COMMAND, DATABASE_URL=url.render_as_string(hide_password=False)))
    assert line.startswith("Error: Cannot connect to the database at postgresql://")
    assert f'database "{missing}" does not exist' in line
    assert not url.password or url.password not in line


def test_a_sqlite_file_in_a_missing_folder_is_named(tmp_path):
    path = tmp_path / "no-such-folder" / "kuza.sqlite3"
    line = one_error_line(kuza(tmp_path, "db", "upgrade", DATABASE_URL=sqlite_url(path)))
    assert line == f"Error: Cannot connect to the database at sqlite:///{path} (DATABASE_URL): unable to open database file"


@pytest.mark.parametrize(("url", "expected"), [
    (f"mysql://kuza:{PASSWORD}@127.0.0.1/kuza", "Error: DATABASE_URL mysql://kuza:***@127.0.0.1/kuza is not supported"),
    (f"postgresql+psycopg2://kuza:{PASSWORD}@db/kuza", "Error: DATABASE_URL postgresql://kuza:***@db/kuza is not supported"),
    (f"kuza:{PASSWORD}@db/kuza", "Error: DATABASE_URL is not a database URL"),
], ids=["mysql", "another-driver", "not-a-url"])
def test_a_database_url_kuza_has_no_driver_for_is_refused_at_start_up(tmp_path, url, expected):
    done = kuza(tmp_path, *ANY_COMMAND, DATABASE_URL=url)
    assert one_error_line(done).startswith(expected)
    assert PASSWORD not in done.stderr


def test_commands_say_to_upgrade_a_database_left_behind_and_db_upgrade_brings_it_up(tmp_path):
    database = tmp_path / "kuza.sqlite3"
    url = sqlite_url(database)
    behind = f"Error: The database at {url} is behind this version of Kuza: run `kuza db upgrade`."

    assert one_error_line(kuza(tmp_path, *ANY_COMMAND, stdin=f"{PASSWORD}\n", DATABASE_URL=url)) == behind

    assert kuza(tmp_path, "db", "upgrade", "0001", DATABASE_URL=url).returncode == 0
    for command in (ANY_COMMAND, ("trainers", "list", "any-course"), ("load-demo",)):
        assert one_error_line(kuza(tmp_path, *command, stdin=f"{PASSWORD}\n", DATABASE_URL=url)) == behind

    assert kuza(tmp_path, "db", "upgrade", DATABASE_URL=url).returncode == 0
    created = kuza(tmp_path, *ANY_COMMAND, stdin=f"{PASSWORD}\n", DATABASE_URL=url)
    assert created.returncode == 0, created.stderr
    assert "Created learner someone@example.org." in created.stdout


def test_a_database_migrated_by_a_newer_kuza_is_named(tmp_path):
    database = tmp_path / "kuza.sqlite3"
    assert kuza(tmp_path, "db", "upgrade", DATABASE_URL=sqlite_url(database)).returncode == 0
    with sqlite3.connect(database) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999'")
    line = one_error_line(kuza(tmp_path, "trainers", "list", "any-course", DATABASE_URL=sqlite_url(database)))
    assert line.startswith(f"Error: The database at {sqlite_url(database)} has migration 9999")
