"""What the organizer's daily digest reports: sites not confirmed, messages that failed."""
from dataclasses import dataclass

from sqlalchemy import func, select

from ..extensions import db
from ..mail.models import Delivery
from ..planning.models import Site

LISTED = 30  # names in the mail; the rest are a count and a link


@dataclass
class DigestFacts:
    unconfirmed: int
    unconfirmed_sites: list[tuple[str, str]]  # (name, province)
    failed: int
    failed_recipients: list[tuple[str, str, str]]  # (name, address, server's answer)

    @property
    def worth_sending(self) -> bool:
        return bool(self.unconfirmed or self.failed)


def digest_facts(ceremony_id: int) -> DigestFacts:
    pending = select(Site).where(Site.ceremony_id == ceremony_id, Site.status == "pending")
    failed = select(Delivery).where(Delivery.ceremony_id == ceremony_id, Delivery.status == "failed")
    return DigestFacts(
        unconfirmed=db.session.scalar(select(func.count()).select_from(pending.subquery())),
        unconfirmed_sites=[(s.name, s.province) for s in db.session.scalars(
            pending.order_by(Site.province, Site.name).limit(LISTED))],
        failed=db.session.scalar(select(func.count()).select_from(failed.subquery())),
        failed_recipients=[(d.recipient_name, d.recipient_email, d.last_error) for d in db.session.scalars(
            failed.order_by(Delivery.id.desc()).limit(LISTED))],
    )
