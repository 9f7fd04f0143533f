"""Who plans a ceremony: any of its organizers (or an admin) lists colleagues on it."""
from flask import Blueprint, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import and_, or_, select

from ...auth.models import User
from ...clock import current_time
from ...extensions import db
from .. import access
from ..forms import OrganizerForm
from ..models import CeremonyOrganizer
from .common import get_ceremony, organizers_only

bp = Blueprint("organizers", __name__, url_prefix="/ceremonies/<int:ceremony_id>/organizers")
organizers_only(bp)


def organizer_panel(ceremony_id: int) -> tuple[list[User], OrganizerForm]:
    """The ceremony's organizers, and a form offering the active accounts not listed
    yet: one query for both."""
    listed = CeremonyOrganizer.user_id.is_not(None)
    rows = db.session.execute(
        select(User, listed).outerjoin(CeremonyOrganizer, and_(
            CeremonyOrganizer.user_id == User.id, CeremonyOrganizer.ceremony_id == ceremony_id))
        .where(or_(User.active, listed)).order_by(User.name, User.id)).all()
    form = OrganizerForm(prefix="organizer")
    form.user_id.choices = [(user.id, f"{user.name} <{user.email}>") for user, on in rows if not on]
    return [user for user, on in rows if on], form


@bp.post("/")
def add(ceremony_id: int):
    ceremony = get_ceremony(ceremony_id)
    form = organizer_panel(ceremony.id)[1]
    if form.validate_on_submit():
        access.add_organizer(ceremony.id, form.user_id.data, now=current_time())
        db.session.commit()
        flash(_("%(name)s can now see and plan this ceremony.",
                name=db.session.get(User, form.user_id.data).name), "success")
    else:
        flash(_("Choose an active account that is not listed yet."), "error")
    return redirect(url_for("ceremonies.show", ceremony_id=ceremony.id) + "#organizers")


@bp.post("/<int:user_id>/remove")
def remove(ceremony_id: int, user_id: int):
    ceremony = get_ceremony(ceremony_id)
    if access.remove_organizer(ceremony.id, user_id):
        db.session.commit()
        flash(_("Removed from the ceremony's organizers."), "success")
        if user_id == current_user.id and not current_user.is_admin:
            return redirect(url_for("ceremonies.index"))  # they no longer see it
    else:
        flash(_("A ceremony keeps at least one organizer."), "error")
    return redirect(url_for("ceremonies.show", ceremony_id=ceremony.id) + "#organizers")
