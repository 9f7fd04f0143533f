"""JSON API benchmark: server time of the API's reads on the national case, against
the time their own SQL takes when replayed straight through the database driver.

    python bench/api.py [--sites 3356] [--per-site 15] [--repeat 7] [--database-url postgresql://…]

Setup: as bench/board.py (the national ceremony, 3,356 sites and 50,340 people, with a
seeded spread of answers), planned by an organizer who holds a read-only API token.
App phase: a test client sends each call `--repeat` times with that token; the median
wall time per call is reported, with the number of SQL statements it ran and the size
of the JSON. Floor: the very statements each call ran, replayed on a raw DBAPI
connection. Ratio = app / floor, the cost of the ORM, marshmallow and Flask on top.
(bench/replayed.py has the phases.)
"""
import sys
from datetime import UTC, datetime

import replayed
from common import make_app

CALLS = {
    "attendees, 200 a page": "/attendees?per_page=200",
    "attendees, page 200": "/attendees?per_page=200&page=200",
    "attendees who accepted": "/attendees?partstat=ACCEPTED&per_page=200",
    "attendees, name search": "/attendees?q=ph%C6%B0%E1%BB%9Dng&per_page=200",
    "sites, 200 a page": "/sites?per_page=200",
    "readiness": "/readiness",
    "rsvp totals": "/rsvp",
}


def phase_app(args) -> None:
    from sqlalchemy import select

    from scheduler.api import tokens
    from scheduler.auth.models import User
    from scheduler.extensions import db

    app = make_app(args.url, args.instance, RATELIMIT_ENABLED=False)
    with app.app_context():
        user_id = db.session.scalar(select(User.id).where(User.email == "bench@example.vn"))
        _, text = tokens.issue(user_id, name="bench", scope="read", expires_at=None, now=datetime.now(UTC))
        db.session.commit()
    client = app.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {text}"
    replayed.phase_app(args, client, CALLS, lambda query: f"/api/v1/ceremonies/{args.ceremony}{query}",
                       lambda response: response.is_json)


def main() -> None:
    args = replayed.arguments(__doc__)
    if args.phase:
        {"setup": replayed.phase_setup, "app": phase_app, "floor": replayed.phase_floor}[args.phase](args)
        return
    replayed.run(__file__, args, "JSON API", "call")


if __name__ == "__main__":
    sys.exit(main())
