"""Catalog pages: the list of courses, a course's page, and enrolling."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.exceptions import NotFound

from lms.catalog import services
from lms.courseware.services import load_tree
from lms.database import read_only
from lms.extensions import db

bp = Blueprint("catalog", __name__, template_folder="templates")


@bp.app_errorhandler(services.CourseNotFound)
def course_not_found(_error: services.CourseNotFound) -> tuple[str, int]:
    """Any page of a course that does not exist, or is not published, is a 404."""
    return render_template("error.html", code=404, error=NotFound()), 404


@bp.app_errorhandler(services.NotEnrolled)
def not_enrolled(error: services.NotEnrolled):
    """A learner who opens a course's pages before enrolling is sent to the course page to enrol."""
    return redirect(url_for("catalog.course", slug=error.args[0]))


@bp.get("/")
@read_only
def index():
    courses = services.published_courses()
    enrolled = {e.course_id for e in services.user_enrollments(current_user)} if current_user.is_authenticated else set()
    return render_template("catalog/index.html", courses=courses, enrolled=enrolled)


@bp.get("/courses/<slug>/")
@read_only
def course(slug: str):
    course = services.get_course(slug)
    tree = load_tree(course.published_version)
    return render_template(
        "catalog/course.html",
        course=course,
        version=course.published_version,
        chapters=tree.chapters(),
        enrollment=services.enrollment_for(current_user, course),
        manages=services.manages(current_user, course),
    )


@bp.post("/courses/<slug>/enroll")
@login_required
def enroll(slug: str):
    course = services.get_course(slug)
    services.enroll(current_user, course)
    db.session.commit()
    flash(_("You are enrolled. Welcome!"), "success")
    return redirect(url_for("courseware.resume", slug=slug), code=303)
