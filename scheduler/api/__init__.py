"""The JSON API at /api/v1, documented at /api/v1/openapi.json (flask-smorest).

Routes live one module per resource; tokens.py and token_views.py are the
tokens and their page in the browser; auth.py, errors.py, pagination.py and
schemas.py are shared by every resource.
"""
from flask import Flask
from werkzeug.routing import IntegerConverter

from ..extensions import api
from .errors import ErrorSchema

PREFIX = "/api/v1"


def register(app: Flask) -> None:
    from . import attendees, ceremonies, programme, readiness, sites, token_views

    app.config.setdefault("API_TITLE", "ceremony-scheduler")
    app.config.setdefault("API_VERSION", "v1")
    app.config.setdefault("OPENAPI_VERSION", "3.0.3")
    app.config.setdefault("OPENAPI_URL_PREFIX", PREFIX)
    app.config.setdefault("OPENAPI_JSON_PATH", "openapi.json")
    app.config.setdefault("API_SPEC_OPTIONS", {
        "info": {"description": "Plan ceremonies, sites, attendees, programme and commendations. "
                                "Authenticate with `Authorization: Bearer <token>` (API tokens page). "
                                "Errors share one shape: the Error schema."},
        "servers": [{"url": "/"}],
        "security": [{"bearerAuth": []}],
        "components": {"securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}}},
    })
    api.ERROR_SCHEMA = ErrorSchema
    api.init_app(app)
    # Ids in paths are 32-bit, like the columns behind them (scheduler/__init__.py).
    api.register_converter(app.url_map.converters["int"], _row_id_param)
    for module in (ceremonies, sites, attendees, programme, readiness):
        api.register_blueprint(module.blp)
    app.register_blueprint(token_views.bp)


def _row_id_param(converter: IntegerConverter) -> dict:
    return {"type": "integer", "minimum": 1, "maximum": 2**31 - 1}
