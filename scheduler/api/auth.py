"""Who is calling: a bearer token, nothing else.

No cookie is read (a signed-in browser's session does not authenticate API
calls), which is why the API needs no CSRF token. The token acts as its
account and nothing more: ceremonies the account may not see are a 404, like
a missing id (planning/access.py).
"""
import json

from flask import abort, current_app, g, request
from webargs import core
from webargs.flaskparser import FlaskParser, is_json_request

from ..clock import current_time
from ..extensions import csrf, db, limiter
from ..planning import access
from ..planning.models import Ceremony
from . import tokens
from .errors import planning_error
from ..planning.operations import PlanningError

READ_METHODS = ("GET", "HEAD", "OPTIONS")


def bearer_token() -> str | None:
    scheme, _, value = request.headers.get("Authorization", "").partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


def _found():
    """The caller's token and account, looked up once per request (the rate limits
    ask before _authenticate does)."""
    if "api_found" not in g:
        text = bearer_token()
        g.api_found = tokens.authenticate(text, now=current_time()) if text else None
    return g.api_found


def _known_token() -> bool:
    return _found() is not None


def _rate_key() -> str:
    # Per token (hashed: keys may live in a shared store), so every client has its
    # own budget; anything else shares its address's budget, so made-up tokens do
    # not each get a fresh one.
    found = _found()
    return "token:" + found[0].token_hash[:32] if found else "addr:" + (request.remote_addr or "")


def _authenticate():
    found = _found()
    if found is None:
        abort(401)
    token, user, touched = found
    if touched:
        db.session.commit()
    g.api_token, g.api_user = token, user
    # Field messages of refused changes: English, unless the client prefers Vietnamese.
    g.api_lang = request.accept_languages.best_match(("en", "vi"), default="en")
    if request.method not in READ_METHODS and not token.may_write:
        abort(403)
    if request.method in ("POST", "PATCH", "PUT") and _has_body() and not request.is_json:
        abort(415)
    ceremony_id = (request.view_args or {}).get("ceremony_id")
    if ceremony_id is not None:
        # Out of scope looks exactly like missing.
        g.api_ceremony = access.visible_ceremony(user, ceremony_id) or abort(404)


def _has_body() -> bool:
    return bool(request.content_length) or "chunked" in request.headers.get("Transfer-Encoding", "")


def current_user():
    return g.api_user


def current_ceremony() -> Ceremony:
    return g.api_ceremony


def child(model, row_id: int):
    """A row of the current ceremony; another ceremony's id is a 404, not a leak."""
    row = db.session.get(model, row_id)
    if row is None or row.ceremony_id != g.api_ceremony.id:
        abort(404)
    return row


class _Parser(FlaskParser):
    """webargs' parser, but JSON nested too deep for Python's decoder (a RecursionError,
    which webargs does not catch) is unreadable JSON, a 400 like any other."""

    def _raw_load_json(self, req):
        if not is_json_request(req):
            return core.missing
        try:
            return core.parse_json(req.get_data(cache=True))
        except RecursionError:
            raise json.JSONDecodeError("nested too deep", "[", 0) from None


_parser = _Parser()


def protect(blueprint) -> None:
    """Every route of `blueprint`: token required, rate-limited per token, no CSRF,
    refused planning changes as 409/422."""
    blueprint.ARGUMENTS_PARSER = _parser  # before its routes are declared
    csrf.exempt(blueprint)
    _limit(blueprint)
    _guessing(blueprint)
    blueprint.before_request(_authenticate)
    blueprint.register_error_handler(PlanningError, planning_error)


_limit = limiter.shared_limit(lambda: current_app.config["API_RATE_LIMIT"], scope="api",
                              key_func=_rate_key)
# Missing, made-up, revoked or expired tokens, per address: slows a guesser (or a
# client stuck on a dead token) without touching good tokens behind the same address.
_guessing = limiter.shared_limit(lambda: current_app.config["API_BAD_TOKEN_RATE_LIMIT"],
                                 scope="api-bad-tokens", exempt_when=_known_token,
                                 key_func=lambda: request.remote_addr or "")
