"""/api/v1/ceremonies/{id}/attendees: people, their site, and their answers.

Each attendee carries their RSVP state (partstat, comment, replied_at), the
coordinator's word (site_confirmation) and the check-in (attendance); the list
filters on all three. Counts over the whole ceremony are at /rsvp (readiness.py).
A PATCH with another site_id is a move (same record, a site-history line, an
update to that person only), as on the attendee's page.
"""
from flask_smorest import Blueprint
from marshmallow import fields, validate
from sqlalchemy import func, or_, select

from ..clock import current_time
from ..extensions import db
from ..planning.models import (ATTENDANCES, ATTENDEE_CATEGORIES, LANGUAGES, PARTSTATS,
                               SITE_CONFIRMATIONS, Attendee)
from ..planning.names import name_key
from ..planning.operations import attendees as ops
from .auth import child, current_ceremony, current_user, protect
from .errors import documented
from .pagination import PageQuery, paginate, paginated
from .schemas import Body, choice, email, patch_of, phone, row_id, text

blp = Blueprint("api_attendees", __name__,
                url_prefix="/api/v1/ceremonies/<int:ceremony_id>/attendees",
                description="Attendees, each at one site of the ceremony, with their answers.")
protect(blp)
WRITE_ERRORS = (400, 401, 403, 404, 413, 415, 429)


class AttendeeSchema(Body):
    id = fields.Integer(dump_only=True)
    ceremony_id = fields.Integer(dump_only=True)
    site_id = row_id(required=True, metadata={"description": "A site of this ceremony."})
    full_name = text(200, required=True)
    rank = text(100)
    position = text(300)
    unit = text(300)
    email = email()
    phone = phone()
    language = choice(LANGUAGES, load_default="vi", metadata={"description": "Of their emails."})
    category = choice(ATTENDEE_CATEGORIES, load_default="delegate")
    partstat = fields.String(dump_only=True, metadata={"enum": list(PARTSTATS),
                                                       "description": "Their own answer (RFC 5545)."})
    rsvp_comment = fields.String(dump_only=True)
    replied_at = fields.AwareDateTime(dump_only=True, allow_none=True)
    site_confirmation = fields.String(dump_only=True, metadata={
        "enum": list(SITE_CONFIRMATIONS), "description": "What their site's coordinator says."})
    site_confirmed_at = fields.AwareDateTime(dump_only=True, allow_none=True)
    attendance = fields.String(dump_only=True, allow_none=True,
                               metadata={"enum": [*ATTENDANCES, None]})
    attendance_at = fields.AwareDateTime(dump_only=True, allow_none=True)
    invited = fields.Method("_invited", dump_only=True, metadata={"type": "boolean"})
    substitute_for_id = fields.Integer(dump_only=True, allow_none=True)
    created_at = fields.AwareDateTime(dump_only=True)
    updated_at = fields.AwareDateTime(dump_only=True)

    def _invited(self, person) -> bool:
        return person.invited_sequence is not None


class AttendeeQuery(PageQuery):
    site_id = row_id(strict=False)
    partstat = choice(PARTSTATS)
    category = choice(ATTENDEE_CATEGORIES)
    site_confirmation = choice(SITE_CONFIRMATIONS)
    attendance = choice(ATTENDANCES)
    q = fields.String(validate=validate.Length(max=200),
                      metadata={"description": "In the name, unit or email."})


@blp.get("")
@blp.arguments(AttendeeQuery, location="query", as_kwargs=False)
@paginated(blp, AttendeeSchema)
@documented(blp, 401, 404, 429)
def list_attendees(args, ceremony_id):
    query = select(Attendee).where(Attendee.ceremony_id == ceremony_id)
    for name in ("site_id", "partstat", "category", "site_confirmation", "attendance"):
        if args.get(name) is not None:
            query = query.where(getattr(Attendee, name) == args[name])
    words = args.get("q", "").strip()
    if words:
        query = query.where(or_(Attendee.name_key.contains(name_key(words), autoescape=True),
                                func.lower(Attendee.unit).contains(words.lower(), autoescape=True),
                                Attendee.email.contains(words.lower(), autoescape=True)))
    # By id: stable pages, and the primary key orders 50,000 people without a sort.
    return paginate(query.order_by(Attendee.id), args)


@blp.post("")
@blp.arguments(AttendeeSchema)
@blp.response(201, AttendeeSchema)
@documented(blp, *WRITE_ERRORS)
def create_attendee(data, ceremony_id):
    site_id = data.pop("site_id")
    person = ops.add_attendee(current_ceremony(), site_id, data, now=current_time())
    db.session.commit()
    return person


@blp.get("/<int:attendee_id>")
@blp.response(200, AttendeeSchema)
@documented(blp, 401, 404, 429)
def get_attendee(ceremony_id, attendee_id):
    return child(Attendee, attendee_id)


@blp.patch("/<int:attendee_id>")
@blp.arguments(patch_of(AttendeeSchema))
@blp.response(200, AttendeeSchema)
@documented(blp, *WRITE_ERRORS)
def update_attendee(data, ceremony_id, attendee_id):
    person = child(Attendee, attendee_id)
    values = {k: getattr(person, k) for k in ops.ATTENDEE_FIELDS}
    values.update(data)
    site_id = values.pop("site_id", person.site_id)
    ops.update_attendee(current_ceremony(), person, site_id, values,
                        moved_by_id=current_user().id, now=current_time())
    db.session.commit()
    return person


@blp.delete("/<int:attendee_id>")
@blp.response(204)
@documented(blp, 401, 403, 404, 429)
def delete_attendee(ceremony_id, attendee_id):
    """Removes the person; if they were invited, their calendar gets a cancellation."""
    ops.remove_attendee(child(Attendee, attendee_id))
    db.session.commit()
