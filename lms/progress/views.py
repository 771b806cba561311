"""Progress pages: "My learning" and a course's progress page."""
from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, url_for
from flask_login import current_user, login_required

from lms.catalog import services as catalog
from lms.database import read_only
from lms.progress import services

bp = Blueprint("progress", __name__)


@bp.get("/my-learning")
@read_only
@login_required
def my_learning():
    return render_template("progress/my_learning.html", courses=services.my_learning(current_user))


@bp.get("/courses/<slug>/progress")
@read_only
@login_required
def course_progress(slug: str):
    try:
        course = catalog.get_course(slug)
        progress = services.course_progress(current_user, course)
    except catalog.CourseNotFound:
        abort(404)
    except catalog.NotEnrolled:
        return redirect(url_for("catalog.course", slug=slug))
    return render_template("progress/course.html", progress=progress, version=course.published_version)
