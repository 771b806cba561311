"""Fixtures for certificates: a key folder of the test's own, the sample course, a learner who passed."""
from __future__ import annotations

import pytest

from lms.catalog import services as catalog
from lms.catalog.services import get_course
from lms.courseware.packages import import_package
from lms.extensions import db
from tests.certificates.records import work_through
from tests.environment import SAMPLE_COURSE
from tests.factories import make_user


@pytest.fixture
def key_folder(app, tmp_path):
    """KUZA_KEYS_DIR pointed at an empty folder for this test only."""
    folder = tmp_path / "keys"
    app.config["KUZA_KEYS_DIR"] = str(folder)
    yield folder
    app.config.pop("KUZA_KEYS_DIR", None)


@pytest.fixture
def sample(db_session):
    import_package(SAMPLE_COURSE)
    db.session.commit()
    return get_course("public-service-innovation")


@pytest.fixture
def issued(sample, key_folder):
    """A certificate of completion, issued to Amina Diallo and committed."""
    from lms.certificates import services as certificates
    learner = make_user(name="Amina Diallo", email="amina@example.org")
    catalog.enroll(learner, sample)
    work_through(learner, sample, quiz_fraction=0.9, post_test_passed=True)
    certificate = certificates.issue_if_earned(learner, sample)
    db.session.commit()
    return certificate
