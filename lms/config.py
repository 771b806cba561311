"""Configuration classes: the embedded default, production and testing."""
from __future__ import annotations

import json
import os
import secrets
from pathlib import Path

from flask import Flask
from sqlalchemy.pool import NullPool


def _environ(name: str, parse, default):
    """A setting from the environment, parsed, or the default; a value that cannot be parsed
    stops start-up with its name rather than surfacing later as a strange failure."""
    text = os.environ.get(name)
    if text is None:
        return default
    try:
        return parse(text)
    except ValueError as error:
        raise RuntimeError(f"The environment variable {name} is not valid: {error}") from None


class Config:
    """The embedded default: SQLite in the instance folder, a secret key kept beside it."""

    SQLALCHEMY_DATABASE_URI: str | None = os.environ.get("DATABASE_URL")
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    SECRET_KEY: str | None = os.environ.get("SECRET_KEY")

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    # Flask-Login would otherwise refresh the remember cookie on every request.
    REMEMBER_COOKIE_REFRESH_EACH_REQUEST = False

    WTF_CSRF_TIME_LIMIT = None  # a learner may keep a lesson open for hours on a slow link
    BABEL_DEFAULT_LOCALE = "en"
    KUZA_LOCALES = ("en", "fr", "pt", "ar")
    # Course packages: caps on what an archive may unpack to.
    KUZA_IMPORT_MAX_BYTES = _environ("KUZA_IMPORT_MAX_BYTES", int, 200 * 1024 * 1024)
    KUZA_IMPORT_MAX_FILES = _environ("KUZA_IMPORT_MAX_FILES", int, 5000)
    # Certificates: the public address and issuer name written into every credential, and
    # where the signing keys live (None: the instance folder's keys/).
    KUZA_BASE_URL: str | None = os.environ.get("KUZA_BASE_URL")
    KUZA_ISSUER_NAME: str | None = os.environ.get("KUZA_ISSUER_NAME")
    KUZA_KEYS_DIR: str | None = os.environ.get("KUZA_KEYS_DIR")
    MAX_CONTENT_LENGTH = 16 * 1024 * 1024
    COMPRESS_MIMETYPES = [
        "text/html", "text/css", "text/javascript", "application/javascript", "application/json", "image/svg+xml",
    ]
    COMPRESS_ALGORITHM = ["br", "gzip"]
    # Static files are streamed; without this a gzip-only browser gets kuza.css uncompressed.
    COMPRESS_ALGORITHM_STREAMING = ["br", "gzip"]
    COMPRESS_MIN_SIZE = 300
    # Static files are addressed by content digest (see templating.static_url).
    SEND_FILE_MAX_AGE_DEFAULT = 365 * 24 * 3600
    # Settings handed to blocks through the XBlock "settings" service, by block class name (JSON).
    XBLOCK_SETTINGS: dict = _environ("XBLOCK_SETTINGS", json.loads, {})
    # XBlock types hosted besides Kuza's own kuza_* blocks (comma-separated).
    KUZA_EXTRA_XBLOCKS: tuple[str, ...] = _environ(
        "KUZA_EXTRA_XBLOCKS", lambda text: tuple(name.strip() for name in text.split(",") if name.strip()), ())

    @classmethod
    def init_app(cls, app: Flask) -> None:
        instance = Path(app.instance_path)
        instance.mkdir(parents=True, exist_ok=True)
        if not app.config.get("SQLALCHEMY_DATABASE_URI"):
            app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{instance / 'kuza.sqlite3'}"
        app.config["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(
            app.config["SQLALCHEMY_DATABASE_URI"]
        )
        if _is_sqlite_file(app.config["SQLALCHEMY_DATABASE_URI"]):
            # A fresh connection per checkout. A pooled SQLite connection that an error left with
            # a half-read result keeps an old read snapshot, and then fails every later write
            # with "database is locked"; opening a file connection costs microseconds.
            app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {
                **app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {}), "poolclass": NullPool,
            }
        if not app.config.get("SECRET_KEY"):
            app.config["SECRET_KEY"] = _kept_secret_key(instance / "secret_key")


class ProductionConfig(Config):
    """A shared deployment: PostgreSQL or SQLite by DATABASE_URL, a secret key that must be given."""

    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True

    @classmethod
    def init_app(cls, app: Flask) -> None:
        if not app.config.get("SECRET_KEY"):
            raise RuntimeError(
                "SECRET_KEY is not set. Production needs a fixed secret key shared by every "
                "app server: set the SECRET_KEY environment variable."
            )
        super().init_app(app)


class TestingConfig(Config):
    """Tests: a throwaway database given by the test fixtures, fixed key, fast hashing."""

    TESTING = True
    SECRET_KEY = "testing-only-secret"
    SQLALCHEMY_DATABASE_URI = None
    KUZA_PASSWORD_METHOD = "pbkdf2:sha256:1000"


CONFIGS: dict[str, type[Config]] = {
    "default": Config,
    "production": ProductionConfig,
    "testing": TestingConfig,
}


def resolve(config: type[Config] | str | None) -> type[Config]:
    if isinstance(config, type):
        return config
    name = config or os.environ.get("KUZA_CONFIG", "default")
    try:
        return CONFIGS[name]
    except KeyError:
        raise RuntimeError(f"Unknown KUZA_CONFIG {name!r}; choose one of {', '.join(CONFIGS)}.") from None


def normalise_database_url(url: str) -> str:
    """Point plain postgres:// URLs at psycopg 3, the only PostgreSQL driver installed."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def _is_sqlite_file(url: str) -> bool:
    return url.startswith("sqlite") and ":memory:" not in url and url.rstrip("/") not in ("sqlite:", "sqlite")


def _kept_secret_key(path: Path) -> str:
    """Generate the embedded default's secret key once and keep it, so sessions survive restarts.

    Several gunicorn workers may start at once: the key is written to a private temporary
    file and linked into place, so exactly one key wins and every worker reads that one.
    """
    if not path.exists():
        tmp = path.with_name(f".{path.name}.{os.getpid()}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass
        finally:
            tmp.unlink()
    return path.read_text().strip()
