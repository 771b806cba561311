"""Cohort rosters: a CSV of learners read row by row, each bad row reported with its line and reason, the good ones
imported (missing accounts created and invited, existing ones enrolled and told).

Rosters come from spreadsheets: commas or semicolons (French and Portuguese Excel save with
semicolons), a byte-order mark, Windows line ends, countries by code or by name in English,
French, Portuguese or Arabic. A cell that a spreadsheet would run as a formula is refused
rather than cleaned, since the trainer meant something else by it.
"""
from __future__ import annotations

import csv
import gettext
import io
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache

import pycountry
from babel import Locale, UnknownLocaleError
from flask import current_app
from flask_babel import lazy_gettext as _

from lms.accounts import services as accounts
from lms.accounts.models import Role, User
from lms.cohorts import services as cohorts
from lms.cohorts import times
from lms.cohorts.models import Cohort
from lms.extensions import db
from lms.i18n import supported_locales
from lms.mail import services as mail

MAX_BYTES = 1024 * 1024
MAX_ROWS = 2000
MAX_ORGANISATION = 200
# What a spreadsheet takes for the start of a formula (OWASP's CSV injection list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Header names as trainers write them, in the languages Kuza speaks, by column.
HEADERS = {
    "name": {"name", "full name", "nom", "nom complet", "nome", "nome completo", "الاسم"},
    "email": {"email", "e-mail", "email address", "courriel", "adresse e-mail", "adresse électronique",
              "البريد الإلكتروني"},
    "country": {"country", "pays", "país", "pais", "البلد", "الدولة"},
    "organisation": {"organisation", "organization", "ministry", "institution", "organisme", "organização",
                     "organizacao", "instituição", "المؤسسة", "الجهة"},
    "language": {"language", "preferred language", "locale", "langue", "langue préférée", "idioma",
                 "idioma preferido", "língua", "اللغة", "اللغة المفضلة"},
    "time_zone": {"time zone", "timezone", "time_zone", "fuseau horaire", "fuso horário", "المنطقة الزمنية"},
}

COLUMN_NAMES = {"name": _("Name"), "email": _("Email"), "country": _("Country"), "organisation": _("Organisation"),
                "language": _("Language"), "time_zone": _("Time zone")}


@dataclass(frozen=True)
class Problem:
    """A row not imported: the line it starts on in the file, and why."""

    line: int
    message: str
    email: str = ""


@dataclass(frozen=True)
class Row:
    line: int
    name: str
    email: str
    country: str | None
    organisation: str | None
    locale: str | None
    time_zone: str | None


@dataclass
class Report:
    """What a roster did: accounts created (and invited), existing accounts enrolled (and told), people
    already in the cohort, and the rows refused."""

    created: list[User] = field(default_factory=list)
    enrolled: list[User] = field(default_factory=list)
    already: list[User] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    mail_failures: list[str] = field(default_factory=list)

    @property
    def imported(self) -> int:
        return len(self.created) + len(self.enrolled)


class RosterError(ValueError):
    """A file that is no roster at all (empty, too large, no email column)."""

    def __str__(self) -> str:
        return str(self.args[0])


APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'", "‐": "-", "–": "-"})


def _fold(text: str) -> str:
    """For comparing names: case, accents, spacing and the kind of apostrophe ignored ("Côte d’Ivoire")."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(APOSTROPHES))
    return " ".join("".join(ch for ch in decomposed if not unicodedata.combining(ch)).split())


@cache
def _country_names() -> dict[str, str]:
    """Every country's names, common and official, in English and in Kuza's other languages, folded → alpha-2."""
    names: dict[str, str] = {}
    translations = []
    for locale in ("fr", "pt", "ar", "es"):
        try:
            translations.append(gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[locale]).gettext)
        except OSError:
            continue
    for country in pycountry.countries:
        english = [getattr(country, attribute, None) for attribute in ("name", "official_name", "common_name")]
        for name in filter(None, english):
            names.setdefault(_fold(name), country.alpha_2)
            for translate in translations:
                names.setdefault(_fold(translate(name)), country.alpha_2)
    return names


def country_code(text: str) -> str | None:
    """The ISO 3166-1 alpha-2 code for a code (SN, SEN) or a name ("Senegal", "Sénégal", "السنغال"), or None."""
    text = text.strip()
    if not text:
        return None
    if text.isascii() and text.isalpha() and len(text) in (2, 3):
        found = pycountry.countries.get(**{"alpha_2" if len(text) == 2 else "alpha_3": text.upper()})
        if found is not None:
            return found.alpha_2
    return _country_names().get(_fold(text))


def locale_code(text: str) -> str | None:
    """One of the site's languages for a code ("fr", "fr-SN", "pt_BR") or a name ("French", "français"), or None."""
    text = text.strip()
    if not text:
        return None
    base = text.replace("-", "_").split("_")[0].lower()
    if base in supported_locales():
        return base
    folded = _fold(text)
    for code in supported_locales():
        try:
            locale = Locale.parse(code)
        except (ValueError, UnknownLocaleError):
            continue
        names = {locale.get_display_name(code), locale.get_display_name("en"),
                 *(locale.get_display_name(other) for other in supported_locales())}
        if folded in {_fold(name) for name in names if name}:
            return code
    return None


def _formula(cell: str) -> bool:
    return cell.startswith(FORMULA_STARTS) or cell.strip().startswith(FORMULA_STARTS)


def _rows(data: bytes) -> Iterator[tuple[int, list[str]]]:
    """(first line, cells) of every record, lines counted as a text editor counts them.

    Bytes that are not UTF-8 are kept as surrogates (surrogateescape), so the rest of the file
    still parses and the record that holds them is reported by its line.
    """
    text = data.decode("utf-8", errors="surrogateescape").removeprefix("\ufeff")
    first = text.split("\n", 1)[0]
    try:
        dialect = csv.Sniffer().sniff(first, delimiters=",;\t")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    line = 1
    for record in reader:
        yield line, record
        line = reader.line_num + 1


def _not_utf8(cells: list[str]) -> bool:
    return any("\udc80" <= ch <= "\udcff" for cell in cells for ch in cell)


def _columns(header: list[str]) -> dict[str, int]:
    columns: dict[str, int] = {}
    for index, title in enumerate(header):
        folded = _fold(title.replace("_", " "))
        for column, names in HEADERS.items():
            if folded in {_fold(name.replace("_", " ")) for name in names}:
                columns.setdefault(column, index)
    if "email" not in columns or "name" not in columns:
        raise RosterError(_("The first line must name the columns, with at least name and email "
                            "(and, if you have them, country, organisation, language)."))
    return columns


def parse(data: bytes) -> tuple[list[Row], list[Problem]]:
    """The roster's good rows and its problems, each with its line. Nothing is stored."""
    if not data.strip():
        raise RosterError(_("The file is empty."))
    if len(data) > MAX_BYTES:
        raise RosterError(_("The file is larger than 1 MB: split the roster in several files."))
    records = _rows(data)
    try:
        _line, header = next(records)
    except csv.Error:
        raise RosterError(_("The first line cannot be read as CSV.")) from None
    if _not_utf8(header):
        raise RosterError(_("The first line is not UTF-8 text: save the file as “CSV UTF-8”."))
    columns = _columns(header)
    rows: list[Row] = []
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    line = 1
    try:
        for line, cells in records:
            if not any(cell.strip() for cell in cells):
                continue
            if len(rows) + len(problems) >= MAX_ROWS:
                raise RosterError(_("A roster holds at most %(count)d learners: split it in several files.",
                                    count=MAX_ROWS))
            found = _row(line, cells, columns, seen)
            (rows if isinstance(found, Row) else problems).append(found)
    except csv.Error:
        # The lines before it stand; the reader cannot find where the next record starts.
        problems.append(Problem(line + 1, _("This line cannot be read as CSV, so the rest of the file was not read.")))
    return rows, problems


def _row(line: int, cells: list[str], columns: dict[str, int], seen: dict[str, int]) -> Row | Problem:
    if _not_utf8(cells):
        return Problem(line, _("This line is not UTF-8 text: save the file as “CSV UTF-8” and upload it again."))

    def cell(column: str) -> str:
        index = columns.get(column)
        return cells[index] if index is not None and index < len(cells) else ""

    for column in columns:
        if _formula(cell(column)):
            return Problem(line, _("The %(column)s cell starts with “%(sign)s”, which a spreadsheet would run as a "
                                   "formula: remove it.", column=COLUMN_NAMES[column],
                                   sign=cell(column).strip()[:1] or "⇥"))
    raw_email = cell("email").strip()
    try:
        email = accounts.normalise_email(raw_email)
    except accounts.AccountError:
        return Problem(line, _("“%(email)s” is not an email address.", email=raw_email[:100]), raw_email[:100])
    if email in seen:
        return Problem(line, _("%(email)s is already on line %(line)d of this file.", email=email,
                               line=seen[email]), email)
    seen[email] = line
    name = " ".join(cell("name").split())
    if (problem := accounts.name_problem(name)) is not None:
        return Problem(line, problem, email)
    country = None
    if cell("country").strip():
        country = country_code(cell("country"))
        if country is None:
            return Problem(line, _("“%(country)s” is not a country Kuza knows: give its name or its ISO code "
                                   "(SN, SEN).", country=cell("country").strip()[:100]), email)
    organisation = " ".join(cell("organisation").split()) or None
    if organisation and len(organisation) > MAX_ORGANISATION:
        return Problem(line, _("Use at most %(count)d characters for the organisation.", count=MAX_ORGANISATION),
                       email)
    locale = None
    if cell("language").strip():
        locale = locale_code(cell("language"))
        if locale is None:
            return Problem(line, _("“%(language)s” is not a language of this site (%(languages)s).",
                                   language=cell("language").strip()[:50],
                                   languages=", ".join(supported_locales())), email)
    time_zone = None
    if cell("time_zone").strip():
        time_zone = times.valid_zone(cell("time_zone"))
        if time_zone is None:
            return Problem(line, _("“%(zone)s” is not a time zone such as Africa/Dakar.",
                                   zone=cell("time_zone").strip()[:64]), email)
    return Row(line, name, email, country, organisation, locale, time_zone)


class RowRefused(ValueError):
    """A good row the cohort cannot take (its person trains, or is in another cohort of the course)."""

    def __init__(self, message) -> None:
        super().__init__(message)
        self.message = message


def import_roster(actor, cohort: Cohort, data: bytes) -> Report:
    """Import a roster into the cohort, for its trainers and admins.

    Each good row is stored in a savepoint of its own, so a row that fails late (an account made
    meanwhile by someone else) leaves nothing half-stored and the others stand. Mail goes out
    after the caller commits (send_mail), so nobody is invited to an account that was not kept.
    """
    if not cohorts.may_run(actor, cohort):
        raise cohorts.CohortNotFound(cohort.id)
    rows, problems = parse(data)
    report = Report(problems=problems)
    for row in rows:
        try:
            with db.session.begin_nested():
                outcome = _import_row(cohort, row)
        except (accounts.AccountError, RowRefused) as error:
            report.problems.append(Problem(row.line, error.message, row.email))
            continue
        {"created": report.created, "enrolled": report.enrolled, "already": report.already}[outcome[0]].append(
            outcome[1])
    report.problems.sort(key=lambda problem: problem.line)
    return report


def _import_row(cohort: Cohort, row: Row) -> tuple[str, User]:
    user = accounts.find_user(row.email)
    if user is None:
        user = accounts.create_invited_user(row.email, row.name, row.locale)
        user.country, user.organisation, user.time_zone = row.country, row.organisation, row.time_zone
        cohorts.add_member(cohort, user, "roster")
        return "created", user
    if user.role != Role.LEARNER:
        raise RowRefused(_("%(email)s belongs to a trainer or administrator: add trainers in the cohort's details.",
                           email=row.email))
    current = cohorts.membership_of(user, cohort.course)
    if current is not None:
        if current.cohort_id == cohort.id:
            return "already", user
        raise RowRefused(_("%(email)s is in the cohort %(name)s of this course: move them from that cohort's page.",
                           email=row.email, name=current.cohort.name))
    # What the person set for themselves stays; the roster fills only what is missing.
    user.country = user.country or row.country
    user.organisation = user.organisation or row.organisation
    user.locale = user.locale or row.locale
    user.time_zone = user.time_zone or row.time_zone
    cohorts.add_member(cohort, user, "roster")
    return "enrolled", user


def send_mail(report: Report, cohort: Cohort, *, invitation_link: Callable[[str], str], course_link: str) -> None:
    """Mail each new account its invitation and each existing one that it was enrolled; an address the
    mail server refuses is noted in the report, and the rest still go out."""
    version = cohort.course.published_version
    days = current_app.config["KUZA_INVITATION_MAX_AGE"] // 86400
    default = current_app.config["BABEL_DEFAULT_LOCALE"]
    for template, users in (("cohort_invitation", report.created), ("cohort_enrolled", report.enrolled)):
        for user in users:
            try:
                mail.send(user.email, user.locale or default, template, name=user.name, cohort=cohort.name,
                          course=version.title, course_language=version.language, days=days,
                          link=invitation_link(accounts.invitation_token(user)) if template == "cohort_invitation"
                          else course_link, course_link=course_link)
            except Exception:  # an SMTP refusal or a dead server: say which addresses, send the others
                current_app.logger.exception("Could not mail %s", user.email)
                report.mail_failures.append(user.email)
