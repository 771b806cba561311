"""Text a person wrote reaches pages escaped, inside lazy translations too."""
from __future__ import annotations

import pytest
from flask import render_template_string

from lms.catalog import services as catalog
from tests.factories import make_course, make_user

NAME = '<img src=x onerror="alert(1)">'


def test_a_services_message_carrying_a_name_is_escaped(app, db_session):
    course = make_course()
    admin = make_user(role="admin", email="admin@example.org")
    learner = make_user(name=NAME, email="learner@example.org")
    with pytest.raises(catalog.StaffError) as refused, app.test_request_context():
        catalog.add_staff(admin, course, learner, "editor")
    with app.test_request_context():
        page = render_template_string("<p>{{ message }}</p>", message=refused.value.message)
    assert "<img" not in page
    assert "&lt;img src=x onerror=&#34;alert(1)&#34;&gt; has a learner&#39;s account" in page


def test_markup_a_template_builds_stays_markup(app):
    with app.test_request_context():
        page = render_template_string('{% set b %}<b>{{ name }}</b>{% endset %}{{ _("Hello %(name)s", name=b) }}',
                                      name=NAME)
    assert page == "Hello <b>&lt;img src=x onerror=&#34;alert(1)&#34;&gt;</b>"
