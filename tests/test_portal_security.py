"""The link pages as an attacker sees them: every route, every wrong key, CSRF, escaping, throttling."""
import io
from datetime import timedelta

import pytest
from sqlalchemy import select

from scheduler.extensions import db
from scheduler.planning.models import Attendee, Ceremony, Site
from scheduler.transfer import imports
from scheduler.transfer.models import ImportJob

from .conftest import csrf_token, post_form
from .portal_helpers import code_of, person_path, site_path

SCRIPT = '<script>alert("x")</script>'
# Every coordinator route, as (method, path after /s/<token>, form data); {p} is a person's id,
# {j} an import's id, and a "{file}" value an uploaded CSV.
SITE_ROUTES = [
    ("GET", "", {}),
    ("POST", "/reply", {"answer": "confirmed"}),
    ("POST", "/readiness", {"room_ready": "y"}),
    ("GET", "/people", {}),
    ("POST", "/people/{p}/confirm", {"confirmation": "not_coming"}),
    ("GET", "/people/new", {}),
    ("POST", "/people/new", {"full_name": "Kẻ lạ"}),
    ("GET", "/people/{p}/substitute", {}),
    ("POST", "/people/{p}/substitute", {"full_name": "Kẻ lạ"}),
    ("GET", "/check-in", {}),
    ("POST", "/check-in/code", {"code": "{code}"}),
    ("POST", "/check-in/{p}", {"attendance": "present"}),
    ("POST", "/check-in/{p}/undo", {}),
    ("GET", "/qr-codes", {}),
    ("GET", "/people/import", {}),
    ("POST", "/people/import", {"file": "{file}"}),
    ("GET", "/people/import/template.csv", {}),
    ("GET", "/people/import/template.xlsx", {}),
    ("GET", "/imports/{j}", {}),
    ("GET", "/imports/{j}/progress.json", {}),
    ("POST", "/imports/{j}/write", {}),
    ("POST", "/imports/{j}/discard", {}),
]
ATTENDEE_ROUTES = [("GET", "", {}), ("POST", "", {"answer": "DECLINED"}), ("GET", "/invite.ics", {}),
                   ("GET", "/qr.svg", {})]


@pytest.fixture
def two_sites(factory):
    """Our site and another one, each with a person whose name must never leak across."""
    ceremony = factory.ceremony(title="Lễ kỷ niệm")
    ours = factory.site(ceremony, code="XTL", is_host=True, name="Công an xã Tân Lập")
    theirs = factory.site(ceremony, code="XKH", name="Công an xã Khánh Hòa", room="Phòng bí mật")
    mine = factory.attendee(ceremony, ours, full_name="Hoàng Thị Hoa")
    other = factory.attendee(ceremony, theirs, full_name="Trịnh Văn Bí Mật", unit="Đơn vị kín")
    return ceremony, ours, theirs, mine, other


@pytest.fixture
def import_ids(app, clock, two_sites):
    """Imports waiting to be written: ours, the other site's and the organizer's (which names theirs)."""
    ceremony, ours, theirs, _mine, _other = two_sites
    files = {"ours": (ours.id, "Họ và tên\nNgười Nhập Mới\n"),
             "theirs": (theirs.id, "Họ và tên\nTrịnh Văn Bí Mật Nhì\n"),
             "organizer": (None, "Mã điểm cầu,Họ và tên,Đơn vị\nXKH,Trịnh Văn Bí Mật Ba,Đơn vị kín\n")}
    ids = {}
    with app.app_context():
        for name, (site_id, text) in files.items():
            job = imports.start_import(db.session.get(Ceremony, ceremony.id), "attendees", f"{name}.csv",
                                       text.encode(), only_site_id=site_id, now=clock())
            assert job.status == "ready", job.report
            ids[name] = job.id
        db.session.commit()
    return ids


def fill(data: dict, **values) -> dict:
    """The form data of a route, with a fresh upload for "{file}"."""
    return {k: (io.BytesIO("Họ và tên\nKẻ Lạ\n".encode()), "la.csv") if v == "{file}" else v.format(**values)
            for k, v in data.items()}


def tampered(path: str) -> str:
    token = path.rsplit("/", 1)[1]
    flipped = token[:-2] + ("A" if token[-2] != "A" else "B") + token[-1]
    return path.rsplit("/", 1)[0] + "/" + flipped


def unchanged(app, other, theirs):
    with app.app_context():
        person = db.session.get(Attendee, other.id)
        site = db.session.get(Site, theirs.id)
        return (person.site_confirmation, person.attendance, site.status, site.room_ready,
                db.session.scalar(select(db.func.count()).select_from(Attendee)),
                db.session.scalars(select(ImportJob.status).order_by(ImportJob.id)).all())


def spoil(app, clock, attack, ceremony, model, row_id):
    """Make a good link bad: a new key for the row (revoked), or a clock past the expiry."""
    if attack == "revoked":
        with app.app_context():
            db.session.get(model, row_id).link_key = "f" * 32
            db.session.commit()
    if attack == "expired":
        clock.now = ceremony.ends_at + timedelta(days=2)


def send(client, method, path, data, token_source):
    if method == "GET":
        return client.get(path)
    return client.post(path, data={**data, "csrf_token": csrf_token(client, token_source)})


SITE_ATTACKS = [
    pytest.param(attack, method, suffix, data, id=f"{attack}-{method}{suffix or '/'}")
    for attack in ("other_sites_person", "other_sites_import", "organizers_import", "attendee_token",
                   "tampered", "revoked", "expired", "garbage")
    for method, suffix, data in SITE_ROUTES
    # Another site's person can only be named in routes that take a person (id or code),
    # another site's or the organizer's import only in routes that take an import.
    if (attack != "other_sites_person" or "{p}" in suffix or suffix == "/check-in/code")
    and (attack not in ("other_sites_import", "organizers_import") or "{j}" in suffix)
]


@pytest.mark.parametrize("attack,method,suffix,data", SITE_ATTACKS)
def test_a_site_link_reaches_only_its_own_site(app, clock, two_sites, import_ids, method, suffix, data,
                                                attack):
    ceremony, ours, theirs, mine, other = two_sites
    client = app.test_client()
    token_source = "/login"  # any page of ours gives this browser a CSRF token
    own = site_path(app, ours.id)
    person_id = other.id if attack == "other_sites_person" else mine.id
    job_owner = {"other_sites_import": "theirs", "organizers_import": "organizer"}.get(attack, "ours")
    job_id = import_ids[job_owner]
    base = {
        "other_sites_person": own,
        "other_sites_import": own,
        "organizers_import": own,
        "attendee_token": "/s/" + person_path(app, mine.id).rsplit("/", 1)[1],
        "tampered": tampered(own),
        "revoked": own,
        "expired": own,
        "garbage": "/s/not-a-token",
    }[attack]
    if suffix == "/check-in/code":
        clock.now = ceremony.starts_at  # codes are accepted on the day only
    spoil(app, clock, attack, ceremony, Site, ours.id)
    path = base + suffix.format(p=person_id, j=job_id)
    filled = fill(data, code=code_of(app, other.id))
    before = unchanged(app, other, theirs)
    response = send(client, method, path, filled, token_source)
    html = response.get_data(as_text=True)
    expected = {"revoked": 410, "expired": 410}.get(attack, 404)
    if attack == "other_sites_person" and suffix == "/check-in/code":
        expected = 200  # the code form answers "no one here has this code"
        assert 'id="code-error"' in html
    assert response.status_code == expected, html[:300]
    for secret in ("Trịnh Văn Bí Mật", "Đơn vị kín", "Công an xã Khánh Hòa", "Phòng bí mật"):
        assert secret not in html
    if attack != "other_sites_person":
        assert "Hoàng Thị Hoa" not in html and "Công an xã Tân Lập" not in html
    assert unchanged(app, other, theirs) == before


@pytest.mark.parametrize("method,suffix,data", ATTENDEE_ROUTES,
                         ids=[f"{m}{s or '/'}" for m, s, _ in ATTENDEE_ROUTES])
@pytest.mark.parametrize("attack", ["site_token", "tampered", "revoked", "expired"])
def test_an_attendee_link_reaches_only_its_own_record(app, clock, two_sites, method, suffix, data, attack):
    ceremony, ours, _theirs, mine, _other = two_sites
    client = app.test_client()
    own = person_path(app, mine.id)
    base = {"site_token": "/r/" + site_path(app, ours.id).rsplit("/", 1)[1], "tampered": tampered(own),
            "revoked": own, "expired": own}[attack]
    spoil(app, clock, attack, ceremony, Attendee, mine.id)
    response = send(client, method, base + suffix, data, "/login")
    assert response.status_code == (404 if attack in ("site_token", "tampered") else 410)
    html = response.get_data(as_text=True)
    assert "Hoàng Thị Hoa" not in html and "Trịnh Văn Bí Mật" not in html
    with app.app_context():
        assert db.session.get(Attendee, mine.id).partstat == "NEEDS-ACTION"


def test_refused_links_explain_themselves_in_both_languages(app, two_sites):
    _ceremony, ours, *_ = two_sites
    client = app.test_client()
    html = client.get(tampered(site_path(app, ours.id))).get_data(as_text=True)
    assert "Liên kết này không hợp lệ" in html
    client.get("/language/en")
    html = client.get(tampered(site_path(app, ours.id))).get_data(as_text=True)
    assert "This link is not valid" in html and "ask the organizer" in html


def test_refusals_speak_the_readers_recorded_language(app, clock, monkeypatch, factory):
    ceremony = factory.ceremony()
    site = factory.site(ceremony, code="HCM", is_host=True, coordinator_language="en")
    anna = factory.attendee(ceremony, site, full_name="Anna Schmidt", language="en")
    lan = factory.attendee(ceremony, site, full_name="Nguyễn Thị Lan", language="vi")
    old_site, old_anna, old_lan = site_path(app, site.id), person_path(app, anna.id), person_path(app, lan.id)
    phone = app.test_client()
    clock.now = ceremony.ends_at + timedelta(days=2)
    assert "This link has expired" in phone.get(old_site).get_data(as_text=True)
    assert "This link has expired" in phone.get(old_anna).get_data(as_text=True)
    assert "Liên kết này đã hết hạn" in phone.get(old_lan).get_data(as_text=True)
    clock.now = ceremony.starts_at
    with app.app_context():
        db.session.get(Site, site.id).link_key = "a" * 32
        db.session.get(Attendee, anna.id).link_key = "b" * 32
        db.session.commit()
    assert "This link was replaced" in phone.get(old_site).get_data(as_text=True)
    assert "This link was replaced" in phone.get(old_anna).get_data(as_text=True)
    phone.get("/language/vi")  # the reader's own choice still wins
    assert "Liên kết này đã được thay thế" in phone.get(old_anna).get_data(as_text=True)
    # Throttled or unknown, nothing names the reader: their browser's language (else Vietnamese).
    monkeypatch.setitem(app.config, "BAD_LINK_RATE_LIMIT", "1 per minute")
    english = {"Accept-Language": "en-GB,en;q=0.9"}
    browser = app.test_client()
    assert "This link is not valid" in browser.get("/r/forged", headers=english).get_data(as_text=True)
    throttled = browser.get("/r/forged2", headers=english)
    assert throttled.status_code == 429 and "Too many attempts" in throttled.get_data(as_text=True)
    assert "Quá nhiều lần thử" in browser.get("/r/forged3").get_data(as_text=True)


def test_every_new_form_refuses_a_post_without_its_csrf_token(app, client, two_sites, import_ids):
    ceremony, ours, _theirs, mine, _other = two_sites
    phone = app.test_client()
    own = site_path(app, ours.id)
    phone.get(own)  # a session exists; only the token is missing
    before = unchanged(app, mine, ours)
    for method, suffix, data in SITE_ROUTES:
        if method != "POST":
            continue
        path = own + suffix.format(p=mine.id, j=import_ids["ours"])
        filled = fill(data, code=code_of(app, mine.id))
        response = phone.post(path, data=filled)
        assert response.status_code == 400, path
        assert "chưa có dữ liệu nào được lưu" in response.get_data(as_text=True), path
    response = client.post(f"/ceremonies/{ceremony.id}/sites/{ours.id}/link/reissue")
    assert response.status_code == 400
    assert site_path(app, ours.id) == own
    assert unchanged(app, mine, ours) == before


def test_names_with_html_are_escaped_on_every_new_page(app, client, factory):
    ceremony = factory.ceremony(title=f"Lễ {SCRIPT}")
    site = factory.site(ceremony, code="XSS", is_host=True, name=f"Điểm cầu {SCRIPT}", room=SCRIPT,
                        address=SCRIPT, video_endpoint="", coordinator_name=SCRIPT)
    original = factory.attendee(ceremony, site, full_name=f"Nguyễn {SCRIPT}", rank=SCRIPT,
                                position=SCRIPT, unit=SCRIPT)
    phone = app.test_client()
    own = site_path(app, site.id)
    post_form(phone, f"{own}/readiness", {"backup_contact": SCRIPT, "readiness_remark": SCRIPT},
              token_from=own)
    post_form(phone, f"{own}/people/{original.id}/substitute", {"full_name": f"Trần {SCRIPT}",
                                                                "rank": SCRIPT, "language": "vi"})
    refused = post_form(phone, f"{own}/check-in/code", {"code": SCRIPT}, token_from=f"{own}/check-in")
    listed = f'Họ và tên,Đơn vị\n"Lê {SCRIPT}",{SCRIPT}\n'.encode()
    post_form(phone, f"{own}/people/import", {"file": (io.BytesIO(listed), "<script>alert(1)</script>.csv")},
              content_type="multipart/form-data")
    with app.app_context():
        job_id = db.session.scalar(select(ImportJob.id).where(ImportJob.only_site_id == site.id))
    pages = [refused, phone.get(own), phone.get(f"{own}/people"), phone.get(f"{own}/people/new"),
             phone.get(f"{own}/people/{original.id}/substitute"), phone.get(f"{own}/check-in"),
             phone.get(f"{own}/check-in?q={SCRIPT}"), phone.get(f"{own}/qr-codes"),
             phone.get(person_path(app, original.id)),
             phone.get(f"{own}/people/import"), phone.get(f"{own}/imports/{job_id}"),
             client.get(f"/ceremonies/{ceremony.id}/sites/{site.id}")]
    for response in pages:
        html = response.get_data(as_text=True)
        assert response.status_code == 200, response.request.path
        assert SCRIPT not in html, response.request.path
        assert "<script>alert(1)" not in html, response.request.path  # an uploaded file's name
        assert "&lt;script&gt;" in html, response.request.path
    assert "&lt;script&gt;alert(1)" in phone.get(f"{own}/imports/{job_id}").get_data(as_text=True)


def test_guessing_links_is_throttled(app, monkeypatch, two_sites):
    _ceremony, ours, _theirs, mine, _other = two_sites
    monkeypatch.setitem(app.config, "BAD_LINK_RATE_LIMIT", "5 per minute")
    guesser = app.test_client()
    own = site_path(app, ours.id)
    for n in range(40):  # good requests do not count towards the guessing limit
        assert guesser.get(own).status_code == 200
    for n in range(5):
        kind = "/s/" if n % 2 else "/r/"  # both kinds of link share the count
        assert guesser.get(f"{kind}guess{n}").status_code == 404
    throttled = guesser.get(tampered(own))
    assert throttled.status_code == 429
    assert throttled.headers.get("Retry-After")
    assert "Quá nhiều lần thử" in throttled.get_data(as_text=True)
    # Links we signed still open from that address: a real coordinator or attendee
    # sharing the guesser's address (one office, one NAT) is not locked out.
    assert guesser.get(own).status_code == 200
    assert guesser.get(person_path(app, mine.id)).status_code == 200
    guesser.get("/language/en")
    assert "Too many attempts" in guesser.get("/r/guess-7").get_data(as_text=True)


def test_every_request_to_one_link_counts_towards_its_limit(app, monkeypatch, two_sites):
    _ceremony, ours, *_ = two_sites
    monkeypatch.setitem(app.config, "LINK_RATE_LIMIT", "3 per minute")
    client = app.test_client()
    own = site_path(app, ours.id)
    assert [client.get(own).status_code for _ in range(4)] == [200, 200, 200, 429]
    assert client.get("/login").status_code == 200  # other pages are not limited


def test_a_whole_office_behind_one_address_opens_its_invitations(app, monkeypatch, factory, two_sites):
    ceremony, ours, *_ = two_sites
    # Each person makes four requests (page, QR code, the form again, the answer).
    monkeypatch.setitem(app.config, "LINK_RATE_LIMIT", "4 per minute")
    monkeypatch.setitem(app.config, "BAD_LINK_RATE_LIMIT", "3 per minute")
    people = [factory.attendee(ceremony, ours, full_name=f"Cán bộ số {n}") for n in range(12)]
    office = app.test_client()  # every request comes from the same address
    for person in people:
        path = person_path(app, person.id)
        assert office.get(path).status_code == 200
        assert office.get(f"{path}/qr.svg").status_code == 200
        assert post_form(office, path, {"answer": "ACCEPTED"}).status_code == 302


def test_old_links_never_count_as_guessing(app, clock, monkeypatch, two_sites):
    ceremony, ours, _theirs, mine, _other = two_sites
    monkeypatch.setitem(app.config, "BAD_LINK_RATE_LIMIT", "3 per minute")
    office = app.test_client()
    old_site, old_person = site_path(app, ours.id), person_path(app, mine.id)
    for _ in range(5):  # a person since removed, under a good link
        assert office.get(f"{old_site}/people/999999/substitute").status_code == 404
    clock.now = ceremony.ends_at + timedelta(days=2)
    for _ in range(5):  # the day after: yesterday's emails
        assert office.get(old_site).status_code == 410
        assert office.get(old_person).status_code == 410
    clock.now = ceremony.starts_at
    with app.app_context():  # new links issued: the old emails are replaced
        db.session.get(Site, ours.id).link_key = "a" * 32
        db.session.get(Attendee, mine.id).link_key = "b" * 32
        db.session.commit()
    for _ in range(5):
        assert office.get(old_site).status_code == 410
        assert office.get(old_person).status_code == 410
    assert office.get(site_path(app, ours.id)).status_code == 200
    assert office.get(person_path(app, mine.id)).status_code == 200
    # The guessing budget is untouched: three forged tokens are refused as unknown, the fourth throttled.
    assert [office.get(f"/s/forged{n}").status_code for n in range(4)] == [404, 404, 404, 429]


def test_failed_sign_ins_are_throttled(app, monkeypatch, make_user):
    make_user(email="to-chuc@example.vn")
    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT", "3 per minute")
    client = app.test_client()
    for _ in range(3):
        response = post_form(client, "/login", {"email": "to-chuc@example.vn", "password": "sai mật khẩu"})
        assert response.status_code == 200
    response = post_form(client, "/login", {"email": "to-chuc@example.vn",
                                            "password": "correct horse battery"})
    assert response.status_code == 429
    assert client.get("/login").status_code == 200  # reading the form is not limited


def test_an_absurd_person_id_is_a_404_not_an_error(app, two_sites):
    _ceremony, ours, *_ = two_sites
    own = site_path(app, ours.id)
    client = app.test_client()
    assert client.get(f"{own}/people/{2**63}/substitute").status_code == 404


def test_control_characters_are_dropped_not_a_server_error(app, clock, two_sites, make_user):
    """PostgreSQL refuses a NUL in text: every form field, and the portal's own inputs, drop them."""
    _ceremony, ours, _theirs, mine, _other = two_sites
    phone = app.test_client()
    own = site_path(app, ours.id)
    added = post_form(phone, f"{own}/people/new", {"full_name": "Đinh\x00 Văn\x07 Nam", "unit": "Xã\x00",
                                                   "language": "vi"})
    assert added.status_code == 302
    saved = post_form(phone, f"{own}/readiness", {"backup_contact": "Mai\x00 0912",
                                                  "readiness_remark": "Phòng\x00 họp\nsố 2\x1b"},
                      token_from=own)
    assert saved.status_code == 302
    page = person_path(app, mine.id)
    answered = post_form(phone, page, {"answer": "ACCEPTED", "comment": "Tôi\x00 đến"})
    assert answered.status_code == 302
    assert phone.get(f"{own}/check-in?q=%00").status_code == 200
    assert phone.get(f"{own}/check-in?q=Nam%00").status_code == 200
    make_user(email="to-chuc@example.vn")
    assert post_form(app.test_client(), "/login", {"email": "to-chuc\x00@example.vn",
                                                   "password": "sai"}).status_code == 200
    with app.app_context():
        nam = db.session.scalar(select(Attendee).where(Attendee.site_id == ours.id, Attendee.id != mine.id))
        assert (nam.full_name, nam.unit) == ("Đinh Văn Nam", "Xã")
        site = db.session.get(Site, ours.id)
        assert (site.backup_contact, site.readiness_remark) == ("Mai 0912", "Phòng họp\nsố 2")
        assert db.session.get(Attendee, mine.id).rsvp_comment == "Tôi đến"


@pytest.mark.parametrize("suffix", ["/people", "/check-in", "/qr-codes"])
@pytest.mark.parametrize("page", ["99999999999999999999", "-5", "0", "abc"])
def test_an_absurd_page_number_is_a_page_not_an_error(app, two_sites, suffix, page):
    _ceremony, ours, *_ = two_sites
    response = app.test_client().get(f"{site_path(app, ours.id)}{suffix}?page={page}")
    assert response.status_code == 200
