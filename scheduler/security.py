"""Response headers, redirect checks and secret hashing used across the app."""
import hashlib
from urllib.parse import urlsplit

from flask import Flask


def is_safe_redirect(target: str | None) -> bool:
    """Only same-site paths: never another host, never a scheme-relative URL."""
    if not target:
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc and target.startswith("/") and not target.startswith("//")


def hash_secret(secret: str) -> str:
    """SHA-256 of a random secret we issued (feed addresses, API tokens).

    A fast hash is right here, unlike for passwords: the secrets are long and
    random (at least 24 random bytes), so there is nothing to brute-force, and a
    fast hash lets every request look its secret up by an indexed column."""
    return hashlib.sha256(secret.encode()).hexdigest()


def init_app(app: Flask) -> None:
    @app.after_request
    def _headers(response):
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        # Scripts and styles come only from our own static files: an injected
        # <script> in a name would not run even if escaping ever failed.
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            "frame-ancestors 'none'; form-action 'self'",
        )
        return response
