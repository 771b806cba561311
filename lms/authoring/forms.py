"""The studio's forms with fields of their own: a new course, and a trainer added to a course's staff.

The outline's small forms (add, rename, move, delete) carry only ids and the draft's revision,
which the services check, so they are read from the request as they come.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _  # lazy: these texts are translated when shown, in the reader's language
from flask_wtf import FlaskForm
from wtforms import EmailField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired

from lms.authoring.drafts import MAX_TITLE
from lms.authoring.services import MAX_DESCRIPTION
from lms.i18n import supported_locales
from lms.templating import LANGUAGE_NAMES


def role_choices() -> list[tuple[str, str]]:
    return [("editor", _("Editor: edits and publishes the content")),
            ("owner", _("Owner: also chooses the course's staff"))]


class NewCourseForm(FlaskForm):
    title = StringField(_("Title"), validators=[DataRequired(_("Enter a title."))],
                        description=_("As learners will see it in the catalogue."), render_kw={"maxlength": MAX_TITLE})
    slug = StringField(_("Address"), validators=[DataRequired(_("Enter the course's address."))],
                       description=_("Part of the course's web address, such as “digital-services-2027”: lower-case "
                                     "letters, digits and hyphens. It cannot be changed later."),
                       render_kw={"maxlength": 100, "spellcheck": "false", "autocapitalize": "none"})
    language = SelectField(_("Language of the course"))
    description = TextAreaField(_("Short description"),
                                description=_("One or two sentences for the catalogue. You can change it later."),
                                render_kw={"rows": 3, "maxlength": MAX_DESCRIPTION})

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.language.choices = [(code, LANGUAGE_NAMES.get(code, code)) for code in supported_locales()]


class AddStaffForm(FlaskForm):
    email = EmailField(_("Email address of the trainer's account"),
                       validators=[DataRequired(_("Enter the email address of a trainer's account."))],
                       render_kw={"spellcheck": "false", "autocomplete": "off"})
    role = SelectField(_("Role"), default="editor")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.role.choices = role_choices()
