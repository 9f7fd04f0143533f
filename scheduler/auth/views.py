from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select

from ..clock import current_time
from ..config import LANGUAGES
from ..extensions import db, login_manager
from ..ratelimit import sign_in as sign_in_limit
from ..security import is_safe_redirect
from . import operations
from .forms import AccountForm, LoginForm, NewAccountForm
from .models import User

bp = Blueprint("auth", __name__)
admin_bp = Blueprint("admin", __name__, url_prefix="/admin")

login_manager.login_view = "auth.login"
login_manager.login_message = None  # the login page explains itself


@login_manager.user_loader
def _load_user(user_id: str) -> User | None:
    return db.session.get(User, int(user_id))


@bp.route("/login", methods=["GET", "POST"])
@sign_in_limit
def login():
    if current_user.is_authenticated:
        return redirect(url_for("ceremonies.index"))
    form = LoginForm()
    if form.validate_on_submit():
        user = operations.find_by_email(form.email.data)
        if user is not None and user.active and user.check_password(form.password.data):
            login_user(user, remember=form.remember.data)
            if "lang" in session:  # chosen on the sign-in page: theirs from now on
                user.language = session["lang"]
                db.session.commit()
            else:
                session["lang"] = user.language  # the language they chose last time
            target = request.args.get("next")
            return redirect(target if is_safe_redirect(target) else url_for("ceremonies.index"))
        # One message for unknown email and wrong password: no account probing.
        form.password.errors.append(_("Wrong email or password."))
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
@login_required
def logout():
    logout_user()
    return redirect(url_for("auth.login"))


@bp.get("/language/<code>")
def set_language(code: str):
    if code in LANGUAGES:
        session["lang"] = code
        if current_user.is_authenticated and current_user.language != code:
            # Also the language of what we mail them (the organizers' digest).
            current_user.language = code
            db.session.commit()
    target = request.args.get("next")
    return redirect(target if is_safe_redirect(target) else url_for("ceremonies.index"))


@admin_bp.before_request
@login_required
def _admins_only():
    if not current_user.is_admin:
        abort(403)


@admin_bp.get("/accounts")
def accounts():
    users = db.session.scalars(select(User).order_by(User.name)).all()
    return render_template("admin/accounts.html", users=users)


@admin_bp.route("/accounts/new", methods=["GET", "POST"])
def new_account():
    form = NewAccountForm()
    if form.validate_on_submit():
        try:
            operations.create_user(email=form.email.data, name=form.name.data,
                                   password=form.password.data, role=form.role.data,
                                   now=current_time())
        except operations.AccountError as error:
            getattr(form, error.field).errors.append(str(error))
        else:
            db.session.commit()
            flash(_("Account created."), "success")
            return redirect(url_for("admin.accounts"))
    return render_template("admin/account_form.html", form=form, user=None)


@admin_bp.route("/accounts/<int:user_id>", methods=["GET", "POST"])
def edit_account(user_id: int):
    user = db.get_or_404(User, user_id)
    form = AccountForm(obj=user)
    if request.method == "GET":
        form.password.data = ""
    if form.validate_on_submit():
        try:
            operations.update_user(user, acting=current_user, email=form.email.data,
                                   name=form.name.data, role=form.role.data,
                                   active=form.active.data, password=form.password.data or None)
        except operations.AccountError as error:
            db.session.rollback()
            getattr(form, error.field).errors.append(str(error))
        else:
            db.session.commit()
            flash(_("Account saved."), "success")
            return redirect(url_for("admin.accounts"))
    return render_template("admin/account_form.html", form=form, user=user)
