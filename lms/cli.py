"""The ``kuza`` command: Flask's CLI for this app, plus Kuza's own commands."""
from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup, FlaskGroup

from lms.extensions import db


def main() -> None:
    """Entry point of the ``kuza`` console script."""
    from lms import create_app

    cli = FlaskGroup(create_app=create_app, help="Kuza course server.")
    cli.main(prog_name="kuza")


def register_commands(app: Flask) -> None:
    for command in (create_user, import_course, export_course, load_demo, keys, verify_certificate,
                    revoke_certificate):
        app.cli.add_command(command)


def _read_password(prompt: bool) -> str:
    if sys.stdin.isatty() and prompt:
        return click.prompt("Password", hide_input=True, confirmation_prompt=True)
    return sys.stdin.readline().rstrip("\r\n")


@click.command("create-user")
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


@click.command("import-course")
@click.argument("path", type=click.Path(exists=True, path_type=Path))
def import_course(path: Path) -> None:
    """Validate a course package (OLX directory or .tar.gz) and publish it as a new version."""
    from lms.courseware.packages import PackageError, import_package

    try:
        result = import_package(path)
    except PackageError as error:
        click.echo(f"Rejected {path}: nothing was stored.", err=True)
        for problem in error.problems:
            click.echo(f"  {problem}", err=True)
        raise SystemExit(1) from None
    db.session.commit()
    if result.unchanged:
        click.echo(f"{result.slug}: unchanged since version {result.version_number}; nothing imported.")
    else:
        click.echo(f"Published {result.slug} version {result.version_number} ({result.block_count} blocks).")


@click.command("export-course")
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


@click.command("load-demo")
@click.option("--courses", "courses_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Folder of course packages; defaults to the repository's courses/.")
def load_demo(courses_dir: Path | None) -> None:
    """Import the sample courses and make sure the demo learner exists (both idempotent)."""
    from lms.accounts.services import ensure_demo_learner
    from lms.courseware.packages import import_package

    courses_dir = courses_dir or Path(current_app.root_path).parent / "courses"
    for package in sorted(p for p in courses_dir.iterdir() if (p / "course.xml").exists()):
        result = import_package(package)
        state = "unchanged" if result.unchanged else "published"
        click.echo(f"{result.slug}: version {result.version_number} {state}.")
    email, password = ensure_demo_learner()
    db.session.commit()
    click.echo(f"Demo learner: {email} / {password}")


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


@click.command("verify-certificate")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def verify_certificate(file: Path) -> None:
    """Check a credential offline with the key folder's public keys: a JSON envelope, a bare JWT or a certificate PDF.

    Exit status 0 when valid, 1 when invalid or revoked in this server's database.
    """
    from lms.certificates.services import check_credential

    check = check_credential(_credential_in(file))
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
    if not check.known:
        click.echo("Not in this server's database: revocation not checked.")


@click.command("revoke-certificate")
@click.argument("public_id")
@click.option("--reason", required=True, help="Why; kept with the certificate and shown by verify-certificate.")
def revoke_certificate(public_id: str, reason: str) -> None:
    """Revoke a certificate by its public id. It is kept, marked revoked; revoking again changes nothing."""
    from lms.certificates.services import OPERATOR, RevocationError, find_certificate, revoke

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
