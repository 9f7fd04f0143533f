"""Check-in codes and their QR codes.

A person's code is derived, not stored: an HMAC of their id and link key under
the app's secret, cut to 8 characters of Crockford's base32 (no I, L, O, U, so
nothing is misread when typed from paper). It cannot be worked out from the
id, it changes with their link (a new address), and the QR code holds only this
code, never a link: scanning someone's printed code opens nothing by itself.
A code is accepted only at the person's own site, on their coordinator's link.
"""
import hashlib
import hmac
import io
from functools import lru_cache

import segno
from flask import current_app

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
# What people type for the letters the alphabet leaves out.
READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1", "U": "V"})
CODE_LENGTH = 8


@lru_cache(maxsize=8)
def _key(secret: str) -> bytes:
    return hashlib.sha256(b"check-in code\x00" + secret.encode()).digest()


def checkin_code(attendee_id: int, link_key: str) -> str:
    """Like "7KQ2-M9XD": two groups of four, easy to read aloud."""
    digest = hmac.new(_key(current_app.config["SECRET_KEY"]),
                      f"{attendee_id}:{link_key}".encode(), hashlib.sha256).digest()
    number = int.from_bytes(digest[:5], "big")  # 40 bits = 8 base32 characters
    chars = "".join(ALPHABET[(number >> shift) & 31] for shift in range(35, -1, -5))
    return f"{chars[:4]}-{chars[4:]}"


def normalise_code(text: str) -> str:
    """What was typed or scanned, in the form `checkin_code` produces (or '' if it cannot be one)."""
    chars = "".join(c for c in text.upper().translate(READ_AS) if c.isalnum())
    if len(chars) != CODE_LENGTH or any(c not in ALPHABET for c in chars):
        return ""
    return f"{chars[:4]}-{chars[4:]}"


def qr_svg(code: str, *, scale: int = 6) -> bytes:
    qr = segno.make(code, error="m", micro=False)
    out = io.BytesIO()
    qr.save(out, kind="svg", scale=scale, border=2, xmldecl=False, svgclass="qr", lineclass=None)
    return out.getvalue()


def qr_svg_inline(code: str, *, scale: int = 4) -> str:
    """For HTML pages: markup without an XML declaration (it holds only our code's modules)."""
    # A viewBox instead of a fixed size: the stylesheet sizes it for screen and paper.
    return segno.make(code, error="m", micro=False).svg_inline(
        scale=scale, border=2, svgclass="qr", lineclass=None, omitsize=True)
