from flask import Flask

from ..clock import current_time
from ..integrations.conference.sync import run_due_meetings
from ..integrations.webhooks import delivery as webhooks
from ..mail import fanout, outbox
from ..reminders.runner import run_due_reminders
from ..transfer import jobs as transfer_jobs


def run_due(app: Flask) -> dict:
    """One pass: queue what jobs and due reminders ask for, then deliver what is due."""
    with app.app_context():
        # Imports first: people they add are there for this pass's jobs and reminders.
        ran = transfer_jobs.run_queued_imports(now=current_time())
        # Meetings before invitations: join details that just became known and the
        # update job they queue go out in this same pass.
        meetings = run_due_meetings(now=current_time())
        reminded = 0
        delivered = {"sent": 0, "retry": 0, "failed": 0}
        while True:
            # Jobs between batches: a cancellation recorded during a long fan-out
            # supersedes the invitations not yet sent, instead of following them.
            ran += fanout.run_queued_jobs(now=current_time())
            reminded += run_due_reminders(now=current_time())
            counts = outbox.deliver_due(now=current_time())
            for key, value in counts.items():
                delivered[key] += value
            if counts["sent"] + counts["failed"] == 0:
                break
        # After the mail, and bounded (delivery.PASS_BUDGET): a dead webhook receiver
        # must not hold up invitations. Events the mail recorded (delivery.failed) go now.
        hooks = webhooks.deliver_due(now=current_time())
        return {"jobs": ran, "reminders": reminded, "meetings": meetings, **delivered,
                "webhooks": hooks["delivered"], "webhook_retries": hooks["retry"],
                "webhooks_failed": hooks["failed"]}
