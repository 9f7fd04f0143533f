"""Tokens and calls for the API tests."""
from scheduler.api import tokens
from scheduler.extensions import db


def make_token(app, clock, user, scope="read-write", expires_at=None):
    with app.app_context():
        _, text = tokens.issue(user.id, name="test", scope=scope, expires_at=expires_at, now=clock())
        db.session.commit()
        return text


class ApiClient:
    """A client without any cookie, sending a bearer token."""

    def __init__(self, app, token):
        self.client = app.test_client(use_cookies=False)
        self.headers = {"Authorization": f"Bearer {token}"}

    def __getattr__(self, method):
        def call(path, **kwargs):
            headers = {**self.headers, **kwargs.pop("headers", {})}
            return getattr(self.client, method)(path, headers=headers, **kwargs)
        return call
