"""The scheduler as real processes on the test database: restart, standby
takeover (PostgreSQL advisory lock, or a file lock with SQLite), and the
one-command development mode running exactly one scheduler.

These processes read the real clock, so the data is placed around the real
time; waits poll for an outcome and end as soon as it is there.
"""
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, update

from scheduler.mail import fanout, outbox
from scheduler.extensions import db
from scheduler.planning.models import Ceremony
from scheduler.reminders.models import Reminder, ReminderRule
from scheduler.reminders.planner import replan

from .conftest import post_form
from .smtp_sink import free_port

ROOT = Path(__file__).resolve().parent.parent
WAIT = 30  # seconds at most for an outcome; usually under two


class Process:
    """A `flask --app wsgi …` child whose output lines are read on a thread."""

    def __init__(self, *args, env):
        self.popen = subprocess.Popen([sys.executable, "-m", "flask", "--app", "wsgi", *args],
                                      cwd=ROOT, env=env, stdout=subprocess.PIPE,
                                      stderr=subprocess.STDOUT, text=True)
        self.lines: queue.Queue = queue.Queue()
        self.seen: list[str] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        for line in self.popen.stdout:
            self.lines.put(line)

    def wait_for(self, text: str) -> str:
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.1)
            except queue.Empty:
                assert self.popen.poll() is None or not self.lines.empty(), "\n".join(self.seen)
                continue
            self.seen.append(line)
            if text in line:
                return line
        raise AssertionError(f"no {text!r} within {WAIT} s; output:\n{''.join(self.seen)}")

    def stop(self, sig=signal.SIGTERM):
        if self.popen.poll() is None:
            self.popen.send_signal(sig)
        self.popen.wait(timeout=WAIT)
        self.reader.join(timeout=WAIT)  # EOF once the process is gone
        self.popen.stdout.close()


@pytest.fixture
def processes(app, smtp, tmp_path):
    env = {**os.environ, "SCHEDULER_INSTANCE_PATH": str(tmp_path),
           "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"], "SECRET_KEY": "test-only-secret",
           "SCHEDULER_PASS_SECONDS": "0.3", "SCHEDULER_STANDBY_POLL_SECONDS": "0.2",
           "SCHEDULER_MAIL_TRANSPORT": '"smtp"', "SCHEDULER_MAIL_SMTP_HOST": '"127.0.0.1"',
           "SCHEDULER_MAIL_SMTP_PORT": str(smtp.port)}
    started: list[Process] = []

    def start(*args):
        process = Process(*args, env=env)
        started.append(process)
        return process

    yield start
    for process in started:
        process.stop(signal.SIGKILL)


@pytest.fixture
def due_soon(app, client, factory, clock, smtp):
    """A scheduled ceremony two hours from the real now, its 24 h reminder overdue
    (sent late by policy) and its 1 h reminder an hour ahead."""
    real_now = datetime.now(UTC).replace(microsecond=0)
    clock.now = real_now - timedelta(days=3)  # planned ahead of time
    ceremony = factory.ceremony(starts_at=real_now + timedelta(hours=2))
    site = factory.site(ceremony, code="BCA", is_host=True)
    factory.attendee(ceremony, site, full_name="Lê Văn Nhắc", email="nhac@example.vn")
    with app.app_context():  # the organizer's daily digest is not what these tests count
        db.session.execute(update(ReminderRule).where(ReminderRule.ceremony_id == ceremony.id,
                                                      ReminderRule.audience == "organizers")
                           .values(enabled=False))
        db.session.commit()
    post_form(client, f"/ceremonies/{ceremony.id}/schedule", {}, token_from="/")
    post_form(client, f"/ceremonies/{ceremony.id}/invitations/send", {},
              token_from=f"/ceremonies/{ceremony.id}/invitations")
    with app.app_context():  # the invitation goes out days ahead, as it would have
        fanout.run_queued_jobs(now=clock.now)
        outbox.deliver_due(now=clock.now)
    smtp.messages.clear()
    return ceremony


def make_due(app, clock, ceremony_id):
    """The organizer brings the ceremony forward: its 1 h reminder falls due now."""
    real_now = datetime.now(UTC)
    clock.now = real_now - timedelta(seconds=5)  # planned just before its moment
    with app.app_context():
        ceremony = db.session.get(Ceremony, ceremony_id)
        ceremony.starts_at = real_now + timedelta(hours=1) - timedelta(seconds=1)
        ceremony.ends_at = ceremony.starts_at + timedelta(hours=2)
        replan(ceremony, now=clock.now)  # what the ceremony_updated signal does
        db.session.commit()


def wait_for_messages(smtp, address, count):
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline and len(smtp.to(address)) < count:
        time.sleep(0.05)
    return smtp.to(address)


def statuses(app, ceremony_id):
    with app.app_context():
        return sorted(r.status for r in db.session.scalars(select(Reminder).where(
            Reminder.ceremony_id == ceremony_id, Reminder.audience == "attendees")))


def test_a_restarted_scheduler_sends_what_is_due_and_nothing_twice(app, smtp, processes, due_soon, clock):
    first = processes("scheduler")
    first.wait_for("Active")
    assert len(wait_for_messages(smtp, "nhac@example.vn", 1)) == 1  # the overdue 24 h reminder
    first.stop()
    first.wait_for("Stopped")
    make_due(app, clock, due_soon.id)  # its next moment comes while no scheduler runs
    second = processes("scheduler")
    second.wait_for("Active")
    messages = wait_for_messages(smtp, "nhac@example.vn", 2)
    second.stop()
    assert len(messages) == 2 and len(smtp.messages) == 2
    assert statuses(app, due_soon.id).count("sent") == 2


def test_a_standby_takes_over_when_the_active_scheduler_dies(app, smtp, processes, due_soon, clock):
    active = processes("scheduler")
    active.wait_for("Active")
    standby = processes("scheduler")
    standby.wait_for("Standing by")
    assert len(wait_for_messages(smtp, "nhac@example.vn", 1)) == 1
    active.stop(signal.SIGKILL)  # no goodbye: the lock goes with the process
    standby.wait_for("Active")
    make_due(app, clock, due_soon.id)
    assert len(wait_for_messages(smtp, "nhac@example.vn", 2)) == 2
    time.sleep(0.5)  # a few more passes of the new scheduler: still nothing twice
    assert len(smtp.messages) == 2


def test_the_development_command_runs_one_scheduler_beside_the_server(app, smtp, processes, due_soon):
    port = free_port()
    dev = processes("dev", "--port", str(port))
    dev.wait_for("with the background worker")
    assert len(wait_for_messages(smtp, "nhac@example.vn", 1)) == 1  # its worker sends
    extra = processes("scheduler")  # a second scheduler beside it only stands by
    extra.wait_for("Standing by")
    dev.stop()
    extra.wait_for("Active")  # and takes over once the development server stops
