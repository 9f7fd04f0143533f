"""Fixtures: one app and schema per session (built by the real migrations), rows
wiped after each test, an injectable clock, and factories that go through the
same operations the views use.

Set TEST_DATABASE_URL=postgresql://... to run the whole suite on PostgreSQL.
"""
import os
import re
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import flask_migrate
import pytest
from sqlalchemy import delete, event, select

from scheduler import create_app
from scheduler.extensions import db

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")
CSRF_FIELD = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|'
                        r'type="hidden" name="csrf_token" value="([^"]+)"')
START_OF_TESTS = datetime(2027, 5, 10, 3, 0, tzinfo=UTC)


class Clock:
    """A clock the tests move by hand: no sleeping, no wall-clock races."""

    def __init__(self, now: datetime):
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta) -> None:
        self.now += timedelta(**delta)


_clock = Clock(START_OF_TESTS)


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    instance = tmp_path_factory.mktemp("instance")
    url = TEST_DATABASE_URL or f"sqlite:///{instance}/test.sqlite3"
    app = create_app({
        "TESTING": True, "SECRET_KEY": "test-only-secret", "INSTANCE_PATH": str(instance),
        "SQLALCHEMY_DATABASE_URI": url, "CLOCK": _clock,
    })
    with app.app_context():
        flask_migrate.upgrade()
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(autouse=True)
def _clean_rows(app):
    yield
    from scheduler.extensions import limiter

    limiter.reset()  # rate-limit counts start afresh with every test
    with app.app_context():
        db.session.rollback()
        for table in reversed(db.metadata.sorted_tables):
            db.session.execute(delete(table))
        db.session.commit()
        db.session.remove()


@pytest.fixture
def clock():
    _clock.now = START_OF_TESTS
    yield _clock
    _clock.now = START_OF_TESTS


@pytest.fixture
def ctx(app, clock):
    with app.app_context():
        yield app


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def csrf_token(client, path="/login") -> str:
    page = client.get(path).get_data(as_text=True)
    match = CSRF_FIELD.search(page)
    assert match, f"no CSRF token on {path}"
    return match.group(1) or match.group(2)


def post_form(client, path: str, data: dict, token_from: str | None = None, **kwargs):
    """Submit a form the way a browser does: fetch the page's token, then post."""
    token = csrf_token(client, token_from or path)
    return client.post(path, data={**data, "csrf_token": token}, **kwargs)


def snapshot(row):
    """Column values of a row, usable after its session is gone."""
    return SimpleNamespace(**{c.key: getattr(row, c.key) for c in row.__table__.columns})


@pytest.fixture
def make_user(app, clock):
    from scheduler.auth import operations

    def make(email="organizer@example.vn", password="correct horse battery", role="organizer",
             name="Nguyễn Thị Tổ Chức"):
        with app.app_context():
            user = operations.create_user(email=email, name=name, password=password, role=role,
                                          now=clock())
            db.session.commit()
            return snapshot(user)

    return make


def login(client, email, password="correct horse battery"):
    response = post_form(client, "/login", {"email": email, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return response


def signed_in(app, user):
    browser = app.test_client()
    login(browser, user.email)
    browser.user_id = user.id
    return browser


@pytest.fixture
def client(app, make_user):
    """A browser signed in as an organizer."""
    return signed_in(app, make_user())


@pytest.fixture
def admin_client(app, make_user):
    return signed_in(app, make_user(email="admin@example.vn", role="admin", name="Quản Trị"))


@pytest.fixture
def factory(app, clock):
    return Factory(app, clock)


@pytest.fixture
def fetch(app):
    """Read a row back as a snapshot, outside any request."""

    def get(model, row_id):
        with app.app_context():
            row = db.session.get(model, row_id)
            return snapshot(row) if row is not None else None

    return get


class Factory:
    """Builds planning data through the operations, committed like a request would.

    Each call runs in its own app context, as a request does, and returns a
    snapshot, so tests never share a session with the app under test.
    """

    def __init__(self, app, clock):
        self.app = app
        self.clock = clock

    def ceremony(self, **overrides):
        from scheduler.auth.models import User
        from scheduler.planning import access
        from scheduler.planning.operations import ceremonies

        starts = overrides.pop("starts_at", START_OF_TESTS + timedelta(days=10))
        values = {"title": "Lễ kỷ niệm", "kind": "commemoration", "description": "",
                  "timezone": "Asia/Ho_Chi_Minh", "chair": "", "organizing_unit": "",
                  "join_details": "", "starts_at": starts, "ends_at": starts + timedelta(hours=2),
                  "rehearsal_at": None}
        organizers = overrides.pop("organizers", None)
        values.update(overrides)
        with self.app.app_context():
            ceremony = ceremonies.create_ceremony(values, created_by_id=None, now=self.clock())
            # Listed on it: the given account ids, or by default every organizer account
            # made so far (the signed-in `client` of most tests).
            if organizers is None:
                organizers = db.session.scalars(select(User.id).where(User.role == "organizer"))
            for user_id in organizers:
                access.add_organizer(ceremony.id, user_id, now=self.clock())
            db.session.commit()
            return snapshot(ceremony)

    def site(self, ceremony, code="BNI", **overrides):
        from scheduler.planning.models import Ceremony
        from scheduler.planning.operations import sites

        values = {"name": f"Điểm cầu {code}", "code": code, "is_host": False, "province": "",
                  "address": f"Số 1 phố {code}", "room": "Hội trường", "timezone": None,
                  "video_endpoint": "", "capacity": None, "coordinator_name": "",
                  "coordinator_email": "", "coordinator_phone": "", "status": "pending"}
        values.update(overrides)
        with self.app.app_context():
            site = sites.add_site(db.session.get(Ceremony, ceremony.id), values, now=self.clock())
            db.session.commit()
            return snapshot(site)

    def attendee(self, ceremony, site, full_name="Trần Văn Bình", **overrides):
        from scheduler.planning.models import Ceremony
        from scheduler.planning.operations import attendees

        values = {"full_name": full_name, "rank": "Đại tá", "position": "", "unit": "",
                  "email": "", "phone": "", "category": "delegate"}
        values.update(overrides)
        with self.app.app_context():
            person = attendees.add_attendee(db.session.get(Ceremony, ceremony.id), site.id, values,
                                            now=self.clock())
            db.session.commit()
            return snapshot(person)

    def item(self, ceremony, title="Chào cờ", start=0, duration=10, origin_site_id=None):
        from scheduler.planning.models import Ceremony
        from scheduler.planning.operations import programme

        with self.app.app_context():
            item = programme.save_item(db.session.get(Ceremony, ceremony.id), None, {
                "start_offset_minutes": start, "duration_minutes": duration, "title": title,
                "presenter": "", "origin_site_id": origin_site_id, "notes": ""})
            db.session.commit()
            return snapshot(item)


class QueryCounter:
    def __init__(self):
        self.count = 0

    def __call__(self, *args, **kwargs):
        self.count += 1


@pytest.fixture
def count_queries(app):
    """Counts SQL statements sent while the block runs: `with count_queries() as counter:`."""
    from contextlib import contextmanager

    @contextmanager
    def counting():
        counter = QueryCounter()
        with app.app_context():
            engine = db.engine
        event.listen(engine, "before_cursor_execute", counter)
        try:
            yield counter
        finally:
            event.remove(engine, "before_cursor_execute", counter)

    return counting


@pytest.fixture
def smtp(app, monkeypatch):
    """A real SMTP server on loopback, and the app configured to send through it."""
    from .smtp_sink import SMTPSink

    sink = SMTPSink()
    sink.start()
    monkeypatch.setitem(app.config, "MAIL_TRANSPORT", "smtp")
    monkeypatch.setitem(app.config, "MAIL_SMTP_HOST", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_SMTP_PORT", sink.port)
    monkeypatch.setitem(app.config, "MAIL_SMTP_TIMEOUT", 5)
    yield sink
    sink.stop()


@pytest.fixture
def planned(factory, client):
    """A scheduled ceremony: host, Bắc Ninh, three people with email (one English), one without."""
    ceremony = factory.ceremony(title="Lễ kỷ niệm 55 năm Ngày truyền thống lực lượng Xây dựng phong trào "
                                      "toàn dân bảo vệ an ninh Tổ quốc",
                                join_details="Phòng họp trực tuyến 1606 – mã PIN 1967")
    host = factory.site(ceremony, code="BCA", is_host=True, name="Điểm cầu Bộ Công an",
                        room="Hội trường lớn", address="44 Yết Kiêu, Hà Nội")
    bni = factory.site(ceremony, code="BNI", name="Điểm cầu Công an tỉnh Bắc Ninh",
                       room="Hội trường A", address="Số 1 Lý Thái Tổ, Bắc Ninh",
                       video_endpoint="sip:bni@vc.bocongan.example")
    people = {
        "thang": factory.attendee(ceremony, bni, full_name="Bùi Chiến Thắng", rank="Đại tá",
                                  email="thang@example.vn", category="leader"),
        "lan": factory.attendee(ceremony, bni, full_name="Nguyễn Thị Lan", rank="",
                                email="lan@example.vn"),
        "guest": factory.attendee(ceremony, host, full_name="Anna Schmidt", rank="",
                                  email="anna@example.org", language="en", category="guest"),
        "nomail": factory.attendee(ceremony, host, full_name="Trần Văn Không Thư", email=""),
    }
    post_form(client, f"/ceremonies/{ceremony.id}/schedule", {}, token_from="/")
    return ceremony, host, bni, people




def attendee_path(received) -> str:
    """The personal page's path from the link in a received invitation."""
    import email
    from email import policy

    text = email.message_from_bytes(received.data, policy=policy.default).get_body(("plain",)).get_content()
    return "/r/" + text.split("/r/", 1)[1].split()[0]
