"""/api/v1/ceremonies/{id}/programme and /commendations: the content of the ceremony."""
from flask_smorest import Blueprint
from marshmallow import fields, validate
from sqlalchemy import select

from ..extensions import db
from ..planning.models import RECIPIENT_KINDS, Commendation, ProgrammeItem
from ..planning.operations import programme as ops
from .auth import child, current_ceremony, protect
from .errors import documented
from .pagination import PageQuery, paginate, paginated
from .schemas import Body, choice, patch_of, row_id, text

blp = Blueprint("api_programme", __name__, url_prefix="/api/v1/ceremonies/<int:ceremony_id>",
                description="Run of show (programme items) and commendations.")
protect(blp)
WRITE_ERRORS = (400, 401, 403, 404, 413, 415, 429)
DAY = 24 * 60


class ProgrammeItemSchema(Body):
    id = fields.Integer(dump_only=True)
    ceremony_id = fields.Integer(dump_only=True)
    start_offset_minutes = fields.Integer(strict=True, required=True, validate=validate.Range(0, DAY),
                                          metadata={"description": "Minutes after the opening."})
    duration_minutes = fields.Integer(strict=True, required=True, validate=validate.Range(1, DAY))
    title = text(300, required=True)
    presenter = text(300)
    origin_site_id = row_id(allow_none=True, load_default=None, metadata={
        "description": "The site the video switches to; null: the host."})
    notes = text(5000, metadata={"description": "For the control room."})


class CommendationSchema(Body):
    id = fields.Integer(dump_only=True)
    ceremony_id = fields.Integer(dump_only=True)
    recipient_kind = choice(RECIPIENT_KINDS, load_default="individual")
    recipient_name = text(300, required=True)
    recipient_detail = text(300, metadata={"description": "Rank, position, unit."})
    award = text(200, metadata={"description": "The distinction, e.g. Bằng khen."})
    authority = text(300, required=True, metadata={"description": "The granting authority."})
    citation = text(5000)
    site_id = row_id(allow_none=True, load_default=None,
                     metadata={"description": "Where it is received; null: not set."})


def _crud(model, schema, path: str, fields_: tuple[str, ...], save, order_by):
    """The five routes of a list of rows saved through one planning operation."""
    name = path.strip("/")

    @blp.get(path, endpoint=f"list_{name}")
    @blp.arguments(PageQuery, location="query", as_kwargs=False)
    @paginated(blp, schema)
    @documented(blp, 401, 404, 429)
    def list_rows(args, ceremony_id):
        return paginate(select(model).where(model.ceremony_id == ceremony_id).order_by(*order_by), args)

    @blp.post(path, endpoint=f"create_{name}")
    @blp.arguments(schema)
    @blp.response(201, schema)
    @documented(blp, *WRITE_ERRORS)
    def create_row(data, ceremony_id):
        row = save(current_ceremony(), None, data)
        db.session.commit()
        return row

    @blp.get(f"{path}/<int:item_id>", endpoint=f"get_{name}")
    @blp.response(200, schema)
    @documented(blp, 401, 404, 429)
    def get_row(ceremony_id, item_id):
        return child(model, item_id)

    @blp.patch(f"{path}/<int:item_id>", endpoint=f"update_{name}")
    @blp.arguments(patch_of(schema))
    @blp.response(200, schema)
    @documented(blp, *WRITE_ERRORS)
    def update_row(data, ceremony_id, item_id):
        row = child(model, item_id)
        values = {k: getattr(row, k) for k in fields_}
        values.update(data)
        save(current_ceremony(), row, values)
        db.session.commit()
        return row

    @blp.delete(f"{path}/<int:item_id>", endpoint=f"delete_{name}")
    @blp.response(204)
    @documented(blp, 401, 403, 404, 429)
    def delete_row(ceremony_id, item_id):
        ops.delete_row(child(model, item_id))
        db.session.commit()


_crud(ProgrammeItem, ProgrammeItemSchema, "/programme", ops.ITEM_FIELDS, ops.save_item,
      (ProgrammeItem.start_offset_minutes, ProgrammeItem.id))
_crud(Commendation, CommendationSchema, "/commendations", ops.COMMENDATION_FIELDS,
      ops.save_commendation, (Commendation.authority, Commendation.recipient_kind, Commendation.id))
