"""kuza load-demo, which make run calls: every language version of the sample course, and a demo learner who
starts in the English one."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from lms.accounts.services import DEMO_EMAIL, find_user
from lms.catalog.models import Enrollment
from lms.catalog.services import get_course, translations_of, user_enrollments
from lms.extensions import db

pytestmark = pytest.mark.usefixtures("db_session")


@pytest.fixture
def instance(app, tmp_path, monkeypatch):
    # The demo password is written to the instance folder.
    monkeypatch.setattr(app, "instance_path", str(tmp_path))


def test_it_publishes_both_languages_and_enrols_the_demo_learner_in_the_english_one(app, instance):
    result = app.test_cli_runner().invoke(args=["load-demo"])

    assert result.exit_code == 0, result.output
    english, french = get_course("public-service-innovation"), get_course("public-service-innovation-fr")
    assert (english.published_version.language, french.published_version.language) == ("en", "fr")
    assert translations_of(english) == [french]
    learner = find_user(DEMO_EMAIL)
    assert [enrollment.course for enrollment in user_enrollments(learner)] == [english]
    assert result.output.splitlines()[-1].endswith(", enrolled in public-service-innovation")
    assert "public-service-innovation-fr: version 1 published." in result.output.splitlines()


def test_running_it_again_changes_nothing(app, instance):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["load-demo"])
    again = runner.invoke(args=["load-demo"])

    assert again.exit_code == 0, again.output
    assert again.output.splitlines()[:2] == ["public-service-innovation: version 1 unchanged.",
                                             "public-service-innovation-fr: version 1 unchanged."]
    assert again.output.splitlines()[-1] == first.output.splitlines()[-1]
    assert db.session.scalar(select(db.func.count()).select_from(Enrollment)) == 1
