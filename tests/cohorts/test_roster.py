"""Rosters: each bad row reported with its line and reason and nothing of it stored, the good rows imported;
new accounts invited by mail through a real SMTP server on loopback, each link working once."""
from __future__ import annotations

import io
import re
from collections.abc import Iterator
from datetime import date

import pytest
from flask import Flask
from sqlalchemy import select

from lms.accounts import services as accounts
from lms.accounts.models import User
from lms.catalog import services as catalog
from lms.cohorts import roster
from lms.cohorts import services as cohorts
from lms.cohorts.models import Membership
from lms.extensions import db
from lms.accounts.services import OPERATOR
from tests.factories import PASSWORD, csrf_token_from, make_course, make_user, sign_in
from tests.mail import Inbox, app_sending_to, empty_tables, parts, smtp_server

BASE = "https://learn.example.org"
INVITATION = re.compile(re.escape(BASE) + r"(/invitations/[\w.-]+)")
NEW_PASSWORD = "my own long password"

# Line numbers as a text editor shows them; line 1 is the header.
ROSTER = (
    "name,email,country,organisation,preferred language\r\n"
    "Amina Diallo,amina@example.org,SN,Ministère de la Fonction publique,fr\r\n"  # 2: good, new, French
    "Joao Silva,not-an-address,MZ,INAP,pt\r\n"  # 3: invalid email
    "Awa Sow,AMINA@example.org,SN,,fr\r\n"  # 4: duplicate of line 2
    "Kofi Mensah,kofi@example.org,Atlantis,,en\r\n"  # 5: unknown country
).encode() + (
    "Ndeye Fall,ndeye@example.org,SN,Minist\xe8re,fr\r\n".encode("latin-1")  # 6: not UTF-8
) + (
    '=HYPERLINK("http://evil.example","Click"),evil@example.org,SN,,en\r\n'  # 7: formula
    "Lea Ndiaye,lea@example.org,SEN,+cmd|' /C calc'!A0,fr\r\n"  # 8: formula in organisation
    "Moussa Ba,moussa@example.org,Sénégal,\"Direction de la\nmodernisation\",Français\r\n"  # 9-10: good, two lines
    "Tariq Saleh,tariq@example.org,,\tTab Org,ar\r\n"  # 11: starts with a tab
    "Grace Existing,grace.existing@example.org,Mozambique,INAP,pt\r\n"  # 12: good, existing account
).encode()

BAD_LINES = {3: "is not an email address", 4: "already on line 2", 5: "not a country", 6: "not UTF-8",
             7: "formula", 8: "formula", 11: "formula"}


def test_each_bad_row_is_reported_with_its_line_and_the_good_rows_parse(app, db_session):
    rows, problems = roster.parse(ROSTER)
    assert {problem.line: problem.message for problem in problems}.keys() == BAD_LINES.keys()
    for problem in problems:
        assert BAD_LINES[problem.line] in str(problem.message), (problem.line, str(problem.message))
    assert [(row.line, row.email, row.country, row.locale) for row in rows] == [
        (2, "amina@example.org", "SN", "fr"), (9, "moussa@example.org", "SN", "fr"),
        (12, "grace.existing@example.org", "MZ", "pt")]
    assert rows[1].organisation == "Direction de la modernisation"


@pytest.mark.parametrize("cell", ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1", " =1"])
def test_every_formula_start_is_refused(app, db_session, cell):
    rows, problems = roster.parse(f'name,email\n"{cell}",a@example.org\n'.encode())
    assert rows == [] and [problem.line for problem in problems] == [2]


def test_spreadsheet_exports_with_semicolons_and_a_byte_order_mark_are_read(app, db_session):
    data = "\ufeffNom;Courriel;Pays;Langue\r\nAmina Diallo;amina@example.org;Côte d’Ivoire;français\r\n".encode()
    rows, problems = roster.parse(data)
    assert problems == []
    assert [(row.name, row.email, row.country, row.locale) for row in rows] == [
        ("Amina Diallo", "amina@example.org", "CI", "fr")]


@pytest.mark.parametrize(("text", "code"), [("SN", "SN"), ("sen", "SN"), ("Senegal", "SN"), ("Sénégal", "SN"),
                                            ("Moçambique", "MZ"), ("السنغال", "SN"), ("Bolivia", "BO"),
                                            ("Atlantis", None), ("XX", None)])
def test_countries_by_code_or_name_in_kuzas_languages(app, text, code):
    assert roster.country_code(text) == code


def test_a_file_without_an_email_column_is_no_roster(app, db_session):
    with pytest.raises(roster.RosterError):
        roster.parse(b"first,second\nAmina,Diallo\n")


# The whole path, through the page and a real SMTP server.


@pytest.fixture(scope="module")
def inbox() -> Iterator[Inbox]:
    with smtp_server() as handler:
        yield handler


@pytest.fixture(scope="module")
def mail_app(inbox, tmp_path_factory) -> Iterator[Flask]:
    with app_sending_to(inbox, tmp_path_factory.mktemp("roster-mail"), KUZA_BASE_URL=BASE) as app:
        yield app


@pytest.fixture
def site(mail_app, inbox):
    inbox.clear()
    with mail_app.app_context():
        yield mail_app
        empty_tables()


@pytest.fixture
def workshop(site):
    """A course, its trainer Grace signed in, her Dakar workshop, and an existing learner's account."""
    course = make_course(slug="roster-course")
    grace = make_user(role="trainer", name="Grace Banda", email="grace@example.org")
    catalog.add_staff(OPERATOR, course, grace, "owner")
    cohort = cohorts.create_cohort(grace, course, cohorts.CohortDetails(
        name="Dakar workshop", kind="workshop", starts_on=date(2027, 3, 1), ends_on=date(2027, 3, 5), place="Dakar"))
    existing = make_user(name="Grace Existing", email="grace.existing@example.org")
    db.session.commit()
    client = site.test_client()
    sign_in(client, grace)
    return client, cohort, existing


def upload(client, cohort, data: bytes):
    page = client.get(f"/cohorts/{cohort.id}").get_data(as_text=True)
    return client.post(f"/cohorts/{cohort.id}/roster", data={
        "csrf_token": csrf_token_from(page), "roster": (io.BytesIO(data), "roster.csv")},
        content_type="multipart/form-data")


def test_a_roster_imports_the_good_rows_reports_the_bad_and_invites_by_smtp(site, inbox, workshop):
    client, cohort, existing = workshop
    answer = upload(client, cohort, ROSTER)
    assert answer.status_code == 200
    page = answer.get_data(as_text=True)
    for line in BAD_LINES:
        assert f'data-label="Line">{line}</td>' in page
    # HTML-escaped, as every cell a trainer uploaded.
    assert "=HYPERLINK(&#34;http://evil.example&#34;" not in page and "<script" not in page

    # Nothing of a bad row was stored.
    bad = ["not-an-address", "kofi@example.org", "ndeye@example.org", "evil@example.org", "lea@example.org",
           "tariq@example.org"]
    assert db.session.scalars(select(User.email).where(User.email.in_(bad))).all() == []
    members = set(db.session.scalars(select(User.email).join(Membership, Membership.user_id == User.id)
                                     .where(Membership.cohort_id == cohort.id)))
    assert members == {"amina@example.org", "moussa@example.org", "grace.existing@example.org"}
    amina = accounts.find_user("amina@example.org")
    assert (amina.country, amina.organisation, amina.locale) == ("SN", "Ministère de la Fonction publique", "fr")
    assert not accounts.has_usable_password(amina)
    assert catalog.enrollment_for(amina, cohort.course) is not None

    messages = inbox.wait_for(3)
    assert sorted(address for [address] in inbox.recipients) == [
        "amina@example.org", "grace.existing@example.org", "moussa@example.org"]
    [to_amina] = inbox.to("amina@example.org")
    text, html = parts(to_amina)
    # The mail library folds an encoded subject right after "Subject:", which reads back with a leading space.
    assert to_amina["Subject"].strip() == "Vous êtes invité·e à Course roster-course sur Kuza"
    assert text.startswith("Bonjour Amina Diallo,") and 'lang="fr"' in html
    [told] = inbox.to("grace.existing@example.org")
    assert "/invitations/" not in parts(told)[0] and f"{BASE}/courses/roster-course/learn" in parts(told)[0]
    assert len(messages) == 3


def test_each_invitation_link_works_once(site, inbox, workshop):
    client, cohort, _existing = workshop
    upload(client, cohort, b"name,email\nAmina Diallo,amina@example.org\nMoussa Ba,moussa@example.org\n")
    inbox.wait_for(2)
    links = {message["To"]: INVITATION.search(parts(message)[0]).group(1) for message in inbox.messages}
    assert INVITATION.search(parts(inbox.messages[0])[1])  # the HTML part carries it too

    browser = site.test_client()
    path = links["amina@example.org"]
    form = browser.get(path)
    assert form.status_code == 200 and "Amina Diallo" in form.get_data(as_text=True)
    chosen = browser.post(path, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD,
                                      "csrf_token": csrf_token_from(form.get_data(as_text=True))})
    assert chosen.status_code == 303 and chosen.headers["Location"] == "/my-learning"
    assert "roster-course" in browser.get("/my-learning").get_data(as_text=True)
    assert accounts.authenticate("amina@example.org", NEW_PASSWORD) is not None

    assert site.test_client().get(path).status_code == 410
    late = site.test_client()
    token = csrf_token_from(late.get("/join").get_data(as_text=True))
    again = late.post(path, data={"password": "another password!", "confirm": "another password!", "csrf_token": token})
    assert again.status_code == 410
    assert accounts.authenticate("amina@example.org", NEW_PASSWORD) is not None
    # Moussa's link is his own, and still works.
    assert site.test_client().get(links["moussa@example.org"]).status_code == 200


def test_an_invitation_is_no_password_reset_link_and_no_reset_link_is_an_invitation(site, inbox, workshop):
    client, cohort, existing = workshop
    upload(client, cohort, b"name,email\nAmina Diallo,amina@example.org\n")
    path = INVITATION.search(parts(inbox.wait_for(1)[0])[0]).group(1)
    token = path.rsplit("/", 1)[1]
    assert site.test_client().get(f"/password/reset/{token}").status_code == 410
    reset = accounts.password_reset_token(existing)
    assert site.test_client().get(f"/invitations/{reset}").status_code == 410


def test_an_invited_account_cannot_sign_in_before_choosing_a_password(site, inbox, workshop):
    client, cohort, _existing = workshop
    upload(client, cohort, b"name,email\nAmina Diallo,amina@example.org\n")
    amina = accounts.find_user("amina@example.org")
    assert accounts.authenticate("amina@example.org", amina.password_hash) is None
    assert accounts.authenticate("amina@example.org", PASSWORD) is None


def test_uploading_the_same_roster_twice_adds_nobody_twice(site, inbox, workshop):
    client, cohort, _existing = workshop
    upload(client, cohort, b"name,email\nAmina Diallo,amina@example.org\n")
    inbox.wait_for(1)
    again = upload(client, cohort, b"name,email\nAmina Diallo,amina@example.org\n").get_data(as_text=True)
    assert re.search(r"<strong>1</strong> already in the cohort", again)
    assert len(inbox.wait_for(2, timeout=0.5)) == 1
