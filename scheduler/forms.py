"""The base form every form in the app derives from.

WTForms ships no Vietnamese catalogue, so its built-in messages (bad number,
bad choice, ...) go through our own catalogue: the strings are listed below so
the extractor finds them.
"""
import re
import unicodedata

from flask_babel import get_translations, gettext, lazy_gettext as _l, lazy_ngettext
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.fields.choices import SelectChoice

# C0 controls but tab and line breaks, DEL, and C1 controls: never meant as text,
# and PostgreSQL refuses a NUL in a string outright (a 500 instead of a form error).
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def strip_control(value):
    """Text as typed, without control characters (None and non-text pass through)."""
    return _CONTROL.sub("", value) if isinstance(value, str) else value


def clean_text(value):
    """Without control characters, in NFC: the form stored, so length limits measure
    what reaches the column (a few characters grow in NFC, e.g. U+FB2C to three)."""
    return unicodedata.normalize("NFC", strip_control(value)) if isinstance(value, str) else value

BUILTIN_MESSAGES = (
    _l("This field is required."),
    _l("Not a valid integer value."),
    _l("Not a valid datetime value."),
    _l("Not a valid date value."),
    _l("Not a valid time value."),
    _l("Not a valid choice."),
    _l("Invalid email address."),
    _l("Invalid Choice: could not coerce."),
    _l("The CSRF token is missing."),
    _l("The CSRF token is invalid."),
    _l("The CSRF token has expired."),
    _l("The CSRF session token is missing."),
    _l("The CSRF tokens do not match."),
    _l("Invalid input."),
    _l("Field must be equal to %(other_name)s."),
    _l("Field must be between %(min)d and %(max)d characters long."),
    _l("Number must be at least %(min)s."),
    _l("Number must be at most %(max)s."),
    _l("Number must be between %(min)s and %(max)s."),
    lazy_ngettext("Field must be at least %(min)d character long.",
                  "Field must be at least %(min)d characters long.", 1),
    lazy_ngettext("Field cannot be longer than %(max)d character.",
                  "Field cannot be longer than %(max)d characters.", 1),
)


class _BabelTranslations:
    def gettext(self, string: str) -> str:
        return gettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        # WTForms fills in %(max)d itself; Flask-Babel's ngettext would format the
        # string first with only %(num)s known, and fail on "Field cannot be longer…".
        return get_translations().ungettext(singular, plural, n)


class BaseForm(FlaskForm):
    class Meta:
        def get_translations(self, form):
            return _BabelTranslations()

        def bind_field(self, form, unbound_field, options):
            # Every text field of every form (TextAreaField, EmailField… derive from
            # StringField) drops control characters and is put in NFC before its own
            # filters and validators run.
            # Passwords are left as typed: they are hashed, never stored as text.
            field_class = unbound_field.field_class
            if issubclass(field_class, StringField) and not issubclass(field_class, PasswordField):
                filters = unbound_field.kwargs.get("filters", ())
                options = {**options, "filters": (clean_text, *filters)}
            return unbound_field.bind(form=form, **options)


def choices(pairs) -> list[SelectChoice]:
    """(value, label) pairs as the option objects WTForms 3.3+ expects."""
    return [SelectChoice(value, label) for value, label in pairs]
