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


def test_upgrading_a_database_with_data_keeps_every_row_and_link(tmp_path):
    """Batch rebuilds of SQLite tables must neither fail on nor cascade into real rows."""
    import sqlite3

    url = f"sqlite:///{tmp_path}/old.sqlite3"
    env = {"DATABASE_URL": url, "SCHEDULER_INSTANCE_PATH": str(tmp_path)}
    assert flask_cli("db", "upgrade", "0003", env_extra=env).returncode == 0
    connection = sqlite3.connect(tmp_path / "old.sqlite3")
    connection.executescript("""
        INSERT INTO users (id, email, name, password_hash, role, active, created_at)
            VALUES (1, 'a@example.vn', 'A', 'x', 'admin', 1, '2027-01-01 00:00:00');
        INSERT INTO ceremonies (id, uid, title, kind, description, starts_at, ends_at, timezone,
            chair, organizing_unit, join_details, status, sequence, created_by_id, created_at, updated_at)
            VALUES (1, 'u1', 'Lễ', 'commemoration', '', '2027-06-01 01:00:00', '2027-06-01 03:00:00',
            'Asia/Ho_Chi_Minh', '', '', '', 'scheduled', 0, 1, '2027-01-01 00:00:00', '2027-01-01 00:00:00');
        INSERT INTO sites (id, ceremony_id, name, code, is_host, province, address, room, video_endpoint,
            coordinator_name, coordinator_email, coordinator_phone, status, created_at)
            VALUES (1, 1, 'Bộ Công an', 'BCA', 1, '', '', '', '', '', '', '', 'pending', '2027-01-01 00:00:00');
        INSERT INTO attendees (id, ceremony_id, site_id, full_name, name_key, rank, position, unit, email,
            phone, category, language, partstat, rsvp_comment, sequence_offset, link_key, created_at, updated_at)
            VALUES (1, 1, 1, 'Nguyễn A', 'nguyễn a', '', '', '', 'a@example.vn', '', 'delegate', 'vi',
            'NEEDS-ACTION', '', 0, 'k', '2027-01-01 00:00:00', '2027-01-01 00:00:00');
        INSERT INTO programme_items (id, ceremony_id, start_offset_minutes, duration_minutes, title,
            presenter, origin_site_id, notes) VALUES (1, 1, 0, 10, 'Chào cờ', '', 1, '');
    """)
    connection.commit()
    connection.close()
    up = flask_cli("db", "upgrade", env_extra=env)
    assert up.returncode == 0, up.stderr
    connection = sqlite3.connect(tmp_path / "old.sqlite3")
    assert connection.execute("SELECT origin_site_id FROM programme_items").fetchall() == [(1,)]
    assert connection.execute("SELECT site_id FROM attendees").fetchall() == [(1,)]
    assert connection.execute("SELECT count(*) FROM reminder_rules WHERE ceremony_id = 1").fetchone() == (5,)
    assert len(connection.execute("SELECT link_key FROM sites").fetchone()[0]) == 32
    # The creator is listed as the ceremony's organizer, so they keep seeing it.
    assert connection.execute("SELECT ceremony_id, user_id FROM ceremony_organizers").fetchall() == [(1, 1)]
    connection.close()
    down = flask_cli("db", "downgrade", "0003", env_extra=env)
    assert down.returncode == 0, down.stderr
    connection = sqlite3.connect(tmp_path / "old.sqlite3")
    assert connection.execute("SELECT origin_site_id FROM programme_items").fetchall() == [(1,)]
    assert connection.execute("SELECT name FROM sqlite_master WHERE name LIKE '_alembic_tmp%'").fetchall() == []
