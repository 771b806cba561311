"""What the catalogue and a course's page say about a course: cover, effort, modules and lessons, certificates."""
from __future__ import annotations

import io
import re

import pytest
from PIL import Image
from sqlalchemy import select

from lms.catalog import services as catalog
from lms.catalog.overview import Effort, effort_of
from lms.courseware.models import Block
from lms.courseware.packages import import_package
from lms.courseware.services import load_tree
from lms.extensions import db
from tests.environment import SAMPLE_COURSE
from tests.factories import make_course, make_user, sign_in
from tests.i18n.test_catalogues import choose_french


@pytest.fixture
def sample(db_session):
    slug = import_package(SAMPLE_COURSE).slug
    db.session.flush()
    return catalog.get_course(slug)


def cover_url(course, extension: str) -> str:
    return f"/courses/{course.slug}/v{course.published_version.number}/cover.{extension}"


def test_the_card_counts_modules_as_chapters_and_lessons_as_units(client, sample):
    tree = load_tree(sample.published_version)
    html = client.get("/").get_data(as_text=True)
    assert f"<li>{len(tree.chapters())} modules</li>" in html
    assert f"<li>{len(tree.units)} lessons</li>" in html
    # The sample states its effort in about/effort.html, as Open edX Studio writes it.
    assert sample.published_version.policy["effort"] == "03:30"
    assert "<li>About 3.5 hours</li>" in html
    assert "<li>In English</li>" in html


def test_the_course_page_lists_each_module_with_its_lessons(client, sample):
    tree = load_tree(sample.published_version)
    html = client.get(f"/courses/{sample.slug}/").get_data(as_text=True)
    for chapter in tree.chapters():
        lessons = sum(1 for unit in tree.units if chapter in tree.ancestors(unit))
        assert re.search(rf">{re.escape(chapter.title)}</bdi>\s*<small>{lessons} lessons</small>", html), chapter.title


def test_the_cover_is_small_cached_for_good_and_sized_in_the_page(client, sample):
    html = client.get("/").get_data(as_text=True)
    assert f'<source type="image/webp" srcset="{cover_url(sample, "webp")}">' in html
    img = re.search(r"<img class=\"cover\"[^>]*>", html).group(0)
    assert f'src="{cover_url(sample, "jpg")}"' in img
    assert 'width="480" height="270"' in img and 'loading="lazy"' in img and 'alt=""' in img
    for extension, pillow_format in (("webp", "WEBP"), ("jpg", "JPEG")):
        response = client.get(cover_url(sample, extension))
        assert response.status_code == 200
        assert response.mimetype == f"image/{'webp' if extension == 'webp' else 'jpeg'}"
        picture = Image.open(io.BytesIO(response.data))
        assert (picture.format, picture.size) == (pillow_format, (480, 270))
        # Far smaller than the package's own image, so a phone's page stays within budget.
        assert len(response.data) < 16 * 1024 < len((SAMPLE_COURSE / "static" / "course-image.jpg").read_bytes())
        assert "immutable" in response.headers["Cache-Control"] and "max-age=31536000" in response.headers["Cache-Control"]
        again = client.get(cover_url(sample, extension), headers={"If-None-Match": response.headers["ETag"]})
        assert again.status_code == 304


def test_a_course_without_an_image_gets_a_plain_cover_and_no_image_request(client):
    course = make_course()
    html = client.get("/").get_data(as_text=True)
    assert 'class="cover cover-blank"' in html and "<picture" not in html
    assert client.get(cover_url(course, "webp")).status_code == 404


def test_a_declared_image_that_is_not_a_picture_is_a_404_not_an_error(client):
    course = make_course(assets={"cover.jpg": b"not a picture"})
    root = db.session.execute(select(Block).where(Block.version_id == course.published_version_id,
                                                  Block.usage_id == "root")).scalar_one()
    root.fields = {**root.fields, "course_image": "/static/cover.jpg"}
    db.session.flush()
    assert cover_url(course, "jpg") in client.get("/").get_data(as_text=True)
    assert client.get(cover_url(course, "jpg")).status_code == 404
    assert client.get(f"/courses/{course.slug}/v9/cover.jpg").status_code == 404


@pytest.mark.parametrize(("policy", "effort"), [
    ({"effort": "05:30", "certificate_hours": 2}, Effort(hours=5.5)),
    ({"effort": "Two evenings a week"}, Effort(text="Two evenings a week")),
    ({"certificate_hours": 6}, Effort(hours=6.0)),
    ({"effort": "  ", "certificate_hours": 1.5}, Effort(hours=1.5)),
    ({"certificate_hours": True}, None),
    ({"certificate_hours": 0}, None),
    ({}, None),
])
def test_effort_is_open_edx_effort_else_certificate_hours(policy, effort):
    assert effort_of(policy) == effort


def test_the_course_page_says_what_each_certificate_asks(client, sample):
    html = client.get(f"/courses/{sample.slug}/").get_data(as_text=True)
    assert ("Finish every lesson, score at least 70\u00a0% overall in the graded quizzes, and pass the final test."
            in html)
    assert "Certificate of participation" in html and "Finish every lesson, whatever your score." in html
    # A course with no grader and no post-test: finishing is passing, so one certificate only.
    plain = client.get(f"/courses/{make_course().slug}/").get_data(as_text=True)
    assert "<p>Finish every lesson.</p>" in plain and "Certificate of participation" not in plain


def test_an_enrolled_learner_sees_their_progress_and_a_way_back_in(client, sample):
    learner = make_user()
    catalog.enroll(learner, sample)
    db.session.flush()
    sign_in(client, learner)
    for page in ("/", f"/courses/{sample.slug}/"):
        html = client.get(page).get_data(as_text=True)
        assert re.search(r'<progress max="100" value="0" aria-labelledby="[^"]+">0 %</progress>', html), page
        assert f'href="/courses/{sample.slug}/learn/resume"' in html or "/resume" in html, page
    assert "Start the course" in client.get(f"/courses/{sample.slug}/").get_data(as_text=True)


def test_the_card_in_french(client, sample):
    choose_french(client, "/")
    html = client.get("/").get_data(as_text=True)
    assert "<li>En anglais</li>" in html and "<li>6 modules</li>" in html and "<li>Environ 3,5 heures</li>" in html
    assert re.search(r"<li>\d+ leçons</li>", html)
