"""What the organizer sees of the invitations: counts, progress, problems (bounded queries)."""
from sqlalchemy import case, func, select

from ..extensions import db
from ..planning.models import Attendee
from .models import Delivery, FanoutJob


def progress(ceremony_id: int) -> dict:
    people = db.session.execute(
        select(func.count(), func.count(Attendee.invited_sequence),
               func.sum(case((Attendee.email == "", 1), else_=0)))
        .where(Attendee.ceremony_id == ceremony_id)).one()
    by_status = dict(db.session.execute(
        select(Delivery.status, func.count())
        .where(Delivery.ceremony_id == ceremony_id, Delivery.method.is_not(None))  # invitations only
        .group_by(Delivery.status)).all())
    by_partstat = dict(db.session.execute(
        select(Attendee.partstat, func.count()).where(Attendee.ceremony_id == ceremony_id)
        .group_by(Attendee.partstat)).all())
    jobs_waiting = db.session.scalar(
        select(func.count()).select_from(FanoutJob)
        .where(FanoutJob.ceremony_id == ceremony_id, FanoutJob.status.in_(("queued", "running"))))
    live = sum(by_status.get(s, 0) for s in ("pending", "sending", "sent", "failed"))
    done = by_status.get("sent", 0) + by_status.get("failed", 0)
    return {
        "attendees": people[0], "invited": people[1], "without_email": int(people[2] or 0),
        "pending": by_status.get("pending", 0) + by_status.get("sending", 0),
        "sent": by_status.get("sent", 0), "failed": by_status.get("failed", 0),
        "superseded": by_status.get("superseded", 0), "jobs_waiting": jobs_waiting,
        "total": live, "done": done, "busy": bool(jobs_waiting or live - done),
        "answers": {k: by_partstat.get(k, 0) for k in ("ACCEPTED", "TENTATIVE", "DECLINED", "NEEDS-ACTION")},
    }


def recent_jobs(ceremony_id: int, limit: int = 10) -> list[FanoutJob]:
    return db.session.scalars(select(FanoutJob).where(FanoutJob.ceremony_id == ceremony_id)
                              .order_by(FanoutJob.id.desc()).limit(limit)).all()


def problem_deliveries(ceremony_id: int):
    """Failed messages, and those waiting for a retry, with the server's answer."""
    return (select(Delivery).where(Delivery.ceremony_id == ceremony_id, Delivery.last_error != "",
                                   Delivery.status.in_(("failed", "pending")))
            .order_by(Delivery.status, Delivery.id.desc()))


def deliveries(ceremony_id: int, wanted: str = ""):
    query = select(Delivery).where(Delivery.ceremony_id == ceremony_id)
    if wanted:
        query = query.where(Delivery.status == wanted)
    return query.order_by(Delivery.id.desc())


def latest_by_attendee(attendee_ids: list[int]) -> dict[int, Delivery]:
    """The newest message of each attendee on a page (one query)."""
    if not attendee_ids:
        return {}
    newest = (select(func.max(Delivery.id)).where(Delivery.attendee_id.in_(attendee_ids),
                                                   Delivery.method.is_not(None),
                                                   Delivery.status != "superseded")
              .group_by(Delivery.attendee_id))
    rows = db.session.scalars(select(Delivery).where(Delivery.id.in_(newest))).all()
    return {row.attendee_id: row for row in rows}
