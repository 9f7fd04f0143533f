"""Real-browser journeys: headless Chromium (Debian's package) against the app served
on a real socket, so CSP, app.js, cookies, CSRF and <input type=datetime-local> are
exercised the way an organizer's browser does.
"""
import re
from datetime import timedelta

import pytest

from scheduler.planning.models import Ceremony

from .browser_helpers import browser, expect, live_url, page, sign_in  # noqa: F401 (fixtures)

BRIDGE = "Điểm cầu Công an tỉnh Bắc Ninh"


def status_badge(page):
    return page.locator("h1 .badge")


def test_organizer_plans_a_ceremony_in_vietnamese_then_reads_it_in_english(
        page, make_user, tmp_path):
    user = make_user()
    sign_in(page, user.email)

    page.locator(".head-row").get_by_role("link", name="Tạo lễ mới").click()
    expect(page).to_have_url(re.compile(r"/ceremonies/new$"))
    page.get_by_label("Tiêu đề", exact=True).fill("Lễ kỷ niệm 80 năm Ngày truyền thống")
    page.get_by_label("Bắt đầu", exact=True).fill("2027-06-15T14:00")
    page.get_by_label("Kết thúc", exact=True).fill("2027-06-15T13:00")
    page.get_by_role("button", name="Lưu", exact=True).click()

    # Refused beside the End field; the page is still the form, typed values kept.
    expect(page.locator("#ends_at-error")).to_have_text(
        "Thời gian kết thúc phải sau thời gian bắt đầu.")
    expect(page.get_by_label("Kết thúc", exact=True)).to_have_attribute("aria-invalid", "true")
    expect(page).to_have_url(re.compile(r"/ceremonies/new$"))
    expect(page.get_by_label("Tiêu đề", exact=True)).to_have_value(
        "Lễ kỷ niệm 80 năm Ngày truyền thống")

    page.get_by_label("Kết thúc", exact=True).fill("2027-06-15T16:00")
    page.get_by_role("button", name="Lưu", exact=True).click()
    expect(page).to_have_url(re.compile(r"/ceremonies/\d+/sites/new$"))
    ceremony_id = int(re.search(r"/ceremonies/(\d+)/", page.url).group(1))

    # Host site first: the box is ticked for the first site of a ceremony.
    expect(page.get_by_label("Điểm cầu chính")).to_be_checked()
    page.get_by_label("Tên điểm cầu").fill("Hội trường Bộ Công an")
    page.get_by_label("Mã viết tắt").fill("HN")
    page.get_by_role("button", name="Lưu và thêm tiếp").click()
    expect(page).to_have_url(re.compile(rf"/ceremonies/{ceremony_id}/sites/new$"))
    expect(page.get_by_role("status")).to_contain_text("Hội trường Bộ Công an")

    expect(page.get_by_label("Điểm cầu chính")).not_to_be_checked()
    page.get_by_label("Tên điểm cầu").fill(BRIDGE)
    page.get_by_label("Mã viết tắt").fill("BNI")
    page.get_by_role("button", name="Lưu", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(BRIDGE)

    page.get_by_role("link", name="Thêm đại biểu").click()
    page.get_by_label("Họ và tên").fill("Trần Văn Bình")
    expect(page.get_by_label("Điểm cầu", exact=True)).to_have_value(
        re.compile(r"\d+"))  # pre-selected from the site page
    expect(page.get_by_label("Điểm cầu", exact=True).locator("option:checked")).to_have_text(
        f"{BRIDGE} (BNI)")
    page.get_by_role("button", name="Lưu", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(BRIDGE)
    expect(page.get_by_role("link", name="Trần Văn Bình")).to_be_visible()

    page.get_by_role("link", name="Lễ kỷ niệm 80 năm Ngày truyền thống").click()
    page.get_by_role("link", name="Chương trình", exact=True).click()
    page.get_by_role("link", name="Thêm mục chương trình").click()
    page.get_by_label("Tiêu đề", exact=True).fill("Báo cáo thành tích của Công an tỉnh")
    page.get_by_label("Phát từ điểm cầu").select_option(label=f"{BRIDGE} (BNI)")
    page.get_by_role("button", name="Lưu", exact=True).click()
    expect(page).to_have_url(re.compile(rf"/ceremonies/{ceremony_id}/programme$"))
    row = page.get_by_role("row").filter(has_text="Báo cáo thành tích của Công an tỉnh")
    expect(row).to_contain_text("14:00–14:10")
    expect(row).to_contain_text(BRIDGE)

    page.get_by_role("link", name="Tổng quan").click()
    expect(status_badge(page)).to_have_text("Bản nháp")
    page.get_by_role("button", name="Lên lịch").click()
    expect(page.get_by_role("status")).to_have_text("Đã lên lịch lễ.")
    expect(status_badge(page)).to_have_text("Đã lên lịch")
    programme = page.locator("ol.programme")
    expect(programme).to_contain_text("14:00")
    expect(programme).to_contain_text(f"Báo cáo thành tích của Công an tỉnh ({BRIDGE})")

    page.get_by_role("link", name="English").click()
    expect(page).to_have_url(re.compile(rf"/ceremonies/{ceremony_id}$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(status_badge(page)).to_have_text("Scheduled")
    expect(page.get_by_role("heading", name="Sites: 2")).to_be_visible()
    expect(page.get_by_role("heading", name="Attendees: 1")).to_be_visible()
    expect(page.locator("p.when")).to_contain_text("June 15, 2027")
    expect(page.get_by_role("link", name="Tiếng Việt")).to_be_visible()
    expect(page.get_by_role("button", name="Cancel the ceremony")).to_be_visible()
    page.screenshot(path=str(tmp_path / "overview.png"), full_page=True)


def test_cancelling_asks_first_and_only_a_yes_cancels(page, make_user, factory, fetch):
    user = make_user()
    ceremony = factory.ceremony(title="Hội nghị trực tuyến toàn quốc")
    factory.site(ceremony, code="HN", is_host=True)
    sign_in(page, user.email)
    page.goto(f"/ceremonies/{ceremony.id}")
    expect(status_badge(page)).to_have_text("Bản nháp")

    posts = []
    page.on("request", lambda r: r.method == "POST" and posts.append(r.url))
    dialogs = []

    def answer(accept):
        def handle(dialog):
            dialogs.append((dialog.type, dialog.message))
            dialog.accept() if accept else dialog.dismiss()
        return handle

    page.once("dialog", answer(False))
    page.get_by_role("button", name="Hủy lễ").click()
    page.reload()
    assert dialogs == [("confirm", "Hủy lễ này đối với tất cả điểm cầu và đại biểu?")]
    assert posts == []
    expect(status_badge(page)).to_have_text("Bản nháp")
    assert fetch(Ceremony, ceremony.id).status == "draft"

    page.once("dialog", answer(True))
    page.get_by_role("button", name="Hủy lễ").click()
    expect(page.get_by_role("status")).to_have_text("Đã hủy lễ.")
    expect(status_badge(page)).to_have_text("Đã hủy")
    expect(page.get_by_role("button", name="Hủy lễ")).to_have_count(0)
    assert len(dialogs) == 2
    assert [u for u in posts if u.endswith(f"/ceremonies/{ceremony.id}/cancel")]
    assert fetch(Ceremony, ceremony.id).status == "cancelled"


def test_invitation_progress_updates_while_the_worker_sends(page, make_user, factory, app, smtp):
    from scheduler.background.jobs import run_due

    user = make_user()
    ceremony = factory.ceremony(title="Hội nghị trực tuyến")
    site = factory.site(ceremony, code="BCA", is_host=True)
    for n in range(12):
        factory.attendee(ceremony, site, full_name=f"Đại biểu {n:02d}", email=f"db{n:02d}@example.vn")
    with app.app_context():
        from scheduler.extensions import db
        from scheduler.planning.models import Ceremony

        db.session.get(Ceremony, ceremony.id).status = "scheduled"
        db.session.commit()
    sign_in(page, user.email)
    page.goto(f"/ceremonies/{ceremony.id}/invitations")
    page.get_by_role("button", name="Gửi giấy mời", exact=True).click()
    box = page.locator("#invitation-progress")
    expect(box).to_have_attribute("data-busy", "true")
    expect(box.locator('[data-field="sent"]')).to_have_text("0")
    run_due(app)  # the background worker's pass, while the page is open
    # No reload: the page's script polls and fills in the new counts.
    expect(box.locator('[data-field="sent"]')).to_have_text("12")
    expect(box).to_have_attribute("data-busy", "false")
    assert box.locator("progress").evaluate("bar => [bar.value, bar.max]") == [12, 12]
    assert len(smtp.messages) == 12


@pytest.fixture
def phone(browser, live_url, clock):
    """A phone-sized browser with no account, as a commune post's coordinator has."""
    context = browser.new_context(base_url=live_url, locale="vi-VN", is_mobile=True, has_touch=True,
                                  viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.set_default_timeout(5000)
    problems = []
    page.on("console", lambda msg: msg.type == "error" and problems.append(msg.text))
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    yield page
    context.close()
    assert not problems, problems


def test_a_coordinator_on_a_phone_confirms_the_site_ticks_the_checklist_and_checks_in(
        phone, factory, app, fetch, clock):
    from scheduler.planning.models import Attendee, Site

    from .portal_helpers import code_of, site_path

    ceremony = factory.ceremony(title="Lễ kỷ niệm 80 năm")
    post = factory.site(ceremony, code="XTL", is_host=True, name="Công an xã Tân Lập")
    hoa = factory.attendee(ceremony, post, full_name="Hoàng Thị Hoa", rank="Thiếu tá")
    factory.attendee(ceremony, post, full_name="Vũ Đức Minh", rank="Đại úy")
    phone.goto(site_path(app, post.id))
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360  # no sideways scrolling
    phone.get_by_role("button", name="Có, điểm cầu chúng tôi tham gia").click()
    expect(phone.locator(".flash-success")).to_contain_text("điểm cầu đã xác nhận tham gia")
    phone.get_by_label("Hội trường đã sẵn sàng").check()
    phone.get_by_label("Đã thử thiết bị truyền hình trong buổi kiểm tra kỹ thuật").check()
    phone.get_by_label("Đã kiểm tra âm thanh và hình ảnh").check()
    phone.get_by_label("Người liên hệ dự phòng (họ tên và số điện thoại)").fill("Lò Thị Mai 0912 345 678")
    phone.get_by_role("button", name="Lưu danh sách kiểm tra").click()
    expect(phone.locator(".flash-success")).to_contain_text("Đã lưu danh sách kiểm tra")
    expect(phone.locator("h2 .badge")).to_have_text("4/4")

    clock.now = ceremony.starts_at - timedelta(minutes=30)  # codes work on the day
    phone.get_by_role("link", name="Điểm danh", exact=True).click()
    phone.get_by_label("Mã điểm danh").fill(code_of(app, hoa.id).lower())
    phone.locator("#code-form").get_by_role("button", name="Điểm danh", exact=True).click()
    expect(phone.locator(".flash-success")).to_contain_text("Hoàng Thị Hoa: Có mặt")
    expect(phone.locator(f"#person-{hoa.id} .badge")).to_have_text("Có mặt")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    site = fetch(Site, post.id)
    assert (site.status, site.room_ready, site.endpoint_tested, site.av_checked) == (
        "confirmed", True, True, True)
    assert fetch(Attendee, hoa.id).attendance == "present"
