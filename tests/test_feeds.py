"""Calendar files and subscribable feeds behind secret, revocable addresses."""
import icalendar
import vobject

from .conftest import post_form


def feed_path(created) -> str:
    """The new feed's path, from the answer to the form that made it (shown once there)."""
    assert "no-store" in created.headers["Cache-Control"]
    page = created.get_data(as_text=True)
    url = page.split('id="new-secret" class="feed-url" readonly value="', 1)[1].split('"', 1)[0]
    return "/" + url.split("//", 1)[1].split("/", 1)[1]


def test_site_feed_lists_every_ceremony_at_that_site_until_revoked(app, client, planned, factory):
    ceremony, *_ = planned
    other = factory.ceremony(title="Hội nghị sơ kết")
    factory.site(other, code="BNI", name="Điểm cầu Bắc Ninh (hội nghị)", is_host=True)
    post_form(client, f"/ceremonies/{other.id}/schedule", {}, token_from="/")
    path = feed_path(post_form(client, "/feeds", {"kind": "site", "site_code": "bni", "label": "Bắc Ninh"},
                               token_from="/feeds"))
    visitor = app.test_client()  # calendar apps have no session
    response = visitor.get(path)
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    cal = icalendar.Calendar.from_ical(response.data)
    assert str(cal["METHOD"]) == "PUBLISH"
    events = {str(e["SUMMARY"]): e for e in cal.walk("VEVENT")}
    assert set(events) == {ceremony.title, "Hội nghị sơ kết"}
    assert str(events[ceremony.title]["LOCATION"]).startswith("Điểm cầu Công an tỉnh Bắc Ninh")
    assert len(events[ceremony.title].walk("VALARM")) == 2 and "ATTENDEE" not in events[ceremony.title]
    assert len(vobject.readOne(response.data.decode()).vevent_list) == 2
    # The secret is shown once and only its hash is stored.
    assert client.get("/feeds").get_data(as_text=True).count('id="new-secret"') == 0
    from sqlalchemy import select

    from scheduler.extensions import db
    from scheduler.feeds.models import FeedToken

    with app.app_context():
        token = db.session.scalar(select(FeedToken))
        assert path.split("/")[-1].removesuffix(".ics") not in token.secret_hash
        token_id = token.id
    post_form(client, f"/feeds/{token_id}/revoke", {}, token_from="/feeds")
    assert visitor.get(path).status_code == 404


def test_organizer_feed_has_their_announced_ceremonies(app, client):
    from sqlalchemy import select

    from scheduler.extensions import db
    from scheduler.planning.models import Ceremony, Site

    post_form(client, "/ceremonies/new", {
        "title": "Lễ của tôi", "kind": "other", "timezone": "Asia/Ho_Chi_Minh",
        "starts_at": "2027-06-01T08:00", "ends_at": "2027-06-01T09:00"})
    path = feed_path(post_form(client, "/feeds", {"kind": "organizer"}, token_from="/feeds"))
    calendar_app = app.test_client()
    assert icalendar.Calendar.from_ical(calendar_app.get(path).data).walk("VEVENT") == []  # a draft
    with app.app_context():
        mine = db.session.scalar(select(Ceremony).where(Ceremony.title == "Lễ của tôi"))
        db.session.add(Site(ceremony_id=mine.id, name="Điểm cầu chính", code="BCA", is_host=True,
                            created_at=mine.created_at))
        db.session.commit()
        mine_id = mine.id
    post_form(client, f"/ceremonies/{mine_id}/schedule", {}, token_from="/")
    events = icalendar.Calendar.from_ical(calendar_app.get(path).data).walk("VEVENT")
    assert [str(e["SUMMARY"]) for e in events] == ["Lễ của tôi"]
    assert events[0]["DTSTART"].params["TZID"] == "Asia/Ho_Chi_Minh"


def test_another_organizers_feed_cannot_be_revoked(app, client, make_user):
    from .conftest import login

    post_form(client, "/feeds", {"kind": "organizer"}, token_from="/feeds")
    make_user(email="other@example.vn")
    other = app.test_client()
    login(other, "other@example.vn")
    from sqlalchemy import select

    from scheduler.extensions import db
    from scheduler.feeds.models import FeedToken

    with app.app_context():
        token_id = db.session.scalar(select(FeedToken.id))
    assert post_form(other, f"/feeds/{token_id}/revoke", {}, token_from="/feeds").status_code == 404


def test_site_and_attendee_calendar_files(client, planned):
    ceremony, host, bni, people = planned
    site_file = client.get(f"/ceremonies/{ceremony.id}/sites/{bni.id}/calendar.ics")
    [event] = icalendar.Calendar.from_ical(site_file.data).walk("VEVENT")
    assert str(event["LOCATION"]).startswith("Điểm cầu Công an tỉnh Bắc Ninh")
    assert len(event.walk("VALARM")) == 2
    independent = vobject.readOne(site_file.data.decode()).vevent
    assert independent.location.value == str(event["LOCATION"])
    assert independent.dtstart.value == ceremony.starts_at
    person_file = client.get(f"/ceremonies/{ceremony.id}/attendees/{people['guest'].id}/invite.ics")
    cal = icalendar.Calendar.from_ical(person_file.data)
    assert str(cal["METHOD"]) == "REQUEST"
    assert str(cal.walk("VEVENT")[0]["ATTENDEE"]).lower() == "mailto:anna@example.org"
    vevent = vobject.readOne(person_file.data.decode()).vevent
    assert vevent.attendee.value.lower() == "mailto:anna@example.org"
    assert vevent.attendee.params["PARTSTAT"] == ["NEEDS-ACTION"]
    assert "/r/" in vevent.url.value  # their own page
