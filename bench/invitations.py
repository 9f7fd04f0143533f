"""Invitation benchmark: invitations per second end to end, and peak RSS, against a floor.

    python bench/invitations.py [--sites 3356] [--per-site 15] [--database-url postgresql://…]

App phase: record an "invite" FanoutJob, then time scheduler.background.jobs.run_due
(fan-out into outbox rows + building and delivering every message over SMTP).
Floor: plain smtplib replaying real app-built messages over one connection.
Both talk to the same aiosmtpd sink (bench/smtp_sink.py) in its own process.

Every phase runs in its own subprocess, and this orchestrator never imports the
app: on Linux a child's ru_maxrss starts from the parent's RSS at spawn time, so
a fat parent would pollute the child's peak. See bench/README.md.
"""
import argparse
import os
import sys
import time
from urllib.parse import urlsplit

# bench/ is on sys.path when this file runs as a script
import common
from common import (code_version, emit, national_arguments, peak_rss_kib, print_profile, profiled,
                    rss_now_kib, sanity_verdict)
from smtp_sink import SinkProcess

GOAL_RATIO, GOAL_RSS_MB = 2.0, 300


def make_app(args, port: int = 0):
    return common.make_app(args.url, args.instance, port)


# Phases: each runs as `invitations.py --phase NAME` in a fresh process.

def phase_setup(args) -> None:
    """Schema by the real migrations, then the generator's national ceremony (status scheduled)."""
    from datetime import UTC, datetime, timedelta
    app = make_app(args)
    import flask_migrate
    from sqlalchemy import func, select
    from scheduler.devdata.generator import generate_ceremony
    from scheduler.extensions import db
    from scheduler.planning.models import Attendee
    with app.app_context():
        flask_migrate.upgrade()
        now = datetime.now(UTC)
        started = time.perf_counter()
        cid = generate_ceremony(db.session, sites=args.sites, attendees_per_site=args.per_site,
                                starts_at=now + timedelta(days=30), now=now)
        db.session.commit()
        expected = db.session.scalar(select(func.count()).select_from(Attendee).where(
            Attendee.ceremony_id == cid, Attendee.email != ""))
        emit({"ceremony_id": cid, "expected": expected,
              "seconds": time.perf_counter() - started})


def phase_app(args) -> None:
    """What the app does for "Send invitations", timed from the job onwards."""
    app = make_app(args, args.port)
    from sqlalchemy import func, select
    from scheduler.background.jobs import run_due
    from scheduler.clock import current_time
    from scheduler.extensions import db
    from scheduler.mail import fanout
    from scheduler.mail.models import Delivery
    with app.app_context():  # what the view does: record the job, commit, return
        fanout.request_job(args.ceremony_id, "invite", now=current_time())
        db.session.commit()
        db.session.remove()
    sending = common.time_smtp_send()  # seconds inside SMTPTransport.send (what the floor does)
    rss_before = rss_now_kib()
    with profiled(args.profile):
        started = time.perf_counter()
        outcome = run_due(app)
        seconds = time.perf_counter() - started
    with app.app_context():
        by_status = dict(db.session.execute(
            select(Delivery.status, func.count()).group_by(Delivery.status)).all())
    emit({"seconds": seconds, "send_seconds": sending[0], "run_due": outcome, "outbox": by_status,
          "rss_before_kib": rss_before, "peak_rss_kib": peak_rss_kib()})


def phase_floor(args) -> None:
    """Plain smtplib, one connection, the app's own messages replayed: the best a sender can do."""
    emit(common.replay(args.sample, args.floor_count, args.port))


# Orchestrator: never imports the app or a database driver (see the module docstring).

def run_phase(name: str, args, *extra: str) -> dict:
    return common.run_phase(__file__, name, args, *extra)


def orchestrate(args) -> int:
    # A throwaway database (PostgreSQL if --database-url, else SQLite), dropped at the end.
    with common.scratch_database(args.database_url, "invitations") as (args.instance, args.url):
        sink = SinkProcess()  # one sink, same options, for both phases
        try:
            setup = run_phase("setup", args, "--sites", str(args.sites), "--per-site", str(args.per_site))
            expected = setup["expected"]
            print(f"{time.strftime('%Y-%m-%d %H:%M')}; {code_version()}; {os.cpu_count()} cores;"
                  f" load average {os.getloadavg()[0]:.2f}")
            print(f"database: {urlsplit(args.url).scheme}; sites {args.sites} x {args.per_site}"
                  f" = {expected} attendees with email (generated in {setup['seconds']:.1f} s)", flush=True)

            app = run_phase("app", args, "--port", str(sink.port), "--ceremony-id",
                            str(setup["ceremony_id"]), *(["--profile", args.profile] if args.profile else []))
            app_sink = sink.ask("stats")
            sample_path = os.path.join(args.instance, "sample.pickle")
            sink.ask(f"sample {sample_path}")  # the first real messages the app sent

            sink.ask("reset")
            count = args.floor_count or app_sink["messages"]
            floor = run_phase("floor", args, "--port", str(sink.port), "--sample", sample_path,
                              "--floor-count", str(count))
            floor_sink = sink.ask("stats")
        finally:
            sink.stop()

    # Rates count what the sink accepted, not what the sender believes it sent.
    app_rate, floor_rate = (app_sink["messages"] / app["seconds"],
                            floor_sink["messages"] / floor["seconds"])
    mb = lambda kib: f"{kib / 1024:.0f} MB" if kib else ""
    row = "{:<6} {:>9} {:>11} {:>8} {:>8} {:>9} {:>10} {:>9}".format
    print("\n" + row("phase", "sink msgs", "unique rcpt", "seconds", "msgs/s", "avg bytes",
                     "RSS before", "peak RSS"))
    for name, ran, got, rate in (("app", app, app_sink, app_rate), ("floor", floor, floor_sink, floor_rate)):
        print(row(name, got["messages"], got["unique_recipients"], f"{ran['seconds']:.1f}", f"{rate:.0f}",
                  f"{got['bytes'] / got['messages']:.0f}", mb(ran.get("rss_before_kib")),
                  mb(ran["peak_rss_kib"])))
    ratio, peak_mb = floor_rate / app_rate, app["peak_rss_kib"] / 1024
    print(f"\nfloor/app = {ratio:.2f}x (goal <= {GOAL_RATIO:g}x: {'met' if ratio <= GOAL_RATIO else 'NOT met'});"
          f" app peak RSS {peak_mb:.0f} MB (goal < {GOAL_RSS_MB} MB: "
          f"{'met' if peak_mb < GOAL_RSS_MB else 'NOT met'})")
    per_msg = lambda secs, got: f"{1000 * secs / got['messages']:.2f} ms"
    print(f"per message: app {per_msg(app['seconds'], app_sink)}, time inside SMTPTransport.send"
          f" {per_msg(app['send_seconds'], app_sink)}; floor {per_msg(floor['seconds'], floor_sink)}")
    print(f"load average after: {os.getloadavg()[0]:.2f}; run_due: {app['run_due']};"
          f" outbox rows by status: {app['outbox']}")

    # Sanity: every attendee exactly once, and nothing left undelivered in the outbox.
    checks = [(app_sink["messages"] == app_sink["unique_recipients"] == expected,
               f"app: sink got {app_sink['messages']} messages for {app_sink['unique_recipients']}"
               f" recipients, expected {expected}"),
              (app_sink["max_per_recipient"] <= 1, f"a recipient got {app_sink['max_per_recipient']}"),
              (app["outbox"] == {"sent": expected}, f"outbox {app['outbox']}, expected {expected} sent"),
              (floor_sink["messages"] == count, f"floor: sink got {floor_sink['messages']} of {count}")]
    if args.profile:
        print_profile(args.profile, "app phase")
    return sanity_verdict(checks)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    national_arguments(parser, profiled_phase="app phase")
    # Internal: how the orchestrator starts each phase in its own process.
    parser.add_argument("--phase", choices=("setup", "app", "floor"), help=argparse.SUPPRESS)
    for name in ("--url", "--instance", "--sample"):
        parser.add_argument(name, help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--ceremony-id", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        {"setup": phase_setup, "app": phase_app, "floor": phase_floor}[args.phase](args)
    else:
        if args.profile:
            args.profile = os.path.abspath(args.profile)
        sys.exit(orchestrate(args))


if __name__ == "__main__":
    main()
