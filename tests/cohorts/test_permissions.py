"""Who may open or change what, on every cohorts route: anonymous visitors, a learner of the cohort, the
cohort's trainer, a trainer of another cohort of the same course, a trainer of another course, an admin.

The table must name every route the cohorts blueprint has: a new route without an entry fails
test_every_cohorts_route_is_in_the_table, so nobody adds a page without saying who may use it.
"""
from __future__ import annotations

import io
from datetime import date
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from lms.accounts import services as accounts
from lms.cohorts import services as cohorts
from lms.cohorts.models import Cohort, EnrolmentCode, Membership
from lms.extensions import db
from tests.cohorts.conftest import new_cohort, person, trainer_of
from tests.factories import csrf_token_from, make_course

ROLES = ("anonymous", "learner", "trainer", "other_cohort_trainer", "other_course_trainer", "admin")
LOGIN = "login"


def runs(ok: int) -> dict[str, int | str]:
    """A cohort's own page or action: its trainer and admins only, everyone else as if it did not exist."""
    return {"anonymous": LOGIN, "learner": 404, "trainer": ok, "other_cohort_trainer": 404,
            "other_course_trainer": 404, "admin": ok}


def everyone(ok: int) -> dict[str, int | str]:
    return dict.fromkeys(ROLES, ok)


TABLE: dict[tuple[str, str], dict[str, int | str]] = {
    ("cohorts.index", "GET"): {"anonymous": LOGIN, "learner": 403, "trainer": 200, "other_cohort_trainer": 200,
                               "other_course_trainer": 200, "admin": 200},
    ("cohorts.new", "GET"): {"anonymous": LOGIN, "learner": 403, "trainer": 200, "other_cohort_trainer": 200,
                             "other_course_trainer": 403, "admin": 200},
    ("cohorts.new", "POST"): {"anonymous": LOGIN, "learner": 403, "trainer": 303, "other_cohort_trainer": 303,
                              "other_course_trainer": 403, "admin": 303},
    ("cohorts.cohort", "GET"): runs(200),
    ("cohorts.edit", "GET"): runs(200),
    ("cohorts.edit", "POST"): runs(303),
    ("cohorts.learners_csv", "GET"): runs(200),
    ("cohorts.new_code", "POST"): runs(303),
    ("cohorts.revoke_code", "POST"): runs(303),
    ("cohorts.upload_roster", "POST"): runs(200),
    ("cohorts.roster_example", "GET"): runs(200),
    ("cohorts.move", "POST"): runs(303),
    ("cohorts.remove", "POST"): runs(303),
    # A learner's side: anyone may read a code's page; only learners join with it.
    ("cohorts.join_form", "GET"): everyone(200),
    ("cohorts.join", "GET"): everyone(200),
    ("cohorts.join_post", "POST"): {"anonymous": LOGIN, "learner": 303, "trainer": 409, "other_cohort_trainer": 409,
                                    "other_course_trainer": 409, "admin": 409},
    # The invitation's token is the key, whoever holds it.
    ("cohorts.invitation", "GET"): everyone(200),
    ("cohorts.invitation", "POST"): everyone(422),
}


@pytest.fixture
def world(app, course, trainer, other_trainer, cohort, other_cohort, learner, admin):
    """Everyone in the table, a code of the cohort and an invitation not yet used."""
    elsewhere = make_course(slug="other-course")
    kofi = trainer_of(app, elsewhere, "Kofi Mensah", "kofi@example.org")
    new_cohort(kofi.user, elsewhere, "Accra group", kind="online", place=None)
    code = cohorts.create_code(trainer.user, cohort, valid_until=None, seat_limit=10)
    invited = accounts.create_invited_user("new.person@example.org", "Nia Person")
    cohorts.add_member(cohort, invited, "roster")
    db.session.commit()
    return SimpleNamespace(
        clients={"anonymous": app.test_client(), "learner": learner.client, "trainer": trainer.client,
                 "other_cohort_trainer": other_trainer.client, "other_course_trainer": kofi.client,
                 "admin": admin.client},
        cohort=cohort, other_cohort=other_cohort, code=code, learner=learner.user,
        invitation=accounts.invitation_token(invited), slug=course.slug, trainer=trainer.user)


def request_for(world, endpoint: str, method: str) -> tuple[str, dict]:
    """The path, and the form a POST sends, for one route."""
    cohort_id = world.cohort.id
    starts = {"starts_on": "2027-03-01", "ends_on": "2027-03-05"}
    paths = {
        "cohorts.index": ("/cohorts", {}),
        "cohorts.new": (f"/courses/{world.slug}/cohorts/new",
                        {"name": "Another group", "kind": "online", **starts}),
        "cohorts.cohort": (f"/cohorts/{cohort_id}", {}),
        "cohorts.edit": (f"/cohorts/{cohort_id}/edit", {"name": "Renamed", "kind": "workshop", "place": "Thiès",
                                                        "trainers": str(world.trainer.id), **starts}),
        "cohorts.learners_csv": (f"/cohorts/{cohort_id}/learners.csv", {}),
        "cohorts.new_code": (f"/cohorts/{cohort_id}/codes", {"seat_limit": "5"}),
        "cohorts.revoke_code": (f"/cohorts/{cohort_id}/codes/{world.code.id}/revoke", {}),
        "cohorts.upload_roster": (f"/cohorts/{cohort_id}/roster", {
            "roster": (io.BytesIO(b"name,email\nLea Ndiaye,lea@example.org\n"), "roster.csv")}),
        "cohorts.roster_example": (f"/cohorts/{cohort_id}/roster-example.csv", {}),
        "cohorts.move": (f"/cohorts/{cohort_id}/learners/{world.learner.id}/move", {"target": str(world.other_cohort.id)}),
        "cohorts.remove": (f"/cohorts/{cohort_id}/learners/{world.learner.id}/remove", {}),
        "cohorts.join_form": ("/join", {}),
        "cohorts.join": (f"/join/{world.code.code}", {}),
        "cohorts.join_post": (f"/join/{world.code.code}", {}),
        "cohorts.invitation": (f"/invitations/{world.invitation}", {"password": "a long enough password",
                                                                   "confirm": "not the same at all"}),
    }
    return paths[endpoint]


def snapshot(world) -> tuple:
    """What a refused request must leave as it was."""
    cohort = db.session.get(Cohort, world.cohort.id)
    return (cohort.name, cohort.place,
            db.session.scalar(select(func.count()).select_from(Membership).where(Membership.cohort_id == cohort.id)),
            db.session.scalar(select(func.count()).select_from(EnrolmentCode)),
            db.session.get(EnrolmentCode, world.code.id).revoked_at,
            db.session.scalar(select(func.count()).select_from(Cohort)))


def test_every_cohorts_route_is_in_the_table(app):
    routes = {(rule.endpoint, method) for rule in app.url_map.iter_rules() if rule.endpoint.startswith("cohorts.")
              for method in rule.methods - {"HEAD", "OPTIONS"}}
    assert routes == set(TABLE), "every cohorts route needs an entry in the permission table"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", sorted(TABLE), ids=lambda route: f"{route[1]} {route[0]}")
def test_who_may_use_each_route(world, route, role):
    endpoint, method = route
    expected = TABLE[route][role]
    client = world.clients[role]
    path, form = request_for(world, endpoint, method)
    before = snapshot(world)
    if method == "GET":
        response = client.get(path)
    else:
        token = csrf_token_from(client.get("/join").get_data(as_text=True))
        response = client.post(path, data={**form, "csrf_token": token}, content_type="multipart/form-data")
    if expected == LOGIN:
        assert response.status_code == 302 and response.headers["Location"].startswith("/sign-in"), response.status
    else:
        assert response.status_code == expected, (response.status_code, response.get_data(as_text=True)[:300])
    body = response.get_data(as_text=True)
    if expected in (LOGIN, 403, 404):
        assert snapshot(world) == before, "a refused request changed something"
        assert "Dakar workshop" not in body and "amina@example.org" not in body


def test_a_trainer_sees_only_their_own_cohorts_in_the_list(world):
    mine = world.clients["trainer"].get("/cohorts").get_data(as_text=True)
    theirs = world.clients["other_cohort_trainer"].get("/cohorts").get_data(as_text=True)
    every = world.clients["admin"].get("/cohorts").get_data(as_text=True)
    assert "Dakar workshop" in mine and "Maputo study tour" not in mine
    assert "Maputo study tour" in theirs and "Dakar workshop" not in theirs
    assert all(name in every for name in ("Dakar workshop", "Maputo study tour", "Accra group"))


def test_a_trainer_taken_off_the_course_staff_no_longer_runs_its_cohort(world, course):
    from lms.accounts.services import OPERATOR
    from lms.catalog import services as catalog

    catalog.remove_staff(OPERATOR, course, world.trainer)
    db.session.commit()
    assert world.clients["trainer"].get(f"/cohorts/{world.cohort.id}").status_code == 404


def test_a_trainer_cannot_move_a_learner_into_a_cohort_they_do_not_train(world):
    token = csrf_token_from(world.clients["trainer"].get("/join").get_data(as_text=True))
    world.clients["trainer"].post(f"/cohorts/{world.cohort.id}/learners/{world.learner.id}/move",
                                  data={"target": str(world.other_cohort.id), "csrf_token": token})
    assert cohorts.membership_of(world.learner, world.cohort.course).cohort_id == world.cohort.id


def test_a_trainer_cannot_choose_trainers_from_outside_the_course_staff(world, app):
    outsider = person(app, role="trainer", name="Olu Outsider", email="olu@example.org")
    with pytest.raises(cohorts.CohortError):
        cohorts.update_cohort(world.trainer, world.cohort, cohorts.CohortDetails(
            name="Dakar workshop", kind="workshop", starts_on=date(2027, 3, 1), ends_on=date(2027, 3, 5),
            place="Dakar", trainer_ids=(outsider.user.id,)))
