"""Account rules: creating users, checking and resetting passwords, invitations, ending sessions, roles, the demo learner."""
from __future__ import annotations

import gzip
import hashlib
import hmac
import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import lazy_gettext as _  # lazy: these texts are translated when shown, in the reader's language
from itsdangerous import BadData, URLSafeTimedSerializer
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from lms.accounts.models import Role, User, new_session_token
from lms.extensions import db
from lms import limits
from lms.i18n import supported_locales
from lms.mail import services as mail

MIN_PASSWORD_LENGTH = 10
MAX_NAME_LENGTH = 200
DEMO_EMAIL = "learner@demo.kuza.invalid"
DEMO_NAME = "Demo Learner"
DEMO_LOGIN_FILE = "demo-login.txt"


class AccountError(ValueError):
    """A request about an account that the rules refuse; ``field`` names the form field at fault."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        # The message may be a lazy string, translated when shown.
        return str(self.message)


class PermissionDenied(Exception):
    """The user may not do this; views answer 403."""


@dataclass(frozen=True)
class Operator:
    """Whoever runs ``kuza`` commands on the server: an administrator by having the shell."""

    is_authenticated: bool = True
    role: str = Role.ADMIN
    name: str = "operator"


OPERATOR = Operator()


def normalise_email(raw: str) -> str:
    """The address as stored: checked for syntax (never by DNS), stripped and lowercased."""
    try:
        checked = validate_email(raw.strip(), check_deliverability=False)
    except EmailNotValidError:
        raise AccountError(_("Enter an email address like name@example.org."), field="email") from None
    return checked.normalized.lower()


def password_problem(password: str, email: str) -> str | None:
    """Why this password may not be used with this email address, or None if it may."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return _("Use at least %(count)d characters for your password.", count=MIN_PASSWORD_LENGTH)
    if password.strip().lower() == email.strip().lower():
        return _("Your password must not be your email address.")
    if password.strip().lower() in common_passwords():
        return _("This is one of the passwords people use most, which attackers try first. Choose another.")
    return None


@cache
def common_passwords() -> frozenset[str]:
    """The 20,000 most used passwords (Royce Williams' list, lowercased), as Django ships it.

    Django is installed with Kuza's blocks (xblock.utils needs it); the list is read from its
    package once per process rather than copied into this one.
    """
    source = resources.files("django.contrib.auth") / "common-passwords.txt.gz"
    with source.open("rb") as packed, gzip.open(packed, "rt", encoding="utf-8") as lines:
        return frozenset(line.strip() for line in lines if line.strip())


def name_problem(name: str) -> str | None:
    """Why this name may not be used, or None if it may."""
    if not name.strip():
        return _("Enter your name.")
    if len(name.strip()) > MAX_NAME_LENGTH:
        return _("Use at most %(count)d characters for your name.", count=MAX_NAME_LENGTH)
    return None


def find_user(email: str) -> User | None:
    try:
        email = normalise_email(email)
    except AccountError:
        # Reserved domains such as the demo learner's are stored without the syntax check.
        email = email.strip().lower()
    return db.session.scalar(select(User).where(User.email == email))


def create_user(email: str, name: str, password: str, role: str = Role.LEARNER) -> User:
    """Add a user after checking every rule; raises AccountError naming the first one broken."""
    email = normalise_email(email)
    if (problem := name_problem(name)) is not None:
        raise AccountError(problem, field="name")
    if (problem := password_problem(password, email)) is not None:
        raise AccountError(problem, field="password")
    try:
        role = Role(role)
    except ValueError:
        raise AccountError(_("Unknown role %(role)s.", role=role), field="role") from None
    return _add_user(email, name.strip(), password, role)


def _add_user(email: str, name: str, password: str, role: Role) -> User:
    duplicate = AccountError(_("An account with this email already exists."), field="email")
    if find_user(email) is not None:
        raise duplicate
    user = User(email=email, name=name, password_hash=_hash(password), role=role)
    # A savepoint, so a registration racing this one fails alone without spoiling the session.
    try:
        with db.session.begin_nested():
            db.session.add(user)
    except IntegrityError:
        raise duplicate from None
    return user


def authenticate(email: str, password: str) -> User | None:
    """The user with this email and password, or None.

    A password is checked even when no such user exists, so the response time does not
    tell an attacker which addresses have accounts.
    """
    user = find_user(email)
    # An invited account without a password yet answers as slowly as a missing one.
    if user is None or not has_usable_password(user):
        check_password_hash(_dummy_hash(_password_method()), password)
        return None
    return user if check_password_hash(user.password_hash, password) else None


class SignInDelayed(Exception):
    """Too many failed sign-ins for this address: no password is checked until ``retry_after`` seconds
    have passed; ``locked`` says whether the account is locked or only slowed down (lms/limits.py)."""

    def __init__(self, locked: bool, retry_after: int) -> None:
        super().__init__(f"sign-in refused for {retry_after} s")
        self.locked = locked
        self.retry_after = retry_after


def sign_in(email: str, password: str) -> User | None:
    """authenticate() under the lockout: counted per email address, existing or not, so a refusal
    tells nothing about who has an account. Raises SignInDelayed while attempts must wait."""
    if (refusal := limits.sign_in_refusal(email)) is not None:
        raise SignInDelayed(refusal.locked, refusal.retry_after)
    user = authenticate(email, password)
    if user is None:
        limits.record_failed_sign_in(email)
    else:
        limits.clear_failed_sign_ins(email)
    return user


def change_password(user: User, current: str, new: str) -> None:
    """Replace the password and end every session of this user (the caller re-signs this one)."""
    if not check_password_hash(user.password_hash, current):
        raise AccountError(_("Your current password is not correct."), field="current_password")
    if (problem := password_problem(new, user.email)) is not None:
        raise AccountError(problem, field="new_password")
    user.password_hash = _hash(new)
    end_sessions(user)


# Password reset. A link carries the account's id and a digest of its current password hash,
# signed with the site's secret and timed: once the password changes (by this link or any other
# way) every earlier link stops working, and none works after KUZA_PASSWORD_RESET_MAX_AGE.

RESET_SALT = "kuza.password-reset"


def _reset_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=RESET_SALT)


def _password_digest(user: User) -> str:
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:32]


def password_reset_token(user: User) -> str:
    return _reset_serializer().dumps({"user": user.id, "password": _password_digest(user)})


def user_for_reset_token(token: str) -> User | None:
    """The account a reset link is for, while it is unused, newer than the password and not expired."""
    try:
        claims = _reset_serializer().loads(token, max_age=current_app.config["KUZA_PASSWORD_RESET_MAX_AGE"])
    except BadData:
        return None
    user = db.session.get(User, claims.get("user")) if isinstance(claims, dict) and isinstance(
        claims.get("user"), int) else None
    if user is None or not hmac.compare_digest(_password_digest(user), str(claims.get("password", ""))):
        return None
    return user


def request_password_reset(email: str, link_for: Callable[[str], str]) -> None:
    """Mail a reset link to the account with this address, if there is one; say nothing either way,
    so that the page cannot tell anyone who has an account. ``link_for`` makes the link's URL."""
    user = find_user(email)
    if user is None:
        return
    mail.send_later(user.email, user.locale or current_app.config["BABEL_DEFAULT_LOCALE"], "password_reset",
              name=user.name, link=link_for(password_reset_token(user)),
              hours=current_app.config["KUZA_PASSWORD_RESET_MAX_AGE"] // 3600)


def reset_password(token: str, new: str) -> User:
    """Set the password a valid link allows, and end every session of the account."""
    user = user_for_reset_token(token)
    if user is None:
        raise AccountError(_("This link has expired or has been used. Ask for a new one."), field="token")
    if (problem := password_problem(new, user.email)) is not None:
        raise AccountError(problem, field="password")
    user.password_hash = _hash(new)
    end_sessions(user)
    # Whoever can read the account's mail is its owner: a reset ends any lockout.
    limits.clear_failed_sign_ins(user.email)
    return user


# Invitations. An account made for someone (from a cohort's roster) starts with an unusable
# password, and its owner receives a link to choose one: the same mechanism as a reset link, bound
# to the password hash, so it works once, but with a salt of its own (a reset link is no
# invitation, nor the other way round) and a longer life, since invitations go out before a
# workshop and are opened when it starts.

INVITATION_SALT = "kuza.invitation"
# The prefix of a password hash that no password matches (Django's convention): werkzeug finds no
# method in it and answers False without hashing.
UNUSABLE_PASSWORD_PREFIX = "!"


def has_usable_password(user: User) -> bool:
    return not user.password_hash.startswith(UNUSABLE_PASSWORD_PREFIX)


def create_invited_user(email: str, name: str, locale: str | None = None) -> User:
    """Add a learner who will choose their own password through an invitation link; raises
    AccountError as create_user does. Each account's unusable hash is random, so its links are its own."""
    email = normalise_email(email)
    if (problem := name_problem(name)) is not None:
        raise AccountError(problem, field="name")
    if locale is not None and locale not in supported_locales():
        raise AccountError(_("That language is not available."), field="locale")
    duplicate = AccountError(_("An account with this email already exists."), field="email")
    if find_user(email) is not None:
        raise duplicate
    user = User(email=email, name=name.strip(), role=Role.LEARNER, locale=locale,
                password_hash=UNUSABLE_PASSWORD_PREFIX + secrets.token_urlsafe(32))
    try:
        with db.session.begin_nested():
            db.session.add(user)
    except IntegrityError:
        raise duplicate from None
    return user


def _invitation_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=INVITATION_SALT)


def invitation_token(user: User) -> str:
    return _invitation_serializer().dumps({"user": user.id, "password": _password_digest(user)})


def user_for_invitation_token(token: str) -> User | None:
    """The account an invitation is for, while no password has been chosen since and it is not expired."""
    try:
        claims = _invitation_serializer().loads(token, max_age=current_app.config["KUZA_INVITATION_MAX_AGE"])
    except BadData:
        return None
    user = db.session.get(User, claims.get("user")) if isinstance(claims, dict) and isinstance(
        claims.get("user"), int) else None
    if user is None or not hmac.compare_digest(_password_digest(user), str(claims.get("password", ""))):
        return None
    return user


def accept_invitation(token: str, password: str) -> User:
    """Set the password an invitation allows; the link stops working with it."""
    user = user_for_invitation_token(token)
    if user is None:
        raise AccountError(_("This invitation has expired or has been used."), field="token")
    if (problem := password_problem(password, user.email)) is not None:
        raise AccountError(problem, field="password")
    user.password_hash = _hash(password)
    end_sessions(user)
    return user


def end_sessions(user: User) -> None:
    """Sign this user out everywhere: every session and remember cookie carries the old token."""
    user.session_token = new_session_token()
    db.session.flush()


def set_locale(user: User, locale: str) -> None:
    if locale not in supported_locales():
        raise AccountError(_("That language is not available."), field="locale")
    user.locale = locale
    db.session.flush()


def load_user(session_id: str) -> User | None:
    """The user for a session's "id:token" value, if both still match; Flask-Login's user_loader."""
    user_id, colon, token = session_id.partition(":")
    if not (user_id.isdigit() and colon and token):
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not hmac.compare_digest(user.session_token.encode(), token.encode()):
        return None
    return user


def require_role(user: object, *roles: str) -> None:
    """Raise PermissionDenied unless the user is signed in with one of these roles."""
    if not getattr(user, "is_authenticated", False) or getattr(user, "role", None) not in roles:
        raise PermissionDenied()


def ensure_demo_learner() -> tuple[str, str]:
    """Make sure the demo learner exists and can sign in; return its email and password.

    The password is random per installation and kept in the instance folder, readable by
    the operator only, so no demo secret is ever in the repository.
    """
    path = Path(current_app.instance_path) / DEMO_LOGIN_FILE
    kept = _read_demo_password(path)
    user = find_user(DEMO_EMAIL)
    if user is not None and kept is not None and check_password_hash(user.password_hash, kept):
        return DEMO_EMAIL, kept
    # The file is missing, unreadable or out of date (say, a commit that never happened):
    # choose the password again and write it down before the caller commits.
    password = kept if kept is not None else secrets.token_urlsafe(12)
    if user is None:
        _add_user(DEMO_EMAIL, DEMO_NAME, password, Role.LEARNER)
    else:
        user.password_hash = _hash(password)
        db.session.flush()
    _write_private(path, password + "\n")
    return DEMO_EMAIL, password


def _read_demo_password(path: Path) -> str | None:
    try:
        password = path.read_text().strip()
    except OSError:
        return None
    return password if len(password) >= MIN_PASSWORD_LENGTH else None


def _write_private(path: Path, text: str) -> None:
    """Write a file only its owner can read, replacing any old one in a single step."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(text)
    os.chmod(tmp, 0o600)  # O_CREAT's mode is narrowed by the umask but never widened; be exact
    os.replace(tmp, path)


def _password_method() -> str | None:
    """The hash method: the test config's fast one if set, else werkzeug's default (scrypt)."""
    return current_app.config.get("KUZA_PASSWORD_METHOD")


def _hash(password: str) -> str:
    return _hash_with(password, _password_method())


def _hash_with(password: str, method: str | None) -> str:
    return generate_password_hash(password, method=method) if method else generate_password_hash(password)


@cache
def _dummy_hash(method: str | None) -> str:
    """A hash of nothing anyone knows, made with the configured method so checking it costs the same."""
    return _hash_with(secrets.token_urlsafe(16), method)
