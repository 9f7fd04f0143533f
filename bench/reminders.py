"""Reminder benchmark: plan, re-plan after a time change, and send the national case's
reminders end to end, with time and peak RSS, against a floor.

    python bench/reminders.py [--sites 3356] [--per-site 15] [--database-url postgresql://…]

Plan and re-plan: scheduler.reminders.planner.replan for a ceremony with the default
rules, when it is scheduled and after its times move (rows per rule and moment, none per
attendee). In between, not timed, the real invitation pass; after, not timed, every
reminder due earlier (a scheduler that ran all along). Send: with the clock at the
attendees' 24-hour reminder, time scheduler.background.jobs.run_due (expanding the
reminder into outbox rows in batches, then building and delivering every message over
SMTP). Floor: plain smtplib replaying the app's own reminder messages over one
connection. Both talk to the same aiosmtpd sink (bench/smtp_sink.py) in its own process.

Every phase runs in its own subprocess, and this orchestrator never imports the app
(see bench/common.py and bench/README.md).
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

DAY_MINUTES = 24 * 60
# Plan and re-plan must not grow with the audience: a handful of rows per rule.
MAX_REMINDER_ROWS = 100


def make_app(args, port: int = 0):
    return common.make_app(args.url, args.instance, port)


def ticking_clock(moment):
    """The app's CLOCK: `moment` when the phase starts, then running at wall-clock pace
    (leases are renewed and expire as they would)."""
    from datetime import timedelta
    began = time.monotonic()
    return lambda: moment + timedelta(seconds=time.monotonic() - began)


def attendee_reminder(ceremony_id: int):
    """The reminder row of the attendees' 24-hour rule (the one that reaches everybody)."""
    from sqlalchemy import select
    from scheduler.extensions import db
    from scheduler.reminders.models import Reminder, ReminderRule
    return db.session.scalars(
        select(Reminder).join(ReminderRule, ReminderRule.id == Reminder.rule_id)
        .where(Reminder.ceremony_id == ceremony_id, ReminderRule.audience == "attendees",
               ReminderRule.anchor == "start", ReminderRule.offset_minutes == DAY_MINUTES,
               ReminderRule.daily_minute.is_(None))
        .order_by(Reminder.due_at.desc())).first()


def counts_by_status(model, *where) -> dict[str, int]:
    from sqlalchemy import func, select
    from scheduler.extensions import db
    return dict(db.session.execute(select(model.status, func.count()).where(*where)
                                   .group_by(model.status)).all())


# Phases: each runs as `reminders.py --phase NAME` in a fresh process.

def phase_setup(args) -> None:
    """Schema by the real migrations, the generator's national ceremony (scheduled, start in
    30 days, rehearsal the day before), and the default reminder rules: the generator inserts
    with Core and sends no ceremony_created signal, so nothing has added them."""
    from datetime import UTC, datetime, timedelta
    app = make_app(args)
    import flask_migrate
    from sqlalchemy import func, select
    from scheduler.devdata.generator import generate_ceremony
    from scheduler.extensions import db
    from scheduler.planning.models import Attendee, Ceremony
    from scheduler.reminders.models import ReminderRule
    from scheduler.reminders.planner import add_default_rules, rules_of
    with app.app_context():
        flask_migrate.upgrade()
        now = datetime.now(UTC).replace(microsecond=0)
        started = time.perf_counter()
        cid = generate_ceremony(db.session, sites=args.sites, attendees_per_site=args.per_site,
                                starts_at=now + timedelta(days=30), now=now)
        ceremony = db.session.get(Ceremony, cid)
        had_rules = len(rules_of(cid))
        if not had_rules:
            add_default_rules(ceremony, now=now)
        db.session.commit()
        seconds = time.perf_counter() - started
        attendees = db.session.scalar(select(func.count()).select_from(Attendee)
                                      .where(Attendee.ceremony_id == cid))
        # Who must get the attendees' reminder once invited: everyone with an address who
        # has not declined (the generator declines nobody; the invite phase invites all).
        expected = db.session.scalar(select(func.count()).select_from(Attendee).where(
            Attendee.ceremony_id == cid, Attendee.email != "", Attendee.partstat != "DECLINED"))
        rules = db.session.scalar(select(func.count()).select_from(ReminderRule)
                                  .where(ReminderRule.ceremony_id == cid))
        emit({"ceremony_id": cid, "attendees": attendees, "expected": expected, "seconds": seconds,
              "rules": rules, "rules_added": not had_rules, "now": now.isoformat(),
              "starts_at": ceremony.starts_at.isoformat(),
              "rehearsal_at": ceremony.rehearsal_at and ceremony.rehearsal_at.isoformat()})


def phase_plan(args) -> None:
    """Time replan() and its commit; with --shift-days, after moving the ceremony's times
    (what the ceremony_updated receiver does after an edit of the times)."""
    from datetime import datetime, timedelta
    app = make_app(args)
    from sqlalchemy import event, func, select
    from scheduler.extensions import db
    from scheduler.mail.models import Delivery
    from scheduler.planning.models import Ceremony
    from scheduler.reminders.models import Reminder
    from scheduler.reminders.planner import replan
    now = datetime.fromisoformat(args.now)
    with app.app_context():
        ceremony = db.session.get(Ceremony, args.ceremony_id)
        rows = lambda: {(r.rule_id, r.due_at): r.status for r in db.session.scalars(
            select(Reminder).where(Reminder.ceremony_id == ceremony.id))}
        before = rows()
        if args.shift_days:  # the edit itself, not timed
            shift = timedelta(days=args.shift_days)
            ceremony.starts_at += shift
            ceremony.ends_at += shift
            if ceremony.rehearsal_at is not None:
                ceremony.rehearsal_at += shift
            ceremony.updated_at = now
            db.session.flush()
        statements = [0]

        def count(*_):
            statements[0] += 1
        event.listen(db.engine, "before_cursor_execute", count)
        rss_before = rss_now_kib()
        started = time.perf_counter()
        replan(ceremony, now=now)
        db.session.commit()
        seconds = time.perf_counter() - started
        event.remove(db.engine, "before_cursor_execute", count)
        after = rows()
        outbox_rows = db.session.scalar(select(func.count()).select_from(Delivery))
        target = attendee_reminder(ceremony.id)
        emit({"seconds": seconds, "statements": statements[0], "rows": len(after),
              "by_status": counts_by_status(Reminder, Reminder.ceremony_id == ceremony.id),
              "kept": len(before.keys() & after.keys()), "removed": len(before.keys() - after.keys()),
              "added": len(after.keys() - before.keys()), "outbox_rows": outbox_rows,
              "starts_at": ceremony.starts_at.isoformat(),
              "attendee_reminder_at": target.due_at.isoformat() if target else None,
              "rss_before_kib": rss_before, "peak_rss_kib": peak_rss_kib()})


def phase_invite(args) -> None:
    """Not timed: the real invitation pass (fan-out and delivery to the sink), at the
    planning moment. Reminders go to invited people only, and a real outbox holds the
    invitations when the reminders come."""
    from datetime import datetime
    app = make_app(args, args.port)
    from sqlalchemy import func, select
    from scheduler.background.jobs import run_due
    from scheduler.extensions import db
    from scheduler.mail import fanout
    from scheduler.planning.models import Attendee
    app.config["CLOCK"] = ticking_clock(datetime.fromisoformat(args.now))
    with app.app_context():  # what "Send invitations" does: record the job, commit
        fanout.request_job(args.ceremony_id, "invite", now=app.config["CLOCK"]())
        db.session.commit()
        db.session.remove()
    started = time.perf_counter()
    outcome = run_due(app)
    seconds = time.perf_counter() - started
    with app.app_context():
        invited = db.session.scalar(select(func.count()).select_from(Attendee).where(
            Attendee.ceremony_id == args.ceremony_id, Attendee.invited_sequence.is_not(None)))
    emit({"seconds": seconds, "run_due": outcome, "invited": invited})


def phase_catch_up(args) -> None:
    """Not timed: run_due at the moment of every reminder due before the attendees' 24-hour
    one, as a scheduler running all along would, so the timed pass finds only that one."""
    app = make_app(args, args.port)
    from sqlalchemy import select
    from scheduler.background.jobs import run_due
    from scheduler.extensions import db
    from scheduler.reminders.models import Reminder
    with app.app_context():
        target = attendee_reminder(args.ceremony_id).due_at
        moments = db.session.scalars(
            select(Reminder.due_at).distinct().where(Reminder.ceremony_id == args.ceremony_id,
                                                     Reminder.status == "planned",
                                                     Reminder.due_at < target)
            .order_by(Reminder.due_at)).all()
    totals: dict[str, int] = {}
    for moment in moments:
        app.config["CLOCK"] = ticking_clock(moment)
        for key, value in run_due(app).items():
            totals[key] = totals.get(key, 0) + value
    with app.app_context():
        by_status = counts_by_status(Reminder, Reminder.ceremony_id == args.ceremony_id)
    emit({"moments": len(moments), "run_due": totals, "reminders": by_status})


def phase_send(args) -> None:
    """The due pass at the attendees' 24-hour reminder, timed: run_due until done."""
    app = make_app(args, args.port)
    from scheduler.background import jobs
    from scheduler.extensions import db
    from scheduler.mail import outbox
    from scheduler.mail.models import Delivery
    from scheduler.planning.models import Ceremony
    with app.app_context():
        target = attendee_reminder(args.ceremony_id)
        reminder_id, moment = target.id, target.due_at
        starts_at = db.session.get(Ceremony, args.ceremony_id).starts_at
    app.config["CLOCK"] = ticking_clock(moment)
    sending = common.time_smtp_send()
    # Where run_due's time goes: expanding reminders into the outbox, or delivering.
    # Wrappers on the names run_due calls, in this process only.
    spent = {"expand": 0.0, "deliver": 0.0}

    def timed(function, key):
        def wrapper(*positional, **named):
            began = time.perf_counter()
            try:
                return function(*positional, **named)
            finally:
                spent[key] += time.perf_counter() - began
        return wrapper
    jobs.run_due_reminders = timed(jobs.run_due_reminders, "expand")
    outbox.deliver_due = timed(outbox.deliver_due, "deliver")
    rss_before = rss_now_kib()
    with profiled(args.profile):
        started = time.perf_counter()
        outcome = jobs.run_due(app)
        seconds = time.perf_counter() - started
    with app.app_context():
        reminder = attendee_reminder(args.ceremony_id)
        result = {"reminder": {"id": reminder.id, "status": reminder.status, "queued": reminder.queued},
                  "outbox": counts_by_status(Delivery, Delivery.reminder_id == reminder_id)}
    emit({"seconds": seconds, "send_seconds": sending[0], **spent, "run_due": outcome,
          "moment": moment.isoformat(), "starts_at": starts_at.isoformat(), "target_id": reminder_id,
          **result, "rss_before_kib": rss_before, "peak_rss_kib": peak_rss_kib()})


def phase_floor(args) -> None:
    """Plain smtplib, one connection, the app's own messages replayed: the best a sender can do."""
    emit(common.replay(args.sample, args.floor_count, args.port))


# Orchestrator: never imports the app or a database driver (see bench/common.py).

def run_phase(name: str, args, *extra: str) -> dict:
    return common.run_phase(__file__, name, args, *extra)


def orchestrate(args) -> int:
    with common.scratch_database(args.database_url, "reminders") as (args.instance, args.url):
        sink = SinkProcess()  # one sink, same options, for every phase that sends
        try:
            setup = run_phase("setup", args, "--sites", str(args.sites), "--per-site", str(args.per_site))
            cid, expected = str(setup["ceremony_id"]), setup["expected"]
            print(f"{time.strftime('%Y-%m-%d %H:%M')}; {code_version()}; {os.cpu_count()} cores;"
                  f" load average {os.getloadavg()[0]:.2f}")
            print(f"database: {urlsplit(args.url).scheme}; sites {args.sites} x {args.per_site} ="
                  f" {setup['attendees']} attendees, {expected} to remind (generated in"
                  f" {setup['seconds']:.1f} s); {setup['rules']} reminder rules"
                  f"{' (defaults added by the benchmark)' if setup['rules_added'] else ''};"
                  f" start {setup['starts_at']}, rehearsal {setup['rehearsal_at']}", flush=True)

            common_args = ("--ceremony-id", cid, "--now", setup["now"])
            # As in the app: planned when scheduled, then invited, then the times change.
            plan = run_phase("plan", args, *common_args, "--shift-days", "0")
            invite = run_phase("invite", args, *common_args, "--port", str(sink.port))
            invite_sink = sink.ask("stats")
            sink.ask("reset")
            replan = run_phase("plan", args, *common_args, "--shift-days", str(args.shift_days))
            catch_up = run_phase("catch_up", args, *common_args, "--port", str(sink.port))
            catch_up_sink = sink.ask("stats")
            sink.ask("reset")

            send = run_phase("send", args, *common_args, "--port", str(sink.port),
                             *(["--profile", args.profile] if args.profile else []))
            send_sink = sink.ask("stats")
            sample_path = os.path.join(args.instance, "sample.pickle")
            sink.ask(f"sample {sample_path}")  # the first real reminders the app sent

            sink.ask("reset")
            count = args.floor_count or send_sink["messages"]
            floor = run_phase("floor", args, "--port", str(sink.port), "--sample", sample_path,
                              "--floor-count", str(count))
            floor_sink = sink.ask("stats")
        finally:
            sink.stop()

    mb = lambda kib: f"{kib / 1024:.0f} MB" if kib else ""
    print()
    report = lambda name, ran: print(
        f"{name}: {ran['seconds'] * 1000:.1f} ms, {ran['statements']} SQL statements;"
        f" reminder rows {ran['rows']} {ran['by_status']} (kept {ran['kept']}, removed"
        f" {ran['removed']}, added {ran['added']}); outbox rows {ran['outbox_rows']};"
        f" peak RSS {mb(ran['peak_rss_kib'])}")
    report("plan", plan)
    print(f"invite (not timed): {invite['invited']} attendees invited, sink {invite_sink['messages']}"
          f" messages in {invite['seconds']:.1f} s; run_due: {invite['run_due']}")
    report(f"re-plan (+{args.shift_days} days)", replan)
    print(f"catch-up (not timed): run_due at {catch_up['moments']} earlier moments: {catch_up['run_due']},"
          f" sink {catch_up_sink['messages']} messages; reminders now {catch_up['reminders']}")
    print(f"send: clock at {send['moment']} (start {send['starts_at']})")

    # Rates count what the sink accepted, not what the sender believes it sent.
    app_rate, floor_rate = (send_sink["messages"] / send["seconds"],
                            floor_sink["messages"] / max(floor["seconds"], 1e-9))
    row = "{:<6} {:>9} {:>11} {:>8} {:>8} {:>9} {:>10} {:>9}".format
    print("\n" + row("phase", "sink msgs", "unique rcpt", "seconds", "msgs/s", "avg bytes",
                     "RSS before", "peak RSS"))
    for name, ran, got, rate in (("send", send, send_sink, app_rate),
                                 ("floor", floor, floor_sink, floor_rate)):
        print(row(name, got["messages"], got["unique_recipients"], f"{ran['seconds']:.1f}", f"{rate:.0f}",
                  f"{got['bytes'] / max(got['messages'], 1):.0f}", mb(ran.get("rss_before_kib")),
                  mb(ran["peak_rss_kib"])))
    print(f"\nfloor/send = {floor_rate / max(app_rate, 1e-9):.2f}x; send peak RSS {send['peak_rss_kib'] / 1024:.0f} MB")
    per_msg = lambda secs, got: f"{1000 * secs / max(got['messages'], 1):.2f} ms"
    print(f"send: expanding into the outbox {send['expand']:.1f} s"
          f" ({expected / max(send['expand'], 1e-9):.0f} rows/s), delivering {send['deliver']:.1f} s")
    print(f"per message: send {per_msg(send['seconds'], send_sink)}, time inside SMTPTransport.send"
          f" {per_msg(send['send_seconds'], send_sink)}; floor {per_msg(floor['seconds'], floor_sink)}")
    print(f"load average after: {os.getloadavg()[0]:.2f}; run_due: {send['run_due']}; reminder"
          f" {send['reminder']}; its outbox rows by status: {send['outbox']}")

    from datetime import datetime, timedelta
    moved_start = datetime.fromisoformat(setup["starts_at"]) + timedelta(days=args.shift_days)
    checks = [
        # Nothing per attendee up front: a few rows per rule, no outbox rows until due.
        (plan["rows"] <= MAX_REMINDER_ROWS and replan["rows"] <= MAX_REMINDER_ROWS,
         f"reminder rows {plan['rows']} / {replan['rows']}, expected at most {MAX_REMINDER_ROWS}"),
        (plan["outbox_rows"] == 0 and replan["outbox_rows"] == invite_sink["messages"],
         f"outbox rows after planning {plan['outbox_rows']}, after re-planning {replan['outbox_rows']};"
         f" expected none but the {invite_sink['messages']} invitations"),
        (datetime.fromisoformat(send["moment"]) == moved_start - timedelta(days=1),
         f"the 24-hour reminder is due at {send['moment']}, expected a day before {moved_start}"),
        (invite["invited"] == invite_sink["messages"] == expected,
         f"invite: {invite['invited']} invited, sink got {invite_sink['messages']}, expected {expected}"),
        # Every attendee with an address who has not declined, exactly once.
        (send_sink["messages"] == send_sink["unique_recipients"] == expected,
         f"send: sink got {send_sink['messages']} messages for {send_sink['unique_recipients']}"
         f" recipients, expected {expected}"),
        (send_sink["max_per_recipient"] <= 1, f"a recipient got {send_sink['max_per_recipient']}"),
        (send["outbox"] == {"sent": expected}, f"outbox {send['outbox']}, expected {expected} sent"),
        (send["reminder"]["status"] == "sent" and send["reminder"]["queued"] == expected,
         f"reminder {send['reminder']}, expected sent with queued {expected}"),
        (floor_sink["messages"] == count, f"floor: sink got {floor_sink['messages']} of {count}"),
    ]
    if args.profile:
        print_profile(args.profile, "send phase")
    return sanity_verdict(checks)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    national_arguments(parser, profiled_phase="send phase")
    parser.add_argument("--shift-days", type=int, default=2,
                        help="how far the re-plan moves the start, end and rehearsal (days)")
    # Internal: how the orchestrator starts each phase in its own process.
    phases = {"setup": phase_setup, "plan": phase_plan, "invite": phase_invite, "catch_up": phase_catch_up,
              "send": phase_send, "floor": phase_floor}
    parser.add_argument("--phase", choices=phases, help=argparse.SUPPRESS)
    for name in ("--url", "--instance", "--sample", "--now"):
        parser.add_argument(name, help=argparse.SUPPRESS)
    for name in ("--port", "--ceremony-id"):
        parser.add_argument(name, type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        phases[args.phase](args)
    else:
        if args.profile:
            args.profile = os.path.abspath(args.profile)
        sys.exit(orchestrate(args))


if __name__ == "__main__":
    main()
