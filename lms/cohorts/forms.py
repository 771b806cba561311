"""The cohort forms: a cohort's details, an enrolment code, a roster file, moving a learner, a code typed in, a first password."""
from __future__ import annotations

from flask_babel import lazy_gettext as _
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import DateField, IntegerField, PasswordField, RadioField, SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, EqualTo, InputRequired, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from lms.accounts.services import MIN_PASSWORD_LENGTH, password_problem
from lms.cohorts.models import CohortKind
from lms.cohorts.services import KIND_NAMES, MAX_NAME, MAX_PLACE, MAX_SEATS


class CheckboxesField(SelectMultipleField):
    """Several choices as checkboxes, which need no JavaScript and work on every phone."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class CohortForm(FlaskForm):
    name = StringField(_("Name"), validators=[DataRequired(_("Give the cohort a name."))],
                       description=_("As learners will see it, for example “Dakar workshop, March 2027”."),
                       render_kw={"maxlength": MAX_NAME})
    kind = RadioField(_("Kind"), default=CohortKind.ONLINE.value,
                      validators=[InputRequired(_("Choose an online group, a workshop or a study tour."))])
    starts_on = DateField(_("Starts on"), validators=[InputRequired(_("Give the date the cohort starts."))])
    ends_on = DateField(_("Ends on"), validators=[InputRequired(_("Give the date the cohort ends."))])
    place = StringField(_("Place"), description=_("For a workshop or study tour: the city, and the venue if you know it."),
                        render_kw={"maxlength": MAX_PLACE})
    trainers = CheckboxesField(_("Trainers"), coerce=int,
                               description=_("Only the cohort's trainers and administrators see its learners."))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.kind.choices = [(kind.value, KIND_NAMES[kind]) for kind in CohortKind]


class CodeForm(FlaskForm):
    valid_until = DateField(_("Valid until"), validators=[Optional()],
                            description=_("Leave empty for a code that does not expire."))
    seat_limit = IntegerField(_("Seats"), validators=[Optional(), NumberRange(
        1, MAX_SEATS, _("Give between 1 and %(count)d seats, or leave it empty for no limit.", count=MAX_SEATS))],
        description=_("How many learners may join with it. Leave empty for no limit."), render_kw={"min": 1})


class RosterForm(FlaskForm):
    roster = FileField(_("Roster (CSV)"), validators=[FileRequired(_("Choose a CSV file."))],
                       description=_("One learner a line under a first line of column names: name, email, and if "
                                     "you have them country, organisation and language. Save from a spreadsheet "
                                     "as “CSV UTF-8”."),
                       render_kw={"accept": ".csv,text/csv"})


class MoveForm(FlaskForm):
    target = SelectField(_("Move to"), coerce=int)


class JoinForm(FlaskForm):
    code = StringField(_("Enrolment code"), validators=[DataRequired(_("Type the code your trainer gave you."))],
                       description=_("Ten letters and digits, for example ABCDE-23456."),
                       render_kw={"autocapitalize": "characters", "spellcheck": "false", "maxlength": 32})


class InvitationForm(FlaskForm):
    password = PasswordField(
        _("Password"), validators=[InputRequired(_("Choose a password."))],
        description=_("At least %(count)d characters. A short sentence is easy to remember.",
                      count=MIN_PASSWORD_LENGTH))
    confirm = PasswordField(_("Password again"), validators=[
        InputRequired(_("Type your password again.")), EqualTo("password", _("The two passwords are not the same."))])

    def __init__(self, *args, email: str = "", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._email = email

    def validate_password(self, field: PasswordField) -> None:
        if (problem := password_problem(field.data or "", self._email)) is not None:
            raise ValidationError(problem)
