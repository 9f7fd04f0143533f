"""Load the demo ceremony (modelled on shared/seed) through the planning operations."""
import secrets
from datetime import datetime, time, timedelta

from sqlalchemy import select

from ..auth import operations as accounts
from ..auth.models import User
from ..extensions import db
from ..planning.models import Ceremony, Site
from ..planning.operations import attendees, ceremonies, programme, sites
from ..planning.timeutil import local_to_utc, utc_to_local
from ..portal import operations as coordinator
from . import demo_data

DEMO_EMAIL = "demo@ceremony-scheduler.example"
DEMO_UID_PREFIX = "demo-"
DAYS_AHEAD = 30


def demo_account(now: datetime) -> tuple[User, str]:
    """The demo administrator, with a fresh random password each time (never one in the repo)."""
    password = secrets.token_urlsafe(9)
    user = accounts.find_by_email(DEMO_EMAIL)
    if user is None:
        user = accounts.create_user(email=DEMO_EMAIL, name="Tổ chức Demo", password=password,
                                    role="admin", now=now)
    else:
        user.set_password(password)
        user.active = True
    return user, password


def existing_demo() -> Ceremony | None:
    return db.session.scalar(select(Ceremony).where(Ceremony.uid.startswith(DEMO_UID_PREFIX)))


def load_demo(now: datetime, created_by_id: int | None) -> Ceremony:
    spec = demo_data.CEREMONY
    tz = spec["timezone"]
    day = utc_to_local(now, tz).date() + timedelta(days=DAYS_AHEAD)
    start = local_to_utc(datetime.combine(day, time.fromisoformat(spec["start_local_time"])), tz)
    values = {k: spec[k] for k in ("title", "kind", "description", "timezone", "chair",
                                   "organizing_unit", "join_details")}
    values.update(starts_at=start, ends_at=start + timedelta(minutes=spec["duration_minutes"]),
                  rehearsal_at=start - timedelta(hours=spec["rehearsal_hours_before"]))
    ceremony = ceremonies.create_ceremony(values, created_by_id=created_by_id, now=now)
    ceremony.uid = DEMO_UID_PREFIX + ceremony.uid

    site_ids = {}
    for site_spec in demo_data.SITES:
        fields = {k: v for k, v in site_spec.items() if k != "attendees"}
        fields.setdefault("status", "pending")
        site = sites.add_site(ceremony, fields, now=now)
        site_ids[site.code] = site.id
        for person in site_spec["attendees"]:
            attendees.add_attendee(ceremony, site.id, person, now=now)

    for item in demo_data.PROGRAMME:
        values = {k: item[k] for k in programme.ITEM_FIELDS if k != "origin_site_id"}
        values["origin_site_id"] = site_ids[item["origin_site_code"]]
        programme.save_item(ceremony, None, values)
    for award in demo_data.COMMENDATIONS:
        values = {k: award[k] for k in programme.COMMENDATION_FIELDS if k != "site_id"}
        values["site_id"] = site_ids.get(award["site_code"])
        programme.save_commendation(ceremony, None, values)
    ceremonies.schedule(ceremony, now=now)
    for code, (answer, room, endpoint, av, backup, remark) in demo_data.READINESS.items():
        site = db.session.get(Site, site_ids[code])
        coordinator.reply_for_site(site, answer, now)
        coordinator.save_readiness(site, {"room_ready": room, "endpoint_tested": endpoint,
                                          "av_checked": av, "backup_contact": backup,
                                          "readiness_remark": remark}, now)
    return ceremony
