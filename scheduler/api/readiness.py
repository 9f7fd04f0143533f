"""/api/v1/ceremonies/{id}: readiness (the board's numbers), RSVP totals, invitations."""
from flask import abort, url_for
from flask_smorest import Blueprint
from marshmallow import Schema, fields
from sqlalchemy import func, select

from ..board import queries as board
from ..board.readiness import STATES
from ..clock import current_time
from ..extensions import db
from ..mail import fanout, status
from ..mail.models import FanoutJob
from ..planning.models import ATTENDANCES, PARTSTATS, SITE_CONFIRMATIONS, Attendee
from .auth import child, current_ceremony, current_user, protect
from .errors import documented

blp = Blueprint("api_readiness", __name__, url_prefix="/api/v1/ceremonies/<int:ceremony_id>",
                description="Readiness, answers and invitations of a ceremony.")
protect(blp)


def _count_schema(name: str, keys):
    """Counts under fixed keys, as a named schema so the document lists every key."""
    return Schema.from_dict({k: fields.Integer(required=True) for k in keys}, name=name)


COUNT_SCHEMAS = {
    "sites": _count_schema("SiteStateCounts", STATES),
    "people": _count_schema("PeopleCounts", board.COUNTS),
    "partstat": _count_schema("PartstatCounts", PARTSTATS),
    "site_confirmation": _count_schema("SiteConfirmationCounts", SITE_CONFIRMATIONS),
    "attendance": _count_schema("AttendanceCounts", (*ATTENDANCES, "none")),
}


def _counts(kind: str, description: str):
    return fields.Nested(COUNT_SCHEMAS[kind], required=True, metadata={"description": description})


class ProvinceSchema(Schema):
    province = fields.String(required=True, metadata={"description": "Empty: sites without one."})
    sites = _counts("sites", "Sites by readiness state.")


class ReadinessSchema(Schema):
    sites = _counts("sites", "ready: confirmed with the whole checklist; confirmed: checklist not "
                            "done; pending: no answer; declined.")
    people = _counts("people", "As on the readiness board: a coordinator's 'not coming' counts "
                                   "as declined, their 'confirmed' as accepted.")
    provinces = fields.List(fields.Nested(ProvinceSchema), required=True)


class RsvpSchema(Schema):
    attendees = fields.Integer(required=True)
    partstat = _counts("partstat", "Attendees by their own answer.")
    site_confirmation = _counts("site_confirmation", "Attendees by their coordinator's word.")
    attendance = _counts("attendance", "Attendees by check-in; none: not recorded.")


class JobSchema(Schema):
    id = fields.Integer(required=True)
    action = fields.String(required=True)
    status = fields.String(required=True, metadata={"enum": ["queued", "running", "done", "failed"]})
    total = fields.Integer(required=True, metadata={"description": "People the job looked at."})
    queued = fields.Integer(required=True, metadata={"description": "Messages it put in the outbox."})
    error = fields.String(required=True)
    created_at = fields.AwareDateTime(required=True)
    finished_at = fields.AwareDateTime(required=True, allow_none=True)


@blp.get("/readiness")
@blp.response(200, ReadinessSchema)
@documented(blp, 401, 404, 429)
def readiness(ceremony_id):
    """The readiness board's totals and its per-province counts (board/queries.py)."""
    totals = board.totals(ceremony_id)
    return {"sites": totals.sites, "people": totals.people,
            "provinces": [{"province": p, "sites": {s: counts.get(s, 0) for s in STATES}}
                          for p, counts in board.by_province(ceremony_id)]}


@blp.get("/rsvp")
@blp.response(200, RsvpSchema)
@documented(blp, 401, 404, 429)
def rsvp(ceremony_id):
    """Answer totals; each attendee's answer is on /attendees (filter by partstat …)."""
    def by(column):
        return dict(db.session.execute(select(column, func.count()).where(
            Attendee.ceremony_id == ceremony_id).group_by(column)).all())
    partstat, confirmation, attendance = (by(Attendee.partstat), by(Attendee.site_confirmation),
                                          by(Attendee.attendance))
    attendance["none"] = attendance.pop(None, 0)
    return {"attendees": sum(partstat.values()),
            "partstat": {k: partstat.get(k, 0) for k in PARTSTATS},
            "site_confirmation": {k: confirmation.get(k, 0) for k in SITE_CONFIRMATIONS},
            "attendance": {k: attendance.get(k, 0) for k in (*ATTENDANCES, "none")}}


@blp.post("/invitations")
@blp.response(202, JobSchema, headers={"Location": {"schema": {"type": "string"},
                                                    "description": "The job's status."}})
@documented(blp, 401, 403, 404, 409, 415, 429)
def send_invitations(ceremony_id):
    """Invite everyone with an address not invited yet, as "Send invitations" does:
    a background job; follow it at the Location. 409 unless the ceremony is scheduled."""
    ceremony = current_ceremony()
    if ceremony.status != "scheduled":
        abort(409, "Schedule the ceremony before sending invitations.")
    job = fanout.request_job(ceremony.id, "invite", now=current_time(), created_by_id=current_user().id)
    db.session.commit()
    return job, 202, {"Location": url_for(".invitation_job", ceremony_id=ceremony.id, job_id=job.id)}


@blp.get("/invitations/jobs/<int:job_id>")
@blp.response(200, JobSchema)
@documented(blp, 401, 404, 429)
def invitation_job(ceremony_id, job_id):
    return child(FanoutJob, job_id)


class ProgressSchema(Schema):
    attendees = fields.Integer(required=True)
    invited = fields.Integer(required=True)
    without_email = fields.Integer(required=True)
    pending = fields.Integer(required=True)
    sent = fields.Integer(required=True)
    failed = fields.Integer(required=True)
    jobs_waiting = fields.Integer(required=True)
    busy = fields.Boolean(required=True)


@blp.get("/invitations")
@blp.response(200, ProgressSchema)
@documented(blp, 401, 404, 429)
def invitation_progress(ceremony_id):
    """The invitations page's counters (mail/status.py)."""
    return status.progress(ceremony_id)
