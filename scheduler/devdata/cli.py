from datetime import timedelta

import click
from flask import Flask

from ..clock import current_time
from ..extensions import db


def register_cli(app: Flask) -> None:
    @app.cli.command("demo")
    @click.option("--url", default="http://127.0.0.1:5000/", show_default=True,
                  help="Where the app will be reachable (only printed).")
    def demo(url: str) -> None:
        """Load the demo ceremony (once) and print where and how to sign in."""
        from .demo import DEMO_EMAIL, demo_account, existing_demo, load_demo

        now = current_time()
        user, password = demo_account(now)
        ceremony = existing_demo()
        if ceremony is None:
            from ..mail.fanout import request_job

            ceremony = load_demo(now, created_by_id=user.id)
            # Queued, not sent: the background worker of `flask dev` delivers them
            # (to instance/outbox/ unless SMTP is configured).
            request_job(ceremony.id, "invite", now=now, created_by_id=user.id)
            click.echo(f"Demo ceremony loaded: {ceremony.title}")
            click.echo("Its invitations are queued; the background worker delivers them.")
        else:
            click.echo(f"Demo ceremony already present: {ceremony.title}")
        db.session.commit()
        click.echo(f"\n  Open {url} and sign in\n    email:    {DEMO_EMAIL}\n"
                   f"    password: {password}\n  (a new password is made each time this runs)\n")

    @app.cli.command("generate")
    @click.option("--sites", default=71, show_default=True,
                  help="Number of sites, host included (national case: 3356).")
    @click.option("--attendees-per-site", default=5, show_default=True)
    @click.option("--seed", default=0, show_default=True)
    def generate(sites: int, attendees_per_site: int, seed: int) -> None:
        """Add a generated ceremony with real province and commune names (load and scale tests)."""
        from .generator import generate_ceremony

        now = current_time()
        ceremony_id = generate_ceremony(db.session, sites=sites, attendees_per_site=attendees_per_site,
                                        starts_at=now + timedelta(days=14), now=now, seed=seed)
        db.session.commit()
        click.echo(f"Ceremony {ceremony_id}: {sites} sites, {sites * attendees_per_site} attendees.")
