"""One JSON shape for every error under /api/, and its OpenAPI schema.

    {"error": {"status": 422, "code": "validation_failed", "message": "…",
               "fields": {"ends_at": ["…"]}}}

Messages written here are English (the API's language); a refused planning
change carries the planning operation's own message, in the request's language
(English unless Accept-Language prefers Vietnamese, see auth.py).
"""
from http import HTTPStatus

from flask import jsonify, request
from marshmallow import Schema, fields
from werkzeug.exceptions import HTTPException

from ..extensions import db
from ..planning.operations import PlanningError

PREFIX = "/api/"
CODES = {
    400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
    405: "method_not_allowed", 409: "conflict", 413: "payload_too_large",
    415: "unsupported_media_type", 422: "validation_failed", 429: "rate_limited",
    500: "internal_error",
}
MESSAGES = {
    400: "The request could not be read.",
    401: "A valid API token is needed: send 'Authorization: Bearer <token>'.",
    403: "This token may only read; create a read-write token to make changes.",
    404: "Not found.",
    405: "This method is not allowed here.",
    413: "The request body is too large.",
    415: "Send the body as application/json.",
    422: "Some fields are not valid.",
    429: "Too many requests with this token; wait and retry (see Retry-After).",
    500: "Something went wrong on our side; nothing was saved.",
}


class ErrorDetailSchema(Schema):
    status = fields.Integer(required=True, metadata={"description": "The HTTP status code."})
    code = fields.String(required=True, metadata={"description": "A stable machine-readable code.",
                                                  "example": "validation_failed"})
    message = fields.String(required=True)
    fields_ = fields.Dict(keys=fields.String(), values=fields.List(fields.String()), data_key="fields",
                          metadata={"description": "Problems by field name (validation errors)."})


class ErrorSchema(Schema):
    error = fields.Nested(ErrorDetailSchema, required=True)


def is_api_request() -> bool:
    return request.path.startswith(PREFIX)


def error_response(status: int, message: str | None = None, field_errors: dict | None = None,
                   headers=None):
    body = {"status": status, "code": CODES.get(status, HTTPStatus(status).name.lower()),
            "message": message or MESSAGES.get(status) or HTTPStatus(status).phrase}
    if field_errors:
        body["fields"] = field_errors
    response = jsonify({"error": body})
    response.status_code = status
    if headers:
        response.headers.update(headers)
    return response


def _flatten(messages, prefix="") -> dict[str, list[str]]:
    """webargs/marshmallow messages ({"json": {"field": [...]}}) as {"field": [...]}."""
    out: dict[str, list[str]] = {}
    if isinstance(messages, dict):
        for key, value in messages.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            for field, errors in _flatten(value, name).items():
                out.setdefault(field, []).extend(errors)
    elif isinstance(messages, list) and all(isinstance(m, str) for m in messages):
        out[prefix or "_body"] = list(messages)
    elif isinstance(messages, list):
        for index, value in enumerate(messages):
            out.update(_flatten(value, f"{prefix}.{index}"))
    else:
        out[prefix or "_body"] = [str(messages)]
    return out


def http_error(error: HTTPException):
    """Any HTTPException raised under /api/ (routing, webargs, abort, Flask-Limiter)."""
    status = error.code or 500
    headers = {}
    data = getattr(error, "data", None) or {}
    if status == 401:
        headers["WWW-Authenticate"] = 'Bearer realm="api"'
    if status == 405 and hasattr(error, "valid_methods") and error.valid_methods:
        headers["Allow"] = ", ".join(error.valid_methods)
    field_errors = None
    message = data.get("message") if isinstance(data, dict) else None
    if not message and status not in MESSAGES:
        message = error.description  # e.g. abort(409, "why")
    messages = data.get("messages") if isinstance(data, dict) else None
    if messages:
        # Locations (json, query, …) are dropped: field names are unique across them.
        field_errors = {}
        for location_messages in messages.values():
            field_errors.update(_flatten(location_messages))
        if status == 400:
            message = "The body is not valid JSON."
            field_errors = None
    return error_response(status, message, field_errors, headers)


def planning_error(error: PlanningError):
    """A change the planning operations refused: a bad value (422, with its field)
    or a state that does not allow it (409, e.g. editing a cancelled ceremony)."""
    db.session.rollback()
    if error.field:
        return error_response(422, str(error), {error.field: [str(error)]})
    return error_response(409, str(error))


def documented(blueprint, *statuses: int):
    """Document these error responses (the Error schema) on an operation."""
    def decorate(view):
        for status in statuses:
            view = blueprint.alt_response(status, schema=ErrorSchema,
                                          description=HTTPStatus(status).phrase)(view)
        return view
    return decorate
