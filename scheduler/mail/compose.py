"""iMIP messages (RFC 6047): a readable body in the attendee's language plus the
iTIP calendar object, both as an alternative part and as an invite.ics attachment.

What is the same for every recipient (the ceremony, each site, the programme) is
prepared once per batch in `CeremonyMail`; only the personal parts vary.
"""
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, formataddr
from types import SimpleNamespace

from flask import current_app, g, render_template
from flask_babel import force_locale, gettext as _
from sqlalchemy import or_, select

from .. import calendar
from ..extensions import db
from ..planning import queries
from ..planning.models import Attendee, Ceremony, ProgrammeItem, Site
from ..portal.tokens import attendee_link
from .models import Delivery

# Until reminder rules exist (issue 4), every invitation carries these alarms.
ATTENDEE_ALARM_MINUTES = (24 * 60, 60)
ROLE_BY_CATEGORY = {"chair": "CHAIR", "guest": "OPT-PARTICIPANT", "press": "NON-PARTICIPANT"}


@dataclass
class CeremonyMail:
    ceremony: Ceremony
    sites: dict[int, Site]
    programme: list[ProgrammeItem]
    organizer: calendar.Person
    base_url: str

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
                        organizer=organizer(), base_url=public_url())


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
    alarms = tuple(calendar.Alarm(m, ceremony.title) for m in ATTENDEE_ALARM_MINUTES)
    description = render_template("email/calendar_description.txt", mail=mail, ceremony=ceremony,
                                  site=site, link=link)
    return calendar.EventData(
        uid=ceremony.uid, sequence=sequence, summary=ceremony.title,
        description=description, starts_at=ceremony.starts_at, ends_at=ceremony.ends_at,
        tzid=site.timezone if site is not None and site.timezone else ceremony.timezone,
        location=mail.site_location(site), url=link, organizer=mail.organizer,
        status="CANCELLED" if method == "CANCEL" else "CONFIRMED",
        alarms=alarms if method == "REQUEST" else (),
        created=ceremony.created_at, last_modified=ceremony.updated_at)


def subject(kind: str, title: str) -> str:
    prefix = {"invitation": _("Invitation"), "update": _("Updated invitation"),
              "cancellation": _("Cancelled")}[kind]
    return f"{prefix}: {title}"


def build(mail: CeremonyMail, delivery: Delivery, person: Attendee | None, now: datetime) -> bytes:
    """The whole message as bytes with CRLF line endings, ready for SMTP."""
    site = mail.sites.get(delivery.site_id) if delivery.site_id else None
    link = ""
    if person is not None and delivery.method == "REQUEST":
        link = attendee_link(mail.base_url, person.id)
    invitee = calendar.Invitee(
        email=delivery.recipient_email, name=delivery.recipient_name,
        role=ROLE_BY_CATEGORY.get(person.category, "REQ-PARTICIPANT") if person else "REQ-PARTICIPANT",
        partstat=person.partstat if person else "NEEDS-ACTION",
        rsvp=delivery.method == "REQUEST")
    event = event_for(mail, method=delivery.method, sequence=delivery.sequence, site=site, link=link)
    builder = calendar.request if delivery.method == "REQUEST" else calendar.cancel
    ics = builder(event, invitee, now)
    tz = event.tzid
    context = dict(mail=mail, ceremony=mail.ceremony, site=site, person=person, delivery=delivery,
                   link=link, tz=tz, timedelta=timedelta)
    message = EmailMessage(policy=SMTP)
    message["Subject"] = subject(delivery.kind, mail.ceremony.title)
    message["From"] = formataddr((mail.organizer.name, mail.organizer.email))
    message["To"] = formataddr((delivery.recipient_name, delivery.recipient_email))
    message["Date"] = format_datetime(now)
    message["Message-ID"] = delivery.message_id
    message.set_content(render_template("email/invitation.txt", **context))
    message.add_alternative(render_template("email/invitation.html", **context), subtype="html")
    message.add_alternative(ics, maintype="text", subtype="calendar",
                            params={"method": delivery.method, "charset": "UTF-8"}, cte="base64")
    message.make_mixed()
    message.add_attachment(ics, maintype="application", subtype="ics", filename="invite.ics",
                           cte="base64")
    return message.as_bytes(policy=SMTP)


def message_id(delivery: Delivery, ceremony: Ceremony, domain: str) -> str:
    """Stable per outbox row: a message retried after a crash keeps its identity."""
    return f"<outbox-{delivery.id}.{ceremony.uid.split('@')[0]}@{domain}>"
