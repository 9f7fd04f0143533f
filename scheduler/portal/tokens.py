"""Signed links: one per attendee, one per site (its coordinator's).

A link carries the row's id and its random link key, signed with the app's
secret: it cannot be guessed or edited, and it stops working when the key
changes (a new address, a re-issued coordinator link, or the id being reused
after a deletion).
"""
from functools import lru_cache

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

# Different salts: an attendee's token is never a valid site token, nor the reverse.
ATTENDEE_SALT = "attendee-link"
SITE_SALT = "site-link"
# The pages' addresses; built here because workers have no request to url_for from.
ATTENDEE_PATH = "/r/{token}"
SITE_PATH = "/s/{token}"


def _serializer(salt: str = ATTENDEE_SALT) -> URLSafeSerializer:
    return _serializer_for(current_app.config["SECRET_KEY"], salt)


@lru_cache(maxsize=8)
def _serializer_for(secret_key: str, salt: str) -> URLSafeSerializer:
    # Built once per key: a fan-out signs 50,000 links.
    return URLSafeSerializer(secret_key, salt=salt)


def _read(token: str, salt: str) -> tuple[int, str] | None:
    try:
        data = _serializer(salt).loads(token)
    except BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    row_id, key = data.get("a"), data.get("k")
    if not isinstance(row_id, int) or not isinstance(key, str):
        return None
    return row_id, key


def attendee_token(attendee_id: int, link_key: str) -> str:
    return _serializer().dumps({"a": attendee_id, "k": link_key})


def read_attendee_token(token: str) -> tuple[int, str] | None:
    """(attendee id, link key) from a valid signature; None for anything else."""
    return _read(token, ATTENDEE_SALT)


def site_token(site_id: int, link_key: str) -> str:
    return _serializer(SITE_SALT).dumps({"a": site_id, "k": link_key})


def read_site_token(token: str) -> tuple[int, str] | None:
    """(site id, link key) from a valid signature; None for anything else."""
    return _read(token, SITE_SALT)


def site_link(base_url: str, site_id: int, link_key: str) -> str:
    return base_url.rstrip("/") + SITE_PATH.format(token=site_token(site_id, link_key))


def attendee_link(base_url: str, attendee_id: int, link_key: str) -> str:
    return base_url.rstrip("/") + ATTENDEE_PATH.format(token=attendee_token(attendee_id, link_key))
