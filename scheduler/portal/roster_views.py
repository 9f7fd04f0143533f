"""The site's list of people: confirm each, add someone, propose a substitute."""
from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from ..extensions import db
from ..planning import queries
from ..planning.forms import PersonForm
from ..planning.models import Attendee
from ..planning.operations import PlanningError
from . import operations
from .coordinator import PAGE_SIZE, back, bp, page_number, person_at_site, site_and_ceremony


@bp.get("/<token>/people")
def people(token: str):
    site, ceremony = site_and_ceremony()
    page = db.paginate(select(Attendee).where(Attendee.site_id == site.id)
                       .order_by(Attendee.full_name, Attendee.id), page=page_number(),
                       per_page=PAGE_SIZE, error_out=False)
    replaces, replaced_by = queries.substitutions(page.items, site.id)
    return render_template("portal/people.html", site=site, ceremony=ceremony, token=token, page=page,
                           replaces=replaces, replaced_by=replaced_by)


@bp.post("/<token>/people/<int:attendee_id>/confirm")
def confirm(token: str, attendee_id: int):
    site, _ceremony = site_and_ceremony()
    person = person_at_site(attendee_id)
    value = request.form.get("confirmation")
    if value not in ("confirmed", "not_coming"):
        abort(400)
    operations.confirm_person(site, person, value, g.now)
    db.session.commit()
    return back("coordinator.people")


def _person_form_page(form: PersonForm, token: str, original: Attendee | None):
    site, ceremony = site_and_ceremony()
    if form.validate_on_submit():
        try:
            person = operations.add_person(ceremony, site, form.values(), g.now, replaces=original)
        except PlanningError as error:
            db.session.rollback()
            getattr(form, error.field or "full_name").errors.append(str(error))
        else:
            db.session.commit()
            if original is not None:
                message = _("%(new)s will attend in place of %(old)s.", new=person.full_name,
                            old=original.full_name)
            else:
                message = _("%(name)s added to the list.", name=person.full_name)
            if ceremony.status == "scheduled" and person.email:
                message += " " + _("An invitation is on its way to them.")
            flash(message, "success")
            return redirect(url_for("coordinator.people", token=token))
    return render_template("portal/person_form.html", site=site, ceremony=ceremony, token=token,
                           form=form, original=original)


@bp.route("/<token>/people/new", methods=["GET", "POST"])
def add_person(token: str):
    return _person_form_page(PersonForm(), token, None)


@bp.route("/<token>/people/<int:attendee_id>/substitute", methods=["GET", "POST"])
def substitute(token: str, attendee_id: int):
    original = person_at_site(attendee_id)
    form = PersonForm()
    if request.method == "GET":
        # Most substitutes come from the same unit; the rest is theirs to fill in.
        form.unit.data = original.unit
        form.language.data = original.language
    return _person_form_page(form, token, original)
