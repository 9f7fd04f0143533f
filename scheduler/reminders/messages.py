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


def reminder_facts(mail: CeremonyMail, delivery: Delivery) -> tuple[str, str, str]:
    """(audience, anchor, status) of the reminder a message belongs to, read once per pass."""
    if delivery.kind != "reminder":
        return delivery.kind, "start", "sent"
    key = ("reminder", delivery.reminder_id)
    if key not in mail.cache:
        row = db.session.execute(select(Reminder.audience, Reminder.anchor, Reminder.status)
                                 .where(Reminder.id == delivery.reminder_id)).first()
        # The reminder row is gone only with its rule; judge by who the message is for.
        mail.cache[key] = tuple(row) if row else (
            "attendees" if delivery.attendee_id else "coordinators", "start", "sent")
    return mail.cache[key]


def _site(mail: CeremonyMail, delivery: Delivery, person: Attendee | None = None) -> Site | None:
    """The recipient's site now: a person moved since the message was queued is
    reminded of where they go today."""
    site_id = person.site_id if person is not None else delivery.site_id
    return mail.sites.get(site_id) if site_id else None


def stale(mail: CeremonyMail, delivery: Delivery, person: Attendee | None, now: datetime) -> str | None:
    """Why a message waiting in the outbox (a mail outage) must not go any more."""
    ceremony = mail.ceremony
    site = _site(mail, delivery, person)
    coordinator_moved = (site is not None and delivery.attendee_id is None
                         and site.coordinator_email != delivery.recipient_email)
    if delivery.kind == "site_link":
        # A draft's coordinators may start early; a cancelled ceremony needs nobody.
        if ceremony.is_cancelled:
            return "the ceremony is cancelled"
        if site is None:
            return "the site was removed"
        # The link is built when sent: it must never reach an address no longer theirs.
        return "their address changed" if coordinator_moved else None
    if ceremony.status != "scheduled":
        return "the ceremony is no longer scheduled"
    if now >= ceremony.starts_at:
        return "the ceremony has started"
    audience, anchor, status = reminder_facts(mail, delivery)
    if status == "withdrawn":
        return "the ceremony's plan changed"
    if anchor == "rehearsal" and ceremony.rehearsal_at and now >= ceremony.rehearsal_at:
        return "the rehearsal has started"
    if delivery.kind == "digest":
        return None
    if site is None:
        return "the site was removed"
    if site.status == "declined":
        return "the site declined"
    if audience == "unconfirmed" and site.status != "pending":
        return "the site has answered"
    if audience in ("coordinators", "unconfirmed") and coordinator_moved:
        return "their address changed"
    if audience == "attendees":
        if person is None:
            return "the person was removed"
        if person.email != delivery.recipient_email:
            return "their address changed"  # the new address has its own invitation
        if person.partstat == "DECLINED" or person.site_confirmation == "not_coming":
            return "they are not coming"
    return None


def _shared(mail: CeremonyMail, delivery: Delivery, person: Attendee | None) -> Shared:
    site = _site(mail, delivery, person)
    audience, anchor, _status = reminder_facts(mail, delivery)
    answer = person.partstat if person is not None else ""
    key = ("plain", delivery.kind, audience, anchor, site.id if site else None, delivery.language, answer)
    if key in mail.cache:
        return mail.cache[key]
    ceremony = mail.ceremony
    tz = site.effective_timezone(ceremony) if site is not None else ceremony.timezone
    context = dict(mail=mail, ceremony=ceremony, site=site, audience=audience, anchor=anchor, answer=answer,
                   recipient=NAME_MARK, link=LINK_MARK, tz=tz, timedelta=timedelta)
    if delivery.kind == "digest":
        context["facts"] = digest_facts(ceremony.id)
        context["ceremony_url"] = f"{mail.base_url}/ceremonies/{ceremony.id}"
    template = {"reminder": "reminder", "digest": "digest", "site_link": "site_link"}[delivery.kind]
    headers = (mime.encoded_header("Subject", _subject(delivery.kind, audience, anchor, ceremony, tz)),
               mime.address_header("From", mail.organizer.name, mail.organizer.email))
    shared = Shared(headers=headers, text=render_template(f"email/{template}.txt", **context),
                    html=render_template(f"email/{template}.html", **context))
    mail.cache[key] = shared
    return shared


def _subject(kind: str, audience: str, anchor: str, ceremony, tz: str) -> str:
    title = ceremony.title
    if kind == "digest":
        return _("Daily summary: %(title)s", title=title)
    if kind == "site_link":
        return _("Your site's coordinator link: %(title)s", title=title)
    if anchor == "rehearsal" and ceremony.rehearsal_at:
        return _("Technical rehearsal: %(title)s, %(when)s", title=title,
                 when=format_local(ceremony.rehearsal_at, tz, "medium"))
    if audience == "unconfirmed":
        return _("Please confirm your site's participation: %(title)s", title=title)
    return _("Reminder: %(title)s, %(when)s", title=title,
             when=format_local(ceremony.starts_at, tz, "medium"))


def _personal_link(mail: CeremonyMail, delivery: Delivery, person: Attendee | None) -> str:
    if delivery.kind == "digest":
        return f"{mail.base_url}/ceremonies/{mail.ceremony.id}"
    if delivery.attendee_id is not None:
        # stale() has already dropped a message whose person is gone.
        return attendee_link(mail.base_url, person.id, person.link_key)
    site = _site(mail, delivery)
    return site_link(mail.base_url, site.id, site.link_key)


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
