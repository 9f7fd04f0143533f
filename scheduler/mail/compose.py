"""iMIP messages (RFC 6047): a readable body in the attendee's language plus the
iTIP calendar object, both as an alternative part and as an invite.ics attachment.

What is the same for every recipient (the ceremony, each site, the programme) is
prepared once per batch in `CeremonyMail`; only the personal parts vary.
"""
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.utils import format_datetime
from types import SimpleNamespace

from flask import current_app, g, render_template
from markupsafe import escape
from flask_babel import force_locale, gettext as _
from sqlalchemy import or_, select

from .. import calendar
from ..extensions import db
from ..planning import queries
from ..planning.models import Attendee, Ceremony, ProgrammeItem, Site
from ..portal.checkin import checkin_code
from ..portal.tokens import attendee_link
from . import mime
from .models import Delivery

# Alarms of a ceremony whose reminder rules give none for attendees.
DEFAULT_ALARM_MINUTES = (24 * 60, 60)
ROLE_BY_CATEGORY = {"chair": "CHAIR", "guest": "OPT-PARTICIPANT", "press": "NON-PARTICIPANT"}


@dataclass
class CeremonyMail:
    ceremony: Ceremony
    sites: dict[int, Site]
    programme: list[ProgrammeItem]
    organizer: calendar.Person
    base_url: str
    # Calendar alarms, minutes before the start: the attendees' reminder rules.
    alarm_minutes: tuple[int, ...] = DEFAULT_ALARM_MINUTES
    cache: dict = field(default_factory=dict)  # SharedParts by site, language, kind, SEQUENCE
    # The video meeting's join details (integrations.conference.details), None if none known.
    conference: object | None = None

    def site_location(self, site: Site | None) -> str:
        if site is None:
            return ""
        return ", ".join(part for part in (site.name, site.room, site.address) if part)


def public_url() -> str:
    return current_app.config["PUBLIC_URL"].rstrip("/")


def mail_for(ceremony: Ceremony, extra_site_ids: set[int] = frozenset(), all_sites: bool = False) -> CeremonyMail:
    """What every message of `ceremony` shares. Sites: all of them for a sending pass,
    otherwise only the host, the programme's origins and `extra_site_ids`."""
    programme = queries.programme(ceremony.id)
    query = select(Site).where(Site.ceremony_id == ceremony.id)
    if not all_sites:
        wanted = set(extra_site_ids) | {i.origin_site_id for i in programme if i.origin_site_id}
        query = query.where(or_(Site.is_host, Site.id.in_(wanted)))
    sites = {site.id: site for site in db.session.scalars(query)}
    return CeremonyMail(ceremony=ceremony, sites=sites, programme=programme,
                        organizer=organizer(), base_url=public_url(),
                        alarm_minutes=alarm_source(ceremony.id),
                        conference=conference_source(ceremony.id))


# Set by the reminders package: the minutes before the start at which a ceremony's
# attendees are reminded, which its calendar alarms follow.
alarm_source: Callable[[int], tuple[int, ...]] = lambda ceremony_id: DEFAULT_ALARM_MINUTES
# Set by integrations.conference: the join details of a ceremony's video meeting, if known.
conference_source: Callable[[int], object | None] = lambda ceremony_id: None


@dataclass(frozen=True)
class PlainKind:
    """A kind of outbox message without a calendar object (reminders, digests, links)."""
    build: Callable  # (mail, delivery, person, now, message_id) -> bytes
    # (mail, delivery, person, now) -> why it must not go any more, or None
    stale: Callable


PLAIN_KINDS: dict[str, PlainKind] = {}


def stale_reason(mail: CeremonyMail, delivery: Delivery, person: Attendee | None,
                 now: datetime) -> str | None:
    if delivery.method is None:
        return PLAIN_KINDS[delivery.kind].stale(mail, delivery, person, now)
    if delivery.method == "REQUEST" and mail.ceremony.is_cancelled:
        return "the ceremony is cancelled"  # the cancellation replaces it
    return None


def build_any(mail: CeremonyMail, delivery: Delivery, person: Attendee | None, now: datetime,
              message_id: str) -> bytes:
    if delivery.method is None:
        return PLAIN_KINDS[delivery.kind].build(mail, delivery, person, now, message_id)
    return build(mail, delivery, person, now, message_id)


def organizer() -> calendar.Person:
    config = current_app.config
    return calendar.Person(email=config["MAIL_ORGANIZER_EMAIL"], name=config["MAIL_ORGANIZER_NAME"])


def in_language(code: str):
    # force_locale does nothing while `g` is empty; give it somewhere to write.
    if not hasattr(g, "_flask_babel"):
        g._flask_babel = SimpleNamespace()
    return force_locale(code)


def event_for(mail: CeremonyMail, *, method: str, sequence: int, site: Site | None,
              link: str) -> calendar.EventData:
    ceremony = mail.ceremony
    alarms = tuple(calendar.Alarm(m, ceremony.title) for m in mail.alarm_minutes)
    description = render_template("email/calendar_description.txt", mail=mail, ceremony=ceremony,
                                  site=site, link=link)
    return calendar.EventData(
        uid=ceremony.uid, sequence=sequence, summary=ceremony.title,
        description=description, starts_at=ceremony.starts_at, ends_at=ceremony.ends_at,
        tzid=site.timezone if site is not None and site.timezone else ceremony.timezone,
        location=mail.site_location(site), url=link, organizer=mail.organizer,
        conference_url=mail.conference.join_url if mail.conference else "",
        status="CANCELLED" if method == "CANCEL" else "CONFIRMED",
        alarms=alarms if method == "REQUEST" else (),
        created=ceremony.created_at, last_modified=ceremony.updated_at)


def subject(kind: str, title: str) -> str:
    prefix = {"invitation": _("Invitation"), "update": _("Updated invitation"),
              "cancellation": _("Cancelled")}[kind]
    return f"{prefix}: {title}"


# Stand-ins for the personal parts: bodies are rendered once per site, language
# and kind of message, and each recipient's name, link and check-in code are put in after.
NAME_MARK, LINK_MARK, CODE_MARK = "\x00name\x00", "\x00link\x00", "\x00code\x00"


@dataclass(frozen=True)
class SharedParts:
    headers: tuple[str, ...]  # Subject and From, already encoded
    text: str
    html: str
    calendar: bytes  # without ATTENDEE and URL


def _shared(mail: CeremonyMail, delivery: Delivery, site: Site | None, now: datetime) -> SharedParts:
    key = (delivery.site_id, delivery.language, delivery.kind, delivery.method, delivery.sequence)
    parts = mail.cache.get(key)
    if parts is None:
        event = event_for(mail, method=delivery.method, sequence=delivery.sequence, site=site, link="")
        tz = event.tzid
        link = LINK_MARK if delivery.method == "REQUEST" else ""
        context = dict(mail=mail, ceremony=mail.ceremony, site=site, kind=delivery.kind,
                       recipient=NAME_MARK, link=link, code=CODE_MARK if link else "", tz=tz,
                       timedelta=timedelta)
        headers = (mime.encoded_header("Subject", subject(delivery.kind, mail.ceremony.title)),
                   mime.address_header("From", mail.organizer.name, mail.organizer.email))
        parts = SharedParts(headers=headers,
                            text=render_template("email/invitation.txt", **context),
                            html=render_template("email/invitation.html", **context),
                            calendar=calendar.skeleton(event, now, delivery.method))
        mail.cache[key] = parts
    return parts


def build(mail: CeremonyMail, delivery: Delivery, person: Attendee | None, now: datetime,
          message_id: str) -> bytes:
    """The whole message as bytes with CRLF line endings, ready for SMTP."""
    site = mail.sites.get(delivery.site_id) if delivery.site_id else None
    parts = _shared(mail, delivery, site, now)
    link = attendee_link(mail.base_url, person.id, person.link_key) if person and delivery.method == "REQUEST" else ""
    greeting = f"{person.rank} {person.full_name}".strip() if person else delivery.recipient_name
    code = checkin_code(person.id, person.link_key) if link else ""
    invitee = calendar.Invitee(
        email=delivery.recipient_email, name=delivery.recipient_name,
        role=ROLE_BY_CATEGORY.get(person.category, "REQ-PARTICIPANT") if person else "REQ-PARTICIPANT",
        partstat=person.partstat if person else "NEEDS-ACTION",
        rsvp=delivery.method == "REQUEST")
    headers = [
        *parts.headers,
        mime.address_header("To", delivery.recipient_name, delivery.recipient_email),
        f"Date: {format_datetime(now)}",
        f"Message-ID: {message_id}",
    ]
    return mime.assemble(
        headers=headers,
        text=parts.text.replace(NAME_MARK, greeting).replace(LINK_MARK, link).replace(CODE_MARK, code),
        html=(parts.html.replace(NAME_MARK, escape(greeting)).replace(LINK_MARK, escape(link))
              .replace(CODE_MARK, code)),  # the code's alphabet needs no escaping
        ics=calendar.personalise(parts.calendar, invitee, link),
        method=delivery.method)


def message_id(delivery: Delivery, ceremony: Ceremony, domain: str) -> str:
    """Stable per outbox row: a message retried after a crash keeps its identity."""
    # Row id (unique here) + the start of the ceremony's random UID (unique across installs),
    # short enough for the header to stay on one line.
    return f"<o{delivery.id}.{ceremony.uid.split('@')[0].replace('-', '')[-12:]}@{domain}>"
