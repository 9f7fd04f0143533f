"""/api/v1/ceremonies: list, create, read, change, schedule, cancel, complete.

There is no DELETE: the pages do not delete ceremonies either (cancel instead).
"""
from flask_smorest import Blueprint
from marshmallow import fields, validate
from sqlalchemy import func, select

from ..clock import current_time
from ..config import DEFAULT_TIMEZONE
from ..extensions import db
from ..planning import access
from ..planning.models import CEREMONY_KINDS, CEREMONY_STATUSES, Ceremony
from ..planning.names import normalise_text
from ..planning.operations import ceremonies as ops
from .auth import current_ceremony, current_user, protect
from .errors import documented
from .pagination import PageQuery, paginate, paginated
from .schemas import Body, Moment, choice, patch_of, text, timezone

blp = Blueprint("api_ceremonies", __name__, url_prefix="/api/v1/ceremonies",
                description="Ceremonies the token's account may see (admins: all).")
protect(blp)
READ_ERRORS = (401, 429)
WRITE_ERRORS = (400, 401, 403, 413, 415, 429)


class CeremonySchema(Body):
    id = fields.Integer(dump_only=True)
    uid = fields.String(dump_only=True, metadata={"description": "The iCalendar UID."})
    status = fields.String(dump_only=True, metadata={"enum": list(CEREMONY_STATUSES)})
    sequence = fields.Integer(dump_only=True, metadata={"description": "The iCalendar SEQUENCE."})
    title = text(300, required=True)
    kind = choice(CEREMONY_KINDS, load_default="commemoration")
    description = text(20000)
    timezone = timezone(load_default=DEFAULT_TIMEZONE)
    starts_at = Moment(required=True)
    ends_at = Moment(required=True)
    rehearsal_at = Moment(allow_none=True, load_default=None,
                          metadata={"description": "The technical rehearsal, before the start."})
    chair = text(300)
    organizing_unit = text(300)
    join_details = text(5000)
    created_at = fields.AwareDateTime(dump_only=True)
    updated_at = fields.AwareDateTime(dump_only=True)


class CeremonyQuery(PageQuery):
    status = choice(CEREMONY_STATUSES)
    from_ = Moment(data_key="from", metadata={"description": "Starting at or after."})
    to = Moment(metadata={"description": "Starting before."})
    q = fields.String(validate=validate.Length(max=200), metadata={"description": "Words in the title."})


def _values(data: dict) -> dict:
    data = dict(data)
    data["title"] = normalise_text(data["title"])  # one line: it becomes a mail Subject
    return {k: data[k] for k in ops.CEREMONY_FIELDS}


@blp.get("")
@blp.arguments(CeremonyQuery, location="query", as_kwargs=False)
@paginated(blp, CeremonySchema)
@documented(blp, *READ_ERRORS)
def list_ceremonies(args):
    query = select(Ceremony).where(access.visible_ceremonies(current_user()))
    if args.get("status"):
        query = query.where(Ceremony.status == args["status"])
    if args.get("from_"):
        query = query.where(Ceremony.starts_at >= args["from_"])
    if args.get("to"):
        query = query.where(Ceremony.starts_at < args["to"])
    if args.get("q", "").strip():
        query = query.where(func.lower(Ceremony.title).contains(args["q"].strip().lower(), autoescape=True))
    return paginate(query.order_by(Ceremony.starts_at, Ceremony.id), args)


@blp.post("")
@blp.arguments(CeremonySchema)
@blp.response(201, CeremonySchema)
@documented(blp, *WRITE_ERRORS)
def create_ceremony(data):
    ceremony = ops.create_ceremony(_values(data), created_by_id=current_user().id, now=current_time())
    db.session.commit()
    return ceremony


@blp.get("/<int:ceremony_id>")
@blp.response(200, CeremonySchema)
@documented(blp, 401, 404, 429)
def get_ceremony(ceremony_id):
    return current_ceremony()


@blp.patch("/<int:ceremony_id>")
@blp.arguments(patch_of(CeremonySchema))
@blp.response(200, CeremonySchema)
@documented(blp, *WRITE_ERRORS, 404, 409)
def update_ceremony(data, ceremony_id):
    ceremony = current_ceremony()
    values = {k: getattr(ceremony, k) for k in ops.CEREMONY_FIELDS}
    values.update(data)
    ops.update_ceremony(ceremony, _values(values), now=current_time())
    db.session.commit()
    return ceremony


def _transition(operation):
    ceremony = current_ceremony()
    operation(ceremony, now=current_time())
    db.session.commit()
    return ceremony


@blp.post("/<int:ceremony_id>/schedule")
@blp.response(200, CeremonySchema)
@documented(blp, 401, 403, 404, 409, 415, 429)
def schedule(ceremony_id):
    """Draft → scheduled (needs a host site); 409 otherwise."""
    return _transition(ops.schedule)


@blp.post("/<int:ceremony_id>/cancel")
@blp.response(200, CeremonySchema)
@documented(blp, 401, 403, 404, 409, 415, 429)
def cancel(ceremony_id):
    """Cancel: everyone invited gets a cancellation; 409 if already cancelled or completed."""
    return _transition(ops.cancel)


@blp.post("/<int:ceremony_id>/complete")
@blp.response(200, CeremonySchema)
@documented(blp, 401, 403, 404, 409, 415, 429)
def complete(ceremony_id):
    """Scheduled → completed, once started; 409 otherwise."""
    return _transition(ops.mark_completed)
