from sqlalchemy import select

from scheduler.auth.models import User
from scheduler.extensions import db

from .conftest import csrf_token, login, post_form


def test_create_admin_command_makes_a_hashed_admin_account(app, runner):
    result = runner.invoke(args=["create-admin", "--email", "Chief@Example.vn", "--name", "Lê Văn Quản"],
                           input="a long enough secret\na long enough secret\n")
    assert result.exit_code == 0, result.output
    with app.app_context():
        user = db.session.scalar(select(User))
        assert user.email == "chief@example.vn" and user.role == "admin"
        assert "a long enough secret" not in user.password_hash
        assert user.check_password("a long enough secret")


def test_create_admin_refuses_short_password_and_duplicate_email(app, runner, make_user):
    short = runner.invoke(args=["create-admin", "--email", "a@example.vn", "--name", "A",
                                "--password", "short"])
    assert short.exit_code != 0 and "at least 10" in short.output
    make_user(email="taken@example.vn")
    taken = runner.invoke(args=["create-admin", "--email", "taken@example.vn", "--name", "B",
                                "--password", "long enough password"])
    assert taken.exit_code != 0 and "already exists" in taken.output


def test_pages_need_a_signed_in_account(app):
    browser = app.test_client()
    response = browser.get("/ceremonies/new")
    assert response.status_code == 302 and "/login?next=" in response.headers["Location"]


def test_login_sends_back_to_the_page_asked_for_but_never_off_site(app, make_user):
    make_user(email="o@example.vn")
    browser = app.test_client()
    token = csrf_token(browser)
    ok = browser.post("/login?next=/ceremonies/new", data={
        "csrf_token": token, "email": "o@example.vn", "password": "correct horse battery"})
    assert ok.headers["Location"] == "/ceremonies/new"
    browser = app.test_client()
    token = csrf_token(browser)
    evil = browser.post("/login?next=//evil.example/x", data={
        "csrf_token": token, "email": "o@example.vn", "password": "correct horse battery"})
    assert evil.headers["Location"] == "/"


def test_wrong_password_and_unknown_email_get_the_same_message(app, make_user):
    make_user(email="o@example.vn")
    browser = app.test_client()
    wrong = post_form(browser, "/login", {"email": "o@example.vn", "password": "nope nope nope"})
    unknown = post_form(browser, "/login", {"email": "x@example.vn", "password": "nope nope nope"})
    assert wrong.status_code == unknown.status_code == 200
    assert "Email hoặc mật khẩu không đúng" in wrong.get_data(as_text=True)
    assert "Email hoặc mật khẩu không đúng" in unknown.get_data(as_text=True)


def test_disabled_account_cannot_sign_in(app, make_user):
    user = make_user(email="gone@example.vn")
    with app.app_context():
        db.session.get(User, user.id).active = False
        db.session.commit()
    browser = app.test_client()
    response = post_form(browser, "/login", {"email": "gone@example.vn",
                                             "password": "correct horse battery"})
    assert response.status_code == 200 and "/login" in response.request.path


def test_logout_is_a_post_with_csrf(client):
    assert client.get("/logout").status_code == 405
    assert client.post("/logout").status_code == 400  # no token
    response = post_form(client, "/logout", {}, token_from="/")
    assert response.status_code == 302
    assert client.get("/").status_code == 302  # signed out


def test_organizers_cannot_manage_accounts(client):
    assert client.get("/admin/accounts").status_code == 403


def test_admin_creates_an_organizer_with_field_level_errors_first(app, admin_client):
    bad = post_form(admin_client, "/admin/accounts/new", {
        "name": "", "email": "not-an-email", "role": "organizer", "active": "y",
        "password": "short", "confirm": "short"})
    page = bad.get_data(as_text=True)
    assert bad.status_code == 200
    assert "Địa chỉ email không hợp lệ." in page  # email field
    assert "Tối thiểu 10 ký tự." in page  # password field
    with app.app_context():
        assert db.session.scalar(select(User).where(User.email == "not-an-email")) is None
    good = post_form(admin_client, "/admin/accounts/new", {
        "name": "Phạm Thu Hà", "email": "ha@example.vn", "role": "organizer", "active": "y",
        "password": "a good long password", "confirm": "a good long password"})
    assert good.status_code == 302
    browser = app.test_client()
    login(browser, "ha@example.vn", "a good long password")


def test_admin_cannot_remove_own_admin_rights(app, admin_client):
    path = f"/admin/accounts/{admin_client.user_id}"
    response = post_form(admin_client, path, {
        "name": "Quản Trị", "email": "admin@example.vn", "role": "organizer", "active": "y",
        "password": "", "confirm": ""})
    assert response.status_code == 200
    with app.app_context():
        assert db.session.get(User, admin_client.user_id).role == "admin"
