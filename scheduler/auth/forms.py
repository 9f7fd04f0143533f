from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional

from ..forms import BaseForm, choices

MIN_PASSWORD_LENGTH = 10

ROLE_CHOICES = (("organizer", _l("Organizer")), ("admin", _l("Administrator")))


class LoginForm(BaseForm):
    email = EmailField(_l("Email"), validators=[DataRequired(), Email()])
    password = PasswordField(_l("Password"), validators=[DataRequired()])
    remember = BooleanField(_l("Keep me signed in"))


class AccountForm(BaseForm):
    name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=200)])
    email = EmailField(_l("Email"), validators=[DataRequired(), Email(), Length(max=254)])
    role = SelectField(_l("Role"), choices=choices(ROLE_CHOICES))
    active = BooleanField(_l("Account active"), default=True)
    password = PasswordField(
        _l("New password"),
        validators=[Optional(), Length(min=MIN_PASSWORD_LENGTH,
                                       message=_l("At least %(min)d characters.", min=MIN_PASSWORD_LENGTH))],
        description=_l("Leave empty to keep the current password."),
    )
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[EqualTo("password", message=_l("The two passwords differ."))],
    )


class NewAccountForm(AccountForm):
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH,
                                           message=_l("At least %(min)d characters.", min=MIN_PASSWORD_LENGTH))],
    )
