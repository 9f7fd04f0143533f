"""Throttle guessing: the pages reached by signed links, and the sign-in form.

Limits are read from the settings at request time, so an operator (or a test)
changes them without touching code.
"""
from flask import Blueprint, Flask, current_app
from werkzeug.middleware.proxy_fix import ProxyFix

from .extensions import limiter


def _setting(name: str):
    return lambda: current_app.config[name]


def _refused(response) -> bool:
    # Unknown, tampered, revoked and expired links answer 404 or 410.
    return response.status_code in (404, 410)


def _failed_sign_in(response) -> bool:
    # A successful sign-in redirects; a refused one shows the form again.
    return response.status_code != 302


# Shared scopes: the attendee and coordinator links count together, so a guesser
# gains nothing by switching between them.
links = limiter.shared_limit(_setting("LINK_RATE_LIMIT"), scope="links")
bad_links = limiter.shared_limit(_setting("BAD_LINK_RATE_LIMIT"), scope="bad-links",
                                 deduct_when=_refused)
sign_in = limiter.limit(_setting("LOGIN_RATE_LIMIT"), methods=["POST"],
                        deduct_when=_failed_sign_in)


def limit_links(blueprint: Blueprint) -> Blueprint:
    links(blueprint)
    bad_links(blueprint)
    return blueprint


def init_app(app: Flask) -> None:
    proxies = int(app.config.get("TRUSTED_PROXIES") or 0)
    if proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)
    limiter.init_app(app)
