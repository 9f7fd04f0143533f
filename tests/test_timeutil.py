"""Pure helpers: time-zone conversions, name/room keys and the timeline layout (no app needed)."""
import unicodedata
from datetime import UTC, datetime

import pytest

from scheduler.planning import names, timeline
from scheduler.planning.models import ProgrammeItem
from scheduler.planning.timeutil import (NonexistentLocalTime, is_known_timezone, local_to_utc,
                                         timezone_names, utc_to_local)


def item(start, duration, title="x"):
    return ProgrammeItem(start_offset_minutes=start, duration_minutes=duration, title=title)


# --- timeutil -------------------------------------------------------------------------------

def test_local_to_utc_in_ho_chi_minh_city():
    moment = local_to_utc(datetime(2027, 6, 15, 14, 0), "Asia/Ho_Chi_Minh")
    assert moment == datetime(2027, 6, 15, 7, 0, tzinfo=UTC)
    assert moment.utcoffset().total_seconds() == 0
    # Crossing midnight backwards: 03:30 local is the previous day in UTC.
    assert local_to_utc(datetime(2027, 1, 1, 3, 30), "Asia/Ho_Chi_Minh") == \
        datetime(2026, 12, 31, 20, 30, tzinfo=UTC)


def test_local_to_utc_follows_daylight_saving():
    assert local_to_utc(datetime(2027, 1, 15, 9, 0), "America/New_York") == \
        datetime(2027, 1, 15, 14, 0, tzinfo=UTC)
    assert local_to_utc(datetime(2027, 7, 15, 9, 0), "America/New_York") == \
        datetime(2027, 7, 15, 13, 0, tzinfo=UTC)


@pytest.mark.parametrize("wall", [datetime(2027, 3, 14, 2, 0), datetime(2027, 3, 14, 2, 30),
                                  datetime(2027, 3, 14, 2, 59)])
def test_a_time_in_the_spring_forward_gap_is_refused(wall):
    with pytest.raises(NonexistentLocalTime):
        local_to_utc(wall, "America/New_York")
    assert issubclass(NonexistentLocalTime, ValueError)


def test_the_edges_of_the_gap_exist():
    assert local_to_utc(datetime(2027, 3, 14, 1, 59), "America/New_York") == \
        datetime(2027, 3, 14, 6, 59, tzinfo=UTC)
    assert local_to_utc(datetime(2027, 3, 14, 3, 0), "America/New_York") == \
        datetime(2027, 3, 14, 7, 0, tzinfo=UTC)


def test_an_ambiguous_fall_back_time_takes_the_first_occurrence():
    # 01:30 happens twice on 7 Nov 2027 in New York: first in EDT (UTC-4), then in EST (UTC-5).
    assert local_to_utc(datetime(2027, 11, 7, 1, 30), "America/New_York") == \
        datetime(2027, 11, 7, 5, 30, tzinfo=UTC)


@pytest.mark.parametrize("tz", ["Asia/Ho_Chi_Minh", "Europe/Paris", "America/New_York", "UTC"])
def test_utc_to_local_round_trips(tz):
    wall = datetime(2027, 6, 15, 14, 5)
    moment = local_to_utc(wall, tz)
    back = utc_to_local(moment, tz)
    assert back == wall and back.tzinfo is None


def test_utc_to_local_gives_naive_wall_clock():
    assert utc_to_local(datetime(2027, 6, 15, 7, 0, tzinfo=UTC), "Asia/Ho_Chi_Minh") == \
        datetime(2027, 6, 15, 14, 0)
    assert utc_to_local(datetime(2027, 6, 15, 7, 0, tzinfo=UTC), "Europe/Paris") == \
        datetime(2027, 6, 15, 9, 0)


def test_timezone_names_list_the_common_zones_first():
    zones = timezone_names()
    assert zones[0] == "Asia/Ho_Chi_Minh"
    assert len(zones) == len(set(zones))
    assert is_known_timezone("Europe/Berlin") and not is_known_timezone("Mars/Olympus")


# --- names ----------------------------------------------------------------------------------

def test_name_key_is_equal_for_the_ways_a_vietnamese_name_is_typed():
    nfc = unicodedata.normalize("NFC", "Nguyễn Văn Ánh")
    nfd = unicodedata.normalize("NFD", "Nguyễn Văn Ánh")
    assert nfc != nfd  # really two spellings
    variants = [nfc, nfd, "NGUYỄN VĂN ÁNH", "  nguyễn   văn\tánh ",
                unicodedata.normalize("NFD", "nguyễn  VĂN ánh")]
    keys = {names.name_key(v) for v in variants}
    assert keys == {unicodedata.normalize("NFC", "nguyễn văn ánh")}
    assert names.name_key("Nguyễn Văn Anh") != names.name_key("Nguyễn Văn Ánh")


def test_normalise_text_keeps_case_but_composes_and_collapses():
    nfd = unicodedata.normalize("NFD", "  Hội   trường ")
    assert names.normalise_text(nfd) == unicodedata.normalize("NFC", "Hội trường")
    assert names.normalise_text(None) == ""


def test_room_key():
    assert names.room_key("Số 1 phố Lý", "") is None
    assert names.room_key("Số 1 phố Lý", "   ") is None
    assert names.room_key("Số 1 phố Lý", "Hội trường A") == \
        names.room_key(unicodedata.normalize("NFD", " số 1  PHỐ lý"), "HỘI TRƯỜNG  a")
    assert names.room_key("Số 1", "Phòng 2") != names.room_key("Số 2", "Phòng 2")


# --- timeline -------------------------------------------------------------------------------

STARTS = datetime(2027, 6, 15, 7, 0, tzinfo=UTC)


def test_layout_places_items_as_shares_of_the_ceremony():
    rows = timeline.layout([item(0, 30), item(30, 60), item(90, 30)], STARTS, 120)
    assert [(r.x_percent, r.width_percent) for r in rows] == [(0, 25), (25, 50), (75, 25)]
    assert [r.overflows for r in rows] == [False, False, False]
    assert rows[1].starts_at == datetime(2027, 6, 15, 7, 30, tzinfo=UTC)
    assert rows[1].ends_at == datetime(2027, 6, 15, 8, 30, tzinfo=UTC)


def test_layout_stretches_the_scale_for_an_item_past_the_end():
    items = [item(0, 60), item(100, 50)]  # ends at 150 in a 120-minute ceremony
    rows = timeline.layout(items, STARTS, 120)
    assert [r.overflows for r in rows] == [False, True]
    assert rows[0].width_percent == 40.0
    assert rows[1].x_percent == round(100 * 100 / 150, 3) and rows[1].width_percent == 33.333
    assert timeline.end_marker_percent(items, 120) == 80.0


def test_an_item_ending_exactly_at_the_end_does_not_overflow():
    [row] = timeline.layout([item(90, 30)], STARTS, 120)
    assert not row.overflows and row.x_percent + row.width_percent == 100


def test_end_marker_without_items_and_empty_layout():
    assert timeline.end_marker_percent([], 120) == 100.0
    assert timeline.end_marker_percent([item(0, 30)], 120) == 100.0
    assert timeline.layout([], STARTS, 120) == []
