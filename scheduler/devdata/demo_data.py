"""Demo ceremony data, plain Python only (no Flask, no database).

Modelled on the news article in ``shared/seed/ceremony-article.vi.txt``: the
online ceremony for the 55th anniversary of the force that builds the
"all people protect national security" movement, held by the Ministry of
Public Security (Bộ Công an) on 15/6/2022.

Only two people here are real, and both are named in the article:
Đại tướng Tô Lâm (chair) and Đại tá Bùi Chiến Thắng (Phó Giám đốc Công an
tỉnh Bắc Ninh). They are given no contact data. Every other name is invented.
All contact data is fictional: e-mail addresses use ``example.vn`` or the
``.example`` top-level domain, video endpoints and URLs use ``.example``, and
phone numbers are made up. Street addresses are plausible, not authoritative.
Province, ward and commune names follow the 34-province map in force since
2025 (as listed by the ``vietnam_provinces`` package).

The ceremony carries no date: whoever loads it picks the day, and
``start_local_time`` / ``rehearsal_hours_before`` place the start and the
technical rehearsal on that day.
"""

_CITATION_SPECIAL = (
    "Đã có thành tích xuất sắc trong đợt thi đua đặc biệt lập thành tích chào mừng "
    "kỷ niệm 55 năm Ngày truyền thống lực lượng Xây dựng phong trào toàn dân bảo vệ "
    "an ninh Tổ quốc."
)
_CITATION_MOVEMENT = (
    "Đã có thành tích xuất sắc trong xây dựng phong trào toàn dân bảo vệ an ninh "
    "Tổ quốc, góp phần giữ vững an ninh, trật tự trên địa bàn."
)
_CITATION_MODEL = (
    "Đã có thành tích xuất sắc trong xây dựng, nhân rộng mô hình quần chúng tự "
    "quản về an ninh, trật tự ở cơ sở."
)

CEREMONY = {
    "title": (
        "Lễ kỷ niệm 55 năm Ngày truyền thống lực lượng Xây dựng phong trào toàn dân "
        "bảo vệ an ninh Tổ quốc (16/6/1967 – 16/6/2022)"
    ),
    "kind": "commemoration",
    "description": (
        "Bộ Công an tổ chức gặp mặt kỷ niệm 55 năm Ngày truyền thống lực lượng Xây "
        "dựng phong trào toàn dân bảo vệ an ninh Tổ quốc (16/6/1967 – 16/6/2022) "
        "theo hình thức trực tuyến, kết nối điểm cầu Bộ Công an với Công an các "
        "đơn vị, địa phương. Đại tướng Tô Lâm, Ủy viên Bộ Chính trị, Bộ trưởng Bộ "
        "Công an dự và chủ trì.\n"
        "Tại điểm cầu Công an tỉnh Bắc Ninh, Đại tá Bùi Chiến Thắng, Phó Giám đốc "
        "Công an tỉnh thay mặt Đảng ủy, lãnh đạo Công an tỉnh phát động phong trào "
        "thi đua xây dựng phong trào toàn dân bảo vệ ANTQ trong toàn lực lượng.\n"
        "Nhân dịp này, 26 tập thể, 25 cá nhân có thành tích xuất sắc trong đợt thi "
        "đua đặc biệt được Bộ trưởng Bộ Công an, Chủ tịch UBND tỉnh và Giám đốc "
        "Công an tỉnh khen thưởng."
    ),
    "chair": "Đại tướng Tô Lâm, Ủy viên Bộ Chính trị, Bộ trưởng Bộ Công an",
    "organizing_unit": "Phòng Công tác đảng và Công tác chính trị",
    "join_details": (
        "Hệ thống hội nghị truyền hình trực tuyến Bộ Công an (mạng nội bộ).\n"
        "Phòng họp: 1606 1967 – Mã PIN: 551967\n"
        "Địa chỉ SIP: sip:16061967@vc.bocongan.example\n"
        "Địa chỉ H.323: h323:16061967@vc.bocongan.example\n"
        "Cổng dự phòng (trình duyệt): https://hoinghi.bocongan.example/phong/16061967\n"
        "Các điểm cầu kết nối trước giờ khai mạc 30 phút; tắt micro khi không phát biểu.\n"
        "Hỗ trợ kỹ thuật (trực ban điểm cầu chính): 024 3826 0155"
    ),
    "timezone": "Asia/Ho_Chi_Minh",
    "duration_minutes": 150,
    "rehearsal_hours_before": 24,
    "start_local_time": "14:00",
}

SITES = [
    {
        "code": "BCA",
        "name": "Điểm cầu Bộ Công an",
        "is_host": True,
        "province": "Thành phố Hà Nội",
        "address": "47 Phạm Văn Đồng, phường Nghĩa Đô, Thành phố Hà Nội",
        "room": "Hội trường lớn, Trụ sở Bộ Công an",
        "timezone": None,
        "video_endpoint": "sip:bca-hoitruong@vc.bocongan.example",
        "capacity": 300,
        "coordinator_name": "Lê Thị Hồng Nhung",
        "coordinator_email": "nhung.lth@congan.example",
        "coordinator_phone": "0912 345 678",
        "attendees": [
            {
                "full_name": "Tô Lâm",
                "rank": "Đại tướng",
                "position": "Ủy viên Bộ Chính trị, Bộ trưởng Bộ Công an",
                "unit": "Bộ Công an",
                "email": "",
                "phone": "",
                "category": "chair",
            },
            {
                "full_name": "Đặng Hữu Phước",
                "rank": "Trung tướng",
                "position": "Thứ trưởng Bộ Công an",
                "unit": "Bộ Công an",
                "email": "phuoc.dh@congan.example",
                "phone": "0913 204 517",
                "category": "leader",
            },
            {
                "full_name": "Hoàng Minh Đức",
                "rank": "Thiếu tướng",
                "position": "Cục trưởng",
                "unit": "Cục Xây dựng phong trào bảo vệ an ninh Tổ quốc, Bộ Công an",
                "email": "duc.hm@congan.example",
                "phone": "0904 118 362",
                "category": "leader",
            },
            {
                "full_name": "Lưu Đình Khang",
                "rank": "Thiếu tướng",
                "position": "Nguyên Cục trưởng Cục Xây dựng phong trào bảo vệ an ninh Tổ quốc",
                "unit": "Bộ Công an",
                "email": "",
                "phone": "0903 417 228",
                "category": "former_leader",
            },
            {
                "full_name": "Phạm Thị Minh Nguyệt",
                "rank": "",
                "position": "Phó Trưởng ban Dân chủ – Pháp luật",
                "unit": "Ủy ban Trung ương Mặt trận Tổ quốc Việt Nam",
                "email": "nguyet.ptm@example.vn",
                "phone": "0936 502 841",
                "category": "guest",
            },
            {
                "full_name": "Vũ Thành Nam",
                "rank": "Đại tá",
                "position": "Phó Chánh Văn phòng Bộ Công an",
                "unit": "Văn phòng Bộ Công an",
                "email": "nam.vt@congan.example",
                "phone": "0983 260 194",
                "category": "delegate",
            },
            {
                "full_name": "Đỗ Quang Vinh",
                "rank": "Thượng tá",
                "position": "Phó Trưởng phòng, dẫn chương trình",
                "unit": "Cục Xây dựng phong trào bảo vệ an ninh Tổ quốc, Bộ Công an",
                "email": "vinh.dq@congan.example",
                "phone": "0915 733 026",
                "category": "staff",
            },
            {
                "full_name": "Mai Xuân Trường",
                "rank": "Trung tá",
                "position": "Cán bộ kỹ thuật hội nghị truyền hình",
                "unit": "Cục Viễn thông và Cơ yếu, Bộ Công an",
                "email": "truong.mx@congan.example",
                "phone": "0977 341 580",
                "category": "staff",
            },
            {
                "full_name": "Lê Thị Hồng Nhung",
                "rank": "Thiếu tá",
                "position": "Cán bộ thư ký, đầu mối điểm cầu chính",
                "unit": "Văn phòng Bộ Công an",
                "email": "nhung.lth@congan.example",
                "phone": "0912 345 678",
                "category": "staff",
            },
            {
                "full_name": "Nguyễn Hoàng Anh Thư",
                "rank": "Thượng úy",
                "position": "Phóng viên",
                "unit": "Báo Công an nhân dân",
                "email": "thu.nha@example.vn",
                "phone": "0868 215 407",
                "category": "press",
            },
            {
                "full_name": "Trần Thị Ngọc Ánh",
                "rank": "Thiếu tá",
                "position": "Phó Trưởng Công an xã Phật Tích",
                "unit": "Công an tỉnh Bắc Ninh",
                "email": "anh.ttn@congan.example",
                "phone": "0974 820 316",
                "category": "awardee",
            },
            {
                "full_name": "Nguyễn Văn Thỉnh",
                "rank": "",
                "position": "Tổ trưởng Tổ bảo vệ an ninh, trật tự ở cơ sở, phường Vũ Ninh",
                "unit": "Tỉnh Bắc Ninh",
                "email": "",
                "phone": "0358 174 629",
                "category": "awardee",
            },
        ],
    },
    {
        "code": "BNI",
        "name": "Điểm cầu Công an tỉnh Bắc Ninh",
        "is_host": False,
        "province": "Bắc Ninh",
        "address": "Số 2 đường Lý Thái Tổ, phường Kinh Bắc, tỉnh Bắc Ninh",
        "room": "Hội trường Công an tỉnh, tầng 3",
        "timezone": None,
        "video_endpoint": "sip:bni-hoitruong@vc.bocongan.example",
        "capacity": 150,
        "coordinator_name": "Trần Văn Hiếu",
        "coordinator_email": "hieu.tv.bni@congan.example",
        "coordinator_phone": "0988 407 152",
        "attendees": [
            {
                "full_name": "Bùi Chiến Thắng",
                "rank": "Đại tá",
                "position": "Phó Giám đốc Công an tỉnh",
                "unit": "Công an tỉnh Bắc Ninh",
                "email": "",
                "phone": "",
                "category": "leader",
            },
            {
                "full_name": "Nguyễn Đình Toàn",
                "rank": "Thượng tá",
                "position": "Trưởng phòng Tham mưu",
                "unit": "Công an tỉnh Bắc Ninh",
                "email": "toan.nd.bni@congan.example",
                "phone": "0913 562 840",
                "category": "leader",
            },
            {
                "full_name": "Nghiêm Văn Tuệ",
                "rank": "Thiếu tướng",
                "position": "Nguyên Giám đốc Công an tỉnh",
                "unit": "Công an tỉnh Bắc Ninh",
                "email": "",
                "phone": "0912 640 318",
                "category": "former_leader",
            },
            {
                "full_name": "Hà Văn Lộc",
                "rank": "Đại tá",
                "position": "Nguyên Phó Giám đốc Công an tỉnh",
                "unit": "Công an tỉnh Bắc Ninh",
                "email": "",
                "phone": "0983 152 706",
                "category": "former_leader",
            },
            {
                "full_name": "Nguyễn Thị Xuân Mai",
                "rank": "Đại tá",
                "position": (
                    "Nguyên Trưởng phòng Xây dựng phong trào bảo vệ an ninh Tổ quốc"
                ),
                "unit": "Công an tỉnh Bắc Ninh",
                "email": "xuanmai.hn@example.vn",
                "phone": "0904 377 915",
                "category": "former_leader",
            },
            {
                "full_name": "Ngô Văn Lượng",
                "rank": "",
                "position": (
                    "Nguyên cán bộ Ban Xây dựng phong trào bảo vệ an ninh Tổ quốc, "
                    "thế hệ những năm 1970"
                ),
                "unit": "Công an tỉnh Hà Bắc (cũ)",
                "email": "",
                "phone": "0904 218 655",
                "category": "delegate",
            },
            {
                "full_name": "Đàm Quang Hưng",
                "rank": "Thượng tá",
                "position": (
                    "Nguyên Đội trưởng Đội Xây dựng phong trào, thế hệ những năm 1990"
                ),
                "unit": "Công an tỉnh Bắc Ninh",
                "email": "",
                "phone": "0915 086 243",
                "category": "delegate",
            },
            {
                "full_name": "Lê Thị Thanh Hương",
                "rank": "Trung tá",
                "position": (
                    "Đội trưởng Đội Xây dựng phong trào toàn dân bảo vệ ANTQ, "
                    "Phòng Tham mưu"
                ),
                "unit": "Công an tỉnh Bắc Ninh",
                "email": "huong.ltt.bni@congan.example",
                "phone": "0979 514 032",
                "category": "delegate",
            },
            {
                "full_name": "Dương Minh Quân",
                "rank": "Thiếu úy",
                "position": (
                    "Cán bộ Đội Xây dựng phong trào toàn dân bảo vệ ANTQ, Phòng Tham mưu"
                ),
                "unit": "Công an tỉnh Bắc Ninh",
                "email": "quan.dm.bni@congan.example",
                "phone": "0336 728 104",
                "category": "delegate",
            },
            {
                "full_name": "Nguyễn Văn Khánh",
                "rank": "Trung tá",
                "position": "Trưởng Công an phường Kinh Bắc",
                "unit": "Công an tỉnh Bắc Ninh",
                "email": "khanh.nv.bni@congan.example",
                "phone": "0989 631 270",
                "category": "awardee",
            },
            {
                "full_name": "Nguyễn Quang Huy",
                "rank": "Đại úy",
                "position": "Phó Trưởng Công an xã Yên Phong",
                "unit": "Công an tỉnh Bắc Ninh",
                "email": "huy.nq.bni@congan.example",
                "phone": "0965 402 813",
                "category": "awardee",
            },
            {
                "full_name": "Nguyễn Văn Hiển",
                "rank": "",
                "position": "Tổ phó Tổ bảo vệ an ninh, trật tự ở cơ sở, phường Phù Khê",
                "unit": "Tỉnh Bắc Ninh",
                "email": "",
                "phone": "0387 255 916",
                "category": "awardee",
            },
            {
                "full_name": "Trần Văn Hiếu",
                "rank": "Thiếu tá",
                "position": (
                    "Cán bộ Phòng Công tác đảng và Công tác chính trị, đầu mối điểm cầu"
                ),
                "unit": "Công an tỉnh Bắc Ninh",
                "email": "hieu.tv.bni@congan.example",
                "phone": "0988 407 152",
                "category": "staff",
            },
            {
                "full_name": "Vi Thị Thảo",
                "rank": "Trung úy",
                "position": "Phóng viên, Phòng Công tác đảng và Công tác chính trị",
                "unit": "Công an tỉnh Bắc Ninh",
                "email": "thao.vt.bni@congan.example",
                "phone": "0394 160 527",
                "category": "press",
            },
        ],
    },
    {
        "code": "TNG",
        "name": "Điểm cầu Công an tỉnh Thái Nguyên",
        "is_host": False,
        "province": "Thái Nguyên",
        "address": "Số 8 đường Hoàng Văn Thụ, phường Phan Đình Phùng, tỉnh Thái Nguyên",
        "room": "Phòng họp trực tuyến, tầng 2",
        "timezone": None,
        "video_endpoint": "sip:tng-phonghop@vc.bocongan.example",
        "capacity": 60,
        "coordinator_name": "Triệu Quang Huy",
        "coordinator_email": "huy.tq.tng@congan.example",
        "coordinator_phone": "0972 318 046",
        "attendees": [
            {
                "full_name": "Ma Đình Hưởng",
                "rank": "Đại tá",
                "position": "Phó Giám đốc Công an tỉnh",
                "unit": "Công an tỉnh Thái Nguyên",
                "email": "huong.md.tng@congan.example",
                "phone": "0913 287 450",
                "category": "leader",
            },
            {
                "full_name": "Hứa Thị Lan",
                "rank": "Thượng tá",
                "position": "Trưởng phòng Tham mưu",
                "unit": "Công an tỉnh Thái Nguyên",
                "email": "lan.ht.tng@congan.example",
                "phone": "0984 615 209",
                "category": "delegate",
            },
            {
                "full_name": "Hoàng Văn Mừng",
                "rank": "",
                "position": (
                    "Tổ trưởng Tổ bảo vệ an ninh, trật tự ở cơ sở, phường Quyết Thắng"
                ),
                "unit": "Tỉnh Thái Nguyên",
                "email": "",
                "phone": "0346 902 175",
                "category": "guest",
            },
            {
                "full_name": "Triệu Quang Huy",
                "rank": "Đại úy",
                "position": "Cán bộ Phòng Tham mưu, đầu mối điểm cầu",
                "unit": "Công an tỉnh Thái Nguyên",
                "email": "huy.tq.tng@congan.example",
                "phone": "0972 318 046",
                "category": "staff",
            },
        ],
    },
    {
        "code": "HPG",
        "name": "Điểm cầu Công an thành phố Hải Phòng",
        "is_host": False,
        "province": "Thành phố Hải Phòng",
        "address": "Số 4 đường Lê Đại Hành, phường Hồng Bàng, thành phố Hải Phòng",
        "room": "Hội trường tầng 4",
        "timezone": None,
        "video_endpoint": "h323:hpg-hoitruong@vc.bocongan.example",
        "capacity": 80,
        "coordinator_name": "Nguyễn Thế Anh",
        "coordinator_email": "anh.nt.hpg@congan.example",
        "coordinator_phone": "0936 720 581",
        "attendees": [
            {
                "full_name": "Phạm Quang Thiều",
                "rank": "Đại tá",
                "position": "Phó Giám đốc Công an thành phố",
                "unit": "Công an thành phố Hải Phòng",
                "email": "thieu.pq.hpg@congan.example",
                "phone": "0912 803 564",
                "category": "leader",
            },
            {
                "full_name": "Đinh Văn Toại",
                "rank": "Đại tá",
                "position": "Nguyên Phó Giám đốc Công an thành phố",
                "unit": "Công an thành phố Hải Phòng",
                "email": "",
                "phone": "0903 245 718",
                "category": "former_leader",
            },
            {
                "full_name": "Vũ Thị Hải Yến",
                "rank": "Thượng tá",
                "position": "Phó Trưởng phòng Tham mưu",
                "unit": "Công an thành phố Hải Phòng",
                "email": "yen.vth.hpg@congan.example",
                "phone": "0983 570 126",
                "category": "delegate",
            },
            {
                "full_name": "Bùi Văn Cường",
                "rank": "Trung tá",
                "position": "Trưởng Công an phường Lê Chân",
                "unit": "Công an thành phố Hải Phòng",
                "email": "",
                "phone": "0904 631 852",
                "category": "delegate",
            },
            {
                "full_name": "Nguyễn Thế Anh",
                "rank": "Thiếu tá",
                "position": "Cán bộ Phòng Tham mưu, đầu mối điểm cầu",
                "unit": "Công an thành phố Hải Phòng",
                "email": "anh.nt.hpg@congan.example",
                "phone": "0936 720 581",
                "category": "staff",
            },
        ],
    },
    {
        "code": "NAN",
        "name": "Điểm cầu Công an tỉnh Nghệ An",
        "is_host": False,
        "province": "Nghệ An",
        "address": "Số 3 đường Trường Thi, phường Thành Vinh, tỉnh Nghệ An",
        "room": "Phòng họp trực tuyến số 1",
        "timezone": None,
        "video_endpoint": "sip:nan-phonghop1@vc.bocongan.example",
        "capacity": 70,
        "coordinator_name": "Phan Đức Mạnh",
        "coordinator_email": "manh.pd.nan@congan.example",
        "coordinator_phone": "0969 148 273",
        "attendees": [
            {
                "full_name": "Hồ Sỹ Tuấn",
                "rank": "Đại tá",
                "position": "Phó Giám đốc Công an tỉnh",
                "unit": "Công an tỉnh Nghệ An",
                "email": "tuan.hs.nan@congan.example",
                "phone": "0915 462 037",
                "category": "leader",
            },
            {
                "full_name": "Lô Văn Thái",
                "rank": "Thượng tá",
                "position": "Trưởng phòng Tham mưu",
                "unit": "Công an tỉnh Nghệ An",
                "email": "thai.lv.nan@congan.example",
                "phone": "0989 235 604",
                "category": "delegate",
            },
            {
                "full_name": "Trần Thị Lệ Hằng",
                "rank": "Trung tá",
                "position": "Đội trưởng Đội Xây dựng phong trào toàn dân bảo vệ ANTQ",
                "unit": "Công an tỉnh Nghệ An",
                "email": "",
                "phone": "0944 381 720",
                "category": "delegate",
            },
            {
                "full_name": "Phan Đức Mạnh",
                "rank": "Đại úy",
                "position": "Cán bộ Phòng Tham mưu, đầu mối điểm cầu",
                "unit": "Công an tỉnh Nghệ An",
                "email": "manh.pd.nan@congan.example",
                "phone": "0969 148 273",
                "category": "staff",
            },
        ],
    },
    {
        "code": "DNG",
        "name": "Điểm cầu Công an thành phố Đà Nẵng",
        "is_host": False,
        "province": "Thành phố Đà Nẵng",
        "address": "Số 80 đường Lê Lợi, phường Hải Châu, thành phố Đà Nẵng",
        "room": "Hội trường Công an thành phố",
        "timezone": None,
        "video_endpoint": "sip:dng-hoitruong@vc.bocongan.example",
        "capacity": 80,
        "coordinator_name": "Nguyễn Hữu Phúc",
        "coordinator_email": "phuc.nh.dng@congan.example",
        "coordinator_phone": "0905 316 428",
        "attendees": [
            {
                "full_name": "Huỳnh Bá Lợi",
                "rank": "Đại tá",
                "position": "Phó Giám đốc Công an thành phố",
                "unit": "Công an thành phố Đà Nẵng",
                "email": "loi.hb.dng@congan.example",
                "phone": "0914 250 763",
                "category": "leader",
            },
            {
                "full_name": "Trương Thị Kim Oanh",
                "rank": "Thượng tá",
                "position": "Trưởng phòng Tham mưu",
                "unit": "Công an thành phố Đà Nẵng",
                "email": "oanh.ttk.dng@congan.example",
                "phone": "0935 871 402",
                "category": "delegate",
            },
            {
                "full_name": "Phan Văn Được",
                "rank": "",
                "position": (
                    "Tổ trưởng Tổ bảo vệ an ninh, trật tự ở cơ sở, phường Thanh Khê"
                ),
                "unit": "Thành phố Đà Nẵng",
                "email": "",
                "phone": "0373 604 219",
                "category": "guest",
            },
            {
                "full_name": "Nguyễn Hữu Phúc",
                "rank": "Thiếu tá",
                "position": "Cán bộ Phòng Tham mưu, đầu mối điểm cầu",
                "unit": "Công an thành phố Đà Nẵng",
                "email": "phuc.nh.dng@congan.example",
                "phone": "0905 316 428",
                "category": "staff",
            },
        ],
    },
    {
        "code": "HCM",
        "name": "Điểm cầu Công an Thành phố Hồ Chí Minh",
        "is_host": False,
        "province": "Thành phố Hồ Chí Minh",
        "address": "Số 12 đường Nguyễn Trãi, phường Bến Thành, Thành phố Hồ Chí Minh",
        "room": "Hội trường A, tầng 5",
        "timezone": None,
        "video_endpoint": "sip:hcm-hoitruong-a@vc.bocongan.example",
        "capacity": 120,
        "coordinator_name": "Lý Minh Khoa",
        "coordinator_email": "khoa.lm.hcm@congan.example",
        "coordinator_phone": "0908 542 317",
        "attendees": [
            {
                "full_name": "Lâm Thành Nhân",
                "rank": "Thiếu tướng",
                "position": "Phó Giám đốc Công an Thành phố",
                "unit": "Công an Thành phố Hồ Chí Minh",
                "email": "nhan.lt.hcm@congan.example",
                "phone": "0903 716 284",
                "category": "leader",
            },
            {
                "full_name": "Võ Thị Bích Liên",
                "rank": "Đại tá",
                "position": "Trưởng phòng Tham mưu",
                "unit": "Công an Thành phố Hồ Chí Minh",
                "email": "lien.vtb.hcm@congan.example",
                "phone": "0918 423 095",
                "category": "delegate",
            },
            {
                "full_name": "Nguyễn Thị Thu Sương",
                "rank": "",
                "position": (
                    "Tổ trưởng Tổ bảo vệ an ninh, trật tự ở cơ sở, phường Bến Thành"
                ),
                "unit": "Thành phố Hồ Chí Minh",
                "email": "suong.ntt@example.vn",
                "phone": "0327 581 964",
                "category": "guest",
            },
            {
                "full_name": "Lý Minh Khoa",
                "rank": "Thiếu tá",
                "position": "Cán bộ Phòng Tham mưu, đầu mối điểm cầu",
                "unit": "Công an Thành phố Hồ Chí Minh",
                "email": "khoa.lm.hcm@congan.example",
                "phone": "0908 542 317",
                "category": "staff",
            },
            {
                "full_name": "Đặng Thị Diễm My",
                "rank": "Trung úy",
                "position": "Phóng viên",
                "unit": "Báo Công an Thành phố Hồ Chí Minh",
                "email": "my.dtd@example.vn",
                "phone": "0789 230 516",
                "category": "press",
            },
        ],
    },
    {
        "code": "CTO",
        "name": "Điểm cầu Công an thành phố Cần Thơ",
        "is_host": False,
        "province": "Thành phố Cần Thơ",
        "address": "Số 9 đường Trần Phú, phường Cái Khế, thành phố Cần Thơ",
        "room": "Phòng họp trực tuyến, tầng 3",
        "timezone": None,
        "video_endpoint": "h323:cto-phonghop@vc.bocongan.example",
        "capacity": 60,
        "coordinator_name": "Huỳnh Ngọc Trâm",
        "coordinator_email": "tram.hn.cto@congan.example",
        "coordinator_phone": "0939 265 870",
        "attendees": [
            {
                "full_name": "Trương Minh Lực",
                "rank": "Đại tá",
                "position": "Phó Giám đốc Công an thành phố",
                "unit": "Công an thành phố Cần Thơ",
                "email": "luc.tm.cto@congan.example",
                "phone": "0913 974 215",
                "category": "leader",
            },
            {
                "full_name": "Danh Hoàng Phúc",
                "rank": "Trung tá",
                "position": "Phó Trưởng phòng Tham mưu",
                "unit": "Công an thành phố Cần Thơ",
                "email": "phuc.dh.cto@congan.example",
                "phone": "0946 318 502",
                "category": "delegate",
            },
            {
                "full_name": "Lê Văn Út",
                "rank": "",
                "position": "Tổ trưởng Tổ bảo vệ an ninh, trật tự ở cơ sở, phường Cái Khế",
                "unit": "Thành phố Cần Thơ",
                "email": "",
                "phone": "0365 827 140",
                "category": "guest",
            },
            {
                "full_name": "Huỳnh Ngọc Trâm",
                "rank": "Đại úy",
                "position": "Cán bộ Phòng Tham mưu, đầu mối điểm cầu",
                "unit": "Công an thành phố Cần Thơ",
                "email": "tram.hn.cto@congan.example",
                "phone": "0939 265 870",
                "category": "staff",
            },
        ],
    },
]

PROGRAMME = [
    {
        "start_offset_minutes": 0,
        "duration_minutes": 5,
        "title": "Chào cờ",
        "presenter": "Ban Tổ chức",
        "origin_site_code": "BCA",
        "notes": "Các điểm cầu đứng nghiêm chào cờ theo hình ảnh từ điểm cầu chính.",
    },
    {
        "start_offset_minutes": 5,
        "duration_minutes": 10,
        "title": "Tuyên bố lý do, giới thiệu đại biểu",
        "presenter": "Thượng tá Đỗ Quang Vinh (dẫn chương trình)",
        "origin_site_code": "BCA",
        "notes": (
            "Giới thiệu đại biểu dự tại điểm cầu chính, sau đó điểm danh lần lượt "
            "các điểm cầu."
        ),
    },
    {
        "start_offset_minutes": 15,
        "duration_minutes": 12,
        "title": (
            "Trình chiếu phim tư liệu “55 năm lực lượng Xây dựng phong trào toàn dân "
            "bảo vệ an ninh Tổ quốc”"
        ),
        "presenter": "Ban Tổ chức",
        "origin_site_code": "BCA",
        "notes": "Phát từ điểm cầu chính; các điểm cầu kiểm tra âm thanh khi kiểm tra kỹ thuật.",
    },
    {
        "start_offset_minutes": 27,
        "duration_minutes": 18,
        "title": "Diễn văn kỷ niệm, ôn lại truyền thống 55 năm (16/6/1967 – 16/6/2022)",
        "presenter": (
            "Thiếu tướng Hoàng Minh Đức, Cục trưởng Cục Xây dựng phong trào bảo vệ "
            "an ninh Tổ quốc"
        ),
        "origin_site_code": "BCA",
        "notes": "",
    },
    {
        "start_offset_minutes": 45,
        "duration_minutes": 10,
        "title": (
            "Tham luận: nhân rộng mô hình quần chúng tự quản về an ninh, trật tự "
            "ở khu dân cư"
        ),
        "presenter": (
            "Đại tá Võ Thị Bích Liên, Trưởng phòng Tham mưu, Công an Thành phố "
            "Hồ Chí Minh"
        ),
        "origin_site_code": "HCM",
        "notes": "Chuyển hình ảnh sang điểm cầu Công an Thành phố Hồ Chí Minh.",
    },
    {
        "start_offset_minutes": 55,
        "duration_minutes": 25,
        "title": (
            "Phát biểu chỉ đạo của Đại tướng Tô Lâm, Ủy viên Bộ Chính trị, Bộ trưởng "
            "Bộ Công an"
        ),
        "presenter": "Đại tướng Tô Lâm",
        "origin_site_code": "BCA",
        "notes": "Chuyển hình ảnh về điểm cầu chính.",
    },
    {
        "start_offset_minutes": 80,
        "duration_minutes": 15,
        "title": "Phát động phong trào thi đua xây dựng phong trào toàn dân bảo vệ ANTQ",
        "presenter": "Đại tá Bùi Chiến Thắng, Phó Giám đốc Công an tỉnh Bắc Ninh",
        "origin_site_code": "BNI",
        "notes": (
            "Thay mặt Đảng ủy, lãnh đạo Công an tỉnh phát động trong toàn lực lượng. "
            "Chuyển hình ảnh sang điểm cầu Công an tỉnh Bắc Ninh."
        ),
    },
    {
        "start_offset_minutes": 95,
        "duration_minutes": 10,
        "title": (
            "Công bố quyết định khen thưởng; trao Bằng khen của Bộ trưởng Bộ Công an "
            "tại điểm cầu chính"
        ),
        "presenter": "Trung tướng Đặng Hữu Phước, Thứ trưởng Bộ Công an",
        "origin_site_code": "BCA",
        "notes": "Trao cho các cá nhân điển hình được mời dự tại điểm cầu chính.",
    },
    {
        "start_offset_minutes": 105,
        "duration_minutes": 25,
        "title": (
            "Trao Bằng khen của Bộ trưởng Bộ Công an, Bằng khen của Chủ tịch UBND tỉnh "
            "và Giấy khen của Giám đốc Công an tỉnh Bắc Ninh"
        ),
        "presenter": "Đại tá Bùi Chiến Thắng, Phó Giám đốc Công an tỉnh Bắc Ninh",
        "origin_site_code": "BNI",
        "notes": (
            "Khen thưởng các tập thể, cá nhân có thành tích xuất sắc trong đợt thi đua "
            "đặc biệt. Chuyển hình ảnh sang điểm cầu Công an tỉnh Bắc Ninh."
        ),
    },
    {
        "start_offset_minutes": 130,
        "duration_minutes": 10,
        "title": "Bế mạc",
        "presenter": "Thượng tá Đỗ Quang Vinh (dẫn chương trình)",
        "origin_site_code": "BCA",
        "notes": "Các điểm cầu giữ kết nối đến khi điểm cầu chính thông báo kết thúc.",
    },
]

_MINISTER = "Bộ trưởng Bộ Công an"
_PROVINCE_CHAIRMAN = "Chủ tịch UBND tỉnh Bắc Ninh"
_POLICE_DIRECTOR = "Giám đốc Công an tỉnh Bắc Ninh"

COMMENDATIONS = [
    # --- Bằng khen của Bộ trưởng Bộ Công an: 5 tập thể, 5 cá nhân ---
    {
        "recipient_kind": "collective",
        "recipient_name": (
            "Đội Xây dựng phong trào toàn dân bảo vệ ANTQ, Phòng Tham mưu, "
            "Công an tỉnh Bắc Ninh"
        ),
        "recipient_detail": "Đơn vị tham mưu chỉ đạo phong trào toàn dân bảo vệ ANTQ toàn tỉnh",
        "award": "Bằng khen",
        "authority": _MINISTER,
        "citation": _CITATION_SPECIAL,
        "site_code": "BNI",
    },
    {
        "recipient_kind": "collective",
        "recipient_name": (
            "Phòng Cảnh sát quản lý hành chính về trật tự xã hội, Công an tỉnh Bắc Ninh"
        ),
        "recipient_detail": "",
        "award": "Bằng khen",
        "authority": _MINISTER,
        "citation": _CITATION_SPECIAL,
        "site_code": "BNI",
    },
    {
        "recipient_kind": "collective",
        "recipient_name": "Công an phường Kinh Bắc",
        "recipient_detail": "",
        "award": "Bằng khen",
        "authority": _MINISTER,
        "citation": _CITATION_SPECIAL,
        "site_code": "BNI",
    },
    {
        "recipient_kind": "collective",
        "recipient_name": "Công an phường Từ Sơn",
        "recipient_detail": "",
        "award": "Bằng khen",
        "authority": _MINISTER,
        "citation": _CITATION_SPECIAL,
        "site_code": "BNI",
    },
    {
        "recipient_kind": "collective",
        "recipient_name": "Công an xã Yên Phong",
        "recipient_detail": "",
        "award": "Bằng khen",
        "authority": _MINISTER,
        "citation": _CITATION_SPECIAL,
        "site_code": "BNI",
    },
    {
        "recipient_kind": "individual",
        "recipient_name": "Trần Thị Ngọc Ánh",
        "recipient_detail": "Thiếu tá, Phó Trưởng Công an xã Phật Tích, Công an tỉnh Bắc Ninh",
        "award": "Bằng khen",
        "authority": _MINISTER,
        "citation": _CITATION_SPECIAL,
        "site_code": "BCA",
    },
    {
        "recipient_kind": "individual",
        "recipient_name": "Nguyễn Văn Thỉnh",
        "recipient_detail": (
            "Tổ trưởng Tổ bảo vệ an ninh, trật tự ở cơ sở, phường Vũ Ninh, tỉnh Bắc Ninh"
        ),
        "award": "Bằng khen",
        "authority": _MINISTER,
        "citation": _CITATION_MODEL,
        "site_code": "BCA",
    },
    {
        "recipient_kind": "individual",
        "recipient_name": "Lê Thị Thanh Hương",
        "recipient_detail": (
            "Trung tá, Đội trưởng Đội Xây dựng phong trào toàn dân bảo vệ ANTQ, "
            "Phòng Tham mưu, Công an tỉnh Bắc Ninh"
        ),
        "award": "Bằng khen",
        "authority": _MINISTER,
        "citation": _CITATION_SPECIAL,
        "site_code": "BNI",
    },
    {
        "recipient_kind": "individual",
        "recipient_name": "Nguyễn Văn Khánh",
        "recipient_detail": "Trung tá, Trưởng Công an phường Kinh Bắc, Công an tỉnh Bắc Ninh",
        "award": "Bằng khen",
        "authority": _MINISTER,
        "citation": _CITATION_SPECIAL,
        "site_code": "BNI",
    },
    {
        "recipient_kind": "individual",
        "recipient_name": "Đỗ Thị Huyền",
        "recipient_detail": (
            "Thiếu tá, Phó Trưởng phòng Cảnh sát quản lý hành chính về trật tự xã hội, "
            "Công an tỉnh Bắc Ninh"
        ),
        "award": "Bằng khen",
        "authority": _MINISTER,
        "citation": _CITATION_SPECIAL,
        "site_code": "BNI",
    },
    # --- Bằng khen của Chủ tịch UBND tỉnh Bắc Ninh: 9 tập thể, 8 cá nhân ---
    {
        "recipient_kind": "collective",
        "recipient_name": "Phòng An ninh nội địa, Công an tỉnh Bắc Ninh",
        "recipient_detail": "",
        "award": "Bằng khen",
        "authority": _PROVINCE_CHAIRMAN,
        "citation": _CITATION_MOVEMENT,
        "site_code": "BNI",
    },
    {
        "recipient_kind": "collective",
        "recipient_name": "Phòng Cảnh sát hình sự, Công an tỉnh Bắc Ninh",
        "recipient_detail": "",
        "award": "Bằng khen",
        "authority": _PROVINCE_CHAIRMAN,
        "citation": _CITATION_MOVEMENT,
        "site_code": "BNI",
    },
    {
        "recipient_kind": "collective",
        "recipient_name": "Công an phường Vũ Ninh",
        "recipient_detail": "",
        "award": "Bằng khen",
        "authority": _PROVINCE_CHAIRMAN,
        "citation": _CITATION_SPECIAL,
        "site_code": "BNI",
    },
    {
        "recipient_kind": "collective",
        "recipient_name": "Công an phường Võ Cường",
        "recipient_detail": "",
        "award": "Bằng khen",
        "authority": _PROVINCE_CHAIRMAN,
        "citation": _CITATION_SPECIAL,
        "site_code": "BNI",
    },
    {
        "recipient_kind": "collective",
        "recipient_name": "Công an phường Đồng Nguyên",
        "recipient_detail": "",
        "award": "Bằng khen",
        "authority": _PROVINCE_CHAIRMAN,
        "citation": _CITATION_SPECIAL,
        "site_code": "BNI",
    },
    {
        "recipient_kind": "collective",
        "recipient_name": "Công an phường Thuận Thành",
        "recipient_detail": "",
        "award": "Bằng khen",
        "authority": _PROVINCE_CHAIRMAN,
        "citation": _CITATION_SPECIAL,
        "site_code": "BNI",
    },
    {
        "recipient_kind": "collective",
        "recipient_name": "Công an xã Tiên Du",
        "recipient_detail": "Xã đạt chuẩn “An toàn về an ninh, trật tự”",
        "award": "Bằng khen",
        "authority": _PROVINCE_CHAIRMAN,
        "citation": _CITATION_MOVEMENT,
        "site_code": "BNI",
    },
    {
        "recipient_kind": "collective",
        "recipient_name": "Công an xã Gia Bình",
        "recipient_detail": "",
        "award": "Bằng khen",
        "authority": _PROVINCE_CHAIRMAN,
        "citation": _CITATION_MOVEMENT,
        "site_code": "BNI",
    },
    {
        "recipient_kind": "collective",
        "recipient_name": "Công an phường Bắc Giang",
        "recipient_detail": "",
        "award": "Bằng khen",
        "authority": _PROVINCE_CHAIRMAN,
        "citation": _CITATION_SPECIAL,
        "site_code": "BNI",
    },
    {
        "recipient_kind": "individual",
        "recipient_name": "Nguyễn Quang Huy",
        "recipient_detail": "Đại úy, Phó Trưởng Công an xã Yên Phong, Công an tỉnh Bắc Ninh",
        "award": "Bằng khen",
        "authority": _PROVINCE_CHAIRMAN,
        "citation": _CITATION_SPECIAL,
        "site_code": "BNI",
    },
    {
        "recipient_kind": "individual",
        "recipient_name": "Ngô Thị Phương Thảo",
        "recipient_detail": (
            "Thượng úy, cán bộ Đội Xây dựng phong trào toàn dân bảo vệ ANTQ, "
            "Phòng Tham mưu, Công an tỉnh Bắc Ninh"
        ),
        "award": "Bằng khen",
        "authority": _PROVINCE_CHAIRMAN,
        "citation": _CITATION_SPECIAL,
        "site_code": "BNI",
    },
    {
        "recipient_kind": "individual",
        "recipient_name": "Trần Đức Mạnh",
        "recipient_detail": "Thiếu tá, Phó Trưởng Công an phường Từ Sơn, Công an tỉnh Bắc Ninh",
        "award": "Bằng khen",
        "authority": _PROVINCE_CHAIRMAN,
        "citation": _CITATION_SPECIAL,
        "site_code": "BNI",
    },
    {
        "recipient_kind": "individual",
        "recipient_name": "Nguyễn Thị Lan",
        "recipient_detail": "Phó Chủ tịch Hội Liên hiệp Phụ nữ phường Đồng Nguyên",
        "award": "Bằng khen",
        "authority": _PROVINCE_CHAIRMAN,
        "citation": _CITATION_MOVEMENT,
        "site_code": "BNI",
    },
    {
        "recipient_kind": "individual",
        "recipient_name": "Lưu Văn Chiến",
        "recipient_detail": "Đại úy, cán bộ Công an xã Gia Bình, Công an tỉnh Bắc Ninh",
        "award": "Bằng khen",
        "authority": _PROVINCE_CHAIRMAN,
        "citation": _CITATION_SPECIAL,
        "site_code": "BNI",
    },
    {
        "recipient_kind": "individual",
        "recipient_name": "Phạm Văn Sinh",
        "recipient_detail": "Tổ phó Tổ bảo vệ an ninh, trật tự ở cơ sở, xã Tiên Du",
        "award": "Bằng khen",
        "authority": _PROVINCE_CHAIRMAN,
        "citation": _CITATION_MODEL,
        "site_code": "BNI",
    },
    {
        "recipient_kind": "individual",
        "recipient_name": "Hoàng Văn Tuyến",
        "recipient_detail": "Thượng úy, cán bộ Công an phường Bắc Giang, Công an tỉnh Bắc Ninh",
        "award": "Bằng khen",
        "authority": _PROVINCE_CHAIRMAN,
        "citation": _CITATION_SPECIAL,
        "site_code": "BNI",
    },
    {
        "recipient_kind": "individual",
        "recipient_name": "Nguyễn Thị Thu Trang",
        "recipient_detail": "Đại úy, cán bộ Phòng Cảnh sát hình sự, Công an tỉnh Bắc Ninh",
        "award": "Bằng khen",
        "authority": _PROVINCE_CHAIRMAN,
        "citation": _CITATION_SPECIAL,
        "site_code": "BNI",
    },
    # --- Giấy khen của Giám đốc Công an tỉnh Bắc Ninh: 12 tập thể, 12 cá nhân ---
    {
        "recipient_kind": "collective",
        "recipient_name": "Phòng Công tác đảng và Công tác chính trị, Công an tỉnh Bắc Ninh",
        "recipient_detail": "",
        "award": "Giấy khen",
        "authority": _POLICE_DIRECTOR,
        "citation": _CITATION_SPECIAL,
        "site_code": "BNI",
    },
    {
        "recipient_kind": "collective",
        "recipient_name": (
            "Phòng Cảnh sát phòng cháy, chữa cháy và cứu nạn, cứu hộ, "
            "Công an tỉnh Bắc Ninh"
        ),
        "recipient_detail": "",
        "award": "Giấy khen",
        "authority": _POLICE_DIRECTOR,
        "citation": _CITATION_SPECIAL,
        "site_code": "BNI",
    },
    {
        "recipient_kind": "collective",
        "recipient_name": "Công an phường Quế Võ",
        "recipient_detail": "",
        "award": "Giấy khen",
        "authority": _POLICE_DIRECTOR,
        "citation": _CITATION_SPECIAL,
        "site_code": "BNI",
    },
    {
        "recipient_kind": "collective",
        "recipient_name": "Công an phường Nhân Hòa",
        "recipient_detail": "",
        "award": "Giấy khen",
        "authority": _POLICE_DIRECTOR,
        "citation": _CITATION_SPECIAL,
        "site_code": "BNI",
    },
    {
        "recipient_kind": "collective",
        "recipient_name": "Công an phường Tam Sơn",
        "recipient_detail": "",
        "award": "Giấy khen",
        "authority": _POLICE_DIRECTOR,
        "citation": _CITATION_SPECIAL,
        "site_code": "BNI",
    },
    {
        "recipient_kind": "collective",
        "recipient_name": "Công an phường Phù Khê",
        "recipient_detail": "",
        "award": "Giấy khen",
        "authority": _POLICE_DIRECTOR,
        "citation": _CITATION_MOVEMENT,
        "site_code": "BNI",
    },
    {
        "recipient_kind": "collective",
        "recipient_name": "Công an xã Phật Tích",
        "recipient_detail": "",
        "award": "Giấy khen",
        "authority": _POLICE_DIRECTOR,
        "citation": _CITATION_MOVEMENT,
        "site_code": "BNI",
    },
    {
        "recipient_kind": "collective",
        "recipient_name": "Công an xã Lương Tài",
        "recipient_detail": "",
        "award": "Giấy khen",
        "authority": _POLICE_DIRECTOR,
        "citation": _CITATION_MOVEMENT,
        "site_code": "BNI",
    },
    {
        "recipient_kind": "collective",
        "recipient_name": "Công an xã Văn Môn",
        "recipient_detail": "",
        "award": "Giấy khen",
        "authority": _POLICE_DIRECTOR,
        "citation": _CITATION_MOVEMENT,
        "site_code": "BNI",
    },
    {
        "recipient_kind": "collective",
        "recipient_name": "Công an phường Việt Yên",
        "recipient_detail": "",
        "award": "Giấy khen",
        "authority": _POLICE_DIRECTOR,
        "citation": _CITATION_SPECIAL,
        "site_code": "BNI",
    },
    {
        "recipient_kind": "collective",
        "recipient_name": "Công an xã Tân Yên",
        "recipient_detail": "",
        "award": "Giấy khen",
        "authority": _POLICE_DIRECTOR,
        "citation": _CITATION_SPECIAL,
        "site_code": "BNI",
    },
    {
        "recipient_kind": "collective",
        "recipient_name": "Tổ bảo vệ an ninh, trật tự ở cơ sở, phường Đào Viên",
        "recipient_detail": "Mô hình quần chúng tự quản về an ninh, trật tự",
        "award": "Giấy khen",
        "authority": _POLICE_DIRECTOR,
        "citation": _CITATION_MODEL,
        "site_code": "BNI",
    },
    {
        "recipient_kind": "individual",
        "recipient_name": "Nguyễn Văn Đông",
        "recipient_detail": "Thượng úy, cán bộ Công an phường Quế Võ, Công an tỉnh Bắc Ninh",
        "award": "Giấy khen",
        "authority": _POLICE_DIRECTOR,
        "citation": _CITATION_SPECIAL,
        "site_code": "BNI",
    },
    {
        "recipient_kind": "individual",
        "recipient_name": "Trịnh Văn Hậu",
        "recipient_detail": "Trung úy, cán bộ Công an phường Nhân Hòa, Công an tỉnh Bắc Ninh",
        "award": "Giấy khen",
        "authority": _POLICE_DIRECTOR,
        "citation": _CITATION_SPECIAL,
        "site_code": "BNI",
    },
    {
        "recipient_kind": "individual",
        "recipient_name": "Nguyễn Thị Mến",
        "recipient_detail": "Tổ viên Tổ bảo vệ an ninh, trật tự ở cơ sở, phường Đào Viên",
        "award": "Giấy khen",
        "authority": _POLICE_DIRECTOR,
        "citation": _CITATION_MODEL,
        "site_code": "BNI",
    },
    {
        "recipient_kind": "individual",
        "recipient_name": "Đặng Văn Kiên",
        "recipient_detail": "Thiếu tá, Phó Trưởng Công an phường Tam Sơn, Công an tỉnh Bắc Ninh",
        "award": "Giấy khen",
        "authority": _POLICE_DIRECTOR,
        "citation": _CITATION_SPECIAL,
        "site_code": "BNI",
    },
    {
        "recipient_kind": "individual",
        "recipient_name": "Cao Thị Hoa",
        "recipient_detail": (
            "Đại úy, cán bộ Phòng Công tác đảng và Công tác chính trị, "
            "Công an tỉnh Bắc Ninh"
        ),
        "award": "Giấy khen",
        "authority": _POLICE_DIRECTOR,
        "citation": _CITATION_SPECIAL,
        "site_code": "BNI",
    },
    {
        "recipient_kind": "individual",
        "recipient_name": "Nguyễn Hữu Nghĩa",
        "recipient_detail": "Thượng úy, cán bộ Công an xã Lương Tài, Công an tỉnh Bắc Ninh",
        "award": "Giấy khen",
        "authority": _POLICE_DIRECTOR,
        "citation": _CITATION_SPECIAL,
        "site_code": "BNI",
    },
    {
        "recipient_kind": "individual",
        "recipient_name": "Vũ Văn Bình",
        "recipient_detail": (
            "Trưởng bộ phận bảo vệ doanh nghiệp, Khu công nghiệp Quế Võ, tỉnh Bắc Ninh"
        ),
        "award": "Giấy khen",
        "authority": _POLICE_DIRECTOR,
        "citation": _CITATION_MOVEMENT,
        "site_code": "BNI",
    },
    {
        "recipient_kind": "individual",
        "recipient_name": "Lê Văn Thanh",
        "recipient_detail": "Trung úy, cán bộ Công an xã Văn Môn, Công an tỉnh Bắc Ninh",
        "award": "Giấy khen",
        "authority": _POLICE_DIRECTOR,
        "citation": _CITATION_SPECIAL,
        "site_code": "BNI",
    },
    {
        "recipient_kind": "individual",
        "recipient_name": "Nguyễn Thị Thúy",
        "recipient_detail": "Thiếu tá, cán bộ Phòng Tham mưu, Công an tỉnh Bắc Ninh",
        "award": "Giấy khen",
        "authority": _POLICE_DIRECTOR,
        "citation": _CITATION_SPECIAL,
        "site_code": "BNI",
    },
    {
        "recipient_kind": "individual",
        "recipient_name": "Thân Văn Hòa",
        "recipient_detail": "Đại úy, cán bộ Công an phường Việt Yên, Công an tỉnh Bắc Ninh",
        "award": "Giấy khen",
        "authority": _POLICE_DIRECTOR,
        "citation": _CITATION_SPECIAL,
        "site_code": "BNI",
    },
    {
        "recipient_kind": "individual",
        "recipient_name": "Giáp Văn Tùng",
        "recipient_detail": "Thượng úy, cán bộ Công an xã Tân Yên, Công an tỉnh Bắc Ninh",
        "award": "Giấy khen",
        "authority": _POLICE_DIRECTOR,
        "citation": _CITATION_SPECIAL,
        "site_code": "BNI",
    },
    {
        "recipient_kind": "individual",
        "recipient_name": "Nguyễn Văn Hiển",
        "recipient_detail": "Tổ phó Tổ bảo vệ an ninh, trật tự ở cơ sở, phường Phù Khê",
        "award": "Giấy khen",
        "authority": _POLICE_DIRECTOR,
        "citation": _CITATION_MODEL,
        "site_code": "BNI",
    },
]

# Where the coordinators stand a month before (so the readiness board has a story):
# site code → (answer, room ready, endpoint tested, sound and image, backup contact, remark).
READINESS = {
    "BCA": ("confirmed", True, True, True, "Đại úy Lê Văn Kỹ Thuật, 0912 004 004", ""),
    "BNI": ("confirmed", True, True, True, "Thiếu tá Ngô Minh Dự, 0912 005 005",
            "Điểm cầu có tiết mục phát động thi đua, cần thêm micro không dây."),
    "TNG": ("confirmed", True, False, False, "", "Chờ kiểm tra kỹ thuật với Bộ."),
    "HPG": ("confirmed", True, True, False, "Trung úy Phạm Văn Âm, 0912 006 006", ""),
}
