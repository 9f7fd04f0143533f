import re

from flask_babel import gettext as _, lazy_gettext as _l
from wtforms import (BooleanField, DateTimeLocalField, EmailField, IntegerField, RadioField,
                     SelectField, StringField, TextAreaField)
from wtforms.validators import (DataRequired, Email, InputRequired, Length, NumberRange, Optional,
                                ValidationError)

from ..config import DEFAULT_TIMEZONE
from ..forms import BaseForm, choices
from .models import CEREMONY_KINDS
from .timeutil import NonexistentLocalTime, is_known_timezone, local_to_utc, timezone_names
from .names import normalise_text
from .labels import (ATTENDEE_CATEGORY_LABELS, CEREMONY_KIND_LABELS, RECIPIENT_KIND_LABELS,
                     SITE_STATUS_LABELS)

LOCAL_FORMAT = "%Y-%m-%dT%H:%M"
ENDPOINT_SCHEMES = ("http", "https", "sip", "sips", "h323", "tel")
PHONE = re.compile(r"^\+?[0-9 ().-]{6,20}$")


def _timezone_choices(blank_label=None):
    pairs = [(name, name) for name in timezone_names()]
    return choices(([("", blank_label)] if blank_label else []) + pairs)


def valid_timezone(form, field):
    if field.data and not is_known_timezone(field.data):
        raise ValidationError(_("Unknown time zone."))


def ascii_address(form, field):
    """Mail servers we relay through may not speak SMTPUTF8: keep addresses ASCII."""
    if field.data and not field.data.isascii():
        raise ValidationError(_("Use the address without accents (ASCII letters only)."))


def valid_phone(form, field):
    if field.data and not PHONE.match(field.data.strip()):
        raise ValidationError(_("Digits, spaces and + ( ) - only, 6 to 20 characters."))


def valid_endpoint(form, field):
    """A web URL, a SIP or H.323 address, or a bare dial string (IP address, alias)."""
    value = (field.data or "").strip()
    if not value:
        return
    if " " in value:
        raise ValidationError(_("An address has no spaces."))
    scheme, sep, rest = value.partition(":")
    if sep and scheme.isalpha() and not rest.isdigit():
        if scheme.lower() not in ENDPOINT_SCHEMES:
            raise ValidationError(_("Use an http(s), sip, sips, h323 or tel address."))
        if not rest.strip("/"):
            raise ValidationError(_("The address is incomplete."))


# Each language named in itself: a reader finds their own whatever the page speaks.
LANGUAGE_NAMES = (("vi", "Tiếng Việt"), ("en", "English"))

class CeremonyForm(BaseForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=300)])
    kind = SelectField(_l("Kind"), choices=choices((k, CEREMONY_KIND_LABELS[k]) for k in CEREMONY_KINDS))
    description = TextAreaField(_l("Description"), validators=[Length(max=20000)])
    timezone = SelectField(_l("Time zone"), choices=_timezone_choices, default=DEFAULT_TIMEZONE,
                           validators=[valid_timezone])
    starts_at = DateTimeLocalField(_l("Start"), format=LOCAL_FORMAT, validators=[InputRequired()])
    ends_at = DateTimeLocalField(_l("End"), format=LOCAL_FORMAT, validators=[InputRequired()])
    rehearsal_at = DateTimeLocalField(_l("Technical rehearsal"), format=LOCAL_FORMAT,
                                      validators=[Optional()])
    chair = StringField(_l("Chair"), validators=[Length(max=300)])
    organizing_unit = StringField(_l("Organizing unit"), validators=[Length(max=300)])
    join_details = TextAreaField(_l("Video-conference join details"), validators=[Length(max=5000)],
                                 description=_l("Meeting link, meeting ID, PIN, dial-in numbers."))

    def validate(self, extra_validators=None) -> bool:
        if not super().validate(extra_validators):
            return False
        self.utc_times = {}
        for field in (self.starts_at, self.ends_at, self.rehearsal_at):
            if field.data is None:
                self.utc_times[field.name] = None
                continue
            try:
                self.utc_times[field.name] = local_to_utc(field.data, self.timezone.data)
            except NonexistentLocalTime:
                field.errors.append(_("This time does not exist in that time zone (the clocks skip it)."))
        return not any(f.errors for f in (self.starts_at, self.ends_at, self.rehearsal_at))

    def values(self) -> dict:
        data = {k: getattr(self, k).data or "" for k in (
            "title", "kind", "description", "timezone", "chair", "organizing_unit", "join_details")}
        data["title"] = normalise_text(data["title"])  # one line: it becomes a mail Subject
        data.update(self.utc_times)
        return data


class DuplicateForm(BaseForm):
    title = StringField(_l("Title of the copy"), validators=[DataRequired(), Length(max=300)])
    starts_at = DateTimeLocalField(_l("New start"), format=LOCAL_FORMAT, validators=[InputRequired()])
    include_attendees = BooleanField(_l("Copy the attendees"))
    include_commendations = BooleanField(_l("Copy the commendations"))


class SiteForm(BaseForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=300)])
    code = StringField(_l("Short code"), validators=[DataRequired(), Length(max=32)],
                       description=_l("Unique within the ceremony, e.g. BNI."))
    is_host = BooleanField(_l("Host site"))
    province = StringField(_l("Province"), validators=[Length(max=200)])
    address = StringField(_l("Address"), validators=[Length(max=500)])
    room = StringField(_l("Room"), validators=[Length(max=200)])
    timezone = SelectField(_l("Time zone"), validators=[valid_timezone],
                           choices=lambda: _timezone_choices(_("Same as the ceremony")))
    video_endpoint = StringField(_l("Video endpoint"), validators=[Length(max=500), valid_endpoint],
                                 description=_l("URL, SIP or H.323 address of the room system."))
    capacity = IntegerField(_l("Capacity"), validators=[Optional(), NumberRange(min=0, max=100000)])
    coordinator_name = StringField(_l("Coordinator name"), validators=[Length(max=200)])
    coordinator_email = EmailField(_l("Coordinator email"),
                                   validators=[Optional(), Email(), Length(max=254), ascii_address])
    coordinator_phone = StringField(_l("Coordinator phone"), validators=[Length(max=50), valid_phone])
    coordinator_language = SelectField(_l("Language of the coordinator's emails"),
                                       choices=choices(LANGUAGE_NAMES), default="vi")
    status = SelectField(_l("Participation"), choices=choices(SITE_STATUS_LABELS.items()))

    def validate_code(self, field):
        if not re.fullmatch(r"[A-Za-z0-9_.-]+", field.data.strip()):
            raise ValidationError(_("Letters, digits, dot, dash and underscore only."))

    def values(self) -> dict:
        return {k: getattr(self, k).data for k in (
            "name", "code", "is_host", "province", "address", "room", "timezone", "video_endpoint",
            "capacity", "coordinator_name", "coordinator_email", "coordinator_phone",
            "coordinator_language", "status")}


class PersonForm(BaseForm):
    """Who a person is: what an organizer and a site coordinator both fill in."""

    full_name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=200)])
    rank = StringField(_l("Rank"), validators=[Length(max=100)])
    position = StringField(_l("Position"), validators=[Length(max=300)])
    unit = StringField(_l("Unit"), validators=[Length(max=300)])
    email = EmailField(_l("Email"), validators=[Optional(), Email(), Length(max=254), ascii_address])
    phone = StringField(_l("Phone"), validators=[Length(max=50), valid_phone])
    language = SelectField(_l("Language of their emails"),
                           choices=choices(LANGUAGE_NAMES), default="vi")
    FIELDS = ("full_name", "rank", "position", "unit", "email", "phone", "language")

    def values(self) -> dict:
        return {k: getattr(self, k).data for k in self.FIELDS}


class AttendeeForm(PersonForm):
    category = SelectField(_l("Category"), choices=choices(ATTENDEE_CATEGORY_LABELS.items()),
                           default="delegate")
    site_id = SelectField(_l("Site"), coerce=int, validate_choice=True)
    FIELDS = (*PersonForm.FIELDS, "category")


class ProgrammeItemForm(BaseForm):
    start_offset_minutes = IntegerField(_l("Starts (minutes after the opening)"),
                                        validators=[InputRequired(), NumberRange(min=0, max=24 * 60)])
    duration_minutes = IntegerField(_l("Duration (minutes)"),
                                    validators=[InputRequired(), NumberRange(min=1, max=24 * 60)])
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=300)])
    presenter = StringField(_l("Presenter"), validators=[Length(max=300)])
    origin_site_id = SelectField(_l("Originates from site"), coerce=lambda v: int(v) if v else None,
                                 description=_l("The video control switches to this site."))
    notes = TextAreaField(_l("Notes for the control room"), validators=[Length(max=5000)])

    def values(self) -> dict:
        return {k: getattr(self, k).data for k in (
            "start_offset_minutes", "duration_minutes", "title", "presenter", "origin_site_id",
            "notes")}


class CommendationForm(BaseForm):
    recipient_kind = RadioField(_l("Recipient"), choices=choices(RECIPIENT_KIND_LABELS.items()),
                                default="individual")
    recipient_name = StringField(_l("Recipient name"), validators=[DataRequired(), Length(max=300)])
    recipient_detail = StringField(_l("Rank, position, unit"), validators=[Length(max=300)])
    award = StringField(_l("Distinction"), validators=[Length(max=200)],
                        description=_l("e.g. Certificate of merit"))
    authority = StringField(_l("Granting authority"), validators=[DataRequired(), Length(max=300)],
                            render_kw={"list": "authorities"})
    citation = TextAreaField(_l("Citation"), validators=[Length(max=5000)])
    site_id = SelectField(_l("Received at site"), coerce=lambda v: int(v) if v else None)

    def values(self) -> dict:
        return {k: getattr(self, k).data for k in (
            "recipient_kind", "recipient_name", "recipient_detail", "award", "authority",
            "citation", "site_id")}


class OrganizerForm(BaseForm):
    """List another account on a ceremony; choices are the active accounts not yet listed."""
    user_id = SelectField(_l("Account"), coerce=int, validate_choice=True)
