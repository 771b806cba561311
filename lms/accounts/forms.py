"""The account forms: register, sign in, change or reset a password, choose a language."""
from __future__ import annotations

from flask_babel import lazy_gettext as _  # lazy: these texts are translated when shown, in the reader's language
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, InputRequired, ValidationError

from lms.accounts.services import (
    MIN_PASSWORD_LENGTH,
    AccountError,
    name_problem,
    normalise_email,
    password_problem,
)
from lms.i18n import supported_locales
from lms.templating import LANGUAGE_NAMES


class RegisterForm(FlaskForm):
    name = StringField(_("Full name"), validators=[DataRequired(_("Enter your name."))],
                       description=_("As it should appear on your certificates."))
    email = EmailField(_("Email address"), validators=[DataRequired(_("Enter your email address."))])
    password = PasswordField(
        _("Password"),
        validators=[InputRequired(_("Choose a password."))],
        description=_("At least %(count)d characters. A short sentence is easy to remember.",
                       count=MIN_PASSWORD_LENGTH),
    )
    confirm = PasswordField(
        _("Password again"),
        validators=[InputRequired(_("Type your password again.")),
                    EqualTo("password", _("The two passwords are not the same."))],
    )
    next = HiddenField()

    # The account rules live in services; the form asks them so every problem shows at once.
    def validate_name(self, field: StringField) -> None:
        if (problem := name_problem(field.data or "")) is not None:
            raise ValidationError(problem)

    def validate_email(self, field: EmailField) -> None:
        try:
            normalise_email(field.data or "")
        except AccountError as error:
            raise ValidationError(error.message) from None

    def validate_password(self, field: PasswordField) -> None:
        if (problem := password_problem(field.data or "", self.email.data or "")) is not None:
            raise ValidationError(problem)


class SignInForm(FlaskForm):
    # No email syntax check here: a refusal must not hint at which field was wrong.
    email = EmailField(_("Email address"), validators=[DataRequired(_("Enter your email address."))])
    password = PasswordField(_("Password"), validators=[InputRequired(_("Enter your password."))])
    remember_me = BooleanField(
        _("Keep me signed in on this device"),
        default=False,
        description=_("Leave this unticked on a shared or public computer."),
    )
    next = HiddenField()


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(_("Current password"),
                                     validators=[InputRequired(_("Enter your current password."))])
    new_password = PasswordField(
        _("New password"),
        validators=[InputRequired(_("Choose a new password."))],
        description=_("At least %(count)d characters.", count=MIN_PASSWORD_LENGTH),
    )
    confirm = PasswordField(
        _("New password again"),
        validators=[InputRequired(_("Type your new password again.")),
                    EqualTo("new_password", _("The two passwords are not the same."))],
    )


class ForgotPasswordForm(FlaskForm):
    # No syntax check either: any answer but one would tell which addresses exist.
    email = EmailField(_("Email address"), validators=[DataRequired(_("Enter your email address."))],
                       description=_("The address you signed up with."))


class ResetPasswordForm(FlaskForm):
    password = PasswordField(
        _("New password"),
        validators=[InputRequired(_("Choose a new password."))],
        description=_("At least %(count)d characters.", count=MIN_PASSWORD_LENGTH),
    )
    confirm = PasswordField(
        _("New password again"),
        validators=[InputRequired(_("Type your new password again.")),
                    EqualTo("password", _("The two passwords are not the same."))],
    )


class LanguageForm(FlaskForm):
    locale = SelectField(_("Language"))
    next = HiddenField()

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # The languages on offer are configuration, so they are read per request.
        self.locale.choices = [(code, LANGUAGE_NAMES.get(code, code)) for code in supported_locales()]
