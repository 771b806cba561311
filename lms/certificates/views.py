"""Certificate pages: learners' progress and claims, trainers' revocations, and what verifiers read.

They live here rather than in progress because they show what certificates add to progress
(standing against the rules, certificates held), and certificates builds on progress, not
the other way round.
"""
from __future__ import annotations

import json
import logging

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user, login_required

from lms import limits
from lms.accounts.models import User
from lms.catalog import services as catalog
from lms.catalog.models import Course
from lms.certificates import pdf
from lms.certificates import services as certificates
from lms.certificates import status
from lms.certificates.credentials import envelope
from lms.certificates.models import COMPLETION
from lms.database import read_only
from lms.extensions import db
from lms.plans import services as plans
from lms.progress import services as progress

bp = Blueprint("certificates", __name__, template_folder="templates")
# Certificates listed at once on a course's page; more are found by searching.
PAGE_SIZE = 100

log = logging.getLogger(__name__)


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
    course = catalog.get_course(slug)
    page = certificates.progress_page(current_user, course)
    return render_template(
        "certificates/progress.html",
        progress=page.progress,
        version=course.published_version,
        standing=page.standing,
        gains=page.gains,
        partial_credit=page.partial_credit,
        requires_post_test=page.requires_post_test,
        held=certificates.certificates_of(current_user, course),
        my_plans=plans.learner_plans(current_user, course),
    )


def issue_on_progress(_app, *, user_id: int, course_id: int) -> None:
    """Issue at once the certificate a learner's new progress earns, and say so on their next page.

    Connected to courseware's progress_recorded by create_app. A certificate problem (a key
    folder that cannot be written, say) must never cost the learner the answer they just
    sent, so any failure is rolled back to this point and logged; the progress page still
    offers the certificate to claim.
    """
    user, course = db.session.get(User, user_id), db.session.get(Course, course_id)
    try:
        with db.session.begin_nested():
            certificate = certificates.issue_new(user, course)
    except Exception:
        log.exception("Could not issue a certificate to user %s in course %s", user_id, course_id)
        return
    if certificate is not None:
        if certificate.kind == COMPLETION:
            flash(gettext("Congratulations! You have earned a certificate of completion. "
                          "Find it on your progress page."), "success")
        else:
            flash(gettext("You have earned a certificate of participation. Find it on your progress page."),
                  "success")


@bp.post("/courses/<slug>/certificate")
@login_required
def claim_certificate(slug: str):
    """Issue the certificate the learner has earned (once, however often this is posted)."""
    certificate = certificates.issue_if_earned(current_user, catalog.get_course(slug))
    db.session.commit()
    if certificate is None:
        flash(gettext("You have not earned a certificate in this course yet."), "error")
    else:
        flash(gettext("Your certificate has been issued."), "success")
    return redirect(url_for("certificates.course_progress", slug=slug, _anchor="certificate"), code=303)


@bp.get("/courses/<slug>/certificates")
@read_only
@login_required
def course_certificates(slug: str):
    """The course's certificates, for its trainers and admins, each with a form to revoke it."""
    course = catalog.get_course(slug)
    search = request.args.get("q", "")[:200]
    issued = certificates.course_certificates(current_user, course, search=search, limit=PAGE_SIZE)
    return render_template("certificates/course_certificates.html", course=course, version=course.published_version,
                           certificates=issued, search=search, page_size=PAGE_SIZE,
                           max_reason=certificates.MAX_REASON_LENGTH)


@bp.post("/certificates/<public_id>/revoke")
@login_required
def revoke(public_id: str):
    certificate = certificates.find_certificate(public_id)
    if certificate is None:
        abort(404)
    already = certificate.revoked
    try:
        certificates.revoke(current_user, certificate, request.form.get("reason", ""))
    except certificates.RevocationError as error:
        flash(str(error), "error")
    else:
        db.session.commit()
        if already:
            flash(gettext("This certificate was already revoked."), "error")
        else:
            flash(gettext("Certificate %(id)s has been revoked.", id=public_id), "success")
    return redirect(url_for("certificates.course_certificates", slug=certificate.course.slug, q=public_id), code=303)


def _public_json(document: dict, mimetype: str = "application/json", download: str | None = None) -> Response:
    """JSON anyone may read, from any origin: verifiers often run in another site's page."""
    response = Response(json.dumps(document, ensure_ascii=False, indent=2), mimetype=mimetype)
    response.headers["Access-Control-Allow-Origin"] = "*"
    if download:
        response.headers["Content-Disposition"] = f'attachment; filename="{download}"'
    return response


@bp.get("/issuer")
@read_only
def issuer():
    """The issuer's Open Badges 3.0 Profile, the id every credential names as its issuer."""
    return _public_json(certificates.published_issuer_profile(), "application/ld+json")


@bp.get("/issuer/keys.json")
@read_only
def issuer_keys():
    """Every public key, active and retired, so old credentials keep verifying after a rotation."""
    return _public_json(certificates.public_keys_document(), "application/jwk-set+json")


@bp.get("/issuer/status/<int:number>")
@read_only
def status_list(number: int):
    """A revocation list (Bitstring Status List) as a signed VC-JWT; verifiers may cache it
    for as long as its ttl says."""
    token = certificates.status_list_credential(number)
    if token is None:
        abort(404)
    response = Response(token, mimetype="application/vc+jwt")
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Cache-Control"] = f"public, max-age={status.TTL_MS // 1000}"
    return response


@bp.get("/certificates/<public_id>")
@limits.per_address("KUZA_LIMIT_VERIFY", methods=("GET",))
@limits.per_view_argument("KUZA_LIMIT_VERIFY_CERTIFICATE", "public_id")
@read_only
def verification(public_id: str):
    """The public page an employer opens: valid or revoked, and only what the certificate states."""
    certificate = certificates.find_certificate(public_id)
    if certificate is None:
        abort(404)
    return render_template("certificates/verification.html", certificate=certificate,
                           issuer=certificates.issuer_profile(), signature=certificates.signature_of(certificate),
                           may_revoke=certificates.may_revoke(current_user, certificate))


@bp.get("/certificates/<public_id>/credential.json")
@limits.per_address("KUZA_LIMIT_VERIFY", methods=("GET",))
@limits.per_view_argument("KUZA_LIMIT_VERIFY_CERTIFICATE", "public_id")
@read_only
def credential(public_id: str):
    """The signed credential as a VC 2.0 envelope. Anyone holding the unguessable id may fetch
    it: a credential is made to be shared, and it says no more than the public page."""
    certificate = certificates.find_certificate(public_id)
    if certificate is None or not certificate.credential:
        abort(404)
    return _public_json(envelope(certificate.credential), download=f"kuza-certificate-{public_id}.json")


@bp.get("/certificates/<public_id>/certificate.pdf")
@limits.per_address("KUZA_LIMIT_VERIFY", methods=("GET",))
@limits.per_view_argument("KUZA_LIMIT_VERIFY_CERTIFICATE", "public_id")
@read_only
def certificate_pdf(public_id: str):
    """The certificate to print or keep, its signed credential attached. Public like
    credential.json: the unguessable id is the key, and it shows no more than the public page."""
    certificate = certificates.find_certificate(public_id)
    if certificate is None:
        abort(404)
    response = Response(pdf.render(certificate), mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{pdf.pdf_name(public_id)}"'
    # A revocation must reach the next download, and the page is in the reader's language:
    # keep a copy, but ask the server first; the same certificate and language give the same
    # bytes, so an unchanged PDF costs a 304, not the file again on a phone connection.
    response.cache_control.private = True
    response.cache_control.no_cache = True
    response.vary.add("Accept-Language")
    response.vary.add("Cookie")
    response.add_etag()
    return response.make_conditional(request)
