"""Practice library pages: the searchable list of case studies, and each case on its own."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template, request, url_for
from flask_babel import get_locale
from flask_login import current_user

from kuza_xblocks.case_study.countries import country_name

from lms.catalog import services as catalog
from lms.courseware import services as courseware
from lms.courseware.runtime import RuntimeLinks
from lms.database import read_only
from lms.library import services as library

bp = Blueprint("library", __name__, template_folder="templates")


@bp.context_processor
def country_names():
    """Country names in the reader's language, for the library's templates."""
    return {"country_name": lambda code: country_name(code, str(get_locale()))}


@bp.get("/library")
@read_only
def index():
    filters = library.Filters.from_query(request.args)
    locale = str(get_locale())
    results = library.search(filters, preferred=(locale, current_app.config["BABEL_DEFAULT_LOCALE"]))
    facets = results.facets
    # Countries in the order of their names in the reader's language, not of their codes.
    countries = sorted(((code, country_name(code, locale)) for code in facets.countries), key=lambda pair: pair[1])
    return render_template("library/index.html", results=results, cases=results.cases, facets=facets, filters=filters,
                           countries=countries, vocabulary=library.vocabulary(locale),
                           every_language=library.EVERY_LANGUAGE)


@bp.get("/library/<slug>/<usage_id>")
@read_only
def case(slug: str, usage_id: str):
    """A case alone, for anyone: rendered by the block itself, with nothing recorded."""
    try:
        course, found = library.find_case(slug, usage_id)
    except library.CaseNotFound:
        abort(404)
    version = course.published_version
    tree = courseware.load_tree(version)
    links = RuntimeLinks(
        handler=_no_handlers,
        block_resource=lambda block_type, uri: url_for("courseware.block_resource", block_type=block_type, uri=uri),
        static_resource=lambda path: url_for("static", filename=path),
        course_static_base=url_for("courseware.course_asset", slug=course.slug, number=version.number, path="x")[:-2],
    )
    runtime = courseware.reader_runtime(tree, str(get_locale()), links,
                                        xblock_settings=current_app.config["XBLOCK_SETTINGS"],
                                        extra_types=frozenset(current_app.config["KUZA_EXTRA_XBLOCKS"]))
    view = courseware.render_block(tree, runtime, usage_id)
    enrolled = current_user.is_authenticated and catalog.enrollment_for(current_user, course) is not None
    return render_template("library/case.html", course=course, version=version, case=found, view=view,
                           enrolled=enrolled, translations=library.versions_of(found))


def _no_handlers(usage_id: str, handler_name: str, suffix: str) -> str:
    # A reader has no account: the library shows blocks, it never runs their handlers.
    raise PermissionError(f"{usage_id}: blocks in the practice library take no input")
