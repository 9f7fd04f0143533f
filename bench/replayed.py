"""Read benchmarks against their own SQL (bench/board.py, bench/api.py): the national
ceremony with a seeded spread of answers; the app phase times each view and captures
the statements it ran with their parameters; the floor replays those very statements
on a raw DBAPI connection (what the database alone needs). Ratio = app / floor, the
cost of the ORM, the rendering and Flask on top. Each phase runs in its own process
(see bench/common.py), so peak RSS is its own.
"""
import argparse
import json
import statistics
import time
from pathlib import Path

from common import code_version, emit, make_app, national_setup, peak_rss_kib, run_phase, scratch_database


def phase_setup(args) -> None:
    """The national ceremony with a seeded spread of answers, planned by bench@example.vn."""
    import random
    from datetime import UTC, datetime, timedelta

    from sqlalchemy import select, update

    app = make_app(args.url, args.instance)
    from scheduler.extensions import db
    from scheduler.planning.models import Attendee, Site

    ceremony_id, _ = national_setup(app, args, role="organizer", seed=7, starts_in=timedelta(days=7))
    now = datetime.now(UTC)
    with app.app_context():
        rng = random.Random(7)
        site_ids = db.session.scalars(select(Site.id).where(Site.ceremony_id == ceremony_id)).all()
        for site_id in site_ids:
            roll = rng.random()
            if roll < 0.45:  # ready
                values = dict(status="confirmed", room_ready=True, endpoint_tested=True, av_checked=True,
                              backup_contact="Đại úy Dự Phòng 0912 000 000")
            elif roll < 0.75:
                values = dict(status="confirmed", room_ready=True, endpoint_tested=rng.random() < .5)
            elif roll < 0.78:
                values = dict(status="declined")
            else:
                values = dict(status="pending")
            if values["status"] != "pending":
                values.update(replied_at=now, coordinator_seen_at=now - timedelta(minutes=rng.randrange(9000)))
            db.session.execute(update(Site).where(Site.id == site_id).values(**values))
        people = db.session.scalars(select(Attendee.id).where(Attendee.ceremony_id == ceremony_id)).all()
        for person_id in people:
            roll = rng.random()
            values = {"invited_sequence": 0}
            if roll < 0.6:
                values["partstat"] = "ACCEPTED"
            elif roll < 0.7:
                values["partstat"] = "DECLINED"
            if rng.random() < 0.1:
                values["attendance"] = "present"
            db.session.execute(update(Attendee).where(Attendee.id == person_id).values(**values))
        db.session.commit()
    emit({"ceremony_id": ceremony_id, "sites": len(site_ids), "people": len(people)})



def phase_app(args, client, views: dict, path_of, check) -> None:
    """GET each view's path `--repeat` times (after a warm-up and a pass that captures
    its SQL with the parameters); the median time, statement count and size."""
    from sqlalchemy import event

    from scheduler.extensions import db

    with client.application.app_context():
        engine = db.engine
    results, captured = {}, {}
    for name, query in views.items():
        path = path_of(query)
        client.get(path)  # warm: templates compiled, statements cached
        statements = []
        listener = lambda conn, cursor, sql, params, context, many: statements.append((sql, params))
        event.listen(engine, "before_cursor_execute", listener)
        client.get(path)
        event.remove(engine, "before_cursor_execute", listener)
        times = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            response = client.get(path)
            times.append(time.perf_counter() - started)
            assert response.status_code == 200 and check(response), (path, response.status_code)
        results[name] = {"seconds": statistics.median(times), "queries": len(statements),
                         "bytes": len(response.data)}
        captured[name] = statements
    Path(args.instance, "statements.json").write_text(json.dumps(
        {name: [(sql, list(params) if isinstance(params, (list, tuple)) else params)
                for sql, params in statements] for name, statements in captured.items()},
        default=str))
    emit({"views": results, "peak_rss_kib": peak_rss_kib()})


def phase_floor(args) -> None:
    """The same statements on a raw DBAPI connection, no ORM, no template."""
    statements = json.loads(Path(args.instance, "statements.json").read_text())
    if args.url.startswith("sqlite"):
        import sqlite3
        connection = sqlite3.connect(args.url.split("///", 1)[1])
    else:
        import psycopg
        connection = psycopg.connect(args.url.replace("postgresql+psycopg", "postgresql"))
    results = {}
    for name, batch in statements.items():
        times = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            cursor = connection.cursor()
            for sql, params in batch:
                cursor.execute(sql, params if isinstance(params, (list, dict)) else tuple(params))
                cursor.fetchall()
            connection.rollback()
            times.append(time.perf_counter() - started)
        results[name] = statistics.median(times)
    emit({"views": results, "peak_rss_kib": peak_rss_kib()})


def arguments(description: str):
    parser = argparse.ArgumentParser(description=description,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--phase")
    parser.add_argument("--url")
    parser.add_argument("--instance")
    parser.add_argument("--ceremony", type=int)
    parser.add_argument("--sites", type=int, default=3356)
    parser.add_argument("--per-site", type=int, default=15)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--database-url", help="a PostgreSQL server URL (a throwaway database is made there)")
    return parser.parse_args()


def run(script: str, args, title: str, column: str) -> None:
    """Setup, app and floor phases in their own processes, then the table."""
    with scratch_database(args.database_url, Path(script).stem) as (instance, url):
        args.url, args.instance = url, instance
        # The app side reads with psycopg 3 through SQLAlchemy; the URL says which driver.
        if url.startswith("postgresql://"):
            args.url = "postgresql+psycopg://" + url[len("postgresql://"):]
        extra = ["--sites", str(args.sites), "--per-site", str(args.per_site), "--repeat", str(args.repeat)]
        setup = run_phase(script, "setup", args, *extra)
        extra += ["--ceremony", str(setup["ceremony_id"])]
        app = run_phase(script, "app", args, *extra)
        floor = run_phase(script, "floor", args, *extra)
    database = "PostgreSQL" if args.database_url else "SQLite"
    print(f"{title}, {setup['sites']:,} sites and {setup['people']:,} people on {database} "
          f"({code_version()}), median of {args.repeat}:")
    print(f"{column:<30}{'app ms':>9}{'floor ms':>10}{'ratio':>7}{'queries':>9}{'KB':>7}")
    for name, row in app["views"].items():
        floor_ms = floor["views"][name] * 1000
        print(f"{name:<30}{row['seconds'] * 1000:>9.1f}{floor_ms:>10.1f}"
              f"{row['seconds'] * 1000 / floor_ms:>7.2f}{row['queries']:>9}{row['bytes'] // 1024:>7}")
    print(f"peak RSS of the app phase: {app['peak_rss_kib'] / 1024:.0f} MB")
