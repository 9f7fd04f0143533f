"""Paths of the signed link pages, built the way the app builds them."""
from scheduler.planning.models import Attendee, Site
from scheduler.portal.checkin import checkin_code
from scheduler.portal.tokens import attendee_link, site_link


def site_path(app, site_id: int) -> str:
    """The coordinator's current link of a site (its key read afresh)."""
    from scheduler.extensions import db

    with app.app_context():
        site = db.session.get(Site, site_id)
        return site_link("", site.id, site.link_key)


def person_path(app, attendee_id: int) -> str:
    from scheduler.extensions import db

    with app.app_context():
        person = db.session.get(Attendee, attendee_id)
        return attendee_link("", person.id, person.link_key)


def code_of(app, attendee_id: int) -> str:
    from scheduler.extensions import db

    with app.app_context():
        person = db.session.get(Attendee, attendee_id)
        return checkin_code(person.id, person.link_key)
