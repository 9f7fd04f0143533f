"""Endpoints and their delivery log. An organizer manages their own endpoints, an
admin every one; anyone else's endpoint id is a 404."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from ...auth.models import User
from ...clock import current_time
from ...extensions import db
from ...planning import access
from ...planning.models import Ceremony
from . import operations, targets
from .forms import EndpointForm
from .labels import WEBHOOK_LABELS
from .models import ALL_EVENT_TYPES, DELIVERY_STATUSES, WebhookAttempt, WebhookDelivery, WebhookEndpoint, WebhookEvent

bp = Blueprint("webhooks", __name__, url_prefix="/webhooks")
CEREMONY_CHOICES = 300  # newest ceremonies offered in the form's list


@bp.context_processor
def _labels():
    return {"wl": WEBHOOK_LABELS}


def _endpoint_or_404(endpoint_id: int) -> WebhookEndpoint:
    endpoint = db.session.get(WebhookEndpoint, endpoint_id)
    if endpoint is None or not (current_user.is_admin or endpoint.owner_id == current_user.id):
        abort(404)
    return endpoint


def _ceremonies_for(owner: User, current_id: int | None) -> list[Ceremony]:
    found = list(db.session.scalars(select(Ceremony).where(access.visible_ceremonies(owner))
                                    .order_by(Ceremony.starts_at.desc()).limit(CEREMONY_CHOICES)))
    if current_id is not None and current_id not in {c.id for c in found} and access.may_see(owner, current_id):
        found.append(db.session.get(Ceremony, current_id))
    return found


def _policy():
    return targets.policy_from_config(extra_own_hosts=[request.host])


@bp.get("/")
@login_required
def index():
    query = select(WebhookEndpoint).order_by(WebhookEndpoint.id.desc())
    if not current_user.is_admin:
        query = query.where(WebhookEndpoint.owner_id == current_user.id)
    page = db.paginate(query, per_page=50, error_out=False)
    owners = {u.id: u for u in db.session.scalars(
        select(User).where(User.id.in_({e.owner_id for e in page.items})))}
    ceremonies = {c.id: c for c in db.session.scalars(
        select(Ceremony).where(Ceremony.id.in_({e.ceremony_id for e in page.items if e.ceremony_id})))}
    return render_template("webhooks/index.html", page=page, owners=owners, ceremonies=ceremonies)


def _save(endpoint: WebhookEndpoint | None):
    owner = db.session.get(User, endpoint.owner_id) if endpoint else current_user
    form = EndpointForm(obj=endpoint, policy=_policy(),
                        ceremonies=_ceremonies_for(owner, endpoint.ceremony_id if endpoint else None))
    if request.method == "GET" and endpoint is not None:
        form.events.data = endpoint.event_types
    if form.validate_on_submit():
        values = form.values()
        if values["ceremony_id"] is not None and not access.may_see(owner, values["ceremony_id"]):
            abort(404)
        now = current_time()
        if endpoint is None:
            endpoint = operations.create_endpoint(owner.id, values, now=now)
            flash(_("Webhook endpoint added. Copy its signing secret into your receiver."), "success")
        else:
            operations.update_endpoint(endpoint, values, now=now)
            flash(_("Webhook endpoint saved."), "success")
        db.session.commit()
        return redirect(url_for("webhooks.show", endpoint_id=endpoint.id))
    return render_template("webhooks/form.html", form=form, endpoint=endpoint)


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    return _save(None)


@bp.route("/<int:endpoint_id>/edit", methods=["GET", "POST"])
@login_required
def edit(endpoint_id: int):
    return _save(_endpoint_or_404(endpoint_id))


@bp.get("/<int:endpoint_id>")
@login_required
def show(endpoint_id: int):
    endpoint = _endpoint_or_404(endpoint_id)
    wanted_status = request.args.get("status", "")
    wanted_type = request.args.get("type", "")
    query = select(WebhookDelivery).where(WebhookDelivery.endpoint_id == endpoint.id)
    if wanted_status in DELIVERY_STATUSES:
        query = query.where(WebhookDelivery.status == wanted_status)
    if wanted_type in ALL_EVENT_TYPES:
        query = query.where(WebhookDelivery.event_id.in_(
            select(WebhookEvent.id).where(WebhookEvent.type == wanted_type)))
    page = db.paginate(query.order_by(WebhookDelivery.id.desc()), per_page=50, error_out=False)
    events = {e.id: e for e in db.session.scalars(
        select(WebhookEvent).where(WebhookEvent.id.in_([d.event_id for d in page.items])))}
    ids = [delivery.id for delivery in page.items]
    attempts: dict[int, list[WebhookAttempt]] = {}
    for attempt in db.session.scalars(select(WebhookAttempt).where(WebhookAttempt.delivery_id.in_(ids))
                                      .order_by(WebhookAttempt.id.desc())):
        attempts.setdefault(attempt.delivery_id, []).append(attempt)
    return render_template(
        "webhooks/show.html", endpoint=endpoint, page=page, attempts=attempts, events=events,
        owner=db.session.get(User, endpoint.owner_id),
        ceremony=db.session.get(Ceremony, endpoint.ceremony_id) if endpoint.ceremony_id else None,
        statuses=DELIVERY_STATUSES, types=ALL_EVENT_TYPES, wanted_status=wanted_status,
        wanted_type=wanted_type, rotating=operations.secrets_in_use(
            endpoint.secret, endpoint.previous_secret, endpoint.previous_secret_until, current_time()))


def _back(endpoint: WebhookEndpoint):
    return redirect(url_for("webhooks.show", endpoint_id=endpoint.id))


@bp.post("/<int:endpoint_id>/rotate")
@login_required
def rotate(endpoint_id: int):
    endpoint = _endpoint_or_404(endpoint_id)
    operations.rotate_secret(endpoint, now=current_time())
    db.session.commit()
    flash(_("New signing secret made. For 24 hours deliveries carry signatures under both secrets."),
          "success")
    return _back(endpoint)


@bp.post("/<int:endpoint_id>/test")
@login_required
def send_test(endpoint_id: int):
    endpoint = _endpoint_or_404(endpoint_id)
    operations.send_test(endpoint, now=current_time())
    db.session.commit()
    flash(_("Test event queued; it appears in the log below once sent."), "success")
    return _back(endpoint)


@bp.post("/<int:endpoint_id>/pause")
@login_required
def pause(endpoint_id: int):
    endpoint = _endpoint_or_404(endpoint_id)
    operations.pause(endpoint, "manual", "", now=current_time())
    db.session.commit()
    flash(_("Endpoint paused; events are kept until you resume it."), "success")
    return _back(endpoint)


@bp.post("/<int:endpoint_id>/resume")
@login_required
def resume(endpoint_id: int):
    endpoint = _endpoint_or_404(endpoint_id)
    held = operations.resume(endpoint, now=current_time())
    db.session.commit()
    flash(_("Endpoint resumed; %(count)d held deliveries will be sent.", count=held), "success")
    return _back(endpoint)


@bp.post("/<int:endpoint_id>/delete")
@login_required
def delete(endpoint_id: int):
    endpoint = _endpoint_or_404(endpoint_id)
    db.session.delete(endpoint)
    db.session.commit()
    flash(_("Webhook endpoint removed."), "success")
    return redirect(url_for("webhooks.index"))


@bp.post("/<int:endpoint_id>/deliveries/<int:delivery_id>/redeliver")
@login_required
def redeliver(endpoint_id: int, delivery_id: int):
    endpoint = _endpoint_or_404(endpoint_id)
    delivery = db.session.get(WebhookDelivery, delivery_id)
    if delivery is None or delivery.endpoint_id != endpoint.id:
        abort(404)
    if operations.redeliver(delivery, endpoint, now=current_time()):
        db.session.commit()
        flash(_("Delivery queued again with the same event id."), "success")
    elif delivery.status == "sending":
        flash(_("This delivery is being sent right now."), "error")
    else:
        flash(_("Only a delivered or failed delivery can be sent again; this one is still queued."), "error")
    return _back(endpoint)
