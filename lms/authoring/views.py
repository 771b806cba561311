"""Studio pages: my courses, a new course, a course's staff, its outline, publishing, and the draft's preview.

Every page works with JavaScript off: plain forms, and a redirect after every change. Who may
do what is asked of authoring.services (and catalog.services for the staff's rules).
"""
from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf.csrf import generate_csrf

from lms.accounts import services as accounts
from lms.accounts.models import User
from lms.authoring import services
from lms.authoring.blocks import LEAF_KINDS
from lms.authoring.drafts import CHILD_TYPE, OutlineError
from lms.authoring.forms import AddStaffForm, NewCourseForm, role_choices
from lms.catalog import services as catalog
from lms.courseware import services as courseware
from lms.courseware.runtime import RuntimeLinks
from lms.database import read_only
from lms.extensions import db

bp = Blueprint("authoring", __name__, template_folder="templates", url_prefix="/studio")


@bp.context_processor
def block_names() -> dict:
    """What every studio page names blocks with: the leaf kinds on offer, and what each structure block holds."""
    return {"leaf_kinds": LEAF_KINDS, "child_type": CHILD_TYPE}


@bp.app_template_global()
def opens_studio() -> bool:
    """Whether the header links to the studio: for admins and the trainers who run a course."""
    return services.may_open_studio(current_user)


# My courses and a new course


@bp.get("/")
@read_only
@login_required
def my_courses():
    return render_template("authoring/my_courses.html", courses=services.my_courses(current_user),
                           may_create=services.may_create_courses(current_user))


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new_course():
    if not services.may_create_courses(current_user):
        abort(403)
    form = NewCourseForm()
    if request.method == "GET":
        form.language.data = str(get_locale())
    if form.validate_on_submit():
        try:
            course = services.create_course(current_user, form.title.data, form.slug.data, form.language.data,
                                            form.description.data or "")
        except services.CourseDetailsError as error:
            _show_error(form, error)
        else:
            db.session.commit()
            flash(_("The course is created. Add its first module below; learners see nothing until you publish."),
                  "success")
            return redirect(url_for("authoring.outline", slug=course.slug), code=303)
    # A refused form answers 422, which tells tests and logs so.
    return render_template("authoring/new_course.html", form=form), 422 if request.method == "POST" else 200


def _show_error(form, error) -> None:
    # As text: a lazy message counts as safe HTML to Jinja, and it may hold a name someone typed.
    message = str(error)
    if error.field and error.field in form:
        form[error.field].errors = [*form[error.field].errors, message]
    else:
        form.form_errors.append(message)


# Staff


def _staff_page(course, form: AddStaffForm, status: int = 200):
    context = {
        "course": course, "current": services.working_copy(current_user, course), "form": form,
        "staff": catalog.staff_of(current_user, course), "may_manage": services.may_manage_staff(current_user, course),
        "role_choices": role_choices(), "tab": "staff",
    }
    return render_template("authoring/staff.html", **context), status


@bp.route("/<slug>/staff", methods=["GET", "POST"])
@login_required
def staff(slug: str):
    course = services.studio_course(current_user, slug)
    form = AddStaffForm()
    if request.method == "GET":
        return _staff_page(course, form)
    if form.validate_on_submit():
        user = accounts.find_user(form.email.data)
        try:
            catalog.add_staff(current_user, course, user, form.role.data)
        except catalog.StaffError as error:
            _show_error(form, error)
        else:
            db.session.commit()
            flash(_("%(name)s is on the course's staff.", name=user.name), "success")
            return redirect(url_for("authoring.staff", slug=slug), code=303)
    return _staff_page(course, form, 422)


def _member(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    return user


@bp.post("/<slug>/staff/<int:user_id>/role")
@login_required
def staff_role(slug: str, user_id: int):
    course = services.studio_course(current_user, slug)
    user = _member(user_id)
    try:
        catalog.change_role(current_user, course, user, request.form.get("role", ""))
    except catalog.StaffError as error:
        flash(str(error), "error")
    else:
        db.session.commit()
        flash(_("%(name)s's role is changed.", name=user.name), "success")
    return redirect(url_for("authoring.staff", slug=slug, _anchor=f"member-{user_id}"), code=303)


@bp.post("/<slug>/staff/<int:user_id>/remove")
@login_required
def staff_remove(slug: str, user_id: int):
    course = services.studio_course(current_user, slug)
    user = _member(user_id)
    try:
        catalog.remove_staff(current_user, course, user)
    except catalog.StaffError as error:
        flash(str(error), "error")
        return redirect(url_for("authoring.staff", slug=slug, _anchor=f"member-{user_id}"), code=303)
    db.session.commit()
    flash(_("%(name)s is no longer on the course's staff.", name=user.name), "success")
    if not services.may_edit(current_user, course):
        return redirect(url_for("authoring.my_courses"), code=303)
    return redirect(url_for("authoring.staff", slug=slug), code=303)


# Outline


def _outline_page(course, status: int = 200, *, error: OutlineError | None = None, stale: bool = False,
                  pending: dict[str, Any] | None = None):
    db.session.expire_all()  # after a refused edit, show the draft as it is now
    current = services.working_copy(current_user, course)
    edited_at, edited_by = services.last_edit(current)
    return render_template(
        "authoring/outline.html", course=course, current=current, outline=current.outline, tab="outline",
        edited_at=edited_at, edited_by=edited_by, has_changes=services.has_changes(current),
        error=error, stale=stale, pending=pending or {},
    ), status


@bp.get("/<slug>/outline")
@read_only
@login_required
def outline(slug: str):
    return _outline_page(services.studio_course(current_user, slug))


def _revision() -> int:
    raw = request.form.get("revision", "")
    if not raw.isdigit():
        abort(400)
    return int(raw)


def _edit(slug: str, edit, done: str, anchor: str | None = None, pending: dict[str, Any] | None = None):
    """Run one outline edit: a redirect to the outline when it is saved; the outline again, with the
    typed text kept and the reason, when it is refused."""
    course = services.studio_course(current_user, slug)
    revision = _revision()
    try:
        result = edit(course, revision)
    except services.StaleDraft:
        return _outline_page(course, 409, stale=True, pending=pending)
    except OutlineError as error:
        return _outline_page(course, 422, error=error, pending=pending)
    db.session.commit()
    flash(done, "success")
    target = anchor(result) if callable(anchor) else anchor
    return redirect(url_for("authoring.outline", slug=slug, _anchor=f"block-{target}" if target else None), code=303)


@bp.post("/<slug>/outline/add")
@login_required
def outline_add(slug: str):
    parent, block_type, title = request.form.get("parent", ""), request.form.get("type", ""), request.form.get("title")
    return _edit(slug, lambda course, revision: services.add_block(current_user, course, revision, parent, block_type,
                                                                   title),
                 _("Added."), anchor=lambda url_name: url_name,
                 pending={"form": f"add-{parent}", "title": title or ""})


@bp.post("/<slug>/outline/rename")
@login_required
def outline_rename(slug: str):
    usage_id, title = request.form.get("block", ""), request.form.get("title", "")
    return _edit(slug, lambda course, revision: services.rename_block(current_user, course, revision, usage_id, title),
                 _("Renamed."), anchor=usage_id, pending={"form": f"edit-{usage_id}", "title": title})


@bp.post("/<slug>/outline/move")
@login_required
def outline_move(slug: str):
    """Move a block one place (the outline's ↑ and ↓ buttons send up= or down=) or into another parent."""
    if request.form.get("up") or request.form.get("down"):
        step = -1 if request.form.get("up") else 1
        usage_id = request.form.get("up") or request.form.get("down")
        return _edit(slug, lambda course, revision: services.move_block(current_user, course, revision, usage_id, step),
                     _("Moved up.") if step < 0 else _("Moved down."), anchor=usage_id)
    usage_id, parent = request.form.get("block", ""), request.form.get("parent", "")
    return _edit(slug, lambda course, revision: services.move_block_to(current_user, course, revision, usage_id,
                                                                       parent),
                 _("Moved."), anchor=usage_id)


@bp.get("/<slug>/outline/<usage_id>/move")
@read_only
@login_required
def move_page(slug: str, usage_id: str):
    """Where a block can go: every block of the kind that holds it, with a plain form."""
    course = services.studio_course(current_user, slug)
    current = services.working_copy(current_user, course)
    tree = current.outline
    if usage_id not in tree or tree.parent_of(usage_id) is None:
        abort(404)
    return render_template("authoring/move.html", course=course, current=current, outline=tree,
                           block=tree.get(usage_id), parent=tree.parent_of(usage_id),
                           destinations=tree.destinations(usage_id), tab="outline")


@bp.post("/<slug>/outline/delete")
@login_required
def outline_delete(slug: str):
    usage_id = request.form.get("block", "")
    return _edit(slug, lambda course, revision: services.delete_block(current_user, course, revision, usage_id),
                 _("Deleted from the draft. Learners keep their records of it."))


# Publishing


@bp.route("/<slug>/publish", methods=["GET", "POST"])
@login_required
def publish(slug: str):
    course = services.studio_course(current_user, slug)
    if request.method == "POST":
        try:
            published = services.publish(current_user, course, _revision())
        except services.StaleDraft:
            db.session.expire_all()
            return _publish_page(course, 409, stale=True)
        except services.PublishRefused as refused:
            return _publish_page(course, 422, refused=refused.problems)
        db.session.commit()
        flash(_("Version %(number)s is published: learners see it now, and keep their progress.",
                number=published.version.number), "success")
        return redirect(url_for("authoring.publish", slug=slug), code=303)
    return _publish_page(course)


def _publish_page(course, status: int = 200, **context):
    plan = services.publish_plan(current_user, course)
    return render_template("authoring/publish.html", course=course, tab="publish", plan=plan, current=plan.current,
                           **context), status


# Preview


def _preview_links(course, current, unit_id: str) -> RuntimeLinks:
    base = current.base_version
    return RuntimeLinks(
        handler=lambda usage_id, handler, suffix: url_for("authoring.preview_handler", slug=course.slug,
                                                          usage_id=usage_id, handler=handler or "_"),
        block_resource=lambda block_type, uri: url_for("courseware.block_resource", block_type=block_type, uri=uri),
        static_resource=lambda path: url_for("static", filename=path),
        # The draft's files are those of the version it came from.
        course_static_base=url_for("courseware.course_asset", slug=course.slug, number=base.number,
                                   path="x")[:-2] if base else "/static/",
        form_token=generate_csrf(),
        return_to=url_for("authoring.preview_unit", slug=course.slug, unit_id=unit_id),
    )


@bp.get("/<slug>/preview/")
@read_only
@login_required
def preview(slug: str):
    course = services.studio_course(current_user, slug)
    _current, tree = services.preview_tree(current_user, course)
    if not tree.units:
        flash(_("The draft has no unit to preview yet: add one to the outline."), "warning")
        return redirect(url_for("authoring.outline", slug=slug))
    return redirect(url_for("authoring.preview_unit", slug=slug, unit_id=tree.units[0]))


@bp.get("/<slug>/preview/<unit_id>")
@read_only
@login_required
def preview_unit(slug: str, unit_id: str):
    """A unit of the draft rendered by its blocks through the runtime, for no learner: nothing is recorded."""
    course = services.studio_course(current_user, slug)
    current, tree = services.preview_tree(current_user, course)
    runtime = courseware.reader_runtime(tree, str(get_locale()), _preview_links(course, current, unit_id),
                                        xblock_settings=current_app.config["XBLOCK_SETTINGS"],
                                        extra_types=frozenset(current_app.config["KUZA_EXTRA_XBLOCKS"]))
    try:
        page = courseware.render_unit(tree, runtime, course.id, unit_id)
    except courseware.UnitNotFound:
        abort(404)
    return render_template("authoring/preview.html", course=course, current=current, page=page, tab="preview")


@bp.post("/<slug>/preview/<usage_id>/handler/<handler>")
@login_required
def preview_handler(slug: str, usage_id: str, handler: str):
    """What a block's form reaches in the preview: nothing is sent to the block, nor recorded."""
    course = services.studio_course(current_user, slug)
    _current, tree = services.preview_tree(current_user, course)
    unit_id = courseware.unit_of(tree, usage_id) if usage_id in tree.nodes else None
    if unit_id is None:
        abort(404)
    flash(_("This is a preview: answers are neither checked nor recorded. Learners' answers are."), "warning")
    return redirect(url_for("authoring.preview_unit", slug=slug, unit_id=unit_id), code=303)
