"""Plan pages: a course's plans for its trainers, one plan with its versions and review form, and the downloads."""
from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user, login_required

from lms.catalog import services as catalog
from lms.catalog.models import Course
from lms.database import read_only
from lms.extensions import db
from lms.plans import documents, pdf
from lms.plans import services as plans

bp = Blueprint("plans", __name__, template_folder="templates")


def review_service(learner_id: int, course: Course) -> plans.PlanReviews:
    """The ``plans`` block service for one learner (offered to courseware's runtime by create_app)."""

    def download_url(plan_id: int, kind: str) -> str:
        return url_for(f"plans.download_{kind}", slug=course.slug, plan_id=plan_id)

    return plans.PlanReviews(learner_id, course, download_url)


@bp.get("/courses/<slug>/plans")
@read_only
@login_required
def course_plans(slug: str):
    course = catalog.get_course(slug)
    return render_template("plans/course_plans.html", course=course, version=course.published_version,
                           plans=plans.course_plans(current_user, course))


@bp.get("/courses/<slug>/plans/<int:plan_id>")
@read_only
@login_required
def plan(slug: str, plan_id: int):
    course = catalog.get_course(slug)
    learner_plan = _found(lambda: plans.plan_for_reviewer(current_user, course, plan_id))
    return render_template("plans/plan.html", course=course, version=course.published_version, plan=learner_plan,
                           shown=learner_plan.version(plan_id), max_feedback=plans.MAX_FEEDBACK)


@bp.post("/courses/<slug>/plans/<int:plan_id>/review")
@login_required
def review(slug: str, plan_id: int):
    course = catalog.get_course(slug)
    learner_plan = _found(lambda: plans.plan_for_reviewer(current_user, course, plan_id))
    send = request.form.get("action") == "reviewed"
    try:
        plans.review(current_user, learner_plan, plan_id, request.form.get("feedback", ""), mark_reviewed=send)
    except plans.ReviewError as error:
        flash(str(error), "error")
    else:
        db.session.commit()
        flash(gettext("Your feedback has been sent to the learner.") if send
              else gettext("Your feedback has been saved. The learner sees it once you send it."), "success")
    return redirect(url_for("plans.plan", slug=slug, plan_id=plan_id, _anchor="review"), code=303)


@bp.get("/courses/<slug>/plans/<int:plan_id>/plan.md")
@read_only
@login_required
def download_md(slug: str, plan_id: int):
    learner_plan, version = _readable(slug, plan_id)
    return _download(documents.markdown(learner_plan, version).encode("utf-8"), "text/markdown; charset=utf-8",
                     documents.file_name(learner_plan, version, "md"))


@bp.get("/courses/<slug>/plans/<int:plan_id>/plan.pdf")
@read_only
@login_required
def download_pdf(slug: str, plan_id: int):
    learner_plan, version = _readable(slug, plan_id)
    return _download(pdf.render(learner_plan, version), "application/pdf",
                     documents.file_name(learner_plan, version, "pdf"))


def _readable(slug: str, plan_id: int):
    course = catalog.get_course(slug)
    learner_plan = _found(lambda: plans.plan_for_reader(current_user, course, plan_id))
    return learner_plan, learner_plan.version(plan_id)


def _found(load):
    try:
        return load()
    except plans.PlanNotFound:
        abort(404)


def _download(data: bytes, mimetype: str, name: str) -> Response:
    response = Response(data, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    # Learner data: kept by no shared cache, and by no browser cache on a shared computer.
    response.cache_control.private = True
    response.cache_control.no_store = True
    return response
