"""Realistic ceremonies for tests and benchmarks, up to the national case.

National = 1 host + 34 provinces + 3,321 communes, with real names from the
`vietnam_provinces` package. Rows go in through batched bulk INSERTs
(SQLAlchemy 2 "insertmanyvalues") and attendee rows are built one batch at a
time, so 50,000 attendees take seconds and little memory.
"""
from __future__ import annotations

import random
import unicodedata
import uuid
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from itertools import islice
from typing import Any

import vietnam_provinces as vn
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from ..config import DEFAULT_TIMEZONE
from ..planning.models import Attendee, Ceremony, ProgrammeItem, Site
from ..planning.names import name_key, room_key

NATIONAL_SITES = 3356  # 1 host + 34 provinces + 3,321 communes
HOST_PROVINCE = "Thành phố Hà Nội"


@dataclass(frozen=True, slots=True)
class SiteSpec:
    code: str
    name: str
    province: str
    address: str
    kind: str  # "host", "province", "commune" or "extra"


def _nfc(value: str) -> str:
    return unicodedata.normalize("NFC", value)


def _province_label(province: vn.Province) -> str:
    # "Thành phố Hà Nội" already says what it is; plain provinces need "tỉnh".
    return province.name if province.name.startswith("Thành phố") else f"tỉnh {province.name}"


@lru_cache(maxsize=1)
def national_layout() -> tuple[SiteSpec, ...]:
    """Host, then the 34 provinces, then the 3,321 communes, each ordered by official code."""
    provinces = sorted(vn.Province.iter_all(), key=lambda p: p.code.value)
    by_code = {p.code: p for p in provinces}
    specs = [SiteSpec("BCA", "Điểm cầu Bộ Công an", HOST_PROVINCE,
                      "44 Yết Kiêu, phường Cửa Nam, Thành phố Hà Nội", "host")]
    for p in provinces:
        name = f"Công an {_province_label(p)}"
        specs.append(SiteSpec(f"P{p.code.value:02d}", name, p.name,
                              f"Trụ sở {name}, {_province_label(p)}", "province"))
    for w in sorted(vn.Ward.iter_all(), key=lambda w: w.code.value):
        p = by_code[w.province_code]
        # "Phường Hoàn Kiếm" -> "Công an phường Hoàn Kiếm" (division type in lower case).
        kind = w.division_type.value
        rest = w.name[len(kind):] if w.name.casefold().startswith(kind) else f" {w.name}"
        name = f"Công an {kind}{rest}"
        specs.append(SiteSpec(f"W{w.code.value:05d}", name, p.name,
                              f"Trụ sở {name}, {_province_label(p)}", "commune"))
    return tuple(SiteSpec(s.code, _nfc(s.name), _nfc(s.province), _nfc(s.address), s.kind)
                 for s in specs)


def site_layout(count: int) -> Iterator[SiteSpec]:
    """The first `count` sites: the national layout, then numbered extra sites."""
    national = national_layout()
    yield from national[:count]
    for n in range(len(national) + 1, count + 1):
        yield SiteSpec(f"X{n:06d}", f"Điểm cầu bổ sung số {n}", HOST_PROVINCE,
                       f"Địa điểm bổ sung số {n}, Thành phố Hà Nội", "extra")


FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng",
          "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Đinh", "Trịnh", "Mai", "Tạ")
MIDDLE_M = ("Văn", "Đức", "Minh", "Quốc", "Thanh", "Hữu", "Công", "Xuân", "Mạnh", "Trọng", "Đình")
MIDDLE_F = ("Thị", "Ngọc", "Thu", "Thanh", "Minh", "Hồng", "Kim", "Phương", "Thùy")
GIVEN_M = ("Hùng", "Dũng", "Tuấn", "Sơn", "Thắng", "Long", "Nam", "Hải", "Quang", "Trung",
           "Bình", "Cường", "Hiếu", "Khoa", "Phong", "Tùng", "Vinh", "Đạt", "Thành", "Kiên")
GIVEN_F = ("Lan", "Hương", "Hà", "Mai", "Linh", "Trang", "Hạnh", "Nga", "Thảo", "Yến",
           "Hoa", "Huyền", "Loan", "Vân", "Anh", "Dung", "Phượng", "Nhung")
RANKS = ("Đại tá", "Thượng tá", "Trung tá", "Thiếu tá", "Đại úy", "Thượng úy", "Trung úy", "")
ROOMS = ("Hội trường tầng 2", "Phòng họp trực tuyến", "Hội trường lớn", "Phòng họp số 1")
PROGRAMME = (  # (offset, duration, title, presenter); all within the 120-minute ceremony
    (0, 10, "Tuyên bố lý do, giới thiệu đại biểu", "Chánh Văn phòng Bộ Công an"),
    (10, 25, "Diễn văn kỷ niệm", "Bộ trưởng Bộ Công an"),
    (35, 30, "Tham luận của các điểm cầu", "Đại diện Công an các địa phương"),
    (65, 30, "Công bố và trao quyết định khen thưởng", "Thứ trưởng Bộ Công an"),
    (95, 20, "Phát biểu chỉ đạo và bế mạc", "Bộ trưởng Bộ Công an"),
)
CAPACITY = {"host": 300, "province": 100, "commune": 30, "extra": 30}


def _person(rng: random.Random) -> str:
    if rng.random() < 0.7:
        return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE_M)} {rng.choice(GIVEN_M)}"
    return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE_F)} {rng.choice(GIVEN_F)}"


def _phone(rng: random.Random) -> str:
    return f"09{rng.randrange(10**8):08d}"


def _unique_person(rng: random.Random, used: set[str]) -> str:
    """A name not yet in `used` (by name_key), so the app sees no duplicate person."""
    for _ in range(30):
        full = _nfc(_person(rng))
        if name_key(full) not in used:
            break
    n = 2
    while name_key(full) in used:  # tiny name space exhausted: disambiguate visibly
        full, n = f"{full.rsplit(' (', 1)[0]} ({n})", n + 1
    used.add(name_key(full))
    return full


def _role(rng: random.Random, i: int, per_site: int, kind: str) -> tuple[str, str, str]:
    """(category, rank, position) for the i-th attendee of a site."""
    head = "Giám đốc" if kind == "province" else "Trưởng Công an"
    if i == 0:
        return "leader", rng.choice(RANKS[:3]), "Thứ trưởng" if kind == "host" else head
    if i == per_site - 1 and per_site >= 3:
        return "staff", rng.choice(RANKS[4:7]), "Cán bộ kỹ thuật"
    if rng.random() < 0.05:
        return "guest", "", "Đại biểu khách mời"
    return "delegate", rng.choice(RANKS), rng.choice(("Cán bộ", "Đội trưởng", "Phó Đội trưởng",
                                                       "Trưởng phòng", "Phó Trưởng phòng"))


def _chunks(rows: Iterable[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    it = iter(rows)
    while chunk := list(islice(it, size)):
        yield chunk


def generate_ceremony(session: Session, *, sites: int, attendees_per_site: int,
                      starts_at: datetime, now: datetime, seed: int = 0,
                      title: str | None = None, created_by_id: int | None = None,
                      batch_size: int = 1000) -> int:
    """Insert one ceremony with `sites` sites (the first is the host) and
    attendees_per_site attendees each; return the ceremony id. Does not commit."""
    if sites < 1 or attendees_per_site < 0 or batch_size < 1:
        raise ValueError("need at least the host site, a non-negative attendee count and batch")
    if starts_at.tzinfo is None or now.tzinfo is None:
        raise ValueError("starts_at and now must be aware datetimes")
    rng = random.Random(seed)
    # Deterministic per seed; a fresh uuid4 only if this seed's UID is already taken.
    uid = f"{uuid.UUID(int=rng.getrandbits(128))}@ceremony-scheduler"
    while session.scalar(select(Ceremony.id).where(Ceremony.uid == uid)) is not None:
        uid = f"{uuid.uuid4()}@ceremony-scheduler"
    ceremony = Ceremony(
        uid=uid, title=_nfc(title or f"Hội nghị trực tuyến toàn quốc ({sites} điểm cầu)"),
        kind="conference", description="", status="scheduled", starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=2), rehearsal_at=starts_at - timedelta(days=1),
        timezone=DEFAULT_TIMEZONE, chair="Bộ trưởng Bộ Công an",
        organizing_unit="Văn phòng Bộ Công an",
        join_details=("Điểm cầu chính: Bộ Công an, 44 Yết Kiêu, Hà Nội.\n"
                      "Kết nối: sip:bca@vc.bocongan.example\n"
                      "Các điểm cầu kết nối trước giờ khai mạc 30 phút."),
        sequence=0, created_by_id=created_by_id, created_at=now, updated_at=now,
    )
    session.add(ceremony)
    session.flush()  # the id is needed by every row below
    cid = ceremony.id

    specs = list(site_layout(sites))
    site_rows = []
    for s in specs:
        room = ROOMS[0] if s.kind == "host" else rng.choice(ROOMS)
        site_rows.append({
            "ceremony_id": cid, "name": s.name, "code": s.code, "is_host": s.kind == "host",
            "province": s.province, "address": s.address, "room": room,
            "room_key": room_key(s.address, room), "timezone": None,
            "video_endpoint": f"sip:{s.code.lower()}@vc.bocongan.example",
            "capacity": max(CAPACITY[s.kind], attendees_per_site),
            "coordinator_name": _nfc(_person(rng)),
            "coordinator_email": f"dau.moi.{s.code.lower()}@example.vn",
            "coordinator_phone": _phone(rng), "status": "pending", "created_at": now,
        })
    for chunk in _chunks(site_rows, batch_size):
        session.execute(insert(Site), chunk)
    del site_rows
    site_ids = {code: id_ for code, id_ in session.execute(
        select(Site.code, Site.id).where(Site.ceremony_id == cid))}

    # Some commune names recur across provinces; only those units need a
    # ceremony-wide name set, the rest a per-site one (keeps memory flat).
    shared_units = {n for n, c in Counter(s.name for s in specs).items() if c > 1}
    taken: dict[str, set[str]] = {}

    def attendee_rows() -> Iterator[dict[str, Any]]:
        n = 0
        for s in specs:
            used = taken.setdefault(s.name, set()) if s.name in shared_units else set()
            for i in range(attendees_per_site):
                n += 1
                full = _unique_person(rng, used)
                category, rank, position = _role(rng, i, attendees_per_site, s.kind)
                yield {"ceremony_id": cid, "site_id": site_ids[s.code], "full_name": full,
                       "name_key": name_key(full), "rank": rank, "position": position,
                       "unit": s.name, "email": f"dai.bieu.{n}@example.vn",
                       "phone": _phone(rng), "category": category,
                       "created_at": now, "updated_at": now}

    for chunk in _chunks(attendee_rows(), batch_size):
        session.execute(insert(Attendee), chunk)

    session.execute(insert(ProgrammeItem), [
        {"ceremony_id": cid, "start_offset_minutes": off, "duration_minutes": dur,
         "title": t, "presenter": who, "origin_site_id": site_ids["BCA"], "notes": ""}
        for off, dur, t, who in PROGRAMME])
    return cid
