import click
from flask import Flask
from sqlalchemy import func, select

from ..clock import current_time
from ..extensions import db
from ..planning.models import Ceremony, Site
from . import fanout, outbox
from .models import Delivery


def register_cli(app: Flask) -> None:
    @app.cli.command("send-invitations")
    @click.argument("ceremony_id", type=int)
    @click.option("--site", "site_code", help="Only this site (by code).")
    @click.option("--resend", is_flag=True, help="Send again to people already invited.")
    def send_invitations(ceremony_id: int, site_code: str | None, resend: bool) -> None:
        """Queue and deliver the invitations of CEREMONY_ID, with progress bars."""
        ceremony = db.session.get(Ceremony, ceremony_id)
        if ceremony is None:
            raise click.UsageError(f"no ceremony {ceremony_id}")
        if ceremony.status != "scheduled":
            raise click.UsageError("schedule the ceremony before sending invitations")
        scope, scope_id = "ceremony", None
        if site_code:
            scope_id = db.session.scalar(select(Site.id).where(
                Site.ceremony_id == ceremony_id, func.upper(Site.code) == site_code.upper()))
            if scope_id is None:
                raise click.UsageError(f"no site {site_code} in ceremony {ceremony_id}")
            scope = "site"
        job = fanout.request_job(ceremony_id, "resend" if resend else "invite", scope=scope,
                                 scope_id=scope_id, now=current_time())
        job.status = "running"  # ours: the background worker leaves it alone
        db.session.commit()
        with click.progressbar(length=1, label="Queueing ") as bar:
            def progress(done, total):
                bar.length = max(total, 1)
                bar.update(done - bar.pos)
            fanout.run_job(job, now=current_time(), progress=progress)
        due = select(func.count()).select_from(Delivery).where(
            Delivery.ceremony_id == ceremony_id, Delivery.status.in_(("pending", "sending")))
        total = db.session.scalar(due)
        failed = 0
        with click.progressbar(length=max(total, 1), label="Delivering") as bar:
            while True:
                counts = outbox.deliver_due(now=current_time())
                bar.update(counts["sent"] + counts["failed"])
                failed += counts["failed"]
                if counts["sent"] + counts["failed"] == 0:
                    break
        waiting = db.session.scalar(due)
        click.echo(f"{job.queued} queued; {failed} failed; {waiting} waiting for a retry.")
