"""Signed attendee links.

The link carries the attendee's id and their random link key, signed with the
app's secret: it cannot be guessed or edited, and it stops working when the key
changes (a new address, a removal, or the id being reused after a deletion).
"""
from functools import lru_cache

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

ATTENDEE_SALT = "attendee-link"
# The attendee page's address; built here because workers have no request to url_for from.
ATTENDEE_PATH = "/r/{token}"


def _serializer() -> URLSafeSerializer:
    return _serializer_for(current_app.config["SECRET_KEY"])


@lru_cache(maxsize=4)
def _serializer_for(secret_key: str) -> URLSafeSerializer:
    # Built once per key: a fan-out signs 50,000 links.
    return URLSafeSerializer(secret_key, salt=ATTENDEE_SALT)


def attendee_token(attendee_id: int, link_key: str) -> str:
    return _serializer().dumps({"a": attendee_id, "k": link_key})


def read_attendee_token(token: str) -> tuple[int, str] | None:
    """(attendee id, link key) from a valid signature; None for anything else."""
    try:
        data = _serializer().loads(token)
    except BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    attendee_id, key = data.get("a"), data.get("k")
    if not isinstance(attendee_id, int) or not isinstance(key, str):
        return None
    return attendee_id, key


def attendee_link(base_url: str, attendee_id: int, link_key: str) -> str:
    return base_url.rstrip("/") + ATTENDEE_PATH.format(token=attendee_token(attendee_id, link_key))
