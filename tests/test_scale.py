"""Pages of a national ceremony cost the same number of queries as a small one."""
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from scheduler.devdata.generator import NATIONAL_SITES, generate_ceremony, national_layout
from scheduler.auth.models import User
from scheduler.extensions import db
from scheduler.planning import access
from scheduler.planning.models import Attendee, Site

from .conftest import START_OF_TESTS

PAGES = ["/ceremonies/{c}", "/ceremonies/{c}/sites/", "/ceremonies/{c}/sites/?page=2",
         "/ceremonies/{c}/attendees/", "/ceremonies/{c}/programme",
         "/ceremonies/{c}/commendations", "/ceremonies/{c}/sites/{s}", "/",
         "/ceremonies/{c}/board", "/ceremonies/{c}/board?page=2&sort=activity",
         "/ceremonies/{c}/board?state=pending&province=H%C3%A0%20N%E1%BB%99i",
         "/ceremonies/{c}/reminders"]


def generated(app, sites, per_site, seed):
    with app.app_context():
        ceremony_id = generate_ceremony(db.session, sites=sites, attendees_per_site=per_site,
                                        starts_at=START_OF_TESTS + timedelta(days=7),
                                        now=START_OF_TESTS, seed=seed)
        for user_id in db.session.scalars(select(User.id)):  # the signed-in organizer plans it
            access.add_organizer(ceremony_id, user_id, now=START_OF_TESTS)
        db.session.commit()
        host_id = db.session.scalar(select(Site.id).where(Site.ceremony_id == ceremony_id, Site.is_host))
        return ceremony_id, host_id


def queries_per_page(client, count_queries, ceremony_id, site_id):
    result = {}
    for template in PAGES:
        path = template.format(c=ceremony_id, s=site_id)
        with count_queries() as counter:
            response = client.get(path)
        assert response.status_code == 200, path
        result[template] = counter.count
    return result


def test_the_national_layout_has_every_province_and_commune():
    layout = national_layout()
    assert len(layout) == NATIONAL_SITES == 1 + 34 + 3321
    assert len({spec.code for spec in layout}) == NATIONAL_SITES
    assert sum(spec.kind == "province" for spec in layout) == 34
    assert any(spec.name == "Công an tỉnh Bắc Ninh" for spec in layout)


def test_page_query_counts_do_not_grow_with_the_number_of_sites(app, client, count_queries):
    # Two pages of sites: enough to show the second page, far from the national case.
    small = queries_per_page(client, count_queries, *generated(app, 60, 2, seed=1))
    national = queries_per_page(client, count_queries, *generated(app, NATIONAL_SITES, 1, seed=2))
    assert national == small
    assert max(national.values()) <= 15, national


@pytest.mark.parametrize("sites,per_site", [(5, 3), (40, 2)])
def test_generator_makes_exactly_what_was_asked(app, sites, per_site):
    ceremony_id, _host = generated(app, sites, per_site, seed=sites)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Site)
                                 .where(Site.ceremony_id == ceremony_id)) == sites
        people = db.session.scalars(select(Attendee).where(Attendee.ceremony_id == ceremony_id)).all()
        assert len(people) == sites * per_site
        assert len({p.email for p in people}) == len(people)
        assert db.session.scalar(select(func.count()).select_from(Site).where(
            Site.ceremony_id == ceremony_id, Site.is_host)) == 1


def test_a_generated_ceremony_raises_no_false_warnings(app, client):
    ceremony_id, _host = generated(app, 120, 3, seed=9)
    page = client.get(f"/ceremonies/{ceremony_id}").get_data(as_text=True)
    assert "warn-room" not in page and "warn-person" not in page and "warn-programme" not in page
