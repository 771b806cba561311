"""Enrolment codes: a shareable link that enrols and places a learner, until it expires, its seats are taken or
it is revoked; the last seat goes to one learner when several race for it."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from lms.accounts.services import OPERATOR
from lms.catalog import services as catalog
from lms.cohorts import services as cohorts
from lms.cohorts.models import EnrolmentCode, Membership
from lms.database import utcnow
from lms.extensions import db
from tests.cohorts.conftest import new_cohort, person
from tests.concurrency import at_once, signed_in_tabs
from tests.factories import csrf_token_from, make_course, make_user


def join(client, code: str):
    page = client.get(f"/join/{code}")
    if page.status_code != 200:
        return page
    return client.post(f"/join/{code}", data={"csrf_token": csrf_token_from(page.get_data(as_text=True))})


def test_a_learner_joins_by_the_link_and_lands_in_the_course(app, trainer, cohort):
    code = cohorts.create_code(trainer.user, cohort, valid_until=None, seat_limit=None)
    db.session.commit()
    amina = person(app, email="amina@example.org")
    page = amina.client.get(f"/join/{code.code}").get_data(as_text=True)
    assert "Dakar workshop" in page and "Course cohorts-course" in page and "Dakar" in page
    answer = join(amina.client, code.code)
    assert answer.status_code == 303 and answer.headers["Location"] == "/courses/cohorts-course/learn/"
    assert catalog.enrollment_for(amina.user, cohort.course) is not None
    assert cohorts.membership_of(amina.user, cohort.course).cohort_id == cohort.id
    assert db.session.get(EnrolmentCode, code.id).seats_used == 1
    # Joining again changes nothing and takes no seat.
    assert join(amina.client, code.code).status_code == 303
    assert db.session.get(EnrolmentCode, code.id).seats_used == 1


def test_a_code_typed_as_read_aloud_finds_its_cohort(app, trainer, cohort):
    code = cohorts.create_code(trainer.user, cohort, valid_until=None, seat_limit=None)
    db.session.commit()
    typed = f"{code.code[:5].lower()} {code.code[5:].lower()}"
    answer = app.test_client().get("/join", query_string={"code": typed})
    assert answer.status_code == 302 and answer.headers["Location"] == f"/join/{code.code}"


def test_a_visitor_is_asked_to_sign_in_and_comes_back_to_the_code(app, trainer, cohort):
    code = cohorts.create_code(trainer.user, cohort, valid_until=None, seat_limit=None)
    db.session.commit()
    page = app.test_client().get(f"/join/{code.code}").get_data(as_text=True)
    assert f"/sign-in?next=/join/{code.code}" in page and f"/register?next=/join/{code.code}" in page


def test_an_unknown_code_is_not_found(app, db_session):
    assert app.test_client().get("/join/NOSUCHCODE").status_code == 404


def test_expired_full_and_revoked_codes_let_nobody_in(app, trainer, cohort):
    expired = cohorts.create_code(trainer.user, cohort, valid_until=date.today(), seat_limit=None)
    expired.expires_at = (utcnow() - timedelta(minutes=1)).replace(tzinfo=None)
    full = cohorts.create_code(trainer.user, cohort, valid_until=None, seat_limit=1)
    revoked = cohorts.create_code(trainer.user, cohort, valid_until=None, seat_limit=None)
    cohorts.revoke_code(trainer.user, cohort, revoked.id)
    db.session.commit()
    first = person(app, email="first@example.org")
    assert join(first.client, full.code).status_code == 303
    late = person(app, email="late@example.org")
    for code, reason in ((expired, "has expired"), (full, "Every seat"), (revoked, "no longer works")):
        page = late.client.get(f"/join/{code.code}")
        assert page.status_code == 410 and reason in page.get_data(as_text=True)
        assert "Join the cohort" not in page.get_data(as_text=True)
        refused = late.client.post(f"/join/{code.code}", data={"csrf_token": csrf_token_from(
            late.client.get("/join").get_data(as_text=True))})
        assert refused.status_code == 409 and reason in refused.get_data(as_text=True)
    assert cohorts.membership_of(late.user, cohort.course) is None
    assert catalog.enrollment_for(late.user, cohort.course) is None


def test_a_code_valid_until_a_day_works_to_its_end_in_the_trainers_time_zone(app, trainer, cohort):
    trainer.user.time_zone = "Africa/Nairobi"  # UTC+3
    code = cohorts.create_code(trainer.user, cohort, valid_until=date(2099, 6, 30), seat_limit=None)
    assert code.expires_at.replace(tzinfo=None).isoformat(timespec="seconds") == "2099-06-30T20:59:59"
    with pytest.raises(cohorts.CohortError):
        cohorts.create_code(trainer.user, cohort, valid_until=date(2000, 1, 1), seat_limit=None)


def test_a_learner_in_another_cohort_of_the_course_is_told_to_ask_to_be_moved(app, trainer, cohort, other_cohort,
                                                                               other_trainer):
    code = cohorts.create_code(other_trainer.user, other_cohort, valid_until=None, seat_limit=None)
    amina = person(app, email="amina@example.org")
    cohorts.add_member(cohort, amina.user, "code")
    db.session.commit()
    refused = join(amina.client, code.code)
    assert refused.status_code == 409 and "Ask your trainer to move you" in refused.get_data(as_text=True)
    assert cohorts.membership_of(amina.user, cohort.course).cohort_id == cohort.id
    assert db.session.get(EnrolmentCode, code.id).seats_used == 0


def test_a_learner_may_be_in_cohorts_of_several_courses(app, trainer, cohort):
    elsewhere = make_course(slug="second-course")
    catalog.add_staff(OPERATOR, elsewhere, trainer.user, "editor")
    second = new_cohort(trainer.user, elsewhere, "Online group", kind="online", place=None)
    codes = [cohorts.create_code(trainer.user, group, valid_until=None, seat_limit=None) for group in (cohort, second)]
    db.session.commit()
    amina = person(app, email="amina@example.org")
    for code in codes:
        assert join(amina.client, code.code).status_code == 303
    assert {m.cohort_id for m in db.session.scalars(select(Membership).where(Membership.user_id == amina.user.id))} \
        == {cohort.id, second.id}


def test_the_last_seat_goes_to_one_learner_when_two_race_for_it(committed_app):
    with committed_app.app_context():
        course = make_course(slug="race-course")
        grace = make_user(role="trainer", name="Grace Banda", email="grace@example.org")
        catalog.add_staff(OPERATOR, course, grace, "owner")
        cohort = new_cohort(grace, course, "Dakar workshop")
        code = cohorts.create_code(grace, cohort, valid_until=None, seat_limit=1).code
        emails = ["one@example.org", "two@example.org", "three@example.org"]
        for email in emails:
            make_user(email=email)
        db.session.commit()
    tabs = [signed_in_tabs(committed_app, email, count=1)[0] for email in emails]
    tokens = [csrf_token_from(tab.get(f"/join/{code}").get_data(as_text=True)) for tab in tabs]
    answers = at_once(*[lambda tab=tab, token=token: tab.post(f"/join/{code}", data={"csrf_token": token}).status_code
                        for tab, token in zip(tabs, tokens, strict=True)])
    assert sorted(answers) == [303, 409, 409]
    with committed_app.app_context():
        assert db.session.scalar(select(EnrolmentCode.seats_used).where(EnrolmentCode.code == code)) == 1
        assert db.session.scalar(select(func.count()).select_from(Membership)) == 1
