"""Who a reminder goes to: one query per audience, read in id order in batches.

The same queries count recipients for the organizer's "upcoming" list, so what
the page promises is what the pass sends.
"""
from sqlalchemy import func, or_, select

from ..auth.models import User
from ..extensions import db
from ..planning import access
from ..planning.models import Attendee, Ceremony, Site


# They declined, or their site's coordinator says they are not coming.
_not_coming = or_(Attendee.partstat == "DECLINED", Attendee.site_confirmation == "not_coming")


def recipients_query(audience: str, ceremony_id: int):
    """Rows that get the message, ordered by id (a keyset cursor resumes them)."""
    if audience == "attendees":
        # Invited people only: a reminder follows an invitation, never replaces it.
        return (select(Attendee).join(Site, Site.id == Attendee.site_id)
                .where(Attendee.ceremony_id == ceremony_id, Attendee.email != "",
                       Attendee.invited_sequence.is_not(None), ~_not_coming, Site.status != "declined")
                .order_by(Attendee.id))
    sites = select(Site).where(Site.ceremony_id == ceremony_id, Site.coordinator_email != "")
    if audience == "coordinators":
        return sites.where(Site.status != "declined").order_by(Site.id)
    if audience == "unconfirmed":
        return sites.where(Site.status == "pending").order_by(Site.id)
    raise ValueError(audience)


def left_out(audience: str, ceremony_id: int) -> dict[str, int]:
    """Who the audience leaves out, and why (for the history)."""
    if audience == "attendees":
        site_declined = Site.status == "declined"
        declined, site_out, no_address, not_invited = db.session.execute(
            select(func.count().filter(_not_coming, ~site_declined),
                   func.count().filter(site_declined),
                   func.count().filter(Attendee.email == "", ~_not_coming, ~site_declined),
                   func.count().filter(Attendee.email != "", Attendee.invited_sequence.is_(None),
                                       ~_not_coming, ~site_declined))
            .join(Site, Site.id == Attendee.site_id).where(Attendee.ceremony_id == ceremony_id)).one()
        return {"declined": declined, "site_declined": site_out, "no_address": no_address,
                "not_invited": not_invited}
    if audience in ("coordinators", "unconfirmed"):
        wanted = Site.status != "declined" if audience == "coordinators" else Site.status == "pending"
        declined, no_address = db.session.execute(
            select(func.count().filter(Site.status == "declined"),
                   func.count().filter(Site.coordinator_email == "", wanted))
            .where(Site.ceremony_id == ceremony_id)).one()
        return {"sites_declined": declined if audience == "coordinators" else 0, "no_address": no_address}
    return {}


def organizers(ceremony: Ceremony) -> list[User]:
    """The ceremony's active organizers; if none is left, the active admins."""
    listed = [user for user in access.organizers_of(ceremony.id) if user.active]
    if listed:
        return listed
    return db.session.scalars(select(User).where(User.role == "admin", User.active)
                              .order_by(User.id)).all()


def count(audience: str, ceremony: Ceremony) -> int:
    if audience == "organizers":
        return len(organizers(ceremony))
    query = recipients_query(audience, ceremony.id).order_by(None)
    return db.session.scalar(select(func.count()).select_from(query.subquery()))
