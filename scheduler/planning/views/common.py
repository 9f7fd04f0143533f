"""Small helpers shared by the planning views."""
from flask import abort, flash
from flask_login import current_user, login_required
from sqlalchemy import select

from ...extensions import db
from ...forms import choices
from .. import access
from ..models import Ceremony, Site
from ..operations import PlanningError

# Long enough to scan a province at a glance, short enough to render fast on a phone.
PAGE_SIZE = 50


def organizers_only(blueprint) -> None:
    """Every route of the blueprint needs a signed-in account (organizer or admin)."""

    @blueprint.before_request
    @login_required
    def _signed_in():
        return None


def get_ceremony(ceremony_id: int) -> Ceremony:
    """The ceremony, if the signed-in account may see it (planning/access.py); else a 404."""
    ceremony = access.visible_ceremony(current_user, ceremony_id)
    if ceremony is None:
        abort(404)
    return ceremony


def get_child(model, row_id: int, ceremony: Ceremony):
    """A row that must belong to `ceremony`: ids from another ceremony are a 404, not a leak."""
    row = db.session.get(model, row_id)
    if row is None or row.ceremony_id != ceremony.id:
        abort(404)
    return row


def site_choices(ceremony_id: int, blank: str | None = None) -> list:
    rows = db.session.execute(
        select(Site.id, Site.code, Site.name).where(Site.ceremony_id == ceremony_id)
        .order_by(Site.is_host.desc(), Site.name)).all()
    pairs = [(site_id, f"{name} ({code})") for site_id, code, name in rows]
    return choices(([("", blank)] if blank is not None else []) + pairs)


def report(form, error: PlanningError) -> None:
    """Put a refused change's message beside its field, or at the top of the page."""
    db.session.rollback()
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = list(field.errors) + [str(error)]
    else:
        flash(str(error), "error")
