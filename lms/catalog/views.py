"""Catalog pages: the list of courses, a course's page, its cover image, and enrolling.

The catalogue and course pages show what later domains know (a course's modules and lessons,
the learner's progress, the certificate rules), so these views read courseware, progress and
certificates services; catalog's own services never do.
"""
from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.exceptions import NotFound

from lms.catalog import covers, languages, services
from lms.catalog.overview import overview_of
from lms.certificates import services as certificates
from lms.courseware import services as courseware
from lms.database import read_only
from lms.extensions import db
from lms.progress import services as progress

YEAR = 365 * 24 * 3600

bp = Blueprint("catalog", __name__, template_folder="templates")


@bp.app_template_filter("language_label")
def language_label(code: str) -> str:
    """A course language named in the reader's language, as a label on its own ("French", "Français")."""
    return languages.label(code, str(get_locale()))


bp.add_app_template_filter(languages.endonym, "endonym")


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
    shown = services.catalogue(request.args.get("language", "").strip(), str(get_locale()))
    overviews = {c.id: overview_of(c.published_version, courseware.load_tree(c.published_version)) for c in shown.courses}
    return render_template("catalog/index.html", catalogue=shown, courses=shown.courses, overviews=overviews,
                           learning=_learning(), cover_size=(covers.WIDTH, covers.HEIGHT))


@bp.get("/courses/<slug>/")
@read_only
def course(slug: str):
    course = services.get_course(slug)
    version = course.published_version
    enrollment = services.enrollment_for(current_user, course)
    return render_template(
        "catalog/course.html",
        course=course,
        version=version,
        overview=overview_of(version, courseware.load_tree(version)),
        rules=certificates.rules_for(version),
        enrollment=enrollment,
        progress=_learning().get(course.id) if enrollment else None,
        manages=services.manages(current_user, course),
        translations=services.translations_of(course),
        cover_size=(covers.WIDTH, covers.HEIGHT),
    )


def _learning() -> dict:
    """The signed-in learner's progress in each course they are enrolled in, by course id."""
    if not current_user.is_authenticated:
        return {}
    return {item.course.id: item for item in progress.my_learning(current_user)}


@bp.get("/courses/<slug>/v<int:number>/cover.<any(webp, jpg):extension>")
@read_only
def cover(slug: str, number: int, extension: str):
    """A version's cover, made small for phones. Versions never change: cached for good."""
    course = services.get_course(slug)
    version = services.version_of(course, number)
    path = overview_of(version, courseware.load_tree(version)).cover if version else None
    asset = courseware.find_asset_in_version(course, number, path) if path else None
    if asset is None:
        abort(404)
    try:
        data = covers.variant(asset.sha256, asset.data, extension)
    except covers.NotAnImage:
        abort(404)
    response = Response(data, mimetype=covers.FORMATS[extension][1])
    response.set_etag(f"{asset.sha256}-{extension}")
    response.cache_control.public = True
    response.cache_control.max_age = YEAR
    response.cache_control.immutable = True
    return response.make_conditional(request)


@bp.post("/courses/<slug>/enroll")
@login_required
def enroll(slug: str):
    course = services.get_course(slug)
    services.enroll(current_user, course)
    db.session.commit()
    flash(_("You are enrolled. Welcome!"), "success")
    return redirect(url_for("courseware.resume", slug=slug), code=303)
