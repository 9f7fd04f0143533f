import logging
import os
from datetime import UTC, datetime

import click
from flask import Flask, current_app

from .jobs import run_due

PASS_SECONDS = 5


def _scheduler(kind):
    from apscheduler.schedulers.background import BackgroundScheduler
    from apscheduler.schedulers.blocking import BlockingScheduler

    cls = BlockingScheduler if kind == "blocking" else BackgroundScheduler
    return cls(timezone="UTC", job_defaults={"coalesce": True, "max_instances": 1,
                                              "misfire_grace_time": 60})


def start_background(app: Flask, kind: str = "background"):
    scheduler = _scheduler(kind)
    # First pass at once: whatever waited while nothing ran goes out on start.
    scheduler.add_job(run_due, "interval", seconds=PASS_SECONDS, args=[app], id="run-due",
                      replace_existing=True, next_run_time=datetime.now(UTC))
    scheduler.start()
    return scheduler


def register_cli(app: Flask) -> None:
    @app.cli.command("run-due")
    def run_due_command() -> None:
        """Do one pass of background work (fan-out jobs, outbox) and exit."""
        click.echo(run_due(current_app._get_current_object()))

    @app.cli.command("scheduler")
    def scheduler_command() -> None:
        """Run the background worker in the foreground (production: one such process)."""
        logging.basicConfig(level=logging.INFO)
        # One line per pass every 5 s would drown the log; passes that fail still show.
        logging.getLogger("apscheduler.executors.default").setLevel(logging.WARNING)
        click.echo(f"Background passes every {PASS_SECONDS} s; Ctrl+C stops.")
        start_background(current_app._get_current_object(), kind="blocking")

    @app.cli.command("dev")
    @click.option("--host", default="127.0.0.1", show_default=True)
    @click.option("--port", default=5000, show_default=True)
    def dev_command(host: str, port: int) -> None:
        """Development server and background worker in one process (no second terminal)."""
        from werkzeug.serving import run_simple

        app = current_app._get_current_object()
        # Started here, never in create_app: web workers run no jobs.
        if os.environ.get("WERKZEUG_RUN_MAIN") is None:
            start_background(app)
        click.echo(f"Serving on http://{host}:{port}/ with the background worker.")
        run_simple(host, port, app, use_reloader=False, threaded=True)
