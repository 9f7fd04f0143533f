"""One page shape for every list: {"items", "page", "per_page", "total"} plus an
RFC 8288 Link header (next, prev). Two queries per page whatever the size: the
count and the rows."""
from flask import request, url_for
from marshmallow import Schema, fields, validate

from ..extensions import db
from .schemas import Query

DEFAULT_PER_PAGE, MAX_PER_PAGE = 50, 200


class PageQuery(Query):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1),
                          metadata={"description": "1 for the first page; past the last: no items."})
    per_page = fields.Integer(load_default=DEFAULT_PER_PAGE,
                              validate=validate.Range(min=1, max=MAX_PER_PAGE))


_envelopes: dict[type, type] = {}


def page_of(item_schema: type) -> type:
    """The envelope schema for a list of `item_schema` (one class per item type,
    so the OpenAPI document names it, e.g. SitePage)."""
    if item_schema not in _envelopes:
        name = item_schema.__name__.removesuffix("Schema") + "PageSchema"
        _envelopes[item_schema] = type(name, (Schema,), {
            "items": fields.List(fields.Nested(item_schema), required=True),
            "page": fields.Integer(required=True),
            "per_page": fields.Integer(required=True),
            "total": fields.Integer(required=True),
        })
    return _envelopes[item_schema]


def paginate(query, args: dict):
    """(envelope, headers) for a SELECT already ordered by a unique key."""
    page = db.paginate(query, page=args["page"], per_page=args["per_page"],
                       max_per_page=MAX_PER_PAGE, error_out=False, count=True)
    links = []
    params = {**request.view_args, **request.args.to_dict(), "per_page": page.per_page}
    if page.has_next:
        links.append(f'<{url_for(request.endpoint, **{**params, "page": page.page + 1})}>; rel="next"')
    if page.page > 1:
        # A page past the end points back to the last real page.
        prev = min(page.page - 1, max(page.pages, 1))
        links.append(f'<{url_for(request.endpoint, **{**params, "page": prev})}>; rel="prev"')
    envelope = {"items": page.items, "page": page.page, "per_page": page.per_page, "total": page.total}
    return envelope, ({"Link": ", ".join(links)} if links else {})


def paginated(blueprint, item_schema: type, description: str = ""):
    """Document the envelope as the 200 answer and the Link header."""
    return blueprint.response(200, page_of(item_schema), description=description or None,
                              headers={"Link": {"description": "RFC 8288 next / prev pages",
                                                "schema": {"type": "string"}}})
