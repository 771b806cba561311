"""The sample course end to end through the test client: enrol, read every unit, 100 %, a certificate, resume."""
from __future__ import annotations

import re

import lxml.html
import pytest

from lms.catalog.services import get_course
from lms.courseware.packages import import_package
from lms.courseware.services import load_tree
from lms.extensions import db
from tests.environment import SAMPLE_COURSE
from tests.factories import PASSWORD, csrf_token_from

SLUG = "public-service-innovation"


@pytest.fixture
def sample(db_session):
    result = import_package(SAMPLE_COURSE)
    db.session.commit()
    return result


def test_learner_reads_every_unit_reaches_100_and_resumes(client, sample):
    page = client.get("/register").get_data(as_text=True)
    registered = client.post("/register", data={
        "name": "Nadia Rahman", "email": "nadia@example.org", "password": PASSWORD, "confirm": PASSWORD,
        "csrf_token": csrf_token_from(page)})
    assert registered.status_code in (302, 303)

    course_page = client.get(f"/courses/{SLUG}/").get_data(as_text=True)
    resume = client.post(f"/courses/{SLUG}/enroll", data={"csrf_token": csrf_token_from(course_page)})
    unit_url = client.get(resume.headers["Location"]).headers["Location"]

    visited = []
    quizzes = plans = 0
    while unit_url:
        html = client.get(unit_url).get_data(as_text=True)
        assert 'class="xblock xblock-student_view kuza_' in html
        visited.append(unit_url)
        if form := re.search(r'<form method="post" action="([^"]+/handler/submit)" class="kuza-quiz-form">(.*?)</form>',
                             html, re.DOTALL):
            # Answered blank: still an attempt, which completes the quiz; the form comes back here.
            hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form.group(2)))
            answered = client.post(form.group(1), data=hidden)
            assert answered.status_code == 303 and answered.headers["Location"] == unit_url
            quizzes += 1
        if form := re.search(r'<form method="post" action="([^"]+/handler/save_plan)" class="kuza-reflection-form">'
                             r'(.*?)</form>', html, re.DOTALL):
            # The adaptation plan completes once submitted with every prompt answered.
            hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form.group(2)))
            answers = {name: "My plan." for name in re.findall(r'<textarea id="[^"]+" name="([^"]+)"', form.group(2))}
            submitted = client.post(form.group(1), data={**hidden, **answers, "action": "submit"})
            assert submitted.status_code == 303 and submitted.headers["Location"] == unit_url
            plans += 1
        following = re.search(r'<a class="next" rel="next" href="([^"]+)"', html)
        unit_url = following.group(1) if following else None
        if len(visited) == 3:
            middle_progress = client.get("/my-learning").get_data(as_text=True)
            assert re.search(r">[1-9]\d? %</bdi> complete<", middle_progress), "progress should be partial"
    tree = load_tree(get_course(SLUG).published_version)
    assert visited == [f"/courses/{SLUG}/learn/{unit}" for unit in tree.units]
    assert quizzes == sum(1 for leaf in tree.leaves if tree.nodes[leaf].block_type == "kuza_quiz") == 7
    assert plans == sum(1 for leaf in tree.leaves if tree.nodes[leaf].block_type == "kuza_reflection") == 1

    assert "100 %</bdi> complete" in client.get("/my-learning").get_data(as_text=True)
    progress = client.get(f"/courses/{SLUG}/progress").get_data(as_text=True)
    assert progress.count('value="100"') >= 7  # overall and every module
    # Every quiz answered blank: every lesson done but no pass, so a certificate of participation.
    assert "You have finished every lesson, but not yet passed the course." in progress
    assert "Your course score: 0 %. Pass mark: 70 %." in lxml.html.fromstring(progress).text_content()
    assert "Pass the final assessment" in progress
    claimed = client.post(f"/courses/{SLUG}/certificate", data={"csrf_token": csrf_token_from(progress)})
    assert claimed.status_code == 303
    progress = client.get(f"/courses/{SLUG}/progress").get_data(as_text=True)
    assert "Certificate of participation, issued on" in progress and "Get my certificate" not in progress

    last_page = client.get(visited[-1]).get_data(as_text=True)
    client.post("/sign-out", data={"csrf_token": csrf_token_from(last_page)})
    assert client.get(f"/courses/{SLUG}/resume").headers["Location"].startswith("/sign-in")

    page = client.get("/sign-in").get_data(as_text=True)
    client.post("/sign-in", data={"email": "nadia@example.org", "password": PASSWORD,
                                  "csrf_token": csrf_token_from(page)})
    assert client.get(f"/courses/{SLUG}/resume").headers["Location"] == visited[-1]
