"""Programme items and commendations: the content of the ceremony itself."""
from flask_babel import gettext as _

from ...extensions import db
from ..models import Ceremony, Commendation, ProgrammeItem, Site
from ..names import normalise_text
from . import PlanningError, ensure_editable

ITEM_FIELDS = ("start_offset_minutes", "duration_minutes", "title", "presenter",
               "origin_site_id", "notes")
COMMENDATION_FIELDS = ("recipient_kind", "recipient_name", "recipient_detail", "award",
                       "authority", "citation", "site_id")


def _check_site(ceremony: Ceremony, site_id: int | None, field: str) -> None:
    if site_id is None:
        return
    site = db.session.get(Site, site_id)
    if site is None or site.ceremony_id != ceremony.id:
        raise PlanningError(_("Choose a site of this ceremony."), field)


def _clean(values: dict, fields: tuple[str, ...]) -> dict:
    return {k: normalise_text(values[k]) if isinstance(values[k], str) and k not in ("notes", "citation")
            else values[k] for k in fields}


def _save(model, ceremony: Ceremony, row, values: dict, fields: tuple[str, ...], site_field: str):
    ensure_editable(ceremony)
    """Create (row None) or update a programme item or commendation of `ceremony`."""
    values = _clean(values, fields)
    _check_site(ceremony, values[site_field], site_field)
    if row is None:
        row = model(ceremony_id=ceremony.id)
        db.session.add(row)
    for key, value in values.items():
        setattr(row, key, value)
    db.session.flush()
    return row


def save_item(ceremony: Ceremony, item: ProgrammeItem | None, values: dict) -> ProgrammeItem:
    return _save(ProgrammeItem, ceremony, item, values, ITEM_FIELDS, "origin_site_id")


def save_commendation(ceremony: Ceremony, award: Commendation | None, values: dict) -> Commendation:
    return _save(Commendation, ceremony, award, values, COMMENDATION_FIELDS, "site_id")


def delete_row(row: ProgrammeItem | Commendation) -> None:
    db.session.delete(row)
    db.session.flush()
