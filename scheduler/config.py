"""Defaults; `create_app` overlays instance/config.py, then the environment."""
import os
import secrets
from pathlib import Path

DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"
LANGUAGES = ("vi", "en")


class Defaults:
    SQLALCHEMY_DATABASE_URI = None  # filled in from the instance folder
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    BABEL_DEFAULT_LOCALE = "vi"
    BABEL_DEFAULT_TIMEZONE = DEFAULT_TIMEZONE
    WTF_CSRF_TIME_LIMIT = None  # token lives as long as the session
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    # Uploads (reply files, later imports) larger than this are refused with a 413.
    MAX_CONTENT_LENGTH = 20 * 1024 * 1024
    CLOCK = None  # tests inject a callable returning an aware datetime
    # Links in emails and feeds start with this; set it to the public address.
    PUBLIC_URL = "http://127.0.0.1:5000"
    # "file" drops .eml files into MAIL_FILE_DIR (default instance/outbox); "smtp" sends.
    MAIL_TRANSPORT = "file"
    MAIL_FILE_DIR = None
    MAIL_SMTP_HOST = "localhost"
    MAIL_SMTP_PORT = 25
    MAIL_SMTP_SECURITY = "none"  # none | starttls | ssl
    MAIL_SMTP_USERNAME = ""
    MAIL_SMTP_PASSWORD = ""
    MAIL_SMTP_TIMEOUT = 30
    MAIL_SMTP_CA_FILE = ""  # PEM file of a private CA that signed the server's certificate
    # ORGANIZER of every invitation and the From address: calendar clients send
    # their replies here, and a mail gateway posts them to /itip/reply.
    MAIL_ORGANIZER_EMAIL = "ban-to-chuc@ceremony-scheduler.example"
    MAIL_ORGANIZER_NAME = "Ban Tổ chức"
    # Bearer token the mail gateway presents to /itip/reply; unset = endpoint off.
    ITIP_GATEWAY_TOKEN = None
    # Rate limits (Flask-Limiter). memory:// counts per worker process; several
    # workers or hosts share counts through e.g. redis://redis.internal:6379/0.
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_HEADERS_ENABLED = True
    # Link pages (/r/…, /s/…). LINK_RATE_LIMIT counts per link, not per address:
    # a whole office behind one address opens its invitations in the same minutes.
    # BAD_LINK_RATE_LIMIT counts per address only tokens whose signature is not
    # ours (forged or tampered), never replaced or expired links from old emails.
    # See scheduler/ratelimit.py for the reasoning.
    LINK_RATE_LIMIT = "300 per minute"
    BAD_LINK_RATE_LIMIT = "20 per minute"
    # Sign-in attempts that fail, per client address.
    LOGIN_RATE_LIMIT = "10 per minute"
    # JSON API calls, counted per token (scheduler/api/auth.py).
    API_RATE_LIMIT = "600 per minute"
    # API calls without a live token (missing, made up, revoked, expired), per address.
    API_BAD_TOKEN_RATE_LIMIT = "60 per minute"
    # Reverse proxies in front of the app whose X-Forwarded-For/-Proto to trust (0: none).
    TRUSTED_PROXIES = 0
    # Video-conference provider (scheduler/integrations/conference): "none" (no
    # meetings made: the Quick start needs nothing), "jitsi" or "rest".
    CONFERENCE_PROVIDER = "none"
    # Read only when CONFERENCE_PROVIDER = "jitsi": the public server works out of
    # the box; a ministry would point this at its own Jitsi deployment.
    JITSI_BASE_URL = "https://meet.jit.si"
    CONFERENCE_REST_URL = ""  # e.g. https://vc.example/api/v1 (the README has the contract)
    # Secret: set SCHEDULER_CONFERENCE_REST_TOKEN in the environment, never in the repository.
    CONFERENCE_REST_TOKEN = ""
    CONFERENCE_TIMEOUT = (5, 30)  # (connect, read) seconds of every provider call
    # Quick retries inside one call (idempotent methods, connect errors, 502/503/504);
    # anything longer is the background pass's backoff, which holds no worker.
    CONFERENCE_HTTP_RETRIES = 2
    CONFERENCE_HTTP_BACKOFF = 0.5
    # Webhooks (scheduler/integrations/webhooks). Host names, IPs or CIDRs an admin
    # allows although the SSRF rules refuse them (loopback, link-local, this machine…).
    WEBHOOK_ALLOWED_HOSTS: list = []
    WEBHOOK_TIMEOUT = (3.05, 10)  # seconds: (connect, read)
    WEBHOOK_RETRY_FOR = 3 * 24 * 3600  # seconds a delivery is retried before it counts as failed
    # An endpoint failing without a success for this many seconds, and at least this
    # many times in a row, is paused and its owner told by email.
    WEBHOOK_PAUSE_AFTER = 3 * 24 * 3600
    WEBHOOK_PAUSE_AFTER_FAILURES = 5


def normalise_database_url(url: str) -> str:
    """Let operators write the usual postgresql:// URL; we drive it with psycopg 3."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def load_secret_key(instance_path: str) -> str:
    """Read instance/secret_key, creating it once with a random key.

    Production sets SECRET_KEY in the environment (several hosts must share it);
    this file keeps a single-machine setup working across restarts without a
    secret in the repository.
    """
    path = Path(instance_path) / "secret_key"
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        pass
    key = secrets.token_urlsafe(48)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another worker won the race
        return path.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key
