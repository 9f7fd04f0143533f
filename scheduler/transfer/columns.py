"""The columns of each import (and of the matching export), with the headers accepted.

A header matches when it equals the English or the Vietnamese label after
case, accents and spacing are ignored, so "HỌ VÀ TÊN", "Ho va ten" and
"Full name" all name the same column. Exports write the labels in the reader's
language; both languages import.
"""
import unicodedata
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class Column:
    key: str
    en: str
    vi: str
    max_length: int
    required: bool = False
    example: str = ""
    aliases: tuple[str, ...] = ()

    def label(self, locale: str) -> str:
        return self.vi if locale == "vi" else self.en


@lru_cache(maxsize=1024)  # called per cell of code columns (category, language): few values
def fold(text: str) -> str:
    """Compare headers and code words without case, accents or extra spaces."""
    text = unicodedata.normalize("NFKD", str(text or "").replace("đ", "d").replace("Đ", "D"))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(text.casefold().replace("_", " ").replace("*", " ").split())


ATTENDEE_COLUMNS = (
    Column("site_code", "Site code", "Mã điểm cầu", 32, True, "BNI", ("site", "điểm cầu", "ma diem")),
    Column("full_name", "Full name", "Họ và tên", 200, True, "Bùi Chiến Thắng", ("name", "họ tên")),
    Column("rank", "Rank", "Cấp bậc", 100, example="Đại tá", aliases=("quân hàm",)),
    Column("position", "Position", "Chức vụ", 300, example="Phó Giám đốc"),
    Column("unit", "Unit", "Đơn vị", 300, example="Công an tỉnh Bắc Ninh"),
    Column("email", "Email", "Email", 254, example="thang@example.vn", aliases=("e-mail", "thư điện tử")),
    Column("phone", "Phone", "Số điện thoại", 50, example="0912 000 111",
           aliases=("điện thoại", "telephone", "sđt")),
    Column("category", "Category", "Thành phần", 50, example="leader", aliases=("loại",)),
    Column("language", "Language", "Ngôn ngữ", 20, example="vi"),
)
# A coordinator imports for their own site only: the same columns without the site code.
SITE_ATTENDEE_COLUMNS = tuple(column for column in ATTENDEE_COLUMNS if column.key != "site_code")

SITE_COLUMNS = (
    Column("code", "Site code", "Mã điểm cầu", 32, True, "BNI", ("code", "mã")),
    Column("name", "Site name", "Tên điểm cầu", 300, True, "Điểm cầu Công an tỉnh Bắc Ninh",
           ("name", "tên")),
    Column("province", "Province", "Tỉnh, thành phố", 200, example="Bắc Ninh", aliases=("tỉnh",)),
    Column("address", "Address", "Địa chỉ", 500, example="Số 1 Lý Thái Tổ, Bắc Ninh"),
    Column("room", "Room", "Phòng", 200, example="Hội trường A", aliases=("phòng họp",)),
    Column("timezone", "Time zone", "Múi giờ", 64, example="Asia/Ho_Chi_Minh"),
    Column("video_endpoint", "Video endpoint", "Địa chỉ thiết bị truyền hình", 500,
           example="sip:bni@vc.bocongan.example", aliases=("video", "địa chỉ kết nối truyền hình")),
    Column("capacity", "Capacity", "Sức chứa", 10, example="80"),
    Column("coordinator_name", "Coordinator name", "Đầu mối điểm cầu", 200,
           example="Nguyễn Thị Lan", aliases=("coordinator", "họ tên đầu mối")),
    Column("coordinator_email", "Coordinator email", "Email đầu mối", 254,
           example="lan@example.vn", aliases=("thư điện tử đầu mối",)),
    Column("coordinator_phone", "Coordinator phone", "Điện thoại đầu mối", 50,
           example="0912 000 222", aliases=("số điện thoại đầu mối",)),
    Column("coordinator_language", "Coordinator language", "Ngôn ngữ đầu mối", 20, example="vi"),
)

COLUMNS = {"attendees": ATTENDEE_COLUMNS, "sites": SITE_COLUMNS}

# At the end of an attendee export, what happened since: the person's answer,
# the site's confirmation, and who came. Read-only: the importer knows these
# headers and passes over them (an export imports again), templates leave them out.
ATTENDEE_STATUS_COLUMNS = (
    Column("answer", "Answer", "Trả lời", 0),
    Column("site_confirmation", "Site confirmation", "Xác nhận của điểm cầu", 0),
    Column("attendance", "Attendance", "Điểm danh", 0),
    Column("attendance_at", "Attendance time (site's local time)", "Giờ điểm danh (giờ tại điểm cầu)", 0),
)
READ_ONLY_COLUMNS = {"attendees": ATTENDEE_STATUS_COLUMNS, "sites": ()}
EXPORT_COLUMNS = {kind: COLUMNS[kind] + READ_ONLY_COLUMNS[kind] for kind in COLUMNS}


@dataclass
class HeaderMatch:
    positions: dict[str, int]  # column key -> index in the file's rows
    missing: list[str]  # required keys without a column
    ignored: list[str]  # the file's headers that name no column
    repeated: list[str]  # keys named by two headers


def match_header(cells: list[str], columns: tuple[Column, ...],
                 read_only: tuple[Column, ...] = ()) -> HeaderMatch:
    names: dict[str, str] = {}
    for column in columns:
        for spelling in (column.key, column.en, column.vi, *column.aliases):
            names.setdefault(fold(spelling), column.key)
    passed_over = {fold(spelling) for column in read_only
                   for spelling in (column.key, column.en, column.vi)} - set(names)
    positions: dict[str, int] = {}
    ignored, repeated = [], []
    for index, cell in enumerate(cells):
        if not fold(cell) or fold(cell) in passed_over:
            continue  # blank header cells (trailing columns Excel keeps), an export's read-only ones
        key = names.get(fold(cell))
        if key is None:
            ignored.append(cell)
        elif key in positions:
            repeated.append(key)
        else:
            positions[key] = index
    missing = [c.key for c in columns if c.required and c.key not in positions]
    return HeaderMatch(positions, missing, ignored, repeated)
