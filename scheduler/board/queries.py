"""What the board reads: a fixed number of aggregate queries whatever the size."""
import unicodedata
from dataclasses import dataclass, field

from sqlalchemy import Integer, cast, func, or_, select

from ..extensions import db
from ..planning.models import Attendee, Site
from .readiness import STATES, state_expression, state_rank

NO_PROVINCE = "-"  # the filter value for sites without a province

SORTS = {
    "name": (Site.is_host.desc(), Site.name, Site.id),
    "province": (Site.province, Site.name, Site.id),
    "state": (state_rank, Site.province, Site.name, Site.id),
    "readiness": (cast(Site.room_ready, Integer) + cast(Site.endpoint_tested, Integer)
                  + cast(Site.av_checked, Integer), Site.province, Site.name, Site.id),
    "activity": (Site.coordinator_seen_at.is_(None).desc(), Site.coordinator_seen_at, Site.id),
}

# A person's effective answer: no if they, their coordinator or their whole site
# said no; yes if they or their coordinator said yes; then tentative; else none yet.
_declined = or_(Attendee.partstat == "DECLINED", Attendee.site_confirmation == "not_coming",
                Site.status == "declined")
_accepted = ~_declined & or_(Attendee.partstat == "ACCEPTED", Attendee.site_confirmation == "confirmed")
_tentative = ~_declined & ~_accepted & (Attendee.partstat == "TENTATIVE")
COUNTS = ("people", "invited", "accepted", "tentative", "declined", "pending", "present")


def _people_counts():
    return (func.count(Attendee.id).label("people"),
            func.count(Attendee.invited_sequence).label("invited"),
            func.count().filter(_accepted).label("accepted"),
            func.count().filter(_tentative).label("tentative"),
            func.count().filter(_declined).label("declined"),
            func.count().filter(~_accepted & ~_declined & ~_tentative).label("pending"),
            func.count().filter(Attendee.attendance.in_(("present", "late"))).label("present"))


@dataclass
class Filters:
    state: str = ""
    province: str = ""
    q: str = ""
    sort: str = "state"

    def apply(self, query):
        if self.state in STATES:
            query = query.where(state_expression == self.state)
        if self.province == NO_PROVINCE:
            query = query.where(Site.province == "")
        elif self.province:
            query = query.where(Site.province == self.province)
        if self.q:
            # Typed text, not a pattern: % and _ match themselves.
            text = unicodedata.normalize("NFC", self.q).replace("\\", "\\\\")
            pattern = "%" + text.replace("%", "\\%").replace("_", "\\_") + "%"
            query = query.where(or_(Site.name.ilike(pattern, escape="\\"),
                                    Site.code.ilike(pattern, escape="\\")))
        return query


@dataclass
class Totals:
    sites: dict[str, int] = field(default_factory=dict)
    people: dict[str, int] = field(default_factory=dict)


def totals(ceremony_id: int) -> Totals:
    by_state = dict(db.session.execute(
        select(state_expression, func.count()).where(Site.ceremony_id == ceremony_id)
        .group_by(state_expression)).all())
    people = db.session.execute(select(*_people_counts()).join(Site, Site.id == Attendee.site_id)
                                .where(Attendee.ceremony_id == ceremony_id)).one()
    return Totals(sites={state: by_state.get(state, 0) for state in STATES}, people=dict(people._mapping))


def by_province(ceremony_id: int) -> list[tuple[str, dict[str, int]]]:
    """[(province, {state: count})] in province order; the host's province included."""
    rows = db.session.execute(
        select(Site.province, state_expression, func.count()).where(Site.ceremony_id == ceremony_id)
        .group_by(Site.province, state_expression).order_by(Site.province)).all()
    provinces: dict[str, dict[str, int]] = {}
    for province, state, count in rows:
        provinces.setdefault(province, {})[state] = count
    return list(provinces.items())


def site_page(ceremony_id: int, filters: Filters):
    query = filters.apply(select(Site).where(Site.ceremony_id == ceremony_id))
    return query.order_by(*SORTS.get(filters.sort, SORTS["state"]))


def people_by_site(site_ids: list[int]) -> dict[int, dict[str, int]]:
    if not site_ids:
        return {}
    rows = db.session.execute(select(Attendee.site_id, *_people_counts())
                              .join(Site, Site.id == Attendee.site_id)
                              .where(Attendee.site_id.in_(site_ids)).group_by(Attendee.site_id)).all()
    empty = dict.fromkeys(COUNTS, 0)
    counts = {site_id: dict(empty) for site_id in site_ids}
    for row in rows:
        values = dict(row._mapping)
        counts[values.pop("site_id")] = values
    return counts
