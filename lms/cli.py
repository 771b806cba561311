"""The ``kuza`` command: Flask's CLI for this app, plus Kuza's own commands."""
from __future__ import annotations

import json
import sys
from contextlib import ExitStack
from pathlib import Path
from typing import NoReturn

import click
from flask import Flask, current_app
from flask.cli import AppGroup, FlaskGroup, ScriptInfo, with_appcontext
from sqlalchemy.exc import DBAPIError

from lms.config import SettingError, shown_database_url
from lms.extensions import MIGRATIONS_DIR, db


def main() -> None:
    """Entry point of the ``kuza`` console script.

    A setting Kuza cannot start with, or a database it cannot connect to, ends the command
    with one line on stderr and exit status 1: the operator needs the setting or address to
    fix, not a traceback.
    """
    info = ScriptInfo(create_app=_create_app)
    cli = FlaskGroup(help="Kuza course server.")
    try:
        cli.main(prog_name="kuza", obj=info)
    except DBAPIError as error:
        if error.statement is not None:
            raise  # the database answered: a failure of the command itself
        url = shown_database_url(info.load_app().config["SQLALCHEMY_DATABASE_URI"])
        _fail(f"Cannot connect to the database at {url} (DATABASE_URL): {_first_line(error.orig)}")


def _create_app() -> Flask:
    from lms import create_app

    try:
        return create_app()
    except SettingError as error:
        _fail(str(error))


def _fail(message: str) -> NoReturn:
    click.echo(f"Error: {message}", err=True)
    raise SystemExit(1)


def _first_line(error: BaseException) -> str:
    """A driver's message as one line: psycopg adds a hint on a second line and prefixes the first."""
    lines = str(error).strip().splitlines() or [type(error).__name__]
    return " ".join(lines[0].removeprefix("connection failed: ").split())


class DatabaseCommand(click.Command):
    """A command that reads or writes the database. It first checks that the database has every
    migration this Kuza ships, so a database left behind fails with one line saying what to run,
    not with a missing table halfway through the command."""

    def invoke(self, ctx: click.Context):
        _require_current_schema()
        return super().invoke(ctx)


def _require_current_schema() -> None:
    from alembic.migration import MigrationContext
    from alembic.script import ScriptDirectory

    # The command's own connection, which it goes on to use (and, in tests, the test's).
    applied = set(MigrationContext.configure(db.session.connection()).get_current_heads())
    scripts = ScriptDirectory(str(MIGRATIONS_DIR))
    if applied == set(scripts.get_heads()):
        return
    where = shown_database_url(db.engine.url)
    unknown = applied - {script.revision for script in scripts.walk_revisions()}
    if unknown:
        raise click.ClickException(f"The database at {where} has migration {', '.join(sorted(unknown))}, which this "
                                   "version of Kuza does not have: run the Kuza that upgraded it.")
    raise click.ClickException(f"The database at {where} is behind this version of Kuza: run `kuza db upgrade`.")


def register_commands(app: Flask) -> None:
    for command in (create_user, import_course, export_course, load_demo, trainers, keys, verify_certificate,
                    revoke_certificate, backup, restore):
        app.cli.add_command(command)


def _read_password(prompt: bool) -> str:
    if sys.stdin.isatty() and prompt:
        return click.prompt("Password", hide_input=True, confirmation_prompt=True)
    return sys.stdin.readline().rstrip("\r\n")


@click.command("create-user", cls=DatabaseCommand)
@click.argument("email")
@click.option("--name", help="Full name as it appears on certificates; asked for if missing.")
@click.option("--role", type=click.Choice(["learner", "trainer", "admin"]), default="learner", show_default=True)
def create_user(email: str, name: str | None, role: str) -> None:
    """Create a user. The password is read from a prompt, or from the first line of stdin."""
    from lms.accounts.services import AccountError, create_user as create

    if name is None:
        name = click.prompt("Name") if sys.stdin.isatty() else email.split("@")[0]
    password = _read_password(prompt=True)
    try:
        user = create(email=email, name=name, password=password, role=role)
    except AccountError as error:
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(f"Created {user.role} {user.email}.")


@click.command("import-course", cls=DatabaseCommand)
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.option("--from-openedx", "openedx", is_flag=True,
              help="PATH is a course exported by Open edX Studio: convert what Kuza can run, report the rest.")
@click.option("--json", "as_json", is_flag=True, help="With --from-openedx: print the import report as JSON.")
def import_course(path: Path, openedx: bool, as_json: bool) -> None:
    """Validate a course package (OLX directory or .tar.gz) and publish it as a new version."""
    from lms.courseware.packages import PackageError, import_openedx, import_package

    try:
        if openedx:
            result, report = _import_openedx(path, import_openedx, quiet=as_json)
        else:
            result, report = import_package(path), None
    except PackageError as error:
        click.echo(f"Rejected {path}: nothing was stored.", err=True)
        for problem in error.problems:
            click.echo(f"  {problem}", err=True)
        raise SystemExit(1) from None
    db.session.commit()
    if as_json and report is not None:
        click.echo(json.dumps({"slug": result.slug, "version": result.version_number, "unchanged": result.unchanged,
                               **report.as_json()}, indent=2, ensure_ascii=False))
        return
    if report is not None:
        _print_report(report)
    if result.unchanged:
        click.echo(f"{result.slug}: unchanged since version {result.version_number}; nothing imported.")
    else:
        click.echo(f"Published {result.slug} version {result.version_number} ({result.block_count} blocks).")


def _import_openedx(path: Path, import_openedx, quiet: bool):
    """The import with a progress bar on the terminal (none when the report goes out as JSON)."""
    if quiet:
        return import_openedx(path)
    with ExitStack() as stack:
        # The bar's length is known only once an archive is unpacked, so the import starts it.
        bars = []
        return import_openedx(
            path,
            on_start=lambda total: bars.append(stack.enter_context(
                click.progressbar(length=total, label="Converting", file=sys.stderr))),
            on_block=lambda: bars[0].update(1),
        )


def _print_report(report) -> None:
    from lms.courseware.openedx import NO_SUCH_BLOCK

    rows = report.rows()
    widths = [max([len(header)] + [len(str(getattr(row, name))) for row in rows])
              for header, name in (("Block type", "block_type"), ("Count", "count"), ("Outcome", "outcome"))]
    line = "  {:<%d}  {:>%d}  {:<%d}  {}" % tuple(widths)
    click.echo(line.format("Block type", "Count", "Outcome", "Files"))
    for row in rows:
        files = ", ".join(row.files[:3]) + (f" and {len(row.files) - 3} more" if len(row.files) > 3 else "")
        click.echo(line.format(row.block_type, row.count, row.outcome, files))
    # Then why each problem or file did not come across; a type Kuza has no block for says so in its row.
    for entry in report.entries:
        if entry.outcome in ("not available", "unreadable") and entry.reason != NO_SUCH_BLOCK:
            where = f"{entry.file}:{entry.line}" if entry.line else entry.file
            click.echo(f"  {where}: <{entry.block_type}> {entry.outcome}: {entry.reason}")


@click.command("export-course", cls=DatabaseCommand)
@click.argument("slug")
@click.argument("out", type=click.Path(path_type=Path))
def export_course(slug: str, out: Path) -> None:
    """Write a course's published version as OLX: a directory, or a .tar.gz if OUT ends so."""
    from lms.courseware.packages import PackageError, export_package

    try:
        written = export_package(slug, out)
    except PackageError as error:
        raise click.ClickException("; ".join(str(p) for p in error.problems)) from None
    click.echo(f"Exported {slug} to {written}.")


@click.command("load-demo", cls=DatabaseCommand)
@click.option("--courses", "courses_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Folder of course packages; defaults to the repository's courses/.")
def load_demo(courses_dir: Path | None) -> None:
    """Import the sample courses, every language version of them, and make sure the demo learner exists and is
    enrolled in those in the site's default language (all idempotent)."""
    from lms.accounts.services import ensure_demo_learner, find_user
    from lms.catalog.services import enroll, get_course
    from lms.courseware.packages import import_package

    courses_dir = courses_dir or Path(current_app.root_path).parent / "courses"
    courses = []
    for package in sorted(p for p in courses_dir.iterdir() if (p / "course.xml").exists()):
        result = import_package(package)
        state = "unchanged" if result.unchanged else "published"
        click.echo(f"{result.slug}: version {result.version_number} {state}.")
        courses.append(get_course(result.slug))
    email, password = ensure_demo_learner()
    # The French version sits next to the English one in the catalogue; the demo learner starts in English.
    default = current_app.config["BABEL_DEFAULT_LOCALE"]
    starts_in = [course for course in courses if course.published_version.language == default]
    learner = find_user(email)
    for course in starts_in:
        enroll(learner, course)
    db.session.commit()
    enrolled = f", enrolled in {', '.join(course.slug for course in starts_in)}" if starts_in else ""
    click.echo(f"Demo learner: {email} / {password}{enrolled}")


trainers = AppGroup("trainers", help="Who runs each course: its staff, owners and editors, see its certificates and "
                                    "may revoke them; owners also choose its staff in the studio.")
trainers.command_class = DatabaseCommand


def _course_and_trainer(slug: str, email: str | None):
    from lms.accounts.services import find_user
    from lms.catalog.services import CourseNotFound, get_course

    try:
        course = get_course(slug)
    except CourseNotFound:
        raise click.ClickException(f"No published course {slug}.") from None
    if email is None:
        return course, None
    user = find_user(email)
    if user is None:
        raise click.ClickException(f"No user {email}.")
    return course, user


@trainers.command("add")
@click.argument("slug")
@click.argument("email")
@click.option("--role", type=click.Choice(["owner", "editor"]), default="owner", show_default=True,
              help="Owners manage the course's staff; editors edit its content. Both run the course.")
def trainers_add(slug: str, email: str, role: str) -> None:
    """Put a trainer (a user with the trainer role) on a course's staff, or change their role on it."""
    from lms.accounts.services import OPERATOR
    from lms.catalog.services import StaffError, add_staff, change_role, staff_role

    course, user = _course_and_trainer(slug, email)
    current = staff_role(user, course)
    try:
        if current is None:
            add_staff(OPERATOR, course, user, role)
        elif current != role:
            change_role(OPERATOR, course, user, role)
    except StaffError as error:
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(f"{user.email} runs {slug} as {role}.")


@trainers.command("remove")
@click.argument("slug")
@click.argument("email")
def trainers_remove(slug: str, email: str) -> None:
    """Take a trainer off a course's staff; the certificates they revoked stay revoked."""
    from lms.accounts.services import OPERATOR
    from lms.catalog.services import remove_staff, staff_role

    course, user = _course_and_trainer(slug, email)
    if staff_role(user, course) is None:
        click.echo(f"{user.email} did not run {slug}.")
        return
    remove_staff(OPERATOR, course, user)
    db.session.commit()
    click.echo(f"{user.email} no longer runs {slug}.")


@trainers.command("list")
@click.argument("slug")
def trainers_list(slug: str) -> None:
    """List a course's staff, owners first: email, role and name."""
    from lms.accounts.services import OPERATOR
    from lms.catalog.services import staff_of

    course, _user = _course_and_trainer(slug, None)
    for member in staff_of(OPERATOR, course):
        click.echo(f"{member.user.email}  {member.role}  {member.user.name}")


keys = AppGroup("keys", help="The issuer's Ed25519 keys that sign certificates' credentials.")


@keys.command("generate")
def keys_generate() -> None:
    """Create a signing key: the first one, or a rotation (the old key then only verifies)."""
    from lms.certificates.keys import generate_key
    from lms.certificates.services import key_folder

    folder = key_folder()
    kid = generate_key(folder)
    click.echo(kid)
    click.echo(f"Active signing key {kid} in {folder}.", err=True)


@keys.command("list")
def keys_list() -> None:
    """List the key ids in the key folder, marking the one that signs."""
    from lms.certificates.keys import KeyringError, load_keyring, load_public_keys
    from lms.certificates.services import key_folder

    folder = key_folder()
    try:
        active = load_keyring(folder).active_kid
    except KeyringError:
        active = None
    kids = sorted(load_public_keys(folder))
    if not kids:
        raise click.ClickException(f"No keys in {folder}: run `kuza keys generate`.")
    for kid in kids:
        click.echo(f"{kid}  {'active' if kid == active else 'retired'}")


def _credential_in(file: Path) -> str:
    """The credential a file holds: the file itself, or for a certificate PDF its attachment.

    A PDF's printed text is never verified, only the signed credential attached to it, so the
    command says so: whoever checks compares the printed name with the verified one.
    """
    from lms.certificates.pdf import attached_credential

    data = file.read_bytes()
    if not data.startswith(b"%PDF"):
        return data.decode("utf-8", errors="replace")
    try:
        credential = attached_credential(data)
    except ValueError as error:
        click.echo(f"INVALID: {error}")
        raise SystemExit(1) from None
    if credential is None:
        click.echo("INVALID: no credential attached to this PDF")
        raise SystemExit(1)
    click.echo("Checking the credential attached to this PDF, not its printed text: "
               "the name printed on the PDF must be the Name below.")
    return credential


@click.command("verify-certificate", cls=DatabaseCommand)
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--status-list", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A downloaded copy of the revocation list the credential names, to check revocation "
                   "without this server's database.")
def verify_certificate(file: Path, status_list: Path | None) -> None:
    """Check a credential offline with the key folder's public keys: a JSON envelope, a bare JWT or a certificate PDF.

    Exit status 0 when valid, 1 when invalid, revoked in this server's database or revoked
    in the revocation list given.
    """
    from lms.certificates.services import check_credential

    listed = status_list.read_bytes().decode("utf-8", errors="replace") if status_list else None
    check = check_credential(_credential_in(file), listed)
    if not check.result.valid:
        click.echo(f"INVALID: {check.result.reason}")
        raise SystemExit(1)
    click.echo(f"VALID signature (key {check.result.kid})")
    click.echo(f"Name:        {check.learner_name}")
    click.echo(f"Course:      {check.course_title}")
    click.echo(f"Issued:      {check.issued_on}")
    click.echo(f"Certificate: {check.result.credential.get('id')}")
    if check.revoked_at is not None:
        click.echo(f"REVOKED on {check.revoked_at:%Y-%m-%d}: {check.revoked_reason}")
        raise SystemExit(1)
    if check.listed is not None:
        if check.listed.problem:
            click.echo(f"Revocation not checked: {check.listed.problem}")
            raise SystemExit(1)
        if check.listed.revoked:
            click.echo(f"REVOKED according to the revocation list of {check.listed.as_of}")
            raise SystemExit(1)
        click.echo(f"Not revoked according to the revocation list of {check.listed.as_of}")
    elif not check.known:
        where = f" (download {check.status_list_url} and pass it with --status-list)" if check.status_list_url else ""
        click.echo(f"Not in this server's database: revocation not checked{where}.")


@click.command("revoke-certificate", cls=DatabaseCommand)
@click.argument("public_id")
@click.option("--reason", required=True, help="Why; kept with the certificate and shown by verify-certificate.")
def revoke_certificate(public_id: str, reason: str) -> None:
    """Revoke a certificate by its public id. It is kept, marked revoked; revoking again changes nothing."""
    from lms.accounts.services import OPERATOR
    from lms.certificates.services import RevocationError, find_certificate, revoke

    certificate = find_certificate(public_id)
    if certificate is None:
        raise click.ClickException(f"No certificate {public_id}.")
    already = certificate.revoked
    try:
        revoke(OPERATOR, certificate, reason)
    except RevocationError as error:
        raise click.ClickException(str(error)) from None
    db.session.commit()
    if already:
        click.echo(f"Certificate {public_id} was already revoked on {certificate.revoked_at:%Y-%m-%d}: "
                   f"{certificate.revoked_reason}")
    else:
        click.echo(f"Revoked certificate {public_id} on {certificate.revoked_at:%Y-%m-%d}: {certificate.revoked_reason}")


@click.command("backup")
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup(out: Path) -> None:
    """Copy the embedded SQLite database to the new file OUT, while Kuza goes on serving.

    PostgreSQL is backed up with pg_dump (docs/operating.md). Keep the instance folder's keys/
    with the backup: without them, no certificate issued so far can be verified.
    """
    from lms.backup import BackupError, backup as copy

    try:
        pages = copy(str(db.engine.url.render_as_string(hide_password=False)), out)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Backed up the database to {out} ({pages} pages).")


@click.command("restore")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask before replacing the database.")
@with_appcontext
def restore(path: Path, yes: bool) -> None:
    """Replace the embedded SQLite database with the backup PATH, once it is checked.

    Stop every Kuza process first: a server still running would keep writing to the old data.
    """
    from alembic.script import ScriptDirectory

    from lms.backup import BackupError, restore as bring_back

    url = db.engine.url.render_as_string(hide_password=False)
    if not yes:
        click.confirm(f"Replace everything in {shown_database_url(db.engine.url)} with {path}?", abort=True)
    db.engine.dispose()  # no pooled connection may hold the old file open
    try:
        pages = bring_back(url, path, set(ScriptDirectory(str(MIGRATIONS_DIR)).get_heads()))
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Restored the database from {path} ({pages} pages).")
