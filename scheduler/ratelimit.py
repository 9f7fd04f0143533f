"""Throttle guessing: the pages reached by signed links, and the sign-in form.

Limits are read from the settings at request time, so an operator (or a test)
changes them without touching code.

Why the link limits are keyed as they are: a whole office (a provincial HQ, a
ministry) often reaches us from one shared address, and a few hundred people
open their invitations in the same minutes. Links are HMAC-signed, so guessing
one is hopeless; the limits only need to slow a guesser down, never the office.
So:

- the general limit counts per link (per token), not per address: it stops one
  link being hammered, and many people behind one address never share a count;
- the guessing limit counts, per address, only tokens whose signature is not
  ours (tampered or forged). A link with a valid signature was issued by us, so
  a replaced, expired or cancelled link, or a stale person id under a good
  link, is an old email, not a guess: it never counts, and a good link is never
  refused because someone at the same address was guessing.
"""
from collections.abc import Callable

from flask import Blueprint, Flask, current_app, request
from werkzeug.middleware.proxy_fix import ProxyFix

from .extensions import limiter

# Blueprint name -> the function reading its tokens (None for a bad signature).
_token_readers: dict[str, Callable[[str], object]] = {}


def _setting(name: str):
    return lambda: current_app.config[name]


def _link_token() -> str:
    return (request.view_args or {}).get("token", "")


def _signed_by_us() -> bool:
    read = _token_readers.get(request.blueprint or "")
    return read is not None and read(_link_token()) is not None


def _failed_sign_in(response) -> bool:
    # A successful sign-in redirects; a refused one shows the form again.
    return response.status_code != 302


# Shared scopes: the attendee and coordinator links count together, so a guesser
# gains nothing by switching between them.
links = limiter.shared_limit(_setting("LINK_RATE_LIMIT"), scope="links", key_func=_link_token)
forged_links = limiter.shared_limit(_setting("BAD_LINK_RATE_LIMIT"), scope="bad-links",
                                    exempt_when=_signed_by_us)
sign_in = limiter.limit(_setting("LOGIN_RATE_LIMIT"), methods=["POST"],
                        deduct_when=_failed_sign_in)


def limit_links(blueprint: Blueprint, read_token: Callable[[str], object]) -> Blueprint:
    """Limit a blueprint whose routes all take a <token> that `read_token` checks."""
    _token_readers[blueprint.name] = read_token
    links(blueprint)
    forged_links(blueprint)
    return blueprint


def init_app(app: Flask) -> None:
    proxies = int(app.config.get("TRUSTED_PROXIES") or 0)
    if proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)
    limiter.init_app(app)
