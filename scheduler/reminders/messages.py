"""Reminder, digest and coordinator-link mail: rendered at send time from the
current plan, in the recipient's language, with their own link.

Bodies are rendered once per (kind, audience, site, language, answer) and the
recipient's name and link are put in after, as for invitations: the pass that
sends 50,000 reminders renders a few hundred templates, not 50,000.
"""
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import format_datetime

from flask import render_template
from flask_babel import gettext as _
from markupsafe import escape
from sqlalchemy import select

from ..extensions import db
from ..i18n import format_local
from ..mail import compose, mime
from ..mail.compose import LINK_MARK, NAME_MARK, CeremonyMail, PlainKind
from ..mail.models import Delivery
from ..planning.models import Attendee, Site
from ..portal.tokens import attendee_link, site_link
from .digest import digest_facts
from .models import Reminder


@dataclass(frozen=True)
class Shared:
    headers: tuple[str, ...]
    text: str
    html: str


def audience_of(mail: CeremonyMail, delivery: Delivery) -> str:
    """The audience of the reminder a message belongs to (cached per pass)."""
    if delivery.kind != "reminder":
        return delivery.kind
    key = ("audience", delivery.reminder_id)
    if key not in mail.cache:
        mail.cache[key] = db.session.scalar(
            select(Reminder.audience).where(Reminder.id == delivery.reminder_id)) or (
            "attendees" if delivery.attendee_id else "coordinators")
    return mail.cache[key]


def _site(mail: CeremonyMail, delivery: Delivery) -> Site | None:
    return mail.sites.get(delivery.site_id) if delivery.site_id else None


def stale(mail: CeremonyMail, delivery: Delivery, person: Attendee | None, now: datetime) -> str | None:
    """Why a reminder waiting in the outbox (a mail outage) must not go any more."""
    ceremony = mail.ceremony
    if delivery.kind == "site_link":
        # A draft's coordinators may start early; a cancelled ceremony needs nobody.
        return "the ceremony is cancelled" if ceremony.is_cancelled else None
    if ceremony.status != "scheduled":
        return "the ceremony is no longer scheduled"
    if now >= ceremony.starts_at:
        return "the ceremony has started"
    audience = audience_of(mail, delivery)
    site = _site(mail, delivery)
    if audience == "coordinators" and ceremony.rehearsal_at and now >= ceremony.rehearsal_at:
        return "the rehearsal has started"
    if audience == "unconfirmed" and site is not None and site.status != "pending":
        return "the site has answered"
    if person is not None and (person.partstat == "DECLINED" or person.site_confirmation == "not_coming"):
        return "they are not coming"
    return None


def _shared(mail: CeremonyMail, delivery: Delivery, person: Attendee | None) -> Shared:
    site = _site(mail, delivery)
    audience = audience_of(mail, delivery)
    answer = person.partstat if person is not None else ""
    key = ("plain", delivery.kind, audience, delivery.site_id, delivery.language, answer)
    if key in mail.cache:
        return mail.cache[key]
    ceremony = mail.ceremony
    tz = site.effective_timezone(ceremony) if site is not None else ceremony.timezone
    context = dict(mail=mail, ceremony=ceremony, site=site, audience=audience, answer=answer,
                   recipient=NAME_MARK, link=LINK_MARK, tz=tz, timedelta=timedelta)
    if delivery.kind == "digest":
        context["facts"] = digest_facts(ceremony.id)
        context["ceremony_url"] = f"{mail.base_url}/ceremonies/{ceremony.id}"
    template = {"reminder": "reminder", "digest": "digest", "site_link": "site_link"}[delivery.kind]
    headers = (mime.encoded_header("Subject", _subject(delivery.kind, audience, ceremony, tz)),
               mime.address_header("From", mail.organizer.name, mail.organizer.email))
    shared = Shared(headers=headers, text=render_template(f"email/{template}.txt", **context),
                    html=render_template(f"email/{template}.html", **context))
    mail.cache[key] = shared
    return shared


def _subject(kind: str, audience: str, ceremony, tz: str) -> str:
    title = ceremony.title
    if kind == "digest":
        return _("Daily summary: %(title)s", title=title)
    if kind == "site_link":
        return _("Your site's coordinator link: %(title)s", title=title)
    if audience == "coordinators" and ceremony.rehearsal_at:
        return _("Technical rehearsal: %(title)s, %(when)s", title=title,
                 when=format_local(ceremony.rehearsal_at, tz, "medium"))
    if audience == "unconfirmed":
        return _("Please confirm your site's participation: %(title)s", title=title)
    return _("Reminder: %(title)s, %(when)s", title=title,
             when=format_local(ceremony.starts_at, tz, "medium"))


def _personal_link(mail: CeremonyMail, delivery: Delivery, person: Attendee | None) -> str:
    if person is not None:
        return attendee_link(mail.base_url, person.id, person.link_key)
    site = _site(mail, delivery)
    if site is not None:
        return site_link(mail.base_url, site.id, site.link_key)
    return f"{mail.base_url}/ceremonies/{mail.ceremony.id}"


def build(mail: CeremonyMail, delivery: Delivery, person: Attendee | None, now: datetime,
          message_id: str) -> bytes:
    shared = _shared(mail, delivery, person)
    link = _personal_link(mail, delivery, person)
    if person is not None:
        greeting = f"{person.rank} {person.full_name}".strip()
    else:
        greeting = delivery.recipient_name
    headers = [*shared.headers,
               mime.address_header("To", delivery.recipient_name, delivery.recipient_email),
               f"Date: {format_datetime(now)}", f"Message-ID: {message_id}"]
    return mime.assemble_plain(
        headers=headers,
        text=shared.text.replace(NAME_MARK, greeting).replace(LINK_MARK, link),
        html=shared.html.replace(NAME_MARK, escape(greeting)).replace(LINK_MARK, escape(link)))


def register() -> None:
    for kind in ("reminder", "digest", "site_link"):
        compose.PLAIN_KINDS[kind] = PlainKind(build=build, stale=stale)
