"""Check-in on the day: by code (typed or scanned), or by tapping a name; printable QR codes."""
from flask import abort, flash, g, render_template, request
from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy import func, select

from ..extensions import db
from ..forms import strip_control
from ..i18n import format_local, format_local_time
from ..planning.labels import ATTENDANCE_LABELS
from ..planning.models import ATTENDANCES, Attendee
from ..planning.names import name_key
from . import operations
from .checkin import checkin_code, normalise_code, qr_svg_inline
from .coordinator import PAGE_SIZE, back, bp, page_number, person_at_site, site_and_ceremony
from .forms import CodeForm

# A printed sheet: a dozen cards per A4 page, a few pages per request.
SHEET_SIZE = 48


def _render(form: CodeForm, token: str):
    site, ceremony = site_and_ceremony()
    q = strip_control(request.args.get("q", "")).strip()[:200]
    query = select(Attendee).where(Attendee.site_id == site.id)
    if q:
        query = query.where(Attendee.name_key.contains(name_key(q), autoescape=True))
    page = db.paginate(query.order_by(Attendee.full_name, Attendee.id), page=page_number(),
                       per_page=PAGE_SIZE, error_out=False)
    counts = dict(db.session.execute(
        select(Attendee.attendance, func.count()).where(Attendee.site_id == site.id)
        .group_by(Attendee.attendance)).all())
    return render_template("portal/checkin.html", site=site, ceremony=ceremony, token=token,
                           form=form, page=page, q=q, counts=counts, total=sum(counts.values()),
                           tz=site.effective_timezone(ceremony))


@bp.get("/<token>/check-in")
def checkin(token: str):
    return _render(CodeForm(), token)


def _holder_of(code: str) -> Attendee | None:
    """The person at this site whose code this is; codes are derived, so compare each."""
    site, _ceremony = site_and_ceremony()
    rows = db.session.execute(
        select(Attendee.id, Attendee.link_key).where(Attendee.site_id == site.id)).all()
    matches = [row.id for row in rows if checkin_code(row.id, row.link_key) == code]
    return db.session.get(Attendee, matches[0]) if len(matches) == 1 else None


@bp.post("/<token>/check-in/code")
def checkin_by_code(token: str):
    site, ceremony = site_and_ceremony()
    form = CodeForm()
    if not form.validate():
        return _render(form, token)
    tz = site.effective_timezone(ceremony)
    opens, closes = operations.code_window(ceremony)
    if not opens <= g.now <= closes:
        form.code.errors.append(
            _("Check-in by code opens at %(time)s, on the day of the ceremony.",
              time=format_local(opens, tz)) if g.now < opens else
            _("Check-in by code closed after the ceremony. Use the buttons in the list below to "
              "correct the record."))
        return _render(form, token)
    code = normalise_code(form.code.data)
    person = _holder_of(code) if code else None
    if person is None:
        form.code.errors.append(_("No one at this site has this code. Check it, or find the "
                                  "person in the list below."))
        return _render(form, token)
    if not operations.check_in_by_code(ceremony, site, person, g.now):
        flash(_("%(name)s was already checked in at %(time)s (%(attendance)s).", name=person.full_name,
                time=format_local_time(person.attendance_at, tz),
                attendance=ATTENDANCE_LABELS[person.attendance]), "info")
        return back("coordinator.checkin")
    db.session.commit()
    flash(_("%(name)s: %(attendance)s.", name=person.full_name,
            attendance=ATTENDANCE_LABELS[person.attendance]), "success")
    return back("coordinator.checkin")


@bp.post("/<token>/check-in/<int:attendee_id>")
def checkin_person(token: str, attendee_id: int):
    site, _ceremony = site_and_ceremony()
    person = person_at_site(attendee_id)
    attendance = request.form.get("attendance")
    if attendance not in ATTENDANCES:
        abort(400)
    operations.check_in(site, person, attendance, g.now)
    db.session.commit()
    return back("coordinator.checkin")


@bp.post("/<token>/check-in/<int:attendee_id>/undo")
def undo_checkin(token: str, attendee_id: int):
    """Back to "not checked in": for a code scanned or a button tapped by mistake."""
    site, _ceremony = site_and_ceremony()
    person = person_at_site(attendee_id)
    if person.attendance is not None:
        operations.check_in(site, person, None, g.now)
        db.session.commit()
        flash(_("%(name)s: check-in undone.", name=person.full_name), "success")
    return back("coordinator.checkin")


@bp.get("/<token>/qr-codes")
def qr_sheet(token: str):
    site, ceremony = site_and_ceremony()
    page = db.paginate(select(Attendee).where(Attendee.site_id == site.id)
                       .order_by(Attendee.full_name, Attendee.id), page=page_number(),
                       per_page=SHEET_SIZE, error_out=False)
    cards = []
    for person in page.items:
        code = checkin_code(person.id, person.link_key)
        # segno's markup holds only path data for our own code: nothing from a user.
        cards.append((person, code, Markup(qr_svg_inline(code))))
    return render_template("portal/qr_sheet.html", site=site, ceremony=ceremony, token=token,
                           page=page, cards=cards)
