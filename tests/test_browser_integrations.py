"""Real-browser journeys through the integration pages: sharing a ceremony under
*Organizers*, API tokens, and webhooks against a real receiver on loopback.

Same set-up as test_browser.py (browser_helpers.py): the app on a real socket,
Debian's Chromium, and any script or CSP error fails the journey.
"""
import re

from sqlalchemy import func, select

from scheduler.background.jobs import run_due
from scheduler.extensions import db
from scheduler.integrations.webhooks.models import WebhookEndpoint

from .api_helpers import ApiClient
from .browser_helpers import browser, browsers, expect, live_url, sign_in  # noqa: F401 (fixtures)
from .webhook_helpers import received, verify

TITLE = "Lễ trao tặng Huân chương Bảo vệ Tổ quốc"


def ceremony_link(page):
    return page.get_by_role("link", name=TITLE, exact=True)


def test_a_colleague_listed_as_organizer_sees_the_ceremony_and_nobody_else_does(
        browsers, make_user, factory):
    an = make_user(email="an@example.vn", name="Lê Văn An")
    binh = make_user(email="binh@example.vn", name="Phạm Thị Bình")
    chi = make_user(email="chi@example.vn", name="Đỗ Minh Chí")
    ceremony = factory.ceremony(title=TITLE, organizers=[an.id])

    colleague = browsers.open()
    sign_in(colleague, binh.email)
    expect(ceremony_link(colleague)).to_have_count(0)  # not listed yet

    organizer = browsers.open()
    sign_in(organizer, an.email)
    ceremony_link(organizer).click()
    panel = organizer.locator("#organizers")
    expect(panel.get_by_role("listitem")).to_have_text(["Lê Văn An <an@example.vn>"])
    panel.get_by_label("Tài khoản").select_option(label="Phạm Thị Bình <binh@example.vn>")
    panel.get_by_role("button", name="Thêm người tổ chức").click()
    expect(organizer.get_by_role("status")).to_have_text(
        "Phạm Thị Bình giờ đã xem và lập kế hoạch được cho lễ này.")
    expect(panel.get_by_role("listitem")).to_have_count(2)
    expect(panel).to_contain_text("Phạm Thị Bình <binh@example.vn>")

    colleague.reload()
    ceremony_link(colleague).click()
    expect(colleague).to_have_url(re.compile(rf"/ceremonies/{ceremony.id}$"))
    expect(colleague.get_by_role("heading", level=1)).to_contain_text(TITLE)

    outsider = browsers.open()
    sign_in(outsider, chi.email)
    expect(ceremony_link(outsider)).to_have_count(0)
    response = outsider.goto(f"/ceremonies/{ceremony.id}")
    assert response.status == 404
    expect(outsider.get_by_role("heading", level=1)).to_have_text("Không tìm thấy")
    expect(outsider.get_by_text(TITLE)).to_have_count(0)
    browsers.forgive(404, f"/ceremonies/{ceremony.id}")


def test_an_api_token_is_shown_once_acts_as_its_owner_and_stops_when_revoked(
        browsers, make_user, factory, app):
    me = make_user()
    factory.ceremony(title=TITLE, organizers=[me.id])
    factory.ceremony(title="Hội nghị của đơn vị khác", organizers=[])
    page = browsers.open(permissions=["clipboard-read", "clipboard-write"])
    sign_in(page, me.email)

    header_link(page, "Mã truy cập API").click()
    page.get_by_label("Tên mã truy cập").fill("Hệ thống nhân sự tỉnh")
    page.get_by_role("button", name="Tạo mã truy cập").click()
    shown = page.locator(".flash-success").filter(has_text="chỉ hiển thị một lần").locator("input")
    expect(shown).to_have_count(1)
    token = shown.input_value()
    assert len(token) >= 32
    page.get_by_role("button", name="Sao chép").click()  # to the clipboard, as programs need it
    expect(page.get_by_role("button", name="Đã sao chép")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == token
    row = page.get_by_role("row").filter(has_text="Hệ thống nhân sự tỉnh")
    expect(row).to_contain_text("Chỉ đọc")

    page.goto("/api-tokens")  # opened again: the list, never the token
    expect(row).to_be_visible()
    expect(page.locator(".flash-success")).to_have_count(0)
    assert token not in page.content()

    api = ApiClient(app, token)
    answer = api.get("/api/v1/ceremonies")
    assert answer.status_code == 200
    assert [c["title"] for c in answer.get_json()["items"]] == [TITLE]

    dialogs = []

    def answer_with(accept):
        def handle(dialog):
            dialogs.append(dialog.message)
            dialog.accept() if accept else dialog.dismiss()
        return handle

    page.once("dialog", answer_with(False))
    row.get_by_role("button", name="Thu hồi").click()
    expect(row.get_by_role("button", name="Thu hồi")).to_be_visible()
    assert dialogs == ["Thu hồi mã truy cập này?"]
    assert api.get("/api/v1/ceremonies").status_code == 200  # "No" changed nothing

    page.once("dialog", answer_with(True))
    row.get_by_role("button", name="Thu hồi").click()
    expect(page.get_by_role("status")).to_have_text(
        "Đã thu hồi mã truy cập; các chương trình dùng mã này bị từ chối từ bây giờ.")
    expect(row).to_contain_text("Đã thu hồi")
    expect(row.get_by_role("button", name="Thu hồi")).to_have_count(0)
    assert len(dialogs) == 2
    assert api.get("/api/v1/ceremonies").status_code == 401


def header_link(page, name):
    return page.locator("header.top").get_by_role("link", name=name, exact=True)


def webhook_form(page):
    header_link(page, "Webhook").click()
    page.get_by_role("link", name="Thêm địa chỉ nhận").click()
    expect(page).to_have_url(re.compile(r"/webhooks/new$"))


def test_a_test_event_reaches_the_receiver_signed_and_redeliver_sends_it_again_under_its_id(
        browsers, make_user, app, httpserver_ipv4, monkeypatch, clock):
    receiver = httpserver_ipv4  # bound to 127.0.0.1 by address: "localhost" is the app's test host
    receiver.expect_request("/hook", method="POST").respond_with_data("ok")
    monkeypatch.setitem(app.config, "WEBHOOK_ALLOWED_HOSTS", ["127.0.0.1"])
    url = receiver.url_for("/hook")
    me = make_user()
    page = browsers.open(permissions=["clipboard-read", "clipboard-write"])
    sign_in(page, me.email)

    webhook_form(page)
    page.get_by_label("Địa chỉ (URL)").fill(url)
    page.get_by_label("Đã tạo lễ", exact=True).check()
    page.get_by_role("button", name="Lưu", exact=True).click()
    expect(page.get_by_role("status")).to_have_text(
        "Đã thêm webhook. Hãy sao chép khóa ký vào hệ thống nhận.")
    expect(page.get_by_role("heading", level=1)).to_contain_text(url)
    secret = page.get_by_label("Khóa ký").input_value()
    assert len(secret) >= 32
    page.get_by_role("button", name="Sao chép", exact=True).click()
    expect(page.get_by_role("button", name="Đã sao chép")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == secret
    expect(page.get_by_text("Chưa gửi gì.")).to_be_visible()

    page.get_by_role("button", name="Gửi sự kiện thử").click()
    expect(page.get_by_role("status")).to_have_text(
        "Đã xếp hàng sự kiện thử; sự kiện sẽ hiện trong nhật ký bên dưới khi đã gửi.")
    assert run_due(app)["webhooks"] == 1  # the background worker's pass
    page.reload()
    log = page.locator("table.webhook-log > tbody > tr")
    expect(log).to_have_count(1)
    expect(log).to_contain_text("Sự kiện thử")
    expect(log.locator(".delivery-delivered")).to_have_text("Đã gửi thành công")
    expect(log.locator("summary")).to_have_text("1 lần thử · HTTP 200")

    clock.advance(minutes=2)
    log.get_by_role("button", name="Gửi lại").click()
    expect(page.get_by_role("status")).to_have_text("Đã xếp hàng gửi lại với cùng mã sự kiện.")
    assert run_due(app)["webhooks"] == 1
    page.reload()
    expect(log).to_have_count(1)
    expect(log.locator("summary")).to_have_text("2 lần thử · HTTP 200")
    log.locator("summary").click()
    attempts = log.locator("details tbody tr")
    expect(attempts).to_have_count(2)
    for n in range(2):
        expect(attempts.nth(n).locator("td").nth(1)).to_have_text("200")

    first, second = received(receiver)
    assert first.headers["Webhook-Id"] == second.headers["Webhook-Id"]
    assert first.get_data() == second.get_data()
    assert first.headers["Webhook-Timestamp"] != second.headers["Webhook-Timestamp"]
    now = int(clock.now.timestamp())
    for request in (first, second):
        assert verify(secret, request.get_data(), request.headers, now)["type"] == "ping"


def test_a_refused_address_is_explained_beside_the_field_and_nothing_is_saved(
        browsers, make_user, app):
    me = make_user()
    page = browsers.open()
    sign_in(page, me.email)

    webhook_form(page)
    page.get_by_label("Địa chỉ (URL)").fill("http://169.254.169.254/latest/meta-data/")
    page.get_by_label("Đã tạo lễ", exact=True).check()
    page.get_by_role("button", name="Lưu", exact=True).click()

    expect(page.locator("#url-error")).to_have_text(
        "Địa chỉ này trỏ về máy chủ này, một địa chỉ link-local hoặc dịch vụ metadata đám mây, "
        "hoặc một địa chỉ khác mà webhook không được phép gửi tới. Quản trị viên có thể cho phép.")
    field = page.get_by_label("Địa chỉ (URL)")
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(field).to_have_value("http://169.254.169.254/latest/meta-data/")
    expect(page).to_have_url(re.compile(r"/webhooks/new$"))

    header_link(page, "Webhook").click()
    expect(page.get_by_text("Chưa có webhook nào.")).to_be_visible()
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(WebhookEndpoint)) == 0
