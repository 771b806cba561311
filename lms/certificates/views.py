"""Learner pages that join progress and certificates: "My learning", a course's progress page, claiming a certificate.

They live here rather than in progress because they show what certificates add to progress
(standing against the rules, certificates held), and certificates builds on progress, not
the other way round.
"""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext
from flask_login import current_user, login_required

from lms.catalog import services as catalog
from lms.certificates import services as certificates
from lms.database import read_only
from lms.extensions import db
from lms.progress import services as progress

bp = Blueprint("certificates", __name__)


@bp.get("/my-learning")
@read_only
@login_required
def my_learning():
    held: dict[int, list] = {}
    for certificate in certificates.certificates_of(current_user):
        held.setdefault(certificate.course_id, []).append(certificate)
    return render_template("certificates/my_learning.html", courses=progress.my_learning(current_user), held=held)


@bp.get("/courses/<slug>/progress")
@read_only
@login_required
def course_progress(slug: str):
    try:
        course = catalog.get_course(slug)
        learner_progress = progress.course_progress(current_user, course)
    except catalog.CourseNotFound:
        abort(404)
    except catalog.NotEnrolled:
        return redirect(url_for("catalog.course", slug=slug))
    return render_template(
        "certificates/progress.html",
        progress=learner_progress,
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
    return redirect(url_for("certificates.course_progress", slug=slug, _anchor="certificate"), code=303)
