import click
from flask import Flask

from ..clock import current_time
from ..extensions import db
from . import operations
from .forms import MIN_PASSWORD_LENGTH


def register_cli(app: Flask) -> None:
    @app.cli.command("create-admin")
    @click.option("--email", prompt=True)
    @click.option("--name", prompt=True)
    @click.password_option(help="Prompted for (hidden) when not given.")
    def create_admin(email: str, name: str, password: str) -> None:
        """Create an administrator account (the first account of a new install)."""
        if len(password) < MIN_PASSWORD_LENGTH:
            raise click.UsageError(f"the password needs at least {MIN_PASSWORD_LENGTH} characters")
        try:
            operations.create_user(email=email, name=name, password=password, role="admin",
                                   now=current_time())
        except operations.AccountError as error:
            raise click.UsageError(str(error)) from error
        db.session.commit()
        click.echo(f"Administrator {email} created.")
