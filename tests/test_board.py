"""The organizer's readiness board: states, counts, filters, chart, bounded queries."""
from sqlalchemy import update

from scheduler.board.chart import stacked_bars
from scheduler.extensions import db
from scheduler.planning.models import Attendee, Site

SCRIPT = '<script>alert("x")</script>'


def set_site(app, site_id, **values):
    with app.app_context():
        db.session.execute(update(Site).where(Site.id == site_id).values(**values))
        db.session.commit()


def set_person(app, person_id, **values):
    with app.app_context():
        db.session.execute(update(Attendee).where(Attendee.id == person_id).values(**values))
        db.session.commit()


READY = dict(status="confirmed", room_ready=True, endpoint_tested=True, av_checked=True,
             backup_contact="Lê Văn Dự Phòng 0912 000 111")


def board(client, ceremony, **args):
    query = "&".join(f"{k}={v}" for k, v in args.items())
    response = client.get(f"/ceremonies/{ceremony.id}/board?{query}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def rows(page):
    table = page.split('id="board-sites"')[1].split("</tbody>")[0]
    return table.count("<tr>") - 1  # minus the header row


def test_each_site_shows_its_state_checklist_and_people(app, client, factory):
    ceremony = factory.ceremony()
    host = factory.site(ceremony, code="BCA", is_host=True, province="Hà Nội")
    bni = factory.site(ceremony, code="BNI", province="Bắc Ninh")
    hni = factory.site(ceremony, code="HNI", province="Hà Nội")
    factory.site(ceremony, code="LCI", province="Lào Cai")
    set_site(app, host.id, **READY)
    set_site(app, bni.id, status="confirmed", room_ready=True)
    set_site(app, hni.id, status="declined")
    people = [factory.attendee(ceremony, bni, full_name=f"Người {n}", email=f"p{n}@example.vn")
              for n in range(5)]
    set_person(app, people[0].id, partstat="ACCEPTED", attendance="present")
    set_person(app, people[1].id, partstat="DECLINED")
    set_person(app, people[2].id, partstat="ACCEPTED", site_confirmation="not_coming")  # coordinator's no
    set_person(app, people[3].id, site_confirmation="confirmed", attendance="late")
    page = board(client, ceremony, sort="name")
    totals = page.split('class="board-totals"')[1].split("</section>")[0]
    assert [int(n) for n in totals.split("<strong>")[1:] for n in [n.split("<")[0]]] == [1, 1, 1, 1, 4]
    bni_row = page.split("Điểm cầu BNI")[1].split("</tr>")[0]
    assert "1/4" in bni_row
    # invited, accepted, tentative, declined, no answer, present
    assert [c.split("<")[0] for c in bni_row.split('<td class="num">')[1:]] == ["0", "2", "0", "2", "1", "2"]


def test_filters_by_state_province_and_search(app, client, factory):
    ceremony = factory.ceremony()
    host = factory.site(ceremony, code="BCA", is_host=True, province="Hà Nội")
    factory.site(ceremony, code="BNI", province="Bắc Ninh", name="Công an tỉnh Bắc Ninh")
    factory.site(ceremony, code="HNI", province="Hà Nội", name="Công an phường Hoàn Kiếm")
    set_site(app, host.id, **READY)
    assert rows(board(client, ceremony, state="ready")) == 1
    assert rows(board(client, ceremony, state="pending")) == 2
    assert rows(board(client, ceremony, province="Hà Nội")) == 2
    assert rows(board(client, ceremony, q="hoàn")) == 1 or rows(board(client, ceremony, q="Hoàn")) == 1
    assert rows(board(client, ceremony, q="bni")) == 1
    assert "No site matches" in board(client, ceremony, q="nowhere") or \
        "Không có điểm cầu" in board(client, ceremony, q="nowhere")


def test_sorting_by_each_key_works(app, client, factory):
    ceremony = factory.ceremony()
    factory.site(ceremony, code="BCA", is_host=True, province="Hà Nội")
    factory.site(ceremony, code="BNI", province="Bắc Ninh")
    for key in ("state", "name", "province", "readiness", "activity", "nonsense"):
        assert rows(board(client, ceremony, sort=key)) == 2


def test_the_chart_scales_bars_to_the_largest_province():
    chart = stacked_bars([("Bắc Ninh", {"ready": 2, "pending": 2}), ("Hà Nội", {"declined": 2})])
    first, second = chart.bars
    assert [s.state for s in first.segments] == ["ready", "pending"]
    assert first.segments[0].width == first.segments[1].width == second.segments[0].width
    assert first.segments[1].x == first.segments[0].x + first.segments[0].width
    assert sum(s.width for s in first.segments) == 2 * second.segments[0].width
    assert stacked_bars([]).bars == ()


def test_the_board_escapes_names(app, client, factory):
    ceremony = factory.ceremony(title=f"Lễ {SCRIPT}")
    site = factory.site(ceremony, code="BCA", is_host=True, name=f"Điểm {SCRIPT}", province=SCRIPT,
                        coordinator_name=SCRIPT)
    set_site(app, site.id, readiness_remark=SCRIPT, backup_contact=SCRIPT)
    page = board(client, ceremony)
    assert SCRIPT not in page and "&lt;script&gt;" in page


def test_the_board_needs_a_signed_in_organizer(app, factory):
    ceremony = factory.ceremony()
    response = app.test_client().get(f"/ceremonies/{ceremony.id}/board")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_people_of_a_declined_site_count_as_declined_and_tentative_apart(app, client, factory):
    ceremony = factory.ceremony()
    host = factory.site(ceremony, code="BCA", is_host=True)
    hni = factory.site(ceremony, code="HNI")
    yes = factory.attendee(ceremony, hni, full_name="Có Đến")
    maybe = factory.attendee(ceremony, host, full_name="Có Thể")
    set_person(app, yes.id, partstat="ACCEPTED", site_confirmation="confirmed")
    set_person(app, maybe.id, partstat="TENTATIVE")
    set_site(app, hni.id, status="declined")
    page = board(client, ceremony)
    counts = page.split('class="counts"')[1].split("</ul>")[0]
    values = [v.split("<")[0] for v in counts.split("<strong>")[1:]]
    # people, invited, accepted, tentative, declined, no answer, present
    assert values == ["2", "0", "0", "1", "1", "0", "0"]


def test_search_takes_percent_and_underscore_literally_and_finds_sites_without_province(
        app, client, factory):
    ceremony = factory.ceremony()
    factory.site(ceremony, code="BCA", is_host=True, province="Hà Nội")
    factory.site(ceremony, code="X_1", province="")
    assert rows(board(client, ceremony, q="%")) == 1  # only the "No site matches" row
    assert "No site matches" in board(client, ceremony, q="%") or \
        "Không có điểm cầu" in board(client, ceremony, q="%")
    assert "Điểm cầu X_1" in board(client, ceremony, q="_1")
    assert "Điểm cầu X_1" in board(client, ceremony, province="-")
    assert "Điểm cầu BCA" not in board(client, ceremony, province="-")


def test_sorting_by_readiness_puts_sites_without_an_answer_first(app, client, factory):
    ceremony = factory.ceremony()
    host = factory.site(ceremony, code="BCA", is_host=True)
    factory.site(ceremony, code="BNI")
    set_site(app, host.id, **READY)
    page = board(client, ceremony)
    assert page.index("Điểm cầu BNI") < page.index("Điểm cầu BCA")
