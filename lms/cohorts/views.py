"""Cohort pages: trainers' list and cohort page (learners, codes, roster, moves, CSV), joining with a code, accepting an invitation.

Every cohort page asks cohorts.services for the cohort, which answers only its trainers and
admins; anyone else gets the 404 page, as for a cohort that does not exist.
"""
from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import get_locale, gettext
from flask_login import current_user, login_required, login_user
from werkzeug.exceptions import NotFound

from lms.accounts import services as accounts
from lms.catalog import services as catalog
from lms.cohorts import report, roster, times
from lms.cohorts import services as cohorts
from lms.cohorts.forms import CodeForm, CohortForm, InvitationForm, JoinForm, MoveForm, RosterForm
from lms.cohorts.models import Cohort
from lms.database import read_only
from lms.extensions import db
from lms.site import base_url

bp = Blueprint("cohorts", __name__, template_folder="templates")


@bp.app_errorhandler(cohorts.CohortNotFound)
def cohort_not_found(_error: cohorts.CohortNotFound) -> tuple[str, int]:
    """A cohort that does not exist, or that the reader may not see: the same 404 page."""
    return render_template("error.html", code=404, error=NotFound()), 404


@bp.app_template_global()
def runs_cohorts() -> bool:
    """Whether the header offers the cohorts pages to the signed-in user."""
    return cohorts.runs_cohorts(current_user)


@bp.app_template_filter("local_time")
def local_time(moment, style: str = "medium") -> str:
    """A stored UTC time in the reader's own time zone and language, the zone named."""
    return times.shown(moment, times.zone_of(current_user), str(get_locale()), style) if moment else ""


def certificate_names() -> dict:
    return {"completion": gettext("Certificate of completion"), "participation": gettext("Certificate of participation"),
            "revoked": gettext("Revoked"), None: gettext("Not yet")}


@bp.get("/cohorts")
@read_only
@login_required
def index():
    mine = cohorts.cohorts_run_by(current_user)
    courses = [course for course, _role in catalog.courses_run_by(current_user)
               if course.published_version is not None and cohorts.may_create(current_user, course)]
    return render_template("cohorts/index.html", cohorts=mine, counts=cohorts.member_counts(mine), courses=courses,
                           kinds=cohorts.KIND_NAMES)


def _details(form: CohortForm) -> cohorts.CohortDetails:
    return cohorts.CohortDetails(name=form.name.data or "", kind=form.kind.data or "", starts_on=form.starts_on.data,
                                 ends_on=form.ends_on.data, place=form.place.data or "",
                                 trainer_ids=tuple(form.trainers.data or ()))


def _trainer_choices(form: CohortForm, course) -> None:
    form.trainers.choices = [(user.id, user.name) for user in cohorts.staff_choices(course)]


def _show_error(form, error: cohorts.CohortError) -> None:
    if error.field and error.field in form:
        form[error.field].errors = [*form[error.field].errors, error.message]
    else:
        form.form_errors.append(error.message)


@bp.route("/courses/<slug>/cohorts/new", methods=["GET", "POST"])
@login_required
def new(slug: str):
    course = catalog.get_course(slug)
    if not cohorts.may_create(current_user, course):
        raise accounts.PermissionDenied()
    form = CohortForm()
    _trainer_choices(form, course)
    if request.method == "GET" and catalog.is_trainer(current_user, course):
        form.trainers.data = [current_user.id]
    if form.validate_on_submit():
        try:
            cohort = cohorts.create_cohort(current_user, course, _details(form))
        except cohorts.CohortError as error:
            _show_error(form, error)
        else:
            db.session.commit()
            flash(gettext("The cohort %(name)s is ready. Give its learners a code, or upload a roster.",
                          name=cohort.name), "success")
            return redirect(url_for("cohorts.cohort", cohort_id=cohort.id), code=303)
    return render_template("cohorts/edit.html", form=form, course=course, version=course.published_version,
                           cohort=None), 422 if request.method == "POST" else 200


@bp.route("/cohorts/<int:cohort_id>/edit", methods=["GET", "POST"])
@login_required
def edit(cohort_id: int):
    cohort = cohorts.cohort_for(current_user, cohort_id)
    form = CohortForm(obj=None if request.method == "POST" else cohort)
    _trainer_choices(form, cohort.course)
    if request.method == "GET":
        form.place.data = cohort.place or ""
        form.trainers.data = [trainer.user_id for trainer in cohort.trainers]
    if form.validate_on_submit():
        try:
            cohorts.update_cohort(current_user, cohort, _details(form))
        except cohorts.CohortError as error:
            _show_error(form, error)
        else:
            db.session.commit()
            flash(gettext("The cohort's details are saved."), "success")
            return redirect(url_for("cohorts.cohort", cohort_id=cohort.id), code=303)
    return render_template("cohorts/edit.html", form=form, course=cohort.course, version=cohort.course.published_version,
                           cohort=cohort), 422 if request.method == "POST" else 200


def _cohort_page(cohort: Cohort, *, code_form: CodeForm | None = None, roster_form: RosterForm | None = None,
                 status: int = 200):
    column, descending = report.parse_sort(request.args.get("sort"))
    rows = report.learners(current_user, cohort)
    others = cohorts.other_cohorts(current_user, cohort)
    move_form = MoveForm()
    move_form.target.choices = [(other.id, other.name) for other in others]
    return render_template(
        "cohorts/cohort.html", cohort=cohort, course=cohort.course, version=cohort.course.published_version,
        rows=report.sorted_rows(rows, column, descending), summary=report.counts(rows), sort=column,
        descending=descending, codes=cohorts.codes_of(current_user, cohort), code_state=cohorts.code_state,
        shown_code=cohorts.shown_code, join_url=lambda code: base_url() + url_for("cohorts.join", code=code),
        join_address=base_url() + url_for("cohorts.join_form"),
        code_form=code_form or CodeForm(formdata=None), roster_form=roster_form or RosterForm(formdata=None),
        move_form=move_form, kinds=cohorts.KIND_NAMES, certificate_names=certificate_names(),
    ), status


@bp.get("/cohorts/<int:cohort_id>")
@read_only
@login_required
def cohort(cohort_id: int):
    return _cohort_page(cohorts.cohort_for(current_user, cohort_id))


@bp.get("/cohorts/<int:cohort_id>/learners.csv")
@read_only
@login_required
def learners_csv(cohort_id: int):
    cohort = cohorts.cohort_for(current_user, cohort_id)
    column, descending = report.parse_sort(request.args.get("sort"))
    rows = report.sorted_rows(report.learners(current_user, cohort), column, descending)
    response = Response(report.csv_bytes(rows, certificate_names()), mimetype="text/csv; charset=utf-8")
    response.headers["Content-Disposition"] = f'attachment; filename="cohort-{cohort.id}-learners.csv"'
    # Learner data: kept by no shared cache, and by no browser cache on a shared computer.
    response.cache_control.private = True
    response.cache_control.no_store = True
    return response


@bp.post("/cohorts/<int:cohort_id>/codes")
@login_required
def new_code(cohort_id: int):
    cohort = cohorts.cohort_for(current_user, cohort_id)
    form = CodeForm()
    if form.validate():
        try:
            code = cohorts.create_code(current_user, cohort, valid_until=form.valid_until.data,
                                       seat_limit=form.seat_limit.data)
        except cohorts.CohortError as error:
            _show_error(form, error)
        else:
            db.session.commit()
            flash(gettext("New code %(code)s: share it, or its link, with the cohort's learners.",
                          code=cohorts.shown_code(code.code)), "success")
            return redirect(url_for("cohorts.cohort", cohort_id=cohort.id, _anchor="codes"), code=303)
    return _cohort_page(cohort, code_form=form, status=422)


@bp.post("/cohorts/<int:cohort_id>/codes/<int:code_id>/revoke")
@login_required
def revoke_code(cohort_id: int, code_id: int):
    cohort = cohorts.cohort_for(current_user, cohort_id)
    code = cohorts.revoke_code(current_user, cohort, code_id)
    db.session.commit()
    flash(gettext("The code %(code)s no longer lets anyone join.", code=cohorts.shown_code(code.code)), "success")
    return redirect(url_for("cohorts.cohort", cohort_id=cohort.id, _anchor="codes"), code=303)


@bp.post("/cohorts/<int:cohort_id>/roster")
@login_required
def upload_roster(cohort_id: int):
    cohort = cohorts.cohort_for(current_user, cohort_id)
    form = RosterForm()
    if not form.validate():
        return _cohort_page(cohort, roster_form=form, status=422)
    try:
        result = roster.import_roster(current_user, cohort, form.roster.data.read(roster.MAX_BYTES + 1))
    except roster.RosterError as error:
        form.roster.errors = [*form.roster.errors, str(error)]
        return _cohort_page(cohort, roster_form=form, status=422)
    db.session.commit()
    course_link = base_url() + url_for("courseware.outline", slug=cohort.course.slug)
    roster.send_mail(result, cohort, course_link=course_link,
                     invitation_link=lambda token: base_url() + url_for("cohorts.invitation", token=token))
    # The report is the answer to this upload: shown once, not kept, so nothing about these people lingers.
    return render_template("cohorts/roster_report.html", cohort=cohort, course=cohort.course,
                           version=cohort.course.published_version, report=result)


@bp.get("/cohorts/<int:cohort_id>/roster-example.csv")
@read_only
@login_required
def roster_example(cohort_id: int):
    cohorts.cohort_for(current_user, cohort_id)
    example = ("name,email,country,organisation,language\r\n"
               "Amina Diallo,amina.diallo@example.org,SN,Ministère de la Fonction publique,fr\r\n"
               "João Silva,joao.silva@example.org,Mozambique,Instituto Nacional de Administração Pública,pt\r\n")
    response = Response(example.encode("utf-8-sig"), mimetype="text/csv; charset=utf-8")
    response.headers["Content-Disposition"] = 'attachment; filename="roster-example.csv"'
    return response


@bp.post("/cohorts/<int:cohort_id>/learners/<int:user_id>/move")
@login_required
def move(cohort_id: int, user_id: int):
    cohort = cohorts.cohort_for(current_user, cohort_id)
    form = MoveForm()
    form.target.choices = [(other.id, other.name) for other in cohorts.other_cohorts(current_user, cohort)]
    try:
        if not form.validate():
            raise cohorts.CohortError(gettext("Choose another cohort of this course that you train."))
        membership = cohorts.move_member(current_user, cohort, user_id, form.target.data)
    except cohorts.CohortError as error:
        flash(str(error), "error")
    else:
        db.session.commit()
        flash(gettext("%(name)s is now in the cohort %(cohort)s, with everything they have done.",
                      name=membership.user.name, cohort=membership.cohort.name), "success")
    return redirect(url_for("cohorts.cohort", cohort_id=cohort.id, _anchor="learners"), code=303)


@bp.post("/cohorts/<int:cohort_id>/learners/<int:user_id>/remove")
@login_required
def remove(cohort_id: int, user_id: int):
    cohort = cohorts.cohort_for(current_user, cohort_id)
    try:
        learner = cohorts.remove_member(current_user, cohort, user_id)
    except cohorts.CohortError as error:
        flash(str(error), "error")
    else:
        db.session.commit()
        flash(gettext("%(name)s has left the cohort, and stays enrolled in the course.", name=learner.name), "success")
    return redirect(url_for("cohorts.cohort", cohort_id=cohort.id, _anchor="learners"), code=303)


# Learners' side: joining with a code, accepting an invitation.


@bp.get("/join")
@read_only
def join_form():
    """Where a learner types a code read out in a workshop; a code in the query goes straight to its page."""
    form = JoinForm(request.args, meta={"csrf": False})
    if request.args.get("code") and form.validate():
        return redirect(url_for("cohorts.join", code=cohorts.normalise_code(form.code.data)))
    return render_template("cohorts/join_form.html", form=form), 422 if request.args.get("code") is not None else 200


def _join_page(code, status: int | None = None, error: str | None = None):
    """A code's page: its cohort and course, and a button to join while the code is open (410 once it is not)."""
    state = cohorts.code_state(code)
    membership = cohorts.membership_of(current_user, code.cohort.course)
    return render_template("cohorts/join.html", code=code, cohort=code.cohort, course=code.cohort.course,
                           version=code.cohort.course.published_version, state=state, membership=membership,
                           kinds=cohorts.KIND_NAMES, error=error), status or (200 if state == "open" else 410)


@bp.get("/join/<code>")
@read_only
def join(code: str):
    found = cohorts.find_code(code)
    if found is None or found.cohort.course.published_version is None:
        abort(404)
    if found.code != code:
        return redirect(url_for("cohorts.join", code=found.code))
    return _join_page(found)


@bp.post("/join/<code>")
@login_required
def join_post(code: str):
    found = cohorts.find_code(code)
    if found is None or found.cohort.course.published_version is None:
        abort(404)
    try:
        joined = cohorts.join_with_code(current_user, code)
    except cohorts.JoinError as error:
        db.session.rollback()
        return _join_page(cohorts.find_code(code), status=409, error=str(error))
    db.session.commit()
    if joined.already:
        flash(gettext("You are already in the cohort %(name)s.", name=joined.cohort.name), "info")
    else:
        flash(gettext("Welcome to the cohort %(name)s!", name=joined.cohort.name), "success")
    return redirect(url_for("courseware.outline", slug=joined.cohort.course.slug), code=303)


@bp.route("/invitations/<token>", methods=["GET", "POST"])
def invitation(token: str):
    user = accounts.user_for_invitation_token(token)
    if user is None:
        return render_template("cohorts/invitation_expired.html"), 410
    form = InvitationForm(email=user.email)
    if form.validate_on_submit():
        try:
            user = accounts.accept_invitation(token, form.password.data)
        except accounts.AccountError as error:
            form.password.errors = [*form.password.errors, error.message]
        else:
            db.session.commit()
            _start_session(user)
            flash(gettext("Your password is set and you are signed in. Welcome to Kuza!"), "success")
            return redirect(url_for("certificates.my_learning"), code=303)
    return render_template("cohorts/invitation.html", form=form, user=user, token=token), (
        422 if request.method == "POST" else 200)


def _start_session(user) -> None:
    """A fresh session for the newly signed-in account, keeping only the language (as signing in does)."""
    locale = session.get("locale")
    session.clear()
    if locale:
        session["locale"] = locale
    login_user(user, remember=False)
