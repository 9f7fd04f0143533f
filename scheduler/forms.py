"""The base form every form in the app derives from.

WTForms ships no Vietnamese catalogue, so its built-in messages (bad number,
bad choice, ...) go through our own catalogue: the strings are listed below so
the extractor finds them.
"""
from flask_babel import get_translations, gettext, lazy_gettext as _l, lazy_ngettext
from flask_wtf import FlaskForm
from wtforms.fields.choices import SelectChoice

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


def choices(pairs) -> list[SelectChoice]:
    """(value, label) pairs as the option objects WTForms 3.3+ expects."""
    return [SelectChoice(value, label) for value, label in pairs]
