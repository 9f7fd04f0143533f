"""The Reminders tab: rules, what is coming, what happened."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..clock import current_time
from ..extensions import db
from ..planning.models import Site
from ..planning.operations import PlanningError
from ..planning.views.common import get_ceremony, get_child, organizers_only, report
from . import notes, operations, queries
from .forms import RuleForm
from .labels import describe_rule
from .models import ReminderRule
from .planner import rules_of

bp = Blueprint("reminders", __name__, url_prefix="/ceremonies/<int:ceremony_id>")
organizers_only(bp)


@bp.get("/reminders")
def index(ceremony_id: int):
    ceremony = get_ceremony(ceremony_id)
    page = db.paginate(queries.history(ceremony.id), per_page=50, error_out=False)
    return render_template(
        "reminders/index.html", ceremony=ceremony, rules=rules_of(ceremony.id),
        describe_rule=describe_rule, upcoming=queries.upcoming(ceremony), page=page,
        sent=queries.delivery_counts([row.id for row in page.items]), describe_note=notes.describe)


@bp.route("/reminders/rules/new", methods=["GET", "POST"], defaults={"rule_id": None})
@bp.route("/reminders/rules/<int:rule_id>/edit", methods=["GET", "POST"])
def edit_rule(ceremony_id: int, rule_id: int | None):
    ceremony = get_ceremony(ceremony_id)
    rule = get_child(ReminderRule, rule_id, ceremony) if rule_id else None
    form = RuleForm()
    if rule is not None and request.method == "GET":
        form.fill_from(rule)
    if form.validate_on_submit():
        try:
            if rule is None:
                operations.add_rule(ceremony, form.values(), now=current_time())
            else:
                operations.update_rule(ceremony, rule, form.values(), now=current_time())
        except PlanningError as error:
            report(form, error)
        else:
            db.session.commit()
            flash(_("Saved."), "success")
            return redirect(url_for("reminders.index", ceremony_id=ceremony.id))
    return render_template("reminders/rule_form.html", ceremony=ceremony, rule=rule, form=form)


@bp.post("/reminders/rules/<int:rule_id>/toggle")
def toggle_rule(ceremony_id: int, rule_id: int):
    ceremony = get_ceremony(ceremony_id)
    rule = get_child(ReminderRule, rule_id, ceremony)
    operations.set_enabled(ceremony, rule, not rule.enabled, now=current_time())
    db.session.commit()
    flash(_("Reminder turned on.") if rule.enabled else _("Reminder turned off."), "success")
    return redirect(url_for("reminders.index", ceremony_id=ceremony.id))


@bp.post("/reminders/rules/<int:rule_id>/delete")
def delete_rule(ceremony_id: int, rule_id: int):
    ceremony = get_ceremony(ceremony_id)
    rule = get_child(ReminderRule, rule_id, ceremony)
    try:
        operations.delete_rule(ceremony, rule, now=current_time())
    except PlanningError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        db.session.commit()
        flash(_("Reminder deleted."), "success")
    return redirect(url_for("reminders.index", ceremony_id=ceremony.id))


@bp.post("/sites/<int:site_id>/send-link")
def send_site_link(ceremony_id: int, site_id: int):
    ceremony = get_ceremony(ceremony_id)
    site = get_child(Site, site_id, ceremony)
    if ceremony.is_cancelled:
        flash(_("The ceremony is cancelled: its coordinators need no link."), "error")
    elif operations.queue_site_link(ceremony, site, now=current_time()):
        db.session.commit()
        flash(_("The coordinator's link is being sent to %(address)s.", address=site.coordinator_email),
              "success")
    else:
        flash(_("This site has no coordinator email address."), "error")
    return redirect(url_for("sites.show", ceremony_id=ceremony.id, site_id=site.id))
