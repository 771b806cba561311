"""Configuration classes: the embedded default, production and testing."""
from __future__ import annotations

import json
import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import Config as FlaskConfig, Flask
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.pool import NullPool

# The drivers installed with Kuza: SQLite's, and psycopg 3 for PostgreSQL.
SUPPORTED_DATABASE_DRIVERS = ("sqlite", "sqlite+pysqlite", "postgresql+psycopg")
# Seconds to wait for PostgreSQL to answer: an unreachable host is an error, not a hang.
DATABASE_CONNECT_TIMEOUT = 10


class SettingError(RuntimeError):
    """A setting Kuza cannot start with. The message is one line that names the setting and
    says what to do; the command line and gunicorn print it instead of a traceback."""


@dataclass(frozen=True)
class _FromEnvironment:
    """A setting taken from the environment variable ``name`` when an app is created."""

    name: str
    parse: Callable[[str], Any] = str
    default: Any = None

    def read(self) -> Any:
        text = os.environ.get(self.name)
        if text is None:
            return self.default
        try:
            return self.parse(text)
        except ValueError as error:
            raise SettingError(f"The environment variable {self.name} is not valid: {error}") from None


def _environ(name: str, parse: Callable[[str], Any] = str, default: Any = None) -> Any:
    """A setting from the environment, parsed, or the default. It is read when an app is
    created rather than when this module is imported, so that a value that cannot be parsed
    stops start-up with its name (a SettingError) and never as an import-time traceback."""
    return _FromEnvironment(name, parse, default)


def _boolean(text: str) -> bool:
    value = text.strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off", ""):
        return False
    raise ValueError(f"{text!r} is not true or false")


def _time_zone(text: str) -> str:
    try:
        ZoneInfo(text.strip())
    except (ValueError, ZoneInfoNotFoundError):
        raise ValueError(f"{text!r} is not a time zone such as Africa/Dakar or UTC") from None
    return text.strip()


def _read_environment(config: FlaskConfig) -> None:
    for key, value in config.items():
        if isinstance(value, _FromEnvironment):
            config[key] = value.read()


class Config:
    """The embedded default: SQLite in the instance folder, a secret key kept beside it."""

    SQLALCHEMY_DATABASE_URI: str | None = _environ("DATABASE_URL")
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    SECRET_KEY: str | None = _environ("SECRET_KEY")

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
    KUZA_BASE_URL: str | None = _environ("KUZA_BASE_URL")
    KUZA_ISSUER_NAME: str | None = _environ("KUZA_ISSUER_NAME")
    KUZA_KEYS_DIR: str | None = _environ("KUZA_KEYS_DIR")
    # The address gunicorn bound, set by lms.gunicorn_conf once it has: without KUZA_BASE_URL,
    # the embedded default's certificates name the address it is really served at.
    KUZA_SERVED_URL: str | None = None
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

    # Mail goes out over SMTP when MAIL_SERVER is set; without it, each message is written to
    # the instance folder's mail/ (MAIL_FILE_PATH) for whoever runs the site to read.
    MAIL_SERVER: str | None = _environ("MAIL_SERVER")
    MAIL_PORT = _environ("MAIL_PORT", int, 587)
    MAIL_USE_TLS = _environ("MAIL_USE_TLS", _boolean, True)  # STARTTLS
    MAIL_USE_SSL = _environ("MAIL_USE_SSL", _boolean, False)
    MAIL_USERNAME: str | None = _environ("MAIL_USERNAME")
    MAIL_PASSWORD: str | None = _environ("MAIL_PASSWORD")
    MAIL_DEFAULT_SENDER = _environ("MAIL_DEFAULT_SENDER", str, "Kuza <no-reply@kuza.invalid>")
    MAIL_TIMEOUT = 10  # seconds: a dead mail server must not hold a learner's request for long
    # How long a password reset link works, in seconds.
    KUZA_PASSWORD_RESET_MAX_AGE = 3600
    # Shared counters (rate limits, lockout) live in Redis when it is set, else in each process.
    REDIS_URL: str | None = _environ("REDIS_URL")
    # How many reverse proxies stand in front of the app: their X-Forwarded-For names the client.
    KUZA_PROXY_COUNT = _environ("KUZA_PROXY_COUNT", int, 0)
    # Rate limits (see lms/limits.py), in the "N per minute/hour/day" form, ";" between several;
    # KUZA_RATE_LIMITS=false turns them and the sign-in lockout off.
    KUZA_RATE_LIMITS = _environ("KUZA_RATE_LIMITS", _boolean, True)
    KUZA_LIMIT_SIGN_IN = "20 per minute;300 per day"  # per client address
    KUZA_LIMIT_SIGN_IN_ACCOUNT = "30 per hour"  # per email address tried
    KUZA_LIMIT_REGISTER = "10 per hour"
    KUZA_LIMIT_REGISTER_ACCOUNT = "5 per hour"
    KUZA_LIMIT_RESET = "10 per hour"
    KUZA_LIMIT_RESET_ACCOUNT = "3 per hour"
    KUZA_LIMIT_VERIFY = "120 per minute"  # verification pages, credentials and PDFs, per address
    KUZA_LIMIT_VERIFY_CERTIFICATE = "60 per minute"  # and per certificate
    # The sign-in lockout: a window for counting failures, when attempts slow down, when the
    # account locks, and for how long (seconds).
    KUZA_LOCKOUT_WINDOW = 900
    KUZA_LOCKOUT_SLOW_AFTER = 5
    KUZA_LOCKOUT_AFTER = 10
    KUZA_LOCKOUT_SECONDS = 900
    # How long an invitation to choose a first password works, in seconds: two weeks, since
    # rosters are often uploaded well before a workshop starts.
    KUZA_INVITATION_MAX_AGE = 14 * 24 * 3600
    # The time zone of dates and deadlines for users who have chosen none (an IANA name).
    KUZA_TIME_ZONE = _environ("KUZA_TIME_ZONE", _time_zone, "UTC")

    @classmethod
    def init_app(cls, app: Flask) -> None:
        _read_environment(app.config)
        cls.require(app.config)
        instance = Path(app.instance_path)
        instance.mkdir(parents=True, exist_ok=True)
        if not app.config.get("SQLALCHEMY_DATABASE_URI"):
            app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{instance / 'kuza.sqlite3'}"
        app.config["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(app.config["SQLALCHEMY_DATABASE_URI"])
        url = supported_database_url(app.config["SQLALCHEMY_DATABASE_URI"])
        options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {}))
        if _is_sqlite_file(url):
            # A fresh connection per checkout. A pooled SQLite connection that an error left with
            # a half-read result keeps an old read snapshot, and then fails every later write
            # with "database is locked"; opening a file connection costs microseconds.
            options["poolclass"] = NullPool
        elif url.get_backend_name() == "postgresql" and "connect_timeout" not in url.query:
            options["connect_args"] = {"connect_timeout": DATABASE_CONNECT_TIMEOUT, **options.get("connect_args", {})}
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options
        if not app.config.get("SECRET_KEY"):
            app.config["SECRET_KEY"] = _kept_secret_key(instance / "secret_key")
        if not app.config.get("MAIL_BACKEND"):
            app.config["MAIL_BACKEND"] = "smtp" if app.config.get("MAIL_SERVER") else "file"
            app.config.setdefault("MAIL_FILE_PATH", str(instance / "mail"))

    @classmethod
    def require(cls, config: FlaskConfig) -> None:
        """Refuse to start without a setting this kind of site cannot make up for itself;
        the embedded default needs none."""


class ProductionConfig(Config):
    """A shared deployment: PostgreSQL or SQLite by DATABASE_URL, a secret key and the public address that must be given."""

    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True

    @classmethod
    def require(cls, config: FlaskConfig) -> None:
        needed = {
            "SECRET_KEY": "Production needs a fixed secret key shared by every app server",
            "KUZA_BASE_URL": "Production writes the site's public address (such as https://learn.example.org) "
                             "into every certificate",
        }
        for name, why in needed.items():
            if not config.get(name):
                raise SettingError(f"{name} is not set. {why}: set the {name} environment variable.")


class TestingConfig(Config):
    """Tests: a throwaway database given by the test fixtures, fixed key, fast hashing."""

    TESTING = True
    SECRET_KEY = "testing-only-secret"
    SQLALCHEMY_DATABASE_URI = None
    KUZA_PASSWORD_METHOD = "pbkdf2:sha256:1000"
    # Tests sign in hundreds of times a minute from one address; the limits' own tests turn them on.
    KUZA_RATE_LIMITS = False


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
        raise SettingError(f"Unknown KUZA_CONFIG {name!r}; choose one of {', '.join(CONFIGS)}.") from None


def normalise_database_url(url: str) -> str:
    """Point plain postgres:// URLs at psycopg 3, the only PostgreSQL driver installed."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def supported_database_url(text: str) -> URL:
    """The database URL, parsed, if Kuza has a driver for it; else a SettingError that shows
    the URL without its password."""
    try:
        url = make_url(text)
    except (ArgumentError, ValueError):
        # Not shown: a string that does not parse may hold a password anywhere.
        raise SettingError("DATABASE_URL is not a database URL: give postgresql://user:password@host/name "
                           "or sqlite:////absolute/path.sqlite3.") from None
    if url.drivername not in SUPPORTED_DATABASE_DRIVERS:
        raise SettingError(f"DATABASE_URL {shown_database_url(url)} is not supported: Kuza runs on PostgreSQL "
                           "(postgresql://…) or SQLite (sqlite:///…).")
    return url


def shown_database_url(url: URL | str) -> str:
    """A database URL to print: the password masked, and the backend as an operator writes it."""
    url = make_url(url)
    return url.set(drivername=url.get_backend_name()).render_as_string(hide_password=True)


def _is_sqlite_file(url: URL) -> bool:
    return url.get_backend_name() == "sqlite" and bool(url.database) and ":memory:" not in url.database


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
