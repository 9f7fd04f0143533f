"""Read-side queries for pages: each returns what a page needs in a fixed number of queries."""
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ..extensions import db
from .models import Attendee, Ceremony, Commendation, ProgrammeItem, Site


def site_and_attendee_counts(ceremony_ids: list[int]) -> dict[int, tuple[int, int]]:
    if not ceremony_ids:
        return {}
    sites = dict(db.session.execute(
        select(Site.ceremony_id, func.count()).where(Site.ceremony_id.in_(ceremony_ids))
        .group_by(Site.ceremony_id)).all())
    people = dict(db.session.execute(
        select(Attendee.ceremony_id, func.count()).where(Attendee.ceremony_id.in_(ceremony_ids))
        .group_by(Attendee.ceremony_id)).all())
    return {cid: (sites.get(cid, 0), people.get(cid, 0)) for cid in ceremony_ids}


def programme(ceremony_id: int) -> list[ProgrammeItem]:
    return list(db.session.scalars(
        select(ProgrammeItem).where(ProgrammeItem.ceremony_id == ceremony_id)
        .options(selectinload(ProgrammeItem.origin_site))
        .order_by(ProgrammeItem.start_offset_minutes, ProgrammeItem.id)))


@dataclass
class CeremonyOverview:
    host: Site | None
    site_status_counts: dict[str, int]
    category_counts: dict[str, int]
    programme: list[ProgrammeItem]
    collective_count: int
    individual_count: int
    authorities: list[tuple[str, int]] = field(default_factory=list)

    @property
    def site_count(self) -> int:
        return sum(self.site_status_counts.values())

    @property
    def attendee_count(self) -> int:
        return sum(self.category_counts.values())


def ceremony_overview(ceremony: Ceremony) -> CeremonyOverview:
    cid = ceremony.id
    host = db.session.scalar(select(Site).where(Site.ceremony_id == cid, Site.is_host))
    site_status = dict(db.session.execute(
        select(Site.status, func.count()).where(Site.ceremony_id == cid).group_by(Site.status)).all())
    categories = dict(db.session.execute(
        select(Attendee.category, func.count()).where(Attendee.ceremony_id == cid)
        .group_by(Attendee.category)).all())
    awards = db.session.execute(
        select(Commendation.recipient_kind, Commendation.authority, func.count())
        .where(Commendation.ceremony_id == cid)
        .group_by(Commendation.recipient_kind, Commendation.authority)).all()
    by_kind = {"collective": 0, "individual": 0}
    by_authority: dict[str, int] = {}
    for kind, authority, count in awards:
        by_kind[kind] += count
        by_authority[authority] = by_authority.get(authority, 0) + count
    return CeremonyOverview(
        host=host, site_status_counts=site_status, category_counts=categories,
        programme=programme(cid), collective_count=by_kind["collective"],
        individual_count=by_kind["individual"], authorities=sorted(by_authority.items()),
    )


def substitutions(people: list[Attendee], site_id: int | None = None
                  ) -> tuple[dict[int, str], dict[int, str]]:
    """Names across substitutions for a page of people: (replaces, replaced_by), by person id.

    With `site_id`, only names of people at that site (a coordinator's view: a
    substitute later moved elsewhere by the organizer is no longer theirs to see).
    """
    ids = [p.id for p in people]
    originals = [p.substitute_for_id for p in people if p.substitute_for_id]
    same_site = [Attendee.site_id == site_id] if site_id is not None else []
    replaces = dict(db.session.execute(
        select(Attendee.id, Attendee.full_name).where(Attendee.id.in_(originals), *same_site)
    ).all()) if originals else {}
    replaced_by = dict(db.session.execute(
        select(Attendee.substitute_for_id, Attendee.full_name)
        .where(Attendee.substitute_for_id.in_(ids), *same_site)).all()) if ids else {}
    return ({p.id: replaces[p.substitute_for_id] for p in people if p.substitute_for_id in replaces},
            replaced_by)
