"""Courseware pages: outline, unit pages, resume, and the XBlock handler and resource routes."""
from __future__ import annotations

import hashlib
import io
import mimetypes
from functools import cache
from urllib.parse import urlsplit, urlunsplit

import webob
from flask import Blueprint, Response, abort, current_app, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_login import current_user, login_required
from flask_wtf.csrf import generate_csrf
from xblock.exceptions import DisallowedFileError, InvalidScopeError, NoSuchHandlerError, NoSuchUsage

from lms.accounts.redirects import safe_next
from lms.catalog import services as catalog
from lms.courseware import services
from lms.courseware.registry import UnknownBlockType, block_class
from lms.courseware.runtime import Learner, RuntimeLinks
from lms.database import read_only
from lms.extensions import csrf, db
from lms.progress import services as progress

bp = Blueprint("courseware", __name__, template_folder="templates")

YEAR = 365 * 24 * 3600


def _enrolled_course(slug: str):
    """The course and enrolment; an unknown course is a 404 and a learner not enrolled is sent to
    the course page (catalog's error handlers)."""
    course = catalog.get_course(slug)
    return course, catalog.require_enrollment(current_user, course)


def _runtime(course, tree, unit_id: str | None):
    """The learner's runtime for a page or a handler call on the unit ``unit_id``."""
    version = course.published_version

    def handler(usage_id: str, handler_name: str, suffix: str) -> str:
        if not handler_name:
            # The prefix the JavaScript runtime appends handler names to.
            return url_for("courseware.handler", slug=course.slug, usage_id=usage_id, handler="_")[:-2]
        return url_for(
            "courseware.handler", slug=course.slug, usage_id=usage_id, handler=handler_name, suffix=suffix or None
        )

    links = RuntimeLinks(
        handler=handler,
        block_resource=lambda block_type, uri: url_for(
            "courseware.block_resource", block_type=block_type, uri=uri, v=_resource_digest(block_type, uri)
        ),
        static_resource=lambda path: url_for("static", filename=path),
        course_static_base=url_for("courseware.course_asset", slug=course.slug, number=version.number, path="x")[:-2],
        form_token=generate_csrf(),
        return_to=url_for("courseware.unit", slug=course.slug, unit_id=unit_id) if unit_id else "",
    )
    learner = Learner(
        id=current_user.id,
        email=current_user.email,
        name=current_user.name,
        role=current_user.role,
        locale=str(get_locale()),
    )
    return services.learner_runtime(
        tree,
        course,
        learner,
        links,
        xblock_settings=current_app.config["XBLOCK_SETTINGS"],
        extra_types=frozenset(current_app.config["KUZA_EXTRA_XBLOCKS"]),
        services=services.block_services(current_app, current_user.id, course),
    )


@bp.get("/courses/<slug>/learn/")
@read_only
@login_required
def outline(slug: str):
    course, enrollment = _enrolled_course(slug)
    tree = services.load_tree(course.published_version)
    # A unit removed by a re-publish is no longer anyone's place.
    current = enrollment.last_unit_id if enrollment.last_unit_id in tree.units else None
    chapters = tree.chapters()
    # The chapter of the learner's place is open, as Open edX opens the section to resume; the
    # others are closed so a phone shows the whole course in one screen; a new learner sees the first.
    open_chapter = _chapter_of(tree, current) if current else (chapters[0].usage_id if chapters else None)
    return render_template(
        "courseware/outline.html",
        course=course,
        version=course.published_version,
        tree=tree,
        lessons=progress.lessons_of(tree, current_user.id, course.id),
        current=current,
        open_chapter=open_chapter,
    )


def _chapter_of(tree: services.CourseTree, unit_id: str) -> str | None:
    return next((node.usage_id for node in tree.ancestors(unit_id) if node.block_type == "chapter"), None)


@bp.get("/courses/<slug>/resume")
@read_only
@login_required
def resume(slug: str):
    """Open the unit last visited, or the first unit of the course."""
    course, enrollment = _enrolled_course(slug)
    tree = services.load_tree(course.published_version)
    if not tree.units:
        return redirect(url_for("courseware.outline", slug=slug))
    # A unit removed by a re-publish falls back to the first unit.
    unit_id = enrollment.last_unit_id if enrollment.last_unit_id in tree.units else tree.units[0]
    return redirect(url_for("courseware.unit", slug=slug, unit_id=unit_id))


@bp.get("/courses/<slug>/learn/<unit_id>")
@login_required
def unit(slug: str, unit_id: str):
    course, enrollment = _enrolled_course(slug)
    tree = services.load_tree(course.published_version)
    runtime = _runtime(course, tree, unit_id)
    try:
        page = services.render_unit(tree, runtime, course.id, unit_id)
    except services.UnitNotFound:
        abort(404)
    catalog.record_visit(enrollment, unit_id)
    # Read after rendering, so the lessons this view has just completed show as done in the menu.
    lessons = progress.lessons_of(tree, current_user.id, course.id)
    db.session.commit()
    return render_template("courseware/unit.html", course=course, version=course.published_version, page=page,
                           tree=tree, lessons=lessons)


@bp.route("/courses/<slug>/xblock/<usage_id>/handler/<handler>", methods=["GET", "POST"])
@bp.route("/courses/<slug>/xblock/<usage_id>/handler/<handler>/<path:suffix>", methods=["GET", "POST"])
@csrf.exempt  # checked below, once the body is kept for the block
@login_required
def handler(slug: str, usage_id: str, handler: str, suffix: str = ""):
    """Bridge a Flask request to a block handler through webob, as Open edX does."""
    # The block reads the raw body through webob, so keep it before the CSRF check parses the
    # form (Werkzeug then parses the kept copy); the token may come as a form field or header.
    body = request.get_data(cache=True)
    if request.method in current_app.config["WTF_CSRF_METHODS"]:
        csrf.protect()
    course, _enrollment = _enrolled_course(slug)
    tree = services.load_tree(course.published_version)
    if usage_id not in tree.nodes:
        abort(404)
    unit_id = services.unit_of(tree, usage_id)
    runtime = _runtime(course, tree, unit_id)
    try:
        block_request = webob.Request(
            {**request.environ, "wsgi.input": io.BytesIO(body), "CONTENT_LENGTH": str(len(body))}
        )
        response = services.call_handler(tree, runtime, course.id, usage_id, handler, block_request, suffix)
    except (services.UnitNotFound, NoSuchUsage, NoSuchHandlerError):
        abort(404)
    except InvalidScopeError:
        # A handler that writes the course's content (an editor's, such as submit_studio_edits)
        # called from a learner's page: only the studio may change content.
        db.session.rollback()
        abort(403)
    db.session.commit()
    flask_response = Response(response.body, status=response.status, headers=list(response.headerlist))
    if flask_response.location is not None:
        # A block may only send the browser back into this site; anything else goes to its unit.
        flask_response.location = _same_site(flask_response.location) or (
            url_for("courseware.unit", slug=slug, unit_id=unit_id) if unit_id else url_for("courseware.outline", slug=slug)
        )
    return flask_response


def _same_site(location: str) -> str | None:
    """The path of ``location`` if it points into this site, else None."""
    parts = urlsplit(location)
    if parts.netloc and (parts.scheme, parts.netloc) != (request.scheme, request.host):
        return None
    return safe_next(urlunsplit(("", "", parts.path, parts.query, parts.fragment)))


@bp.get("/xblock/resource/<block_type>/<path:uri>")
def block_resource(block_type: str, uri: str):
    """Serve a file from a hosted block's public/ folder, and nothing else."""
    try:
        handle = _open_block_resource(block_type, uri)
    except (UnknownBlockType, DisallowedFileError, FileNotFoundError, IsADirectoryError):
        abort(404)
    with handle:
        data = handle.read()
    response = Response(data, mimetype=mimetypes.guess_type(uri)[0] or "application/octet-stream")
    if request.args.get("v"):
        response.cache_control.public = True
        response.cache_control.max_age = YEAR
        response.cache_control.immutable = True
    return response


def _open_block_resource(block_type: str, uri: str):
    return block_class(block_type, frozenset(current_app.config["KUZA_EXTRA_XBLOCKS"])).open_local_resource(uri)


@cache
def _resource_digest(block_type: str, uri: str) -> str:
    with _open_block_resource(block_type, uri) as handle:
        return hashlib.sha256(handle.read()).hexdigest()[:12]


@bp.get("/courses/<slug>/v<int:number>/static/<path:path>")
@read_only
def course_asset(slug: str, number: int, path: str):
    """A course file. Versions never change, so the response may be cached for good."""
    asset = services.find_asset_in_version(catalog.get_course(slug), number, path)
    if asset is None:
        abort(404)
    response = Response(asset.data, mimetype=asset.content_type)
    response.set_etag(asset.sha256)
    response.cache_control.public = True
    response.cache_control.max_age = YEAR
    response.cache_control.immutable = True
    # A course file is content, never a page: an SVG or HTML file must not run script.
    response.headers["Content-Security-Policy"] = "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"
    return response.make_conditional(request)
