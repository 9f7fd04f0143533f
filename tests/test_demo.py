"""`flask demo` loads a realistic ceremony modelled on the seed article."""
from collections import Counter
from datetime import timedelta

from sqlalchemy import select

from scheduler.devdata.demo import DEMO_EMAIL
from scheduler.extensions import db
from scheduler.planning.models import Attendee, Ceremony, Commendation, ProgrammeItem, Site

from .conftest import login


def test_demo_loads_the_ceremony_of_the_article_in_the_future(app, runner, clock):
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    assert DEMO_EMAIL in result.output and "http://127.0.0.1:5000/" in result.output
    with app.app_context():
        ceremony = db.session.scalar(select(Ceremony))
        assert ceremony.status == "scheduled" and ceremony.starts_at > clock() + timedelta(days=7)
        assert ceremony.timezone == "Asia/Ho_Chi_Minh" and "Tô Lâm" in ceremony.chair
        sites = db.session.scalars(select(Site).where(Site.ceremony_id == ceremony.id)).all()
        [host] = [s for s in sites if s.is_host]
        assert "Bộ Công an" in host.name
        bac_ninh = next(s for s in sites if "Bắc Ninh" in s.name)
        people = db.session.scalars(select(Attendee).where(Attendee.site_id == bac_ninh.id)).all()
        categories = Counter(p.category for p in people)
        assert categories["former_leader"] >= 2 and categories["leader"] >= 1
        assert any(p.full_name == "Bùi Chiến Thắng" and p.rank == "Đại tá" for p in people)
        items = db.session.scalars(select(ProgrammeItem).where(
            ProgrammeItem.ceremony_id == ceremony.id)).all()
        launch = next(i for i in items if "phát động" in i.title.lower())
        assert launch.origin_site_id == bac_ninh.id
        awards = db.session.scalars(select(Commendation)).all()
        kinds = Counter(a.recipient_kind for a in awards)
        assert kinds == {"collective": 26, "individual": 25}
        assert len({a.authority for a in awards}) == 3
        # The board has something to show: some sites ready, some half-way, the rest waiting.
        assert bac_ninh.status == "confirmed" and bac_ninh.readiness_done == 4
        assert Counter(s.status for s in sites) == {"confirmed": 4, "pending": 4}


def test_demo_runs_twice_without_duplicating_and_prints_a_working_login(app, runner):
    runner.invoke(args=["demo"])
    second = runner.invoke(args=["demo"])
    assert second.exit_code == 0
    with app.app_context():
        assert len(db.session.scalars(select(Ceremony)).all()) == 1
    password = second.output.split("password:")[1].split()[0]
    browser = app.test_client()
    login(browser, DEMO_EMAIL, password)
    page = browser.get("/").get_data(as_text=True)
    assert "Lễ kỷ niệm 55 năm" in page


def test_demo_ceremony_pages_render_without_warnings(app, runner):
    result = runner.invoke(args=["demo"])
    password = result.output.split("password:")[1].split()[0]
    browser = app.test_client()
    login(browser, DEMO_EMAIL, password)
    with app.app_context():
        ceremony_id = db.session.scalar(select(Ceremony.id))
    page = browser.get(f"/ceremonies/{ceremony_id}").get_data(as_text=True)
    assert "warn-" not in page  # the demo plan is consistent
    assert "26 tập thể, 25 cá nhân" in page
    for path in ("sites/", "attendees/", "programme", "commendations"):
        assert browser.get(f"/ceremonies/{ceremony_id}/{path}").status_code == 200
