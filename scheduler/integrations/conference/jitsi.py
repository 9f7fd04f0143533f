"""Jitsi Meet has no API: a meeting is a room name nobody can guess on a base URL.

A room exists only while someone is in it, so there is nothing to create,
update or delete remotely; the unguessable name is the whole access control.
"""
import base64
import hashlib
import hmac
import secrets

from .base import Meeting, MeetingPlan


class JitsiProvider:
    name = "jitsi"

    def __init__(self, base_url: str):
        self.base_url = base_url.rstrip("/")

    def room_url(self, room: str) -> str:
        return f"{self.base_url}/{room}"

    def create(self, plan: MeetingPlan, *, idempotency_key: str) -> Meeting:
        room = secrets.token_urlsafe(18)  # 144 random bits; nothing of the title or ids
        return Meeting(external_id=room, join_url=self.room_url(room))

    def update(self, external_id: str, plan: MeetingPlan, *, idempotency_key: str) -> Meeting:
        return self.get(external_id)  # the room name does not depend on time or title

    def get(self, external_id: str) -> Meeting:
        return Meeting(external_id=external_id, join_url=self.room_url(external_id))

    def delete(self, external_id: str, *, idempotency_key: str) -> None:
        return None  # an empty room does not exist; a cancelled ceremony's name is just unused

    def close(self) -> None:
        return None

    def test_room_url(self, room_secret: str, site_id: int) -> str:
        """The site's own rehearsal room: an HMAC of the site under the meeting's random
        secret, so 3,356 sites need no rows (imported sites included), each room is
        unguessable without the secret, and no site can find another's."""
        digest = hmac.new(room_secret.encode(), f"rehearsal:{site_id}".encode(), hashlib.sha256).digest()
        return self.room_url("test-" + base64.urlsafe_b64encode(digest[:18]).decode())
