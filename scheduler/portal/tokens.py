"""Signed attendee links: the id travels signed with the app's secret, so a link
reaches only its own record and cannot be guessed or edited."""
from functools import lru_cache

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

ATTENDEE_SALT = "attendee-link"


def _serializer() -> URLSafeSerializer:
    return _serializer_for(current_app.config["SECRET_KEY"])


@lru_cache(maxsize=4)
def _serializer_for(secret_key: str) -> URLSafeSerializer:
    # Built once per key: a fan-out signs 50,000 links.
    return URLSafeSerializer(secret_key, salt=ATTENDEE_SALT)


def attendee_token(attendee_id: int) -> str:
    return _serializer().dumps({"a": attendee_id})


def attendee_id_from(token: str) -> int | None:
    try:
        data = _serializer().loads(token)
    except BadSignature:
        return None
    value = data.get("a") if isinstance(data, dict) else None
    return value if isinstance(value, int) else None


# The attendee page's address; built here because workers have no request to url_for from.
ATTENDEE_PATH = "/r/{token}"


def attendee_link(base_url: str, attendee_id: int) -> str:
    return base_url.rstrip("/") + ATTENDEE_PATH.format(token=attendee_token(attendee_id))
