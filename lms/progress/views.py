"""Progress pages: "My learning", a course's progress page, and claiming a certificate from it."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext
from flask_login import current_user, login_required

from lms.catalog import services as catalog
from lms.certificates import services as certificates
from lms.database import read_only
from lms.extensions import db
from lms.progress import services

bp = Blueprint("progress", __name__)


@bp.get("/my-learning")
@read_only
@login_required
def my_learning():
    held: dict[int, list] = {}
    for certificate in certificates.certificates_of(current_user):
        held.setdefault(certificate.course_id, []).append(certificate)
    return render_template("progress/my_learning.html", courses=services.my_learning(current_user), held=held)


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
    return render_template(
        "progress/course.html",
        progress=progress,
        version=course.published_version,
        standing=certificates.standing(current_user, course),
        held=certificates.certificates_of(current_user, course),
    )


@bp.post("/courses/<slug>/certificate")
@login_required
def claim_certificate(slug: str):
    """Issue the certificate the learner has earned (once, however often this is posted)."""
    try:
        course = catalog.get_course(slug)
        certificate = certificates.issue_if_earned(current_user, course)
    except catalog.CourseNotFound:
        abort(404)
    except catalog.NotEnrolled:
        return redirect(url_for("catalog.course", slug=slug))
    db.session.commit()
    if certificate is None:
        flash(gettext("You have not earned a certificate in this course yet."), "error")
    else:
        flash(gettext("Your certificate has been issued."), "success")
    return redirect(url_for("progress.course_progress", slug=slug, _anchor="certificate"), code=303)
