"""What every API schema shares: text cleaned like the forms clean it, the forms'
limits and validators reused, ids and moments bounded to what the database holds.

The schemas validate input, serialise output and (through apispec) are the
OpenAPI document, so the document matches the implementation by construction.
"""
import re
import unicodedata
from datetime import UTC, datetime
from types import SimpleNamespace

from email_validator import EmailNotValidError, validate_email
from marshmallow import EXCLUDE, RAISE, Schema, ValidationError, fields, pre_load, validate
from wtforms.validators import ValidationError as FormError

from ..forms import strip_control
from ..planning import forms as planning_forms

MAX_ID = 2**31 - 1  # the id columns are 32-bit on PostgreSQL
# Lone UTF-16 surrogates can arrive as JSON escapes ("\ud800"); no database
# stores them, so they are dropped like control characters.
_SURROGATES = re.compile("[\ud800-\udfff]")
EARLIEST, LATEST = datetime(1970, 1, 1, tzinfo=UTC), datetime(2199, 12, 31, tzinfo=UTC)


def clean_text(value):
    return _SURROGATES.sub("", strip_control(value)) if isinstance(value, str) else value


class Body(Schema):
    """A JSON body: unknown fields are refused (a typo is not silently ignored),
    and text loses its control characters first, as every form does (BaseForm)."""

    class Meta:
        unknown = RAISE

    @pre_load
    def _clean(self, data, **kwargs):
        if isinstance(data, dict):
            return {key: clean_text(value) for key, value in data.items()}
        return data


class Query(Body):
    """Query-string filters: unknown parameters are ignored, as the pages ignore them."""

    class Meta:
        unknown = EXCLUDE

    @pre_load
    def _clean(self, data, **kwargs):
        # webargs hands a MultiDict: keep its first values only.
        return {key: clean_text(data.get(key)) for key in data}


def form_check(check):
    """A planning form's field validator (form, field) as a marshmallow validator,
    so the API and the pages refuse exactly the same values."""
    def run(value):
        try:
            check(None, SimpleNamespace(data=value))
        except FormError as error:
            raise ValidationError(str(error)) from None
    return run


def _email(value: str) -> None:
    if not value:
        return
    try:  # what WTForms' Email() does for the forms
        validate_email(value, check_deliverability=False)
    except EmailNotValidError:
        raise ValidationError("Invalid email address.") from None
    form_check(planning_forms.ascii_address)(value)


def _not_blank(value: str) -> None:
    if not value.strip():
        raise ValidationError("This field is required.")


class _Length(validate.Length):
    """The forms' length limit, also on the text as stored: names are kept in NFC
    (planning/names.py), and a few characters grow in NFC (U+FB2C is three), which
    would overflow the column on PostgreSQL (a 500) instead of naming the field."""

    def __call__(self, value):
        super().__call__(value)
        if self.max is not None and len(unicodedata.normalize("NFC", value)) > self.max:
            raise ValidationError(self._format_error(value, self.message_max))
        return value


def text(max_length: int, *, required: bool = False, extra=(), **kwargs):
    checks = [_Length(min=1 if required else 0, max=max_length), *extra]
    if required:
        checks.append(_not_blank)
    else:
        kwargs.setdefault("load_default", "")
    return fields.String(required=required, validate=checks, **kwargs)


def email(**kwargs):
    return text(254, extra=(_email,), **kwargs)


def phone(**kwargs):
    return text(50, extra=(form_check(planning_forms.valid_phone),), **kwargs)


def timezone(*, blank_ok: bool = False, **kwargs):
    """An IANA zone name; the forms' check passes a blank (the site form's
    "same as the ceremony"), so a ceremony's zone also needs a minimum length."""
    metadata = {"example": "Asia/Ho_Chi_Minh", "description": "An IANA time zone name.",
                **kwargs.pop("metadata", {})}
    length = validate.Length(min=0 if blank_ok else 1, max=64)
    return fields.String(validate=[length, form_check(planning_forms.valid_timezone)],
                         metadata=metadata, **kwargs)


def choice(values, **kwargs):
    return fields.String(validate=validate.OneOf(values), **kwargs)


def row_id(*, strict: bool = True, **kwargs):
    """A row id: 32-bit like its column (a bigger one would overflow PostgreSQL).
    Strict in JSON bodies ("3" is not a number); query strings are all text."""
    return fields.Integer(strict=strict, validate=validate.Range(min=1, max=MAX_ID), **kwargs)


class Moment(fields.AwareDateTime):
    """ISO 8601 with an offset in, UTC out; naive times are refused (whose clock?)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("metadata", {}).setdefault(
            "description", "ISO 8601 with an offset, e.g. 2027-05-20T08:00:00+07:00; "
                           "answers are in UTC.")
        super().__init__(format="iso", **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        moment = super()._deserialize(value, attr, data, **kwargs)
        try:
            moment = moment.astimezone(UTC)
        except OverflowError:
            raise ValidationError("The time is out of range.") from None
        if not EARLIEST <= moment <= LATEST:
            raise ValidationError("Give a time between 1970 and 2199.")
        return moment


def patch_of(schema_cls: type) -> type:
    """The schema of a PATCH body: the same fields, none required, no defaults
    filled in (a missing field keeps its value). A class of its own, so the
    OpenAPI document names it (CeremonyPatch) apart from the full one."""
    def __init__(self, *args, **kwargs):
        schema_cls.__init__(self, *args, **{**kwargs, "partial": True})

    name = schema_cls.__name__.removesuffix("Schema") + "PatchSchema"
    return type(name, (schema_cls,), {"__init__": __init__})
