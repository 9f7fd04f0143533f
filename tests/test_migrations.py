"""The checked-in migrations build the schema the models describe, on SQLite and PostgreSQL."""
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from scheduler.extensions import db

ROOT = Path(__file__).resolve().parent.parent
POSTGRES_ADMIN_URL = os.environ.get("TEST_POSTGRES_ADMIN_URL",
                                    "postgresql://postgres@127.0.0.1:5432/postgres")


def test_models_and_migrations_agree(app):
    with app.app_context(), db.engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), db.metadata)
    assert diff == []


def flask_cli(*args, env_extra):
    env = {**os.environ, **env_extra}
    return subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def postgres_database():
    """A fresh database on the local server, or a skip that says why."""
    psycopg = pytest.importorskip("psycopg")
    admin_url = POSTGRES_ADMIN_URL
    try:
        connection = psycopg.connect(admin_url, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as error:
        if os.environ.get("CI"):
            raise  # CI has PostgreSQL: a missing server there is a failure, not a skip
        pytest.skip(f"PostgreSQL not reachable at {admin_url} ({error}); PostgreSQL part skipped")
    name = f"cs_migrate_{uuid.uuid4().hex[:8]}"
    connection.execute(f'CREATE DATABASE "{name}"')
    return connection, name, admin_url.rsplit("/", 1)[0] + f"/{name}"


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql"])
def test_flask_db_upgrade_and_downgrade_from_the_command_line(tmp_path, dialect):
    cleanup = None
    if dialect == "sqlite":
        url = f"sqlite:///{tmp_path}/fresh.sqlite3"
    else:
        connection, name, url = postgres_database()
        cleanup = lambda: (connection.execute(f'DROP DATABASE "{name}" WITH (FORCE)'),
                           connection.close())
    env = {"DATABASE_URL": url, "SCHEDULER_INSTANCE_PATH": str(tmp_path)}
    try:
        up = flask_cli("db", "upgrade", env_extra=env)
        assert up.returncode == 0, up.stderr
        check = flask_cli("db", "check", env_extra=env)
        assert check.returncode == 0 and "No new upgrade operations" in check.stdout + check.stderr
        down = flask_cli("db", "downgrade", "base", env_extra=env)
        assert down.returncode == 0, down.stderr
    finally:
        if cleanup:
            cleanup()
