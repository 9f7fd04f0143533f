"""/api/v1/ceremonies/{id}/sites: the host and bridge sites of a ceremony."""
import re

from flask_smorest import Blueprint
from marshmallow import fields, validate
from sqlalchemy import func, or_, select

from ..board.readiness import STATES, state_of
from ..clock import current_time
from ..extensions import db
from ..planning import forms as planning_forms
from ..planning.models import LANGUAGES, SITE_STATUSES, Site
from ..planning.operations import sites as ops
from .auth import child, current_ceremony, protect
from .errors import documented
from .pagination import PageQuery, paginate, paginated
from .schemas import Body, choice, email, form_check, patch_of, phone, text, timezone

blp = Blueprint("api_sites", __name__, url_prefix="/api/v1/ceremonies/<int:ceremony_id>/sites",
                description="Sites of a ceremony: exactly one host plus bridge sites.")
protect(blp)
WRITE_ERRORS = (400, 401, 403, 404, 413, 415, 429)


class SiteSchema(Body):
    id = fields.Integer(dump_only=True)
    ceremony_id = fields.Integer(dump_only=True)
    name = text(300, required=True)
    code = fields.String(required=True, validate=[
        validate.Length(min=1, max=32), validate.Regexp(re.compile(r"^[A-Za-z0-9_.-]+$"),
                                                        error="Letters, digits, dot, dash and underscore only.")],
        metadata={"description": "Unique within the ceremony (compared in upper case)."})
    is_host = fields.Boolean(load_default=False)
    province = text(200)
    address = text(500)
    room = text(200)
    timezone = timezone(blank_ok=True, allow_none=True, load_default=None,
                        metadata={"description": "None: the ceremony's time zone."})
    video_endpoint = text(500, extra=(form_check(planning_forms.valid_endpoint),))
    capacity = fields.Integer(strict=True, allow_none=True, load_default=None,
                              validate=validate.Range(min=0, max=100000))
    coordinator_name = text(200)
    coordinator_email = email()
    coordinator_phone = phone()
    coordinator_language = choice(LANGUAGES, load_default="vi")
    status = choice(SITE_STATUSES, load_default="pending",
                    metadata={"description": "The site's participation."})
    readiness = fields.Method("_readiness", dump_only=True,
                              metadata={"enum": list(STATES), "type": "string"})
    room_ready = fields.Boolean(dump_only=True)
    endpoint_tested = fields.Boolean(dump_only=True)
    av_checked = fields.Boolean(dump_only=True)
    backup_contact = fields.String(dump_only=True)
    readiness_remark = fields.String(dump_only=True)
    replied_at = fields.AwareDateTime(dump_only=True, allow_none=True)
    coordinator_seen_at = fields.AwareDateTime(dump_only=True, allow_none=True)
    created_at = fields.AwareDateTime(dump_only=True)

    def _readiness(self, site) -> str:
        return state_of(site)


class SiteQuery(PageQuery):
    status = choice(SITE_STATUSES)
    province = fields.String(validate=validate.Length(max=200))
    is_host = fields.Boolean()
    q = fields.String(validate=validate.Length(max=200),
                      metadata={"description": "In the name, code or province."})


def _contains(column, words: str):
    return func.lower(column).contains(words.lower(), autoescape=True)


@blp.get("")
@blp.arguments(SiteQuery, location="query", as_kwargs=False)
@paginated(blp, SiteSchema)
@documented(blp, 401, 404, 429)
def list_sites(args, ceremony_id):
    query = select(Site).where(Site.ceremony_id == ceremony_id)
    if args.get("status"):
        query = query.where(Site.status == args["status"])
    if args.get("province") is not None:
        query = query.where(Site.province == args["province"].strip())
    if args.get("is_host") is not None:
        query = query.where(Site.is_host == args["is_host"])
    if args.get("q", "").strip():
        words = args["q"].strip()
        query = query.where(or_(_contains(Site.name, words), _contains(Site.code, words),
                                _contains(Site.province, words)))
    return paginate(query.order_by(Site.id), args)


@blp.post("")
@blp.arguments(SiteSchema)
@blp.response(201, SiteSchema)
@documented(blp, *WRITE_ERRORS)
def create_site(data, ceremony_id):
    site = ops.add_site(current_ceremony(), data, now=current_time())
    db.session.commit()
    return site


@blp.get("/<int:site_id>")
@blp.response(200, SiteSchema)
@documented(blp, 401, 404, 429)
def get_site(ceremony_id, site_id):
    return child(Site, site_id)


@blp.patch("/<int:site_id>")
@blp.arguments(patch_of(SiteSchema))
@blp.response(200, SiteSchema)
@documented(blp, *WRITE_ERRORS, 409)
def update_site(data, ceremony_id, site_id):
    site = child(Site, site_id)
    values = {k: getattr(site, k) for k in ops.SITE_FIELDS}
    values.update(data)
    ops.update_site(current_ceremony(), site, values)
    db.session.commit()
    return site


@blp.delete("/<int:site_id>")
@blp.response(204)
@documented(blp, 401, 403, 404, 409, 429)
def delete_site(ceremony_id, site_id):
    """409 for the host site or a site with attendees (move or remove them first)."""
    ops.delete_site(current_ceremony(), child(Site, site_id))
    db.session.commit()
