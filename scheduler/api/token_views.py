"""The "API tokens" page: list, create (shown once), revoke. Admins see and
revoke every account's tokens there too."""
from datetime import timedelta

from flask import Blueprint, abort, flash, make_response, redirect, render_template, url_for
from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length

from ..auth.models import User
from ..clock import current_time
from ..extensions import db
from ..forms import BaseForm, choices
from . import tokens
from .tokens import ApiToken

bp = Blueprint("api_tokens", __name__)
LIFETIMES = {"": None, "30": timedelta(days=30), "90": timedelta(days=90), "365": timedelta(days=365)}


class TokenForm(BaseForm):
    name = StringField(_l("Token name"), validators=[DataRequired(), Length(max=100)],
                       description=_l("What uses it, e.g. the provincial HR system."))
    scope = SelectField(_l("Access"), default="read", choices=choices((
        ("read", _l("Read only")), ("read-write", _l("Read and write")))))
    lifetime = SelectField(_l("Expires"), default="90", choices=choices((
        ("30", _l("In 30 days")), ("90", _l("In 90 days")), ("365", _l("In a year")),
        ("", _l("Never")))))


@bp.before_request
@login_required
def _signed_in():
    return None


def _page(form: TokenForm, fresh: str | None = None):
    mine = [(token, current_user) for token in db.session.scalars(
        select(ApiToken).where(ApiToken.user_id == current_user.id).order_by(ApiToken.id.desc()))]
    others = []
    if current_user.is_admin:
        others = db.session.execute(
            select(ApiToken, User).join(User, User.id == ApiToken.user_id)
            .where(ApiToken.user_id != current_user.id, ApiToken.revoked_at.is_(None))
            .order_by(User.name, ApiToken.id)).all()
    return render_template("api/tokens.html", form=form, tokens=mine, others=others,
                           fresh=fresh, now=current_time())


@bp.get("/api-tokens")
def index():
    return _page(TokenForm())


@bp.post("/api-tokens")
def create():
    form = TokenForm()
    if not form.validate_on_submit():
        return _page(form), 400
    now = current_time()
    lifetime = LIFETIMES[form.lifetime.data]
    _, text = tokens.issue(current_user.id, name=" ".join(form.name.data.split()),
                           scope=form.scope.data, expires_at=now + lifetime if lifetime else None,
                           now=now)
    db.session.commit()
    # Shown once, in this answer: only its hash is kept, and never in the session
    # cookie (signed, not encrypted). Not cached, so Back does not bring it again.
    response = make_response(_page(TokenForm(formdata=None), fresh=text))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/api-tokens/<int:token_id>/revoke")
def revoke(token_id: int):
    token = db.session.get(ApiToken, token_id)
    if token is None or (token.user_id != current_user.id and not current_user.is_admin):
        abort(404)
    tokens.revoke(token, now=current_time())
    db.session.commit()
    flash(_("Token revoked; programs using it are refused from now on."), "success")
    return redirect(url_for("api_tokens.index"))
