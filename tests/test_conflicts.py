import re
import unicodedata
from datetime import UTC, datetime, timedelta

import pytest

from scheduler.extensions import db
from scheduler.planning import conflicts
from scheduler.planning.models import Ceremony, ProgrammeItem

from .conftest import post_form

SEVEN_UTC = datetime(2027, 6, 15, 7, 0, tzinfo=UTC)
ADDRESS, ROOM = "Số 47 phố Phạm Văn Đồng", "Hội trường Diên Hồng"


def nfd(text):
    return unicodedata.normalize("NFD", text)


def ceremony_at(factory, title, start_hour, hours=2):
    starts = SEVEN_UTC.replace(hour=start_hour)
    return factory.ceremony(title=title, starts_at=starts, ends_at=starts + timedelta(hours=hours))


def warnings(client, ceremony, kind):
    page = client.get(f"/ceremonies/{ceremony.id}").get_data(as_text=True)
    return re.findall(rf'<li class="warn-{kind}">(.*?)</li>', page, re.S)


def clashes(app, ceremony):
    with app.app_context():
        return conflicts.room_clashes(db.session.get(Ceremony, ceremony.id))


def duplicates(app, ceremony):
    with app.app_context():
        return conflicts.duplicate_attendees(ceremony.id)


# --- rooms ----------------------------------------------------------------------------------

def test_overlapping_ceremonies_in_the_same_room_clash_both_ways(app, client, factory):
    first = ceremony_at(factory, "Lễ kỷ niệm 80 năm", 7)
    second = ceremony_at(factory, "Hội nghị tổng kết", 8)
    factory.site(first, code="BCA", name="Điểm cầu Bộ", address=ADDRESS, room=ROOM, is_host=True)
    factory.site(second, code="HN", name="Điểm cầu Hà Nội", address=ADDRESS, room=ROOM)
    [shown] = warnings(client, first, "room")
    assert "Hội nghị tổng kết" in shown and "Điểm cầu Hà Nội" in shown and ROOM in shown
    assert f'href="/ceremonies/{second.id}"' in shown
    [back] = warnings(client, second, "room")
    assert "Lễ kỷ niệm 80 năm" in back
    [clash] = clashes(app, first)
    assert (clash.other_ceremony_id, clash.site_name, clash.other_site_name) == \
        (second.id, "Điểm cầu Bộ", "Điểm cầu Hà Nội")


@pytest.mark.parametrize("address, room", [
    (ADDRESS.upper(), ROOM.lower()),
    ("  " + ADDRESS.replace(" ", "   ") + " ", "\t" + ROOM.replace(" ", "  ")),
    (nfd(ADDRESS), nfd(ROOM)),
    (nfd(ADDRESS.lower()), "  " + nfd(ROOM.upper())),
])
def test_the_same_room_typed_another_way_still_clashes(app, factory, address, room):
    first, second = ceremony_at(factory, "Lễ A", 7), ceremony_at(factory, "Lễ B", 8)
    factory.site(first, code="A", address=ADDRESS, room=ROOM)
    factory.site(second, code="B", address=address, room=room)
    assert [c.other_title for c in clashes(app, first)] == ["Lễ B"]
    assert [c.other_title for c in clashes(app, second)] == ["Lễ A"]


def test_a_cancelled_ceremony_frees_its_room(app, client, factory):
    first, second = ceremony_at(factory, "Lễ A", 7), ceremony_at(factory, "Lễ B", 8)
    factory.site(first, code="A", address=ADDRESS, room=ROOM, is_host=True)
    factory.site(second, code="B", address=ADDRESS, room=ROOM)
    assert len(warnings(client, first, "room")) == 1
    post_form(client, f"/ceremonies/{second.id}/cancel", {}, token_from="/")
    assert warnings(client, first, "room") == []
    assert clashes(app, first) == []


@pytest.mark.parametrize("start_hour, hours, clash", [
    (9, 1, False),   # starts as the first ends: back to back
    (5, 2, False),   # ends as the first starts
    (8, 2, True),    # starts inside
    (6, 4, True),    # covers it whole
    (7, 1, True),    # same start
    (10, 1, False),  # later
])
def test_only_overlapping_times_clash(app, factory, start_hour, hours, clash):
    first = ceremony_at(factory, "Lễ A", 7)  # 07:00–09:00 UTC
    second = ceremony_at(factory, "Lễ B", start_hour, hours)
    factory.site(first, code="A", address=ADDRESS, room=ROOM)
    factory.site(second, code="B", address=ADDRESS, room=ROOM)
    assert bool(clashes(app, first)) is clash


def test_no_clash_without_a_room_or_at_another_address(app, client, factory):
    first, second = ceremony_at(factory, "Lễ A", 7), ceremony_at(factory, "Lễ B", 8)
    factory.site(first, code="A", address=ADDRESS, room="", is_host=True)
    factory.site(second, code="B", address=ADDRESS, room="  ")
    factory.site(first, code="C", address=ADDRESS, room=ROOM)
    factory.site(second, code="D", address="Số 1 phố Lý Thường Kiệt", room=ROOM)
    assert clashes(app, first) == [] and clashes(app, second) == []
    assert warnings(client, first, "room") == []


def test_two_sites_of_one_ceremony_in_one_room_are_not_a_clash(app, factory):
    ceremony = ceremony_at(factory, "Lễ A", 7)
    factory.site(ceremony, code="A", address=ADDRESS, room=ROOM)
    factory.site(ceremony, code="B", address=ADDRESS, room=ROOM)
    assert clashes(app, ceremony) == []


# --- people ---------------------------------------------------------------------------------

def test_the_same_email_twice_is_flagged(app, client, factory):
    ceremony = factory.ceremony()
    bni, bca = factory.site(ceremony, code="BNI", is_host=True), factory.site(ceremony, code="BCA")
    first = factory.attendee(ceremony, bni, full_name="Trần Văn Bình", email="Binh.TV@Example.vn")
    second = factory.attendee(ceremony, bca, full_name="Trần V. Bình", email=" binh.tv@example.vn ")
    factory.attendee(ceremony, bca, full_name="Lê Thị Hoa", email="hoa@example.vn")
    [dup] = duplicates(app, ceremony)
    assert (dup.reason, dup.value) == ("email", "binh.tv@example.vn")
    assert [p[0] for p in dup.people] == [first.id, second.id]
    assert [p[2] for p in dup.people] == ["Điểm cầu BNI", "Điểm cầu BCA"]
    [shown] = warnings(client, ceremony, "person")
    assert "binh.tv@example.vn" in shown and "Trần V. Bình" in shown and "Lê Thị Hoa" not in shown
    assert f"/attendees/{second.id}/edit" in shown


def test_the_same_name_typed_two_ways_in_the_same_unit_is_flagged(app, client, factory):
    ceremony = factory.ceremony()
    site = factory.site(ceremony, code="BNI", is_host=True)
    unit = "Phòng Tham mưu"
    factory.attendee(ceremony, site, full_name="Nguyễn Văn Ánh", unit=unit)
    factory.attendee(ceremony, site, full_name=nfd("  nguyễn   văn ánh "), unit=nfd(unit))
    [dup] = duplicates(app, ceremony)
    assert dup.reason == "name" and len(dup.people) == 2 and dup.value == "Nguyễn Văn Ánh"
    [shown] = warnings(client, ceremony, "person")
    assert "Nguyễn Văn Ánh" in shown


def test_the_same_name_in_different_units_is_two_people(app, client, factory):
    ceremony = factory.ceremony()
    site = factory.site(ceremony, code="BNI", is_host=True)
    factory.attendee(ceremony, site, full_name="Nguyễn Văn Ánh", unit="Phòng Tham mưu")
    factory.attendee(ceremony, site, full_name="Nguyễn Văn Ánh", unit="Công an huyện Tiên Du")
    assert duplicates(app, ceremony) == []
    assert warnings(client, ceremony, "person") == []


def test_the_same_person_in_two_ceremonies_is_not_a_duplicate(app, client, factory):
    first, second = factory.ceremony(), factory.ceremony(title="Lễ khác")
    for ceremony in (first, second):
        site = factory.site(ceremony, code="BNI", is_host=True)
        factory.attendee(ceremony, site, full_name="Nguyễn Văn Ánh", unit="Phòng Tham mưu",
                         email="anh@example.vn")
    assert duplicates(app, first) == [] and duplicates(app, second) == []
    assert warnings(client, first, "person") == []


# --- programme ------------------------------------------------------------------------------

def items(*spans):
    return [ProgrammeItem(id=n, title=f"Mục {n}", start_offset_minutes=start, duration_minutes=length)
            for n, (start, length) in enumerate(spans, start=1)]


def problems(spans, duration=120):
    return [(p.item_id, p.reason, p.minutes) for p in conflicts.programme_problems(items(*spans), duration)]


def test_programme_problems_pure():
    assert problems([(0, 30), (30, 60), (90, 30)]) == []  # back to back, ends on time
    assert problems([(0, 30), (20, 10)]) == [(2, "overlap", 10)]
    assert problems([(0, 60), (100, 35)]) == [(2, "overflow", 15)]
    assert problems([(0, 60), (10, 10), (30, 10)]) == [(2, "overlap", 50), (3, "overlap", 30)]
    assert problems([(0, 100), (90, 40)]) == [(2, "overlap", 10), (2, "overflow", 10)]
    assert problems([(130, 10)]) == [(1, "overflow", 20)]
    assert problems([]) == []


def test_programme_problems_on_the_ceremony_page(client, factory):
    ceremony = factory.ceremony(starts_at=SEVEN_UTC, ends_at=SEVEN_UTC + timedelta(hours=1))
    factory.site(ceremony, code="BCA", is_host=True)
    factory.item(ceremony, title="Chào cờ", start=0, duration=10)
    factory.item(ceremony, title="Diễn văn", start=5, duration=20)
    factory.item(ceremony, title="Bế mạc", start=50, duration=25)
    client.get("/language/en")
    shown = warnings(client, ceremony, "programme")
    assert shown == ["“Diễn văn” starts 5 min before the previous item ends.",
                     "“Bế mạc” ends 15 min after the ceremony's end."]
    assert "Chào cờ" not in " ".join(shown)
