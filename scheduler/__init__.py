"""ceremony-scheduler: plan online ceremonies across many bridge sites."""
import os
from pathlib import Path

from flask import Flask

from .config import Defaults, load_secret_key, normalise_database_url

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(
        __name__,
        instance_path=(test_config or {}).get("INSTANCE_PATH")
        or os.environ.get("SCHEDULER_INSTANCE_PATH") or str(PROJECT_ROOT / "instance"),
        instance_relative_config=True,
        template_folder=str(PROJECT_ROOT / "templates"),
    )
    app.config.from_object(Defaults)
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
        if os.environ.get("DATABASE_URL"):
            app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["DATABASE_URL"]
        if os.environ.get("SECRET_KEY"):
            app.config["SECRET_KEY"] = os.environ["SECRET_KEY"]
        app.config.from_prefixed_env("SCHEDULER")
    else:
        app.config.update(test_config)

    os.makedirs(app.instance_path, exist_ok=True)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        sqlite_path = Path(app.instance_path) / "ceremony-scheduler.sqlite3"
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{sqlite_path}"
    app.config["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(
        app.config["SQLALCHEMY_DATABASE_URI"]
    )
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = load_secret_key(app.instance_path)
    if not app.config.get("MAIL_FILE_DIR"):
        app.config["MAIL_FILE_DIR"] = str(Path(app.instance_path) / "outbox")

    _init_extensions(app)
    _bound_request_numbers(app)
    _register_blueprints(app)
    return app


def _bound_request_numbers(app: Flask) -> None:
    """Numbers in URLs stay within what the database columns hold: a row id past
    2³¹ is a 404 and a page number past any real list an empty page, never a
    database overflow (a 500)."""
    from flask import request
    from werkzeug.datastructures import ImmutableMultiDict
    from werkzeug.routing import IntegerConverter

    class RowId(IntegerConverter):
        def __init__(self, url_map, *args, **kwargs):
            kwargs.setdefault("max", 2**31 - 1)
            super().__init__(url_map, *args, **kwargs)

    app.url_map.converters["int"] = RowId  # before any route is registered

    @app.before_request
    def _sane_page():
        try:  # int() as the page readers parse it: "+1…", " 1…", "1_000…" are numbers too
            page = int(request.args.get("page", ""))
        except ValueError:
            return
        if page > 99999:  # past any real list: its last (empty) page
            args = request.args.copy()
            args["page"] = "10000"
            request.args = ImmutableMultiDict(args)


def _init_extensions(app: Flask) -> None:
    from . import database, errors, i18n, ratelimit, security
    from .extensions import csrf, db, login_manager, migrate

    db.init_app(app)
    database.configure_engines(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    login_manager.init_app(app)
    i18n.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    ratelimit.init_app(app)


def _register_blueprints(app: Flask) -> None:
    from .auth import views as auth_views
    from .board import views as board_views
    from .auth.cli import register_cli as register_auth_cli
    from .devdata.cli import register_cli as register_devdata_cli
    from .background.cli import register_cli as register_background_cli
    from .feeds import views as feed_views
    from .mail import receivers
    from .mail import views as mail_views
    from .mail.cli import register_cli as register_mail_cli
    from .planning import views as planning_views
    from .portal import coordinator, operations as portal_operations, views as portal_views
    from .reminders import receivers as reminder_receivers
    from .reminders import views as reminder_views
    from .transfer import views as transfer_views
    from .integrations.webhooks import events as webhook_events, notices as webhook_notices
    from .integrations.webhooks import views as webhook_views

    app.register_blueprint(auth_views.bp)
    app.register_blueprint(auth_views.admin_bp)
    for blueprint in planning_views.blueprints:
        app.register_blueprint(blueprint)
    app.register_blueprint(mail_views.bp)
    app.register_blueprint(mail_views.gateway_bp)
    app.register_blueprint(portal_views.bp)
    app.register_blueprint(coordinator.bp)
    app.register_blueprint(feed_views.bp)
    app.register_blueprint(reminder_views.bp)
    app.register_blueprint(board_views.bp)
    app.register_blueprint(transfer_views.bp)
    app.register_blueprint(webhook_views.bp)
    receivers.connect()
    reminder_receivers.connect()
    portal_operations.connect()
    webhook_events.connect()
    webhook_notices.register()
    from .integrations import conference

    conference.init_app(app)
    from datetime import timedelta

    from .mail.labels import MAIL_LABELS, explain
    from .planning.labels import ALL_LABELS
    from .board.labels import BOARD_LABELS
    from .reminders.labels import REMINDER_LABELS

    every_label = {**ALL_LABELS, **MAIL_LABELS, **REMINDER_LABELS, **BOARD_LABELS}
    app.jinja_env.globals.update(labels=every_label,
                                 timedelta=timedelta)
    app.jinja_env.filters["explain"] = explain
    register_auth_cli(app)
    register_devdata_cli(app)
    register_mail_cli(app)
    register_background_cli(app)
    from . import api

    api.register(app)
