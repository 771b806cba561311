"""Cohorts fixtures: a published course with two cohorts, each with a trainer of its own, and people signed in to test clients."""
from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest

from lms.accounts.services import OPERATOR
from lms.catalog import services as catalog
from lms.cohorts import services as cohorts
from lms.cohorts.services import CohortDetails
from lms.extensions import db
from tests.factories import make_course, make_user, sign_in

SLUG = "cohorts-course"


def person(app, role: str = "learner", name: str = "Amina Diallo", email: str | None = None) -> SimpleNamespace:
    """A user, committed, and a test client signed in as them."""
    user = make_user(role=role, name=name, email=email)
    db.session.commit()
    client = app.test_client()
    sign_in(client, user)
    return SimpleNamespace(user=user, client=client)


def trainer_of(app, course, name: str, email: str) -> SimpleNamespace:
    someone = person(app, role="trainer", name=name, email=email)
    catalog.add_staff(OPERATOR, course, someone.user, "editor")
    db.session.commit()
    return someone


def new_cohort(trainer, course, name: str, kind: str = "workshop", place: str | None = "Dakar"):
    cohort = cohorts.create_cohort(trainer, course, CohortDetails(
        name=name, kind=kind, starts_on=date(2027, 3, 1), ends_on=date(2027, 3, 5), place=place or ""))
    db.session.commit()
    return cohort


@pytest.fixture
def course(db_session):
    return make_course(slug=SLUG)


@pytest.fixture
def trainer(app, course):
    """Grace trains the Dakar workshop."""
    return trainer_of(app, course, "Grace Banda", "grace@example.org")


@pytest.fixture
def other_trainer(app, course):
    """Joao trains another cohort of the same course, and nothing of Grace's."""
    return trainer_of(app, course, "Joao Silva", "joao@example.org")


@pytest.fixture
def cohort(trainer, course):
    return new_cohort(trainer.user, course, "Dakar workshop")


@pytest.fixture
def other_cohort(other_trainer, course):
    return new_cohort(other_trainer.user, course, "Maputo study tour", kind="study_tour", place="Maputo")


@pytest.fixture
def learner(app, course, cohort):
    """Amina, a learner in the Dakar workshop."""
    someone = person(app, email="amina@example.org")
    cohorts.add_member(cohort, someone.user, "roster")
    db.session.commit()
    return someone


@pytest.fixture
def admin(app):
    return person(app, role="admin", name="Ada Admin", email="admin@example.org")
