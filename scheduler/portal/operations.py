"""What a site coordinator changes from their link.

Like the planning operations these flush and never commit (the view commits
once), and emit a signal after each change webhooks or mail may care about.
"""
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from .. import signals
from ..extensions import db
from ..mail import fanout
from ..planning import conflicts
from ..planning.models import ATTENDANCES, Attendee, Ceremony, Site
from ..planning.names import name_key
from ..planning.operations import PlanningError
from ..planning.operations.attendees import add_attendee, normalise_values
from ..transfer import imports
from ..transfer.models import ImportJob

READINESS_FIELDS = ("room_ready", "endpoint_tested", "av_checked", "backup_contact",
                    "readiness_remark")
# Opening a page counts as activity, but at most one write per this long.
SEEN_RESOLUTION = timedelta(minutes=5)


def note_activity(site: Site, now: datetime) -> bool:
    """Record that the coordinator used the link; True when something was written."""
    if site.coordinator_seen_at is not None and now - site.coordinator_seen_at < SEEN_RESOLUTION:
        return False
    site.coordinator_seen_at = now
    db.session.flush()
    return True


def reply_for_site(site: Site, answer: str, now: datetime) -> None:
    """The coordinator confirms (or declines) that the site joins the ceremony."""
    if answer not in ("confirmed", "declined"):
        raise ValueError(answer)
    previous = site.status
    site.status = answer
    site.replied_at = now
    site.coordinator_seen_at = now
    db.session.flush()
    signals.site_replied.send(site, status=answer, previous=previous)


def save_readiness(site: Site, values: dict, now: datetime) -> None:
    for name in READINESS_FIELDS:
        setattr(site, name, values[name])
    site.coordinator_seen_at = now
    db.session.flush()


def confirm_person(site: Site, person: Attendee, confirmation: str, now: datetime) -> None:
    """The coordinator's word on one person. Their own answer (partstat) stays as they gave it."""
    if confirmation not in ("confirmed", "not_coming", "pending"):
        raise ValueError(confirmation)
    person.site_confirmation = confirmation
    person.site_confirmed_at = now
    site.coordinator_seen_at = now
    db.session.flush()


def _invite_if_scheduled(ceremony: Ceremony, person: Attendee, now: datetime) -> None:
    if ceremony.status == "scheduled" and person.email:
        fanout.request_job(ceremony.id, "invite", scope="attendee", scope_id=person.id, now=now)


def _refuse_duplicates(ceremony: Ceremony, site: Site, values: dict,
                       replaces: Attendee | None) -> None:
    """A second tap on "Save", or a person already listed, is refused field by field.

    Messages never name the other person: they may be at another site.
    """
    # Serialise the site's additions (PostgreSQL), so two taps sent at once
    # cannot both pass the checks below.
    db.session.execute(select(Site.id).where(Site.id == site.id).with_for_update())
    if replaces is not None:
        if replaces.substitute_for_id is not None:
            raise PlanningError(_("%(name)s is already a substitute. If they cannot come either, mark "
                                  "them not coming and propose a substitute for the person they "
                                  "replace.", name=replaces.full_name))
        if db.session.scalar(select(Attendee.id).where(
                Attendee.substitute_for_id == replaces.id,
                Attendee.site_confirmation != "not_coming").limit(1)) is not None:
            raise PlanningError(_("%(name)s already has a substitute. If the substitute cannot come, "
                                  "mark them not coming first.", name=replaces.full_name))
    reason = conflicts.listed_already(ceremony.id, email=values["email"],
                                      key=name_key(values["full_name"]), unit=values["unit"])
    if reason == "email":
        raise PlanningError(_("Someone in this ceremony already has this email address."), "email")
    if reason == "name":
        raise PlanningError(_("Someone with this name and unit is already on the ceremony's list."),
                            "full_name")


def add_person(ceremony: Ceremony, site: Site, values: dict, now: datetime, *,
               replaces: Attendee | None = None) -> Attendee:
    """Someone the coordinator adds: already confirmed, and invited if the ceremony is scheduled.

    With `replaces`, the new person is that person's substitute: the original is
    marked not coming (their own answer is kept) and the link is recorded. A
    person has one substitute at a time, and a substitute is not replaced in
    turn (their original is): chains would leave no one sure who comes.
    """
    # A substitute takes the original's place in the programme (leader, awardee…).
    values = {**values, "category": replaces.category if replaces is not None else "delegate"}
    values = normalise_values(values)
    _refuse_duplicates(ceremony, site, values, replaces)
    person = add_attendee(ceremony, site.id, values, now=now)
    person.site_confirmation = "confirmed"
    person.site_confirmed_at = now
    if replaces is not None:
        person.substitute_for_id = replaces.id
        replaces.site_confirmation = "not_coming"
        replaces.site_confirmed_at = now
    site.coordinator_seen_at = now
    db.session.flush()
    _invite_if_scheduled(ceremony, person, now)
    return person


def start_import(ceremony: Ceremony, site: Site, filename: str, data: bytes, *, skip_existing: bool,
                 now: datetime) -> ImportJob:
    """The coordinator's file, for their own site only: checked now (the preview) or by the background."""
    job = imports.start_import(ceremony, "attendees", filename, data, only_site_id=site.id,
                               skip_existing=skip_existing, now=now)
    site.coordinator_seen_at = now
    db.session.flush()
    return job


def write_import(site: Site, job: ImportJob, now: datetime) -> str:
    """The "Import" button: all or nothing (see transfer.imports.write_or_queue for the answers)."""
    outcome = imports.write_or_queue(job, now=now)  # a refusal rolls back, then keeps its report
    site.coordinator_seen_at = now
    db.session.flush()
    return outcome


def discard_import(site: Site, job: ImportJob, now: datetime) -> bool:
    discarded = imports.discard(job, now=now)
    site.coordinator_seen_at = now
    db.session.flush()
    return discarded


def on_attendees_imported(job: ImportJob, *, site_id: int | None, added: int, now: datetime, **_) -> None:
    """People a coordinator imports are treated like those they add one by one
    (add_person): confirmed by the site (written so by the import) and invited at
    once when the ceremony is scheduled. One invitation job for the site picks
    everyone there with an address and no invitation yet; an organizer's import
    (site_id None) waits for "Send invitations"."""
    if site_id is None or not added:
        return
    if db.session.get(Ceremony, job.ceremony_id).status == "scheduled":
        fanout.request_job(job.ceremony_id, "invite", scope="site", scope_id=site_id, now=now)


def connect() -> None:
    signals.connect([(signals.attendees_imported, on_attendees_imported)])


def check_in(site: Site, person: Attendee, attendance: str | None, now: datetime) -> None:
    """The coordinator's word on attendance; None undoes a check-in made by mistake."""
    if attendance is not None and attendance not in ATTENDANCES:
        raise ValueError(attendance)
    person.attendance = attendance
    person.attendance_at = now if attendance is not None else None
    site.coordinator_seen_at = now
    db.session.flush()
    signals.attendee_checked_in.send(person, attendance=attendance)


# A code checks people in on the ceremony's day only: from 12 hours before the
# start (early arrivals, a rehearsal the same morning) until 6 hours after the
# end (a list kept on paper, entered afterwards). A rehearsal on an earlier day
# is not attendance, and a code scanned next week is a mistake. The buttons in
# the list are not bound to this: they are how the coordinator corrects the record.
CODES_OPEN_BEFORE = timedelta(hours=12)
CODES_CLOSE_AFTER = timedelta(hours=6)


def code_window(ceremony: Ceremony) -> tuple[datetime, datetime]:
    return ceremony.starts_at - CODES_OPEN_BEFORE, ceremony.ends_at + CODES_CLOSE_AFTER


def arrival(ceremony: Ceremony, now: datetime) -> str:
    """A code scanned after the start means the person came late."""
    return "late" if now > ceremony.starts_at else "present"


def check_in_by_code(ceremony: Ceremony, site: Site, person: Attendee, now: datetime) -> bool:
    """A scanned code: True if it checked the person in. Scanning again never turns
    "present" into "late" (nor the reverse); someone marked absent who then
    arrives is checked in."""
    if person.attendance in ("present", "late"):
        return False
    check_in(site, person, arrival(ceremony, now), now)
    return True
