"""Readiness board benchmark: server time of the board on the national case, against
the time its own SQL takes when replayed straight through the database driver.

    python bench/board.py [--sites 3356] [--per-site 15] [--repeat 7] [--database-url postgresql://…]

Setup: real migrations, the generator's national ceremony (3,356 sites, 50,340
people), then a realistic spread of answers set with plain UPDATEs (seeded): sites
ready / confirmed / declined / pending, people accepted / declined / checked in.
App phase: a signed-in test client GETs each board view `--repeat` times; the median
wall time per view is reported, with the number of SQL statements it ran.
Floor: the very statements each view ran (captured with their parameters), replayed
on a raw DBAPI connection: what the database alone needs. Ratio = app / floor, the
cost of the ORM, Jinja and Flask on top. (bench/replayed.py has the phases.)
"""
import sys

import replayed
from common import make_app

VIEWS = {
    "default (by readiness)": "",
    "page 30": "?page=30",
    "pending in one province": "?state=pending&province=Ngh%E1%BB%87%20An",
    "search by name": "?q=ph%C6%B0%E1%BB%9Dng",
    "sorted by last activity": "?sort=activity",
}


def signed_in(app):
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    response = client.post("/login", data={"email": "bench@example.vn", "password": "bench-password-1",
                                           "csrf_token": token})
    assert response.status_code == 302, response.status_code
    return client


def phase_app(args) -> None:
    client = signed_in(make_app(args.url, args.instance, RATELIMIT_ENABLED=False))
    replayed.phase_app(args, client, VIEWS, lambda query: f"/ceremonies/{args.ceremony}/board{query}",
                       lambda response: b'id="board-sites"' in response.data)


def main() -> None:
    args = replayed.arguments(__doc__)
    if args.phase:
        {"setup": replayed.phase_setup, "app": phase_app, "floor": replayed.phase_floor}[args.phase](args)
        return
    replayed.run(__file__, args, "Board", "view")


if __name__ == "__main__":
    sys.exit(main())
