"""Account pages: register, sign in and out, password reset, the account page, and the language switch."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _, ngettext
from flask_login import current_user, login_required, login_user, logout_user
from flask_login.config import COOKIE_NAME
from flask_wtf import FlaskForm
from werkzeug.exceptions import Forbidden
from werkzeug.wrappers import Response

from lms import limits
from lms.accounts import services
from lms.accounts.forms import (
    ChangePasswordForm,
    ForgotPasswordForm,
    LanguageForm,
    RegisterForm,
    ResetPasswordForm,
    SignInForm,
)
from lms.accounts.models import User
from lms.accounts.redirects import safe_next
from lms.extensions import db, login_manager
from lms.i18n import supported_locales
from lms.site import base_url

bp = Blueprint("accounts", __name__, template_folder="templates")

login_manager.user_loader(services.load_user)


@bp.app_errorhandler(services.PermissionDenied)
def forbidden(_error: services.PermissionDenied) -> tuple[str, int]:
    return render_template("error.html", code=403, error=Forbidden()), 403


@bp.route("/register", methods=["GET", "POST"])
@limits.per_address("KUZA_LIMIT_REGISTER")
@limits.per_account("KUZA_LIMIT_REGISTER_ACCOUNT")
def register() -> Response | tuple[str, int]:
    form = RegisterForm()
    if request.method == "GET":
        form.next.data = safe_next(request.args.get("next")) or ""
    if form.validate_on_submit():
        try:
            user = services.create_user(email=form.email.data, name=form.name.data, password=form.password.data)
        except services.AccountError as error:
            _show_error(form, error)
        else:
            # Keep the language chosen before registering as the account's language.
            if (locale := session.get("locale")) in supported_locales():
                services.set_locale(user, locale)
            db.session.commit()
            _start_session(user, remember=False)
            flash(_("Welcome, %(name)s. Your account is ready.", name=user.name), "success")
            return redirect(_next_or_home(form.next.data))
    return _form_page("accounts/register.html", form=form)


@bp.route("/sign-in", methods=["GET", "POST"])
@limits.per_address("KUZA_LIMIT_SIGN_IN")
@limits.per_account("KUZA_LIMIT_SIGN_IN_ACCOUNT")
def sign_in() -> Response | tuple[str, int]:
    form = SignInForm()
    if request.method == "GET":
        form.next.data = safe_next(request.args.get("next")) or ""
    if form.validate_on_submit():
        try:
            user = services.sign_in(form.email.data, form.password.data)
        except services.SignInDelayed as refusal:
            return _delayed_sign_in(form, refusal)
        if user is not None:
            _start_session(user, remember=form.remember_me.data)
            flash(_("You are signed in."), "success")
            return redirect(_next_or_home(form.next.data))
        # One message for both cases, so the page does not reveal who has an account.
        form.form_errors.append(_("The email address or password is not correct."))
    return _form_page("accounts/sign_in.html", form=form)


@bp.route("/password/forgot", methods=["GET", "POST"])
@limits.per_address("KUZA_LIMIT_RESET")
@limits.per_account("KUZA_LIMIT_RESET_ACCOUNT")
def forgot_password() -> Response | tuple[str, int]:
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        services.request_password_reset(
            form.email.data, lambda token: base_url() + url_for("accounts.reset_password", token=token))
        # The same page whether or not the address has an account.
        return render_template("accounts/reset_sent.html", email=form.email.data)
    return _form_page("accounts/forgot_password.html", form=form)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str) -> Response | tuple[str, int]:
    if services.user_for_reset_token(token) is None:
        return render_template("accounts/reset_expired.html"), 410
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            user = services.reset_password(token, form.password.data)
        except services.AccountError as error:
            _show_error(form, error)
        else:
            db.session.commit()
            _fresh_session()
            _start_session(user, remember=False)
            flash(_("Your password is changed. You are signed in here and signed out everywhere else."), "success")
            return redirect(url_for("catalog.index"))
    return _form_page("accounts/reset_password.html", form=form, token=token)


@bp.post("/sign-out")
def sign_out() -> Response:
    if current_user.is_authenticated:
        # Ends this user's sessions on every device: a shared computer elsewhere may still be signed in.
        services.end_sessions(_signed_in_user())
        db.session.commit()
    _fresh_session()
    logout_user()
    flash(_("You are signed out."), "success")
    return redirect(url_for("catalog.index"))


@bp.get("/account")
@login_required
def account() -> str:
    return render_template("accounts/account.html", form=ChangePasswordForm())


@bp.post("/account/password")
@login_required
def change_password() -> Response | tuple[str, int]:
    form = ChangePasswordForm()
    if form.validate_on_submit():
        user = _signed_in_user()
        try:
            services.change_password(user, form.current_password.data, form.new_password.data)
        except services.AccountError as error:
            _show_error(form, error)
        else:
            db.session.commit()
            # The new token ended every session; this one goes on, keeping its remember cookie if it had one.
            _start_session(user, remember=COOKIE_NAME in request.cookies)
            flash(_("Your password is changed. You are signed out on every other device."), "success")
            return redirect(url_for("accounts.account"))
    return _form_page("accounts/account.html", form=form)


@bp.post("/language")
def set_language() -> Response:
    form = LanguageForm()
    if form.validate_on_submit():
        session["locale"] = form.locale.data
        if current_user.is_authenticated:
            services.set_locale(_signed_in_user(), form.locale.data)
            db.session.commit()
    else:
        flash(_("That language is not available."), "error")
    return redirect(_next_or_home(form.next.data))


def _signed_in_user() -> User:
    return current_user._get_current_object()


def _next_or_home(target: str | None) -> str:
    return safe_next(target) or url_for("catalog.index")


def _fresh_session() -> None:
    """Empty the session, keeping only the language, so nothing from before carries over."""
    locale = session.get("locale")
    session.clear()
    if locale:
        session["locale"] = locale


def _start_session(user: User, remember: bool) -> None:
    # A new session for a new sign-in: nothing planted before it (session fixation) survives.
    _fresh_session()
    login_user(user, remember=remember)


def _delayed_sign_in(form: SignInForm, refusal: services.SignInDelayed) -> tuple[str, int, dict]:
    if refusal.locked:
        minutes = max(1, -(-refusal.retry_after // 60))
        form.form_errors.append(ngettext(
            "Too many failed attempts: sign-in with this email address is locked for %(num)d minute. "
            "You can still choose a new password with “Forgot your password?”.",
            "Too many failed attempts: sign-in with this email address is locked for %(num)d minutes. "
            "You can still choose a new password with “Forgot your password?”.", minutes))
    else:
        form.form_errors.append(ngettext("Too many failed attempts. Wait %(num)d second, then try again.",
                                         "Too many failed attempts. Wait %(num)d seconds, then try again.",
                                         refusal.retry_after))
    page = render_template("accounts/sign_in.html", form=form)
    return page, 429, {"Retry-After": str(refusal.retry_after)}


def _show_error(form: FlaskForm, error: services.AccountError) -> None:
    if error.field and error.field in form:
        form[error.field].errors = [*form[error.field].errors, error.message]
    else:
        form.form_errors.append(error.message)


def _form_page(template: str, **context) -> tuple[str, int]:
    # Reached after a POST only when the form was refused: 422 tells tests and logs so.
    return render_template(template, **context), 422 if request.method == "POST" else 200
