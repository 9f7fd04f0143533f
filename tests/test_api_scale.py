"""API lists of a national ceremony (50,000 attendees) cost the same number of
queries as a small one, and their totals are right."""
from sqlalchemy import func, select

from scheduler.devdata.generator import NATIONAL_SITES
from scheduler.extensions import db
from scheduler.planning.models import Attendee

from .api_helpers import ApiClient, make_token
from .test_scale import generated

PATHS = ["/api/v1/ceremonies", "/api/v1/ceremonies/{c}", "/api/v1/ceremonies/{c}/sites",
         "/api/v1/ceremonies/{c}/sites?page=3&province=x", "/api/v1/ceremonies/{c}/attendees",
         "/api/v1/ceremonies/{c}/attendees?per_page=200&page=2",
         "/api/v1/ceremonies/{c}/attendees?site_id={s}&partstat=NEEDS-ACTION&q=a",
         "/api/v1/ceremonies/{c}/readiness", "/api/v1/ceremonies/{c}/rsvp",
         "/api/v1/ceremonies/{c}/invitations"]


def _counts(api, count_queries, ceremony_id, site_id):
    result = {}
    for template in PATHS:
        path = template.format(c=ceremony_id, s=site_id)
        with count_queries() as counter:
            response = api.get(path)
        assert response.status_code == 200, (path, response.get_data(as_text=True))
        result[template] = counter.count
    return result


def test_api_query_counts_do_not_grow_with_the_ceremony(app, clock, make_user, count_queries):
    user = make_user()
    api = ApiClient(app, make_token(app, clock, user))
    api.get("/api/v1/ceremonies")  # last_used_at is written on the first call only
    small = _counts(api, count_queries, *generated(app, 60, 2, seed=1))
    national_id, host_id = generated(app, NATIONAL_SITES, 15, seed=2)
    national = _counts(api, count_queries, national_id, host_id)
    assert national == small
    assert max(national.values()) <= 8, national
    with app.app_context():
        people = db.session.scalar(select(func.count()).where(Attendee.ceremony_id == national_id))
    assert people >= 50_000
    page = api.get(f"/api/v1/ceremonies/{national_id}/attendees?per_page=200").get_json()
    assert page["total"] == people and len(page["items"]) == 200
