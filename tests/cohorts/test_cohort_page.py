"""The cohort page for its trainers: every learner with progress, pre-test and post-test, latest quiz, last activity
and certificate, sorted by a GET parameter; escaped; and as a CSV a spreadsheet opens without running anything."""
from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime

from lms.certificates.models import Certificate
from lms.cohorts import report
from lms.cohorts import services as cohorts
from lms.courseware.models import Attempt, Completion
from lms.extensions import db
from tests.cohorts.conftest import person

WHEN = datetime(2027, 3, 2, 9, 30, tzinfo=UTC)


def learner_in(app, cohort, course, name, email, *, done=0, pre=None, post=None, certificate=None):
    someone = person(app, name=name, email=email)
    cohorts.add_member(cohort, someone.user, "roster")
    key = {"user_id": someone.user.id, "course_id": course.id}
    for usage_id in ("unit-one-0", "unit-two-0")[:done]:
        db.session.add(Completion(**key, usage_id=usage_id, completion=1.0, modified_at=WHEN))
    for mode, earned in (("pre_test", pre), ("post_test", post)):
        if earned is not None:
            db.session.add(Attempt(**key, usage_id="unit-two-0", block_type="kuza_quiz", attempt_id=f"{mode}-{email}",
                                   mode=mode, question_set="m1", earned=earned, possible=4, passed=earned >= 2,
                                   submitted_at=WHEN))
    if certificate:
        db.session.add(Certificate(**key, public_id=f"c-{someone.user.id}", version_id=course.published_version.id,
                                   version_number=1, kind=certificate, rule={}))
    db.session.commit()
    return someone.user


def text_of(page: str) -> str:
    return re.sub(r"<[^>]+>", "", page)


def names_in_order(page: str, names: list[str]) -> list[str]:
    return sorted(names, key=page.index)


def test_the_page_shows_each_learner_and_sorts_by_the_parameter(app, trainer, course, cohort):
    learner_in(app, cohort, course, "Bintou Traoré", "bintou@example.org", done=2, pre=1, post=4,
               certificate="completion")
    learner_in(app, cohort, course, "Amadou Sy", "amadou@example.org", done=1, pre=2)
    learner_in(app, cohort, course, "Chloé Mendes", "chloe@example.org")
    names = ["Bintou Traoré", "Amadou Sy", "Chloé Mendes"]
    page = trainer.client.get(f"/cohorts/{cohort.id}").get_data(as_text=True)
    assert names_in_order(page, names) == ["Amadou Sy", "Bintou Traoré", "Chloé Mendes"]
    assert "2 of 2 lessons done" in text_of(page) and "Certificate of completion" in page and "Not started" in page
    assert re.search(r"<strong>3</strong> learners", page) and re.search(r"<strong>1</strong> finished", page)

    by_progress = trainer.client.get(f"/cohorts/{cohort.id}?sort=-progress").get_data(as_text=True)
    assert names_in_order(by_progress, names) == ["Bintou Traoré", "Amadou Sy", "Chloé Mendes"]
    assert 'aria-sort="descending"' in by_progress
    by_pre = trainer.client.get(f"/cohorts/{cohort.id}?sort=pre").get_data(as_text=True)
    # Ascending, and a learner who has not taken the test comes last.
    assert names_in_order(by_pre, names) == ["Bintou Traoré", "Amadou Sy", "Chloé Mendes"]
    assert trainer.client.get(f"/cohorts/{cohort.id}?sort=nonsense").status_code == 200


def test_names_are_escaped(app, trainer, course, cohort):
    learner_in(app, cohort, course, "<script>alert(1)</script>", "x@example.org")
    page = trainer.client.get(f"/cohorts/{cohort.id}").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_the_csv_has_every_learner_and_runs_no_formula(app, trainer, course, cohort):
    learner_in(app, cohort, course, "=HYPERLINK(\"http://evil.example\")", "evil@example.org", done=1)
    learner_in(app, cohort, course, "Amadou Sy", "amadou@example.org", done=2, pre=2, post=3,
               certificate="participation")
    answer = trainer.client.get(f"/cohorts/{cohort.id}/learners.csv?sort=-progress")
    assert answer.status_code == 200 and answer.mimetype == "text/csv"
    assert "no-store" in answer.headers["Cache-Control"]
    assert answer.data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(answer.data.decode("utf-8-sig"))))
    header, first, second = rows
    assert header[:3] == ["Name", "Email", "Country"]
    assert first[0] == "Amadou Sy" and first[6:11] == ["2", "2", "100", "50", "75"]
    assert first[-1] == "Certificate of participation"
    assert second[0] == "'=HYPERLINK(\"http://evil.example\")"


def test_spreadsheet_safe_quotes_every_formula_start():
    assert [report.spreadsheet_safe(cell) for cell in ("=1", "+1", "-1", "@A", "\t1", "\r1", "Amina", 5, None)] == [
        "'=1", "'+1", "'-1", "'@A", "'\t1", "'\r1", "Amina", "5", ""]


def test_the_page_is_translated(app, trainer, course, cohort):
    learner_in(app, cohort, course, "Amadou Sy", "amadou@example.org", done=1)
    trainer.user.locale = "fr"
    db.session.commit()
    page = trainer.client.get(f"/cohorts/{cohort.id}").get_data(as_text=True)
    assert 'lang="fr"' in page and "Apprenants" in page and "Codes d’inscription" in page
