"""Background work of the whole app: fan-out jobs, due reminders, outbox delivery.

Web requests only write rows; these passes do the work. Each pass claims what
it takes, so running it twice at once sends nothing twice. One scheduler
process is active per database (see leader.py); another waits as a standby.
"""
import logging
import os
import signal
import sys
import time
from datetime import UTC, datetime

import click
from flask import Flask, current_app

from ..clock import current_time
from ..extensions import db
from ..reminders.planner import replan_upcoming
from .jobs import run_due
from .leader import LeaderLock

PASS_SECONDS = 5  # config PASS_SECONDS overrides (env SCHEDULER_PASS_SECONDS)
STANDBY_POLL_SECONDS = 2  # how soon a standby notices the active scheduler is gone
# A pass that starts this late (the process was suspended, the machine busy) still
# runs; later than that, APScheduler skips to the next one — which does the same work.
MISFIRE_GRACE_SECONDS = 60
log = logging.getLogger(__name__)


def _scheduler(kind):
    from apscheduler.schedulers.background import BackgroundScheduler
    from apscheduler.schedulers.blocking import BlockingScheduler

    cls = BlockingScheduler if kind == "blocking" else BackgroundScheduler
    return cls(timezone="UTC", job_defaults={"coalesce": True, "max_instances": 1,
                                              "misfire_grace_time": MISFIRE_GRACE_SECONDS})


def start_background(app: Flask, kind: str = "background"):
    with app.app_context():
        # Ceremonies planned before reminders existed, or rules edited while no
        # scheduler ran: re-planning is idempotent and costs a query per ceremony.
        replan_upcoming(now=current_time())
    scheduler = _scheduler(kind)
    # First pass at once: whatever waited while nothing ran goes out on start.
    scheduler.add_job(run_due, "interval", seconds=float(app.config.get("PASS_SECONDS", PASS_SECONDS)),
                      args=[app], id="run-due", replace_existing=True, next_run_time=datetime.now(UTC))
    scheduler.start()
    return scheduler


def _stop_on_sigterm() -> None:
    def stop(signum, frame):
        raise KeyboardInterrupt
    signal.signal(signal.SIGTERM, stop)


def register_cli(app: Flask) -> None:
    @app.cli.command("run-due")
    def run_due_command() -> None:
        """Do one pass of background work (fan-out jobs, reminders, outbox) and exit."""
        click.echo(run_due(current_app._get_current_object()))

    @app.cli.command("scheduler")
    def scheduler_command() -> None:
        """Run the background worker (production: one such process; a second one stands by)."""
        logging.basicConfig(level=logging.INFO)
        # One line per pass every 5 s would drown the log; passes that fail still show.
        logging.getLogger("apscheduler.executors.default").setLevel(logging.WARNING)
        app = current_app._get_current_object()
        poll = float(app.config.get("STANDBY_POLL_SECONDS", STANDBY_POLL_SECONDS))
        lock = LeaderLock(db.engine, app.instance_path)
        _stop_on_sigterm()
        try:
            if not lock.try_acquire():
                click.echo(f"Standing by: another scheduler is active on this database "
                           f"({lock.kind} lock); taking over when it stops.", err=False)
                while not lock.try_acquire():
                    time.sleep(poll)
            seconds = app.config.get("PASS_SECONDS", PASS_SECONDS)
            click.echo(f"Active (pid {os.getpid()}): background passes every {seconds} s; Ctrl+C stops.")
            scheduler = start_background(app)
            try:
                while lock.still_held():
                    time.sleep(poll)
                # Another process may be active by now: stop rather than run beside it.
                log.error("lost the scheduler lock (database connection gone); exiting")
                sys.exit(3)
            finally:
                scheduler.shutdown(wait=True)
        except KeyboardInterrupt:
            click.echo("Stopped.")
        finally:
            lock.release()

    @app.cli.command("dev")
    @click.option("--host", default="127.0.0.1", show_default=True)
    @click.option("--port", default=5000, show_default=True)
    def dev_command(host: str, port: int) -> None:
        """Development server and background worker in one process (no second terminal)."""
        from werkzeug.serving import run_simple

        app = current_app._get_current_object()
        lock = LeaderLock(db.engine, app.instance_path)
        # Started here, never in create_app: web workers run no jobs. No reloader:
        # it would start this process twice.
        if lock.try_acquire():
            start_background(app)
            click.echo(f"Serving on http://{host}:{port}/ with the background worker.")
        else:
            click.echo(f"Serving on http://{host}:{port}/ without background work: another "
                       "scheduler is active on this database.")
        run_simple(host, port, app, use_reloader=False, threaded=True)
